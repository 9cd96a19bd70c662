"""The SQL of posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    ContactRequest,
    Event,
    Membership,
    Organisation,
    PartnerCall,
    PartnerCallCopy,
    PartnerCallNotice,
    PostAnswer,
    ReviewCopy,
    User,
)


async def waiting(session: AsyncSession, limit: int) -> Sequence[Event]:
    """Posts waiting for review, oldest first."""
    return (
        await session.scalars(
            select(Event)
            .where(Event.review == "pending", Event.status == "draft")
            .order_by(Event.created_at, Event.id)
            .limit(limit)
        )
    ).all()


async def count_waiting(session: AsyncSession) -> int:
    counted = await session.scalar(
        select(func.count()).where(Event.review == "pending", Event.status == "draft")
    )
    return int(counted or 0)


async def waiting_of(session: AsyncSession, organisation_id: int) -> int:
    """How many of an organisation's posts (events and partner calls) wait for review."""
    events = await session.scalar(
        select(func.count()).where(
            Event.host_organisation_id == organisation_id,
            Event.review == "pending",
            Event.status == "draft",
        )
    )
    calls = await session.scalar(
        select(func.count()).where(
            PartnerCall.host_organisation_id == organisation_id, PartnerCall.review == "pending"
        )
    )
    return int(events or 0) + int(calls or 0)


async def waiting_calls(session: AsyncSession, limit: int) -> Sequence[PartnerCall]:
    """Partner calls waiting for review, oldest first."""
    return (
        await session.scalars(
            select(PartnerCall)
            .where(PartnerCall.review == "pending")
            .order_by(PartnerCall.created_at, PartnerCall.id)
            .limit(limit)
        )
    ).all()


async def count_waiting_calls(session: AsyncSession) -> int:
    counted = await session.scalar(select(func.count()).where(PartnerCall.review == "pending"))
    return int(counted or 0)


async def add_copies(
    session: AsyncSession, post: int, copies: list[tuple[int, int]], *, call: bool = False
) -> None:
    """Remember each admin's copy `(user id, message id)` of a post (an event, or a partner
    call) to review."""
    if call:
        session.add_all(
            PartnerCallCopy(call_id=post, user_id=user_id, message_id=message_id)
            for user_id, message_id in copies
        )
        return
    session.add_all(
        ReviewCopy(event_id=post, user_id=user_id, message_id=message_id)
        for user_id, message_id in copies
    )


async def copies_of(
    session: AsyncSession, post: int, *, call: bool = False
) -> list[tuple[int, int, str | None]]:
    """`(user id, message id, language)` of every copy of a post (an event, or a partner
    call) to review."""
    if call:
        query = select(PartnerCallCopy.user_id, PartnerCallCopy.message_id, User.language)
        query = query.outerjoin(User, User.id == PartnerCallCopy.user_id).where(
            PartnerCallCopy.call_id == post
        )
    else:
        query = select(ReviewCopy.user_id, ReviewCopy.message_id, User.language)
        query = query.outerjoin(User, User.id == ReviewCopy.user_id).where(
            ReviewCopy.event_id == post
        )
    rows = await session.execute(query.order_by("user_id", "message_id"))
    return [(int(uid), int(mid), language) for uid, mid, language in rows]


async def first_name(session: AsyncSession, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return await session.scalar(select(User.first_name).where(User.id == user_id))


async def call_audience(
    session: AsyncSession, host_id: int, topics_mask: int, countries: list[str]
) -> list[tuple[int, str | None, str | None, str | None]]:
    """`(user id, chosen zone, organisation's country, language)` of the members of the
    active organisations whose can-share topics meet `topics_mask` (any, if 0), in
    `countries` (all, if empty), but the host, with partner calls on."""
    query = (
        select(Membership.user_id, User.time_zone, Organisation.country, User.language)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Organisation.status == "active",
            Organisation.id != host_id,
            User.partner_calls_on.is_(True),
            User.is_active.is_(True),
        )
        .order_by(Membership.user_id)
    )
    if topics_mask:
        query = query.where(Organisation.share_mask.op("&")(topics_mask) != 0)
    if countries:
        query = query.where(Organisation.country.in_(countries))
    found: dict[int, tuple[int, str | None, str | None, str | None]] = {}
    for user_id, zone, country, language in await session.execute(query):
        found.setdefault(int(user_id), (int(user_id), zone, country, language))
    return list(found.values())


