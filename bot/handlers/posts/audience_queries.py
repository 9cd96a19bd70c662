"""The SQL of a partner call's audience: the organisations it suits, and their people
queued for its announcement a batch of organisations at a time (bot/handlers/posts/
audience.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, NamedTuple

from sqlalchemy import ColumnElement, Select, case, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import zones
from db.models import Membership, Organisation, PartnerCall, PartnerCallNotice, User


class Audience(NamedTuple):
    """Whom a call is for: not its host; organisations whose can-share topics meet
    `topics_mask` (any, if 0), in `countries` (all, if empty)."""

    host_id: int
    topics_mask: int
    countries: list[str]


class Span(NamedTuple):
    """Which organisations: those after id `after`, or exactly `among` (a batch); all if
    neither is given."""

    after: int = 0
    among: tuple[int, ...] | None = None


EVERYONE: Final = Span()


def _organisations(audience: Audience, span: Span) -> list[ColumnElement[bool]]:
    """The active organisations a call suits, within `span`.

    Within a span, `status || ''` and `country || ''` keep SQLite off the indexes that
    begin with them (`ix_organisations_statistics`, `ix_organisations_country_directory`),
    which it would otherwise walk for every active organisation of the directory (or of
    the countries) at each batch: it goes by id instead (a batch costs what it holds, not
    what the directory holds)."""
    status, country = Organisation.status.expression, Organisation.country.expression
    if span != EVERYONE:
        status, country = Organisation.status + "", Organisation.country + ""
    found = [status == "active", Organisation.id != audience.host_id]
    if audience.topics_mask:
        found.append(Organisation.share_mask.op("&")(audience.topics_mask) != 0)
    if audience.countries:
        found.append(country.in_(audience.countries))
    if span.after:
        found.append(Organisation.id > span.after)
    if span.among is not None:
        found.append(Organisation.id.in_(span.among))
    return found


def _audience(audience: Audience, span: Span) -> list[ColumnElement[bool]]:
    """Who a partner call reaches: the members of the organisations it suits (within
    `span`), with partner calls on (a query over memberships joined to organisations and
    users).

    The people are read from two covering indexes (0016): `ix_memberships_by_organisation`
    (an organisation's members) and `ix_users_call_audience` (each member's switch, state,
    language and zone), so that no table row is read; `IS 1` lets SQLite seek the latter
    by all three columns (it takes the primary key's index, and then each row, for `= 1`)."""
    return [
        *_organisations(audience, span),
        User.partner_calls_on.is_(True),
        User.is_active.is_(True),
    ]


def _people() -> Select[Any]:
    return (
        select()
        .select_from(Membership)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .join(User, User.id == Membership.user_id)
    )


def _zone() -> ColumnElement[str]:
    """A member's time zone in SQL, as `zones.zone_name` picks it: chosen, else their
    organisation's country's, else their language's, else UTC."""
    return func.coalesce(
        func.nullif(User.time_zone, ""),
        case(zones.COUNTRY_ZONES, value=Organisation.country),
        case(zones.LANGUAGE_ZONES, value=User.language),
        "UTC",
    )


async def count_organisations(session: AsyncSession, audience: Audience) -> int:
    """How many organisations a call suits (what the approval tells; their people are
    queued later, by the scheduler)."""
    counted = await session.scalar(
        select(func.count()).select_from(Organisation).where(*_organisations(audience, EVERYONE))
    )
    return int(counted or 0)


async def next_organisations(
    session: AsyncSession, audience: Audience, after: int, limit: int
) -> list[int]:
    """The ids of the next `limit` organisations a call suits after `after`, in id order."""
    rows = await session.scalars(
        select(Organisation.id)
        .where(*_organisations(audience, Span(after)))
        .order_by(Organisation.id)
        .limit(limit)
    )
    return [int(found) for found in rows]


async def audience_zones(
    session: AsyncSession, audience: Audience, span: Span = EVERYONE
) -> list[tuple[str, int]]:
    """`(time zone, people)` of the people a partner call reaches (see `_audience`),
    within `span`: one grouped statement, a row per zone."""
    zone = _zone()
    rows = await session.execute(
        _people().add_columns(zone, func.count()).where(*_audience(audience, span)).group_by(zone)
    )
    return [(str(name), int(count)) for name, count in rows]


async def add_audience_notices(
    session: AsyncSession,
    call_id: int,
    audience: Audience,
    span: Span,
    due: dict[str, datetime],
    now: datetime,
) -> int:
    """A pending notice of the call for each person of `audience` within `span` who has
    none, due at `due[their zone]` (at `now` for a zone not named), in one INSERT …
    SELECT; how many were added."""
    when = PartnerCallNotice.due_at.type
    zone = _zone()
    due_at: ColumnElement[Any] = literal(now, when)
    if due:
        later = {name: literal(moment, when) for name, moment in due.items()}
        due_at = case(later, value=zone, else_=literal(now, when))
    known = (
        select(PartnerCallNotice.user_id)
        .where(
            PartnerCallNotice.call_id == call_id, PartnerCallNotice.user_id == Membership.user_id
        )
        .exists()
    )
    rows = (
        _people()
        .add_columns(literal(call_id), Membership.user_id, literal("pending"), due_at)
        .where(*_audience(audience, span), ~known)
    )
    result = await session.execute(
        insert(PartnerCallNotice).from_select(["call_id", "user_id", "state", "due_at"], rows)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _expanding() -> list[ColumnElement[bool]]:
    """Calls whose audience is still to be queued: approved, open, the cursor set."""
    return [
        PartnerCall.audience_cursor.is_not(None),
        PartnerCall.review == "approved",
        PartnerCall.closed_at.is_(None),
    ]


async def expanding(session: AsyncSession) -> list[int]:
    """The ids of the calls whose audience is still to be queued, oldest first."""
    rows = await session.scalars(select(PartnerCall.id).where(*_expanding()).order_by("id"))
    return [int(found) for found in rows]


async def expanding_since(session: AsyncSession) -> datetime | None:
    """When the earliest call still to expand was approved (a moment past: due now)."""
    return await session.scalar(
        select(func.min(func.coalesce(PartnerCall.reviewed_at, PartnerCall.created_at))).where(
            *_expanding()
        )
    )


async def lock_expanding(session: AsyncSession, call_id: int) -> PartnerCall | None:
    """The call, locked (on PostgreSQL; SQLite's writers take turns anyway), if its
    audience is still to be queued."""
    found = await session.scalars(
        select(PartnerCall).where(PartnerCall.id == call_id, *_expanding()).with_for_update()
    )
    return found.first()


async def advance(session: AsyncSession, call_id: int, cursor: int, to: int | None) -> bool:
    """Move the call's cursor from `cursor` to `to` (None: all queued); False if it was not
    at `cursor` any more (another worker took the batch) or the call stopped expanding."""
    result = await session.execute(
        update(PartnerCall)
        .where(PartnerCall.id == call_id, PartnerCall.audience_cursor == cursor, *_expanding())
        .values(audience_cursor=to)
    )
    return bool(getattr(result, "rowcount", 0))


async def restart(session: AsyncSession, call_id: int) -> None:
    """The call's audience to be queued from the first organisation (an approval)."""
    await session.execute(
        update(PartnerCall).where(PartnerCall.id == call_id).values(audience_cursor=0)
    )
