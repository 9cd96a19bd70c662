"""Stats' queries: grouped counts for /stats. Every query returns aggregated rows (per
country and per answer), never organisations: the bot sums countries into groups itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import BigInteger, Integer, case, cast, func, literal, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import (
    ContactRequest,
    Event,
    IntroductionOutcome,
    Meeting,
    Notice,
    Organisation,
    PartnerCall,
    PostAnswer,
    Rsvp,
    User,
)

COUNTED: Final = Organisation.status == "active"  # hidden and banned profiles are left out

# On SQLite the join below looks an organisation up by id in the narrow index
# ix_organisations_by_id instead of its wide row (half the time); SQLAlchemy renders no
# INDEXED BY in a join, so it is written out. PostgreSQL plans for itself.
_SQLITE_CROSSING: Final = text(
    "SELECT s.country != r.country, q.status, count(*) FROM contact_requests AS q"
    " JOIN organisations AS s INDEXED BY ix_organisations_by_id ON s.id = q.sender_id"
    " JOIN organisations AS r INDEXED BY ix_organisations_by_id ON r.id = q.recipient_id"
    " GROUP BY s.country != r.country, q.status"
)


def _on_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


MASK_COLUMNS: Final = {
    "share_mask": Organisation.share_mask,
    "learn_mask": Organisation.learn_mask,
    "focus_mask": Organisation.focus_mask,
    "format_mask": Organisation.format_mask,
    "barrier_mask": Organisation.barrier_mask,
}


async def count_users(session: AsyncSession) -> int:
    """How many users have written to the bot."""
    return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def count_requests_by_status(session: AsyncSession) -> dict[str, int]:
    """Contact requests per status (pending, accepted, declined)."""
    rows = await session.execute(
        select(ContactRequest.status, func.count()).group_by(ContactRequest.status)
    )
    return {status: int(count) for status, count in rows}


async def count_outcomes(session: AsyncSession) -> dict[str, int]:
    """Answers to "what came of it", per outcome."""
    rows = await session.execute(
        select(IntroductionOutcome.outcome, func.count())
        .where(IntroductionOutcome.outcome.is_not(None))
        .group_by(IntroductionOutcome.outcome)
    )
    return {str(outcome): int(count) for outcome, count in rows}


async def organisations_by_country(session: AsyncSession) -> list[tuple[str, bool, int]]:
    """`(country, cross_border, organisations)` for the counted organisations."""
    rows = await session.execute(
        select(Organisation.country, Organisation.cross_border, func.count())
        .where(COUNTED)
        .group_by(Organisation.country, Organisation.cross_border)
    )
    return [(str(country), bool(cross), int(count)) for country, cross, count in rows]


# Several bits are summed by one aggregate, each in its own lane of LANE_BITS bits of a
# 64-bit integer (SQLite's CPU for the read at 100,000 organisations: ~130 ms with a sum per
# bit, ~85 with three bits per sum): a lane counts up to 2^20 - 1 organisations of a
# country; beyond that, one bit per sum.
LANE_BITS: Final = 20
LANES: Final = 3


def _lanes(mask: Any, first: int, count: int, *, widen: bool) -> Any:
    """An SQL expression: bits `first` … `first + count - 1` of `mask`, bit k moved to
    bit k * LANE_BITS, so that summing it sums each bit in its own lane. One multiplication
    spreads the bits (the shifted copies do not overlap), one AND keeps each lane's own."""
    spread = sum(1 << (k * (LANE_BITS - 1)) for k in range(count))
    keep = sum(1 << (k * LANE_BITS) for k in range(count))
    low = mask.op(">>")(first) if first else mask
    bits = low.op("&")((1 << count) - 1)
    if widen:  # PostgreSQL's int4 mask would overflow: int8 first (SQLite's are 64-bit)
        bits = cast(bits, BigInteger)
    lanes = bits.op("*")(literal(spread, BigInteger)).op("&")(literal(keep, BigInteger))
    return func.coalesce(func.sum(lanes), 0)


async def answers_by_country(
    session: AsyncSession, bits: dict[str, int], lanes: int = LANES
) -> list[tuple[str, int, int, int, dict[str, list[int]]]]:
    """Per country: `(country, organisations, with cross-border experience, that named any
    barrier, column → how many organisations have each bit set)`, for the first
    `bits[column]` bits of each mask column. One scan of the organisations (the covering
    ix_organisations_statistics), summed in SQL (a row per country), `lanes` bits per sum;
    counted again one bit per sum if a country has too many organisations for a lane."""
    sqlite = _on_sqlite(session)
    sums = [
        func.count(),
        func.coalesce(func.sum(case((Organisation.cross_border, 1), else_=0)), 0),
        func.coalesce(func.sum(case((Organisation.barrier_mask != 0, 1), else_=0)), 0),
    ]
    chunks: list[tuple[str, int]] = []  # (column, bits in that sum)
    for column, count in bits.items():
        for first in range(0, count, lanes):
            size = min(lanes, count - first)
            sums.append(_lanes(MASK_COLUMNS[column], first, size, widen=not sqlite))
            chunks.append((column, size))
    rows = (
        await session.execute(
            select(Organisation.country, *sums).where(COUNTED).group_by(Organisation.country)
        )
    ).all()
    if lanes > 1 and any(int(row[1]) >= 1 << LANE_BITS for row in rows):
        return await answers_by_country(session, bits, lanes=1)
    found = []
    lane = (1 << LANE_BITS) - 1 if lanes > 1 else -1  # one bit per sum: the whole sum
    for country, total, crossed, named, *values in rows:
        per_column: dict[str, list[int]] = {column: [] for column in bits}
        for (column, size), value in zip(chunks, values, strict=True):
            per_column[column] += [(int(value) >> (k * LANE_BITS)) & lane for k in range(size)]
        found.append((str(country), int(total), int(crossed), int(named), per_column))
    return found