async def add_notices(session: AsyncSession, call_id: int, due: list[tuple[int, datetime]]) -> None:
    """A pending notice of the call, due at the moment given, for each user who has none."""
    known = set(
        (
            await session.scalars(
                select(PartnerCallNotice.user_id).where(PartnerCallNotice.call_id == call_id)
            )
        ).all()
    )
    session.add_all(
        PartnerCallNotice(call_id=call_id, user_id=user_id, state="pending", due_at=due_at)
        for user_id, due_at in due
        if user_id not in known
    )


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        PartnerCallNotice.state == "pending",
        PartnerCall.review == "approved",
        or_(PartnerCallNotice.due_at.is_(None), PartnerCallNotice.due_at <= now),
    )


async def due_notices(
    session: AsyncSession, now: datetime, limit: int
) -> list[tuple[int, int, str | None]]:
    """`(call id, user id, language)` of pending notices of approved calls due by `now`,
    the oldest first."""
    rows = await session.execute(
        select(PartnerCallNotice.call_id, PartnerCallNotice.user_id, User.language)
        .join(PartnerCall, PartnerCall.id == PartnerCallNotice.call_id)
        .outerjoin(User, User.id == PartnerCallNotice.user_id)
        .where(_due(now))
        .order_by(PartnerCallNotice.due_at, PartnerCallNotice.call_id, PartnerCallNotice.user_id)
        .limit(limit)
    )
    return [(int(call_id), int(user_id), language) for call_id, user_id, language in rows]


async def earliest_notice(session: AsyncSession) -> datetime | None:
    """When the earliest pending notice of an approved call is due (undated ones, queued
    before calls were sent by the scheduler, go with the next sweep)."""
    return await session.scalar(
        select(func.min(PartnerCallNotice.due_at))
        .select_from(PartnerCallNotice)
        .join(PartnerCall, PartnerCall.id == PartnerCallNotice.call_id)
        .where(PartnerCallNotice.state == "pending", PartnerCall.review == "approved")
    )


