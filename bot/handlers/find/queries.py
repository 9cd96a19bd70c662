"""The SQL of calls and offers: open partner calls and hosted events, who belongs where,
which calls a reader was told of, and the channel's rows. Each takes an open session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Event, Membership, Organisation, PartnerCall, PartnerCallNotice, User

SCAN_MAX = 1000  # open posts read at a time, per table (each organisation has few open)


async def open_calls(session: AsyncSession, not_before: date) -> Sequence[PartnerCall]:
    """Approved, not closed calls of active organisations whose deadline is not before
    `not_before` (the caller checks the deadline in each call's own zone), newest first."""
    return (
        await session.scalars(
            select(PartnerCall)
            .join(Organisation, Organisation.id == PartnerCall.host_organisation_id)
            .where(
                PartnerCall.review == "approved",
                PartnerCall.closed_at.is_(None),
                PartnerCall.deadline >= not_before,
                Organisation.status == "active",
            )
            .order_by(PartnerCall.reviewed_at.desc(), PartnerCall.id.desc())
            .limit(SCAN_MAX)
        )
    ).all()


async def open_events(session: AsyncSession, now: datetime) -> Sequence[Event]:
    """Published events and internships hosted by active organisations, not cancelled,
    not ended, taking applications (internships), newest first."""
    return (
        await session.scalars(
            select(Event)
            .join(Organisation, Organisation.id == Event.host_organisation_id)
            .where(
                Event.status == "published",
                Event.review == "approved",
                Event.ends_at > now,
                Event.applications_closed_at.is_(None),
                Organisation.status == "active",
            )
            .order_by(Event.published_at.desc(), Event.id.desc())
            .limit(SCAN_MAX)
        )
    ).all()


async def names(session: AsyncSession, organisation_ids: set[int]) -> dict[int, str]:
    """The names of these organisations, by id."""
    if not organisation_ids:
        return {}
    rows = await session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(organisation_ids))
    )
    return {int(org_id): name for org_id, name in rows}


async def organisation_of(session: AsyncSession, user_id: int) -> int | None:
    """The organisation the user belongs to, if any."""
    found = await session.scalar(
        select(Membership.organisation_id).where(Membership.user_id == user_id)
    )
    return None if found is None else int(found)


async def reader_profile(
    session: AsyncSession, user_id: int
) -> tuple[int, str | None, int, str] | None:
    """`(organisation id, country, can-share mask, status)` of the user's organisation."""
    row = (
        await session.execute(
            select(
                Organisation.id, Organisation.country, Organisation.share_mask, Organisation.status
            )
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user_id)
        )
    ).first()
    if row is None:
        return None
    org_id, country, mask, status = row
    return int(org_id), country, int(mask or 0), status


async def calls_announced_to(session: AsyncSession, user_id: int, call_ids: list[int]) -> set[int]:
    """Which of `call_ids` were announced to the user (or queued for them)."""
    if not call_ids:
        return set()
    found = await session.scalars(
        select(PartnerCallNotice.call_id).where(
            PartnerCallNotice.user_id == user_id, PartnerCallNotice.call_id.in_(call_ids)
        )
    )
    return {int(call_id) for call_id in found}


async def partner_calls_on(session: AsyncSession, user_id: int) -> bool:
    """Whether the user, active, has "📣 Partner calls" on in /settings."""
    row = (
        await session.execute(
            select(User.partner_calls_on, User.is_active).where(User.id == user_id)
        )
    ).first()
    return row is not None and bool(row[0]) and bool(row[1])