def _seconds_between(session: AsyncSession, start: Any, end: Any) -> Any:
    """An SQL expression: seconds from `start` to `end`, on SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


async def median_answer_seconds(session: AsyncSession) -> float | None:
    """The median time from a contact request to its answer (accepted or declined), in
    seconds; None when none was answered. Counted and picked in SQL (the middle row of the
    answered requests ordered by that time; the mean of the two middle ones)."""
    answered = (ContactRequest.status.in_(("accepted", "declined")),
                ContactRequest.decided_at.is_not(None))  # fmt: skip
    total = int(await session.scalar(select(func.count()).where(*answered)) or 0)
    if not total:
        return None
    seconds = _seconds_between(session, ContactRequest.created_at, ContactRequest.decided_at)
    middle = await session.scalars(
        select(seconds)
        .where(*answered)
        .order_by(seconds)
        .offset((total - 1) // 2)
        .limit(2 - total % 2)
    )
    values = [float(value) for value in middle]
    return sum(values) / len(values)


async def requests_by_crossing(session: AsyncSession) -> list[tuple[bool, str, int]]:
    """`(across borders, status, requests)`: whether the two organisations are in
    different countries."""
    if _on_sqlite(session):
        found = await session.execute(_SQLITE_CROSSING)
        return [(bool(across), str(status), int(count)) for across, status, count in found]
    sender, recipient = aliased(Organisation), aliased(Organisation)
    crossing = sender.country != recipient.country
    rows = await session.execute(
        select(crossing, ContactRequest.status, func.count())
        .join(sender, sender.id == ContactRequest.sender_id)
        .join(recipient, recipient.id == ContactRequest.recipient_id)
        .group_by(crossing, ContactRequest.status)
    )
    return [(bool(across), str(status), int(count)) for across, status, count in rows]


async def calls_by_crossing(session: AsyncSession, now: datetime) -> list[tuple[bool, str, int]]:
    """`(across borders, stage, calls)`: calls "proposed" (every proposal), "agreed" (a time
    picked and not cancelled) and "held" (agreed, and its time has come)."""
    proposer, invitee = aliased(Organisation), aliased(Organisation)
    crossing = proposer.country != invitee.country
    agreed = Meeting.status == "agreed"
    held = agreed & (Meeting.starts_at <= now)
    rows = await session.execute(
        select(
            crossing,
            func.count(),
            func.sum(case((agreed, 1), else_=0)),
            func.sum(case((held, 1), else_=0)),
        )
        .join(proposer, proposer.id == Meeting.proposer_org)
        .join(invitee, invitee.id == Meeting.invitee_org)
        .group_by(crossing)
    )
    found = []
    for across, proposed, agreed_count, held_count in rows:
        for stage, count in (
            ("proposed", proposed),
            ("agreed", agreed_count),
            ("held", held_count),
        ):
            found.append((bool(across), stage, int(count or 0)))
    return found


async def median_seconds_to_call(session: AsyncSession, now: datetime) -> float | None:
    """The median time from an introduction's acceptance to the call it led to (calls
    held), in seconds; None when none was held. Picked in SQL, as the answers' median."""
    held = (Meeting.status == "agreed", Meeting.starts_at <= now)
    total = int(await session.scalar(select(func.count()).select_from(Meeting).where(*held)) or 0)
    if not total:
        return None
    seconds = _seconds_between(session, ContactRequest.decided_at, Meeting.starts_at)
    middle = await session.scalars(
        select(seconds)
        .join(ContactRequest, ContactRequest.id == Meeting.request_id)
        .where(*held)
        .order_by(seconds)
        .offset((total - 1) // 2)
        .limit(2 - total % 2)
    )
    values = [float(value) for value in middle]
    return sum(values) / len(values) if values else None


async def events_by_kind(session: AsyncSession) -> dict[str, tuple[int, int, int]]:
    """Per event kind: events published (cancelled later or not), users the announcement
    reached, users attending."""
    published = Event.published_at.is_not(None)
    found: dict[str, list[int]] = {}
    events = await session.execute(
        select(Event.kind, func.count()).where(published).group_by(Event.kind)
    )
    for kind, count in events:
        found.setdefault(str(kind), [0, 0, 0])[0] = int(count)
    announced = await session.execute(
        select(Event.kind, func.count())
        .join(Notice, Notice.event_id == Event.id)
        .where(published, Notice.kind == "announce", Notice.state == "sent")
        .group_by(Event.kind)
    )
    for kind, count in announced:
        found.setdefault(str(kind), [0, 0, 0])[1] = int(count)
    attending = await session.execute(
        select(Event.kind, func.count())
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(published, Rsvp.going.is_(True))
        .group_by(Event.kind)
    )
    for kind, count in attending:
        found.setdefault(str(kind), [0, 0, 0])[2] = int(count)
    return {kind: (values[0], values[1], values[2]) for kind, values in found.items()}


async def _weekly(
    session: AsyncSession,
    moment: Any,
    starts: Sequence[datetime],
    *where: Any,
    counting: Any = None,
) -> list[int]:
    """How many rows fall into each week starting at `starts` (consecutive weeks): one
    statement grouped by the week's number since the first start. `where` narrows the rows
    read; `counting` only which of them count (an aggregate FILTER), so that a condition
    that matches nearly every row cannot lead the planner away from the index on `moment`
    (SQLite took `status = 'active'` to a status index, then read every organisation)."""
    first = starts[0]
    seconds = _seconds_between(session, literal(first, moment.type), moment)
    week: Any
    if session.get_bind().dialect.name == "postgresql":
        week = func.floor(seconds / 604800.0)
    else:  # CAST truncates, and the seconds are not negative here: the floor
        week = cast(seconds / 604800.0, Integer)
    count = func.count() if counting is None else func.count().filter(counting)
    rows = await session.execute(select(week, count).where(moment >= first, *where).group_by(week))
    counts = [0] * len(starts)
    for number, count in rows:
        if 0 <= int(number) < len(starts):
            counts[int(number)] += int(count)
    return counts


async def weekly(
    session: AsyncSession, starts: Sequence[datetime]
) -> tuple[list[int], list[int], list[int]]:
    """Per week: new (counted) organisations, contact requests sent, requests accepted."""
    organisations = await _weekly(session, Organisation.created_at, starts, counting=COUNTED)
    requests = await _weekly(session, ContactRequest.created_at, starts)
    accepted = await _weekly(
        session, ContactRequest.decided_at, starts, ContactRequest.status == "accepted"
    )
    return organisations, requests, accepted


# -- the exchange of experience (issue 21): organisations' posts and the answers to them ------

POSTED_EVENT: Final = (Event.host_organisation_id.is_not(None), Event.published_at.is_not(None))
APPROVED_CALL: Final = PartnerCall.review.in_(("approved", "closed"))


async def posts_by_country(session: AsyncSession) -> list[tuple[str, str, int]]:
    """`(kind, host's country, posts)` of organisations' published posts: "event" (hosted
    events but internships), "internship" and "call" (approved partner calls)."""
    kind = case((Event.kind == "internship", "internship"), else_="event")
    events = await session.execute(
        select(kind, Organisation.country, func.count())
        .select_from(Event)
        .join(Organisation, Organisation.id == Event.host_organisation_id)
        .where(*POSTED_EVENT)
        .group_by(kind, Organisation.country)
    )
    found = [(str(kind), str(country), int(count)) for kind, country, count in events]
    calls = await session.execute(
        select(Organisation.country, func.count())
        .select_from(PartnerCall)
        .join(Organisation, Organisation.id == PartnerCall.host_organisation_id)
        .where(APPROVED_CALL)
        .group_by(Organisation.country)
    )
    return found + [("call", str(country), int(count)) for country, count in calls]


async def answers_by_crossing(session: AsyncSession) -> list[tuple[bool, str, int, int]]:
    """`(across borders, kind, answers, accepted)` of the answers to posts: whether the
    answering organisation and the host are in different countries; accepted when the
    answer is, or the contact request it became was."""
    sender, host = aliased(Organisation), aliased(Organisation)
    crossing = sender.country != host.country
    accepted = or_(PostAnswer.state == "accepted", ContactRequest.status == "accepted")
    rows = await session.execute(
        select(crossing, PostAnswer.kind, func.count(), func.sum(case((accepted, 1), else_=0)))
        .select_from(PostAnswer)
        .join(sender, sender.id == PostAnswer.organisation_id)
        .join(host, host.id == PostAnswer.host_organisation_id)
        .outerjoin(ContactRequest, ContactRequest.id == PostAnswer.request_id)
        .group_by(crossing, PostAnswer.kind)
    )
    return [
        (bool(across), str(kind), int(count), int(taken or 0))
        for across, kind, count, taken in rows
    ]


async def partners_found(session: AsyncSession) -> tuple[int, int]:
    """`(found, asked)`: partner calls whose host said a partner was found, of those whose
    host answered the question."""
    found, asked = (
        await session.execute(
            select(
                func.coalesce(func.sum(case((PartnerCall.partner_found.is_(True), 1), else_=0)), 0),
                func.count(),
            ).where(PartnerCall.partner_found.is_not(None))
        )
    ).one()
    return int(found or 0), int(asked or 0)