async def move_notice(
    session: AsyncSession, call_id: int, user_id: int, before: str, after: str, now: datetime
) -> bool:
    """Move one notice from `before` to `after`; False if someone else moved it first."""
    result = await session.execute(
        update(PartnerCallNotice)
        .where(
            PartnerCallNotice.call_id == call_id,
            PartnerCallNotice.user_id == user_id,
            PartnerCallNotice.state == before,
        )
        .values(state=after, updated_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def organisation_name(session: AsyncSession, organisation_id: int) -> str | None:
    return await session.scalar(select(Organisation.name).where(Organisation.id == organisation_id))


async def give_up_sending(session: AsyncSession, now: datetime) -> int:
    """Notices claimed by a stopped process: given up (never sent twice)."""
    result = await session.execute(
        update(PartnerCallNotice)
        .where(PartnerCallNotice.state == "sending")
        .values(state="failed", updated_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# Answers to calls and internships (issue 21). An answer's state is read through the
# contact request it became: accepted or declined there is accepted or declined here.

ANSWER_STATE = case(
    (ContactRequest.status == "accepted", "accepted"),
    (PostAnswer.state != "pending", PostAnswer.state),
    (ContactRequest.status == "declined", "declined"),
    else_=PostAnswer.state,
)


def _answers() -> Any:
    return select(PostAnswer, ANSWER_STATE).outerjoin(
        ContactRequest, ContactRequest.id == PostAnswer.request_id
    )


async def answers_since(
    session: AsyncSession, organisation_id: int, since: datetime
) -> list[datetime]:
    """When the organisation sent each answer after `since`, oldest first."""
    found = await session.scalars(
        select(PostAnswer.created_at)
        .where(PostAnswer.organisation_id == organisation_id, PostAnswer.created_at > since)
        .order_by(PostAnswer.created_at)
    )
    return list(found.all())


async def answers_to(
    session: AsyncSession, kind: str, post_id: int, limit: int
) -> list[tuple[PostAnswer, str, str]]:
    """`(answer, state, organisation's name)` of a post's answers, newest first."""
    rows = await session.execute(
        _answers()
        .add_columns(Organisation.name)
        .join(Organisation, Organisation.id == PostAnswer.organisation_id)
        .where(PostAnswer.kind == kind, PostAnswer.post_id == post_id)
        .order_by(PostAnswer.created_at.desc(), PostAnswer.id.desc())
        .limit(limit)
    )
    return [(answer, str(state), str(name)) for answer, state, name in rows]


async def answer_counts(
    session: AsyncSession, host_id: int
) -> dict[tuple[str, int], tuple[int, int]]:
    """`(kind, post id)` → `(answers, accepted)` of every post of the host organisation."""
    accepted = func.sum(case((ANSWER_STATE == "accepted", 1), else_=0))
    rows = await session.execute(
        select(PostAnswer.kind, PostAnswer.post_id, func.count(), accepted)
        .outerjoin(ContactRequest, ContactRequest.id == PostAnswer.request_id)
        .where(PostAnswer.host_organisation_id == host_id)
        .group_by(PostAnswer.kind, PostAnswer.post_id)
    )
    return {(kind, int(post)): (int(n), int(ok or 0)) for kind, post, n, ok in rows}


async def hosted_events(session: AsyncSession, host_id: int) -> Sequence[Event]:
    """The organisation's posted events and internships (not the rejected ones)."""
    found = await session.scalars(
        select(Event).where(Event.host_organisation_id == host_id, Event.review != "rejected")
    )
    return found.all()


async def hosted_calls(session: AsyncSession, host_id: int) -> Sequence[PartnerCall]:
    """The organisation's partner calls (not the rejected ones)."""
    found = await session.scalars(
        select(PartnerCall).where(
            PartnerCall.host_organisation_id == host_id, PartnerCall.review != "rejected"
        )
    )
    return found.all()


def _open_internship() -> ColumnElement[bool]:
    return and_(
        Event.kind == "internship",
        Event.host_organisation_id.is_not(None),
        Event.status == "published",
        Event.applications_closed_at.is_(None),
    )


async def internships_past_deadline(session: AsyncSession, now: datetime) -> list[int]:
    found = await session.scalars(select(Event.id).where(_open_internship(), Event.deadline <= now))
    return list(found.all())


async def earliest_internship_deadline(session: AsyncSession) -> datetime | None:
    return await session.scalar(select(func.min(Event.deadline)).where(_open_internship()))


async def full_internships(session: AsyncSession, only: int | None = None) -> list[int]:
    """Open internships (or the one `only`) whose accepted answers are at least their
    places."""
    accepted = func.sum(case((ANSWER_STATE == "accepted", 1), else_=0))
    query = (
        select(Event.id, Event.places, accepted)
        .join(PostAnswer, and_(PostAnswer.kind == "internship", PostAnswer.post_id == Event.id))
        .outerjoin(ContactRequest, ContactRequest.id == PostAnswer.request_id)
        .where(_open_internship(), Event.places.is_not(None))
        .group_by(Event.id, Event.places)
    )
    if only is not None:
        query = query.where(Event.id == only)
    rows = await session.execute(query)
    return [int(event) for event, places, ok in rows if int(ok or 0) >= int(places)]


def _open_call() -> ColumnElement[bool]:
    return and_(PartnerCall.review == "approved", PartnerCall.closed_at.is_(None))


async def open_calls_due_by(session: AsyncSession, last_day: date) -> list[tuple[int, date, str]]:
    """`(id, deadline, zone)` of open approved calls whose deadline is `last_day` or earlier."""
    rows = await session.execute(
        select(PartnerCall.id, PartnerCall.deadline, PartnerCall.time_zone).where(
            _open_call(), PartnerCall.deadline <= last_day
        )
    )
    return [(int(call), deadline, str(zone)) for call, deadline, zone in rows]


async def earliest_call_deadline(session: AsyncSession) -> date | None:
    return await session.scalar(select(func.min(PartnerCall.deadline)).where(_open_call()))


async def close_internship(
    session: AsyncSession, event_id: int, reason: str, now: datetime
) -> bool:
    """Stop an open internship's applications; False if it was closed already."""
    result = await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.applications_closed_at.is_(None))
        .values(applications_closed_at=now, closed_reason=reason)
    )
    return bool(getattr(result, "rowcount", 0))


async def close_call(session: AsyncSession, call_id: int, reason: str, now: datetime) -> bool:
    """Close an open call; False if it was closed already."""
    result = await session.execute(
        update(PartnerCall)
        .where(PartnerCall.id == call_id, PartnerCall.closed_at.is_(None))
        .values(closed_at=now, closed_reason=reason)
    )
    return bool(getattr(result, "rowcount", 0))


async def untold(session: AsyncSession, limit: int) -> list[tuple[int, int, str, int]]:
    """`(answer id, user id, kind, post id)` of answers not accepted to closed posts, whose
    member was not told yet."""
    closed_event = select(Event.id).where(Event.applications_closed_at.is_not(None))
    closed_call = select(PartnerCall.id).where(PartnerCall.closed_at.is_not(None))
    rows = await session.execute(
        select(PostAnswer.id, PostAnswer.user_id, PostAnswer.kind, PostAnswer.post_id)
        .outerjoin(ContactRequest, ContactRequest.id == PostAnswer.request_id)
        .where(
            PostAnswer.told_at.is_(None),
            ANSWER_STATE != "accepted",
            or_(
                and_(PostAnswer.kind == "internship", PostAnswer.post_id.in_(closed_event)),
                and_(PostAnswer.kind == "call", PostAnswer.post_id.in_(closed_call)),
            ),
        )
        .order_by(PostAnswer.id)
        .limit(limit)
    )
    return [(int(a), int(u), str(k), int(p)) for a, u, k, p in rows]


async def claim_telling(session: AsyncSession, answer_id: int, now: datetime) -> bool:
    """Mark an answer told (before the message goes); False if another run did."""
    result = await session.execute(
        update(PostAnswer)
        .where(PostAnswer.id == answer_id, PostAnswer.told_at.is_(None))
        .values(
            told_at=now,
            state=case((PostAnswer.state == "pending", "closed"), else_=PostAnswer.state),
        )
    )
    return bool(getattr(result, "rowcount", 0))


def _found_due(now: datetime, after: timedelta) -> ColumnElement[bool]:
    return and_(
        PartnerCall.closed_at.is_not(None),
        PartnerCall.found_asked_at.is_(None),
        PartnerCall.closed_at <= now - after,
    )


async def calls_to_ask_found(session: AsyncSession, now: datetime, after: timedelta) -> list[int]:
    """Calls closed `after` ago or more whose poster was not asked yet."""
    found = await session.scalars(select(PartnerCall.id).where(_found_due(now, after)))
    return list(found.all())


async def earliest_found_question(session: AsyncSession) -> datetime | None:
    """When the earliest closed call not asked about yet was closed."""
    return await session.scalar(
        select(func.min(PartnerCall.closed_at)).where(
            PartnerCall.closed_at.is_not(None), PartnerCall.found_asked_at.is_(None)
        )
    )


async def claim_found_question(session: AsyncSession, call_id: int, now: datetime) -> bool:
    result = await session.execute(
        update(PartnerCall)
        .where(PartnerCall.id == call_id, PartnerCall.found_asked_at.is_(None))
        .values(found_asked_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def store_found(session: AsyncSession, call_id: int, found: bool) -> bool:
    """The poster's answer, once; False if it was answered already."""
    result = await session.execute(
        update(PartnerCall)
        .where(
            PartnerCall.id == call_id,
            PartnerCall.found_asked_at.is_not(None),
            PartnerCall.partner_found.is_(None),
        )
        .values(partner_found=found)
    )
    return bool(getattr(result, "rowcount", 0))


async def pending_request(session: AsyncSession, sender_id: int, recipient_id: int) -> int | None:
    """The contact request from one organisation to another still waiting, if any."""
    return await session.scalar(
        select(ContactRequest.id).where(
            ContactRequest.sender_id == sender_id,
            ContactRequest.recipient_id == recipient_id,
            ContactRequest.status == "pending",
        )
    )


async def member_role(session: AsyncSession, user_id: int, organisation_id: int) -> str | None:
    """The user's role in the organisation, or None."""
    return await session.scalar(
        select(Membership.role).where(
            Membership.user_id == user_id, Membership.organisation_id == organisation_id
        )
    )


async def user_language(session: AsyncSession, user_id: int) -> str | None:
    return await session.scalar(select(User.language).where(User.id == user_id))
