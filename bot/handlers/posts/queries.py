"""The SQL of posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Event,
    Membership,
    Organisation,
    PartnerCall,
    PartnerCallCopy,
    PartnerCallNotice,
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
) -> list[int]:
    """Members of the active organisations whose can-share topics meet `topics_mask` (any,
    if 0), in `countries` (all, if empty), but the host, with partner calls on."""
    query = (
        select(Membership.user_id)
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
    return [int(user_id) for user_id in (await session.scalars(query)).all()]


async def add_notices(session: AsyncSession, call_id: int, user_ids: list[int]) -> None:
    """A pending notice of the call for each user who has none yet."""
    known = set(
        (
            await session.scalars(
                select(PartnerCallNotice.user_id).where(PartnerCallNotice.call_id == call_id)
            )
        ).all()
    )
    session.add_all(
        PartnerCallNotice(call_id=call_id, user_id=user_id, state="pending")
        for user_id in user_ids
        if user_id not in known
    )


async def pending_notices(session: AsyncSession, call_id: int) -> list[tuple[int, str | None]]:
    """`(user id, language)` of the call's notices not sent yet."""
    rows = await session.execute(
        select(PartnerCallNotice.user_id, User.language)
        .outerjoin(User, User.id == PartnerCallNotice.user_id)
        .where(PartnerCallNotice.call_id == call_id, PartnerCallNotice.state == "pending")
        .order_by(PartnerCallNotice.user_id)
    )
    return [(int(user_id), language) for user_id, language in rows]


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


async def calls_with_pending_notices(session: AsyncSession) -> list[int]:
    """Approved calls whose announcement was not finished (a process stopped midway)."""
    rows = await session.scalars(
        select(PartnerCallNotice.call_id)
        .join(PartnerCall, PartnerCall.id == PartnerCallNotice.call_id)
        .where(PartnerCallNotice.state == "pending", PartnerCall.review == "approved")
        .distinct()
        .order_by(PartnerCallNotice.call_id)
    )
    return [int(call_id) for call_id in rows.all()]


async def give_up_sending(session: AsyncSession, now: datetime) -> int:
    """Notices claimed by a stopped process: given up (never sent twice)."""
    result = await session.execute(
        update(PartnerCallNotice)
        .where(PartnerCallNotice.state == "sending")
        .values(state="failed", updated_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)
