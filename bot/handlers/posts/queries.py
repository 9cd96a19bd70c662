"""The SQL of posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Event,
    Notice,
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


async def recent_texts(
    session: AsyncSession, organisation_id: int, since: datetime
) -> list[tuple[str, int, str, str, datetime]]:
    """`("event" | "call", id, title, description, created at)` of the organisation's posts
    created since `since` (not cancelled), to refuse the same text twice."""
    events = await session.execute(
        select(Event.id, Event.title, Event.description, Event.created_at).where(
            Event.host_organisation_id == organisation_id,
            Event.created_at >= since,
            Event.status != "cancelled",
        )
    )
    found = [("event", int(i), t, d, c) for i, t, d, c in events]
    posted = await session.execute(
        select(PartnerCall.id, PartnerCall.title, PartnerCall.description, PartnerCall.created_at)
        .where(PartnerCall.host_organisation_id == organisation_id)
        .where(PartnerCall.created_at >= since)
    )
    return found + [("call", int(i), t, d, c) for i, t, d, c in posted]


async def open_calls(session: AsyncSession, organisation_id: int, today: date) -> list[date]:
    """The deadlines of the organisation's open partner calls: waiting for review, or
    approved, not closed and not past their deadline."""
    rows = await session.scalars(
        select(PartnerCall.deadline).where(
            PartnerCall.host_organisation_id == organisation_id,
            PartnerCall.closed_at.is_(None),
            PartnerCall.deadline >= today,
            PartnerCall.review.in_(("pending", "approved")),
        )
    )
    return sorted(rows.all())


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


async def drop_copies(session: AsyncSession, post: int, *, call: bool = False) -> None:
    """Forget the copies of an earlier review of the post (decided and closed then)."""
    if call:
        await session.execute(delete(PartnerCallCopy).where(PartnerCallCopy.call_id == post))
    else:
        await session.execute(delete(ReviewCopy).where(ReviewCopy.event_id == post))


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


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        PartnerCallNotice.state == "pending",
        PartnerCall.review == "approved",
        PartnerCall.closed_at.is_(None),  # closed before its turn: not announced any more
        or_(PartnerCallNotice.due_at.is_(None), PartnerCallNotice.due_at <= now),
    )


async def due_notices(
    session: AsyncSession, now: datetime, limit: int
) -> list[tuple[int, int, str | None, bool]]:
    """`(call id, user id, language, active)` of pending notices of approved calls due by
    `now`, the oldest first (`active`: not known to have blocked the bot)."""
    rows = await session.execute(
        select(PartnerCallNotice.call_id, PartnerCallNotice.user_id, User.language, User.is_active)
        .join(PartnerCall, PartnerCall.id == PartnerCallNotice.call_id)
        .outerjoin(User, User.id == PartnerCallNotice.user_id)
        .where(_due(now))
        .order_by(PartnerCallNotice.due_at, PartnerCallNotice.call_id, PartnerCallNotice.user_id)
        .limit(limit)
    )
    return [
        (int(call_id), int(user_id), language, active is not False)
        for call_id, user_id, language, active in rows
    ]


async def earliest_notice(session: AsyncSession) -> datetime | None:
    """When the earliest pending notice of an approved, open call is due (undated ones, queued
    before calls were sent by the scheduler, go with the next sweep)."""
    return await session.scalar(
        select(func.min(PartnerCallNotice.due_at))
        .select_from(PartnerCallNotice)
        .join(PartnerCall, PartnerCall.id == PartnerCallNotice.call_id)
        .where(
            PartnerCallNotice.state == "pending",
            PartnerCall.review == "approved",
            PartnerCall.closed_at.is_(None),
        )
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


async def claim_notices(
    session: AsyncSession, keys: Sequence[tuple[int, int]], now: datetime
) -> set[tuple[int, int]]:
    """Move the `(call id, user id)` notices still pending to "sending" by one conditional
    UPDATE; those it moved, this caller's (another worker may have taken some meanwhile)."""
    if not keys:
        return set()
    result = await session.execute(
        update(PartnerCallNotice)
        .where(
            tuple_(PartnerCallNotice.call_id, PartnerCallNotice.user_id).in_(list(keys)),
            PartnerCallNotice.state == "pending",
        )
        .values(state="sending", updated_at=now)
        .returning(PartnerCallNotice.call_id, PartnerCallNotice.user_id)
        .execution_options(synchronize_session=False)
    )
    return {(int(call_id), int(user_id)) for call_id, user_id in result}


async def unclaim_notices(
    session: AsyncSession, keys: Sequence[tuple[int, int]], now: datetime
) -> None:
    """Claimed notices never handed to a sender: pending again."""
    await session.execute(
        update(PartnerCallNotice)
        .where(
            tuple_(PartnerCallNotice.call_id, PartnerCallNotice.user_id).in_(list(keys)),
            PartnerCallNotice.state == "sending",
        )
        .values(state="pending", updated_at=now)
        .execution_options(synchronize_session=False)
    )


async def settle_notices(
    session: AsyncSession, outcomes: Sequence[tuple[int, int, str]], now: datetime
) -> None:
    """Write many `(call id, user id, sent|failed)` outcomes of claimed notices in one
    executemany."""
    notices = cast(Table, PartnerCallNotice.__table__)  # Core: one executemany
    await session.execute(
        update(notices)
        .where(
            notices.c.call_id == bindparam("call"),
            notices.c.user_id == bindparam("user"),
            notices.c.state == "sending",
        )
        .values(state=bindparam("outcome"), updated_at=now),
        [{"call": call, "user": user, "outcome": state} for call, user, state in outcomes],
    )


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


async def hold_notices(session: AsyncSession, event_id: int, now: datetime) -> None:
    """An event back in review: its notices still waiting (announcements for the end of
    someone's quiet hours, a change, reminders) are held, not dropped as due notices of an
    unpublished event would be (a cancellation's aside)."""
    await session.execute(
        update(Notice)
        .where(Notice.event_id == event_id, Notice.state == "pending", Notice.kind != "cancelled")
        .values(state="held", updated_at=now)
    )


async def release_notices(session: AsyncSession, event_id: int, now: datetime) -> None:
    """The event approved again: its held notices wait again, due when they were (those
    whose moment passed meanwhile: now); a notice already sent is never among them."""
    held = and_(Notice.event_id == event_id, Notice.state == "held")
    await session.execute(update(Notice).where(held, Notice.due_at < now).values(due_at=now))
    await session.execute(update(Notice).where(held).values(state="pending", updated_at=now))
