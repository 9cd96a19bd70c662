"""The SQL of posts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Event, ReviewCopy, User


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
    """How many of an organisation's posts wait for review."""
    counted = await session.scalar(
        select(func.count()).where(
            Event.host_organisation_id == organisation_id,
            Event.review == "pending",
            Event.status == "draft",
        )
    )
    return int(counted or 0)


async def add_copies(session: AsyncSession, event_id: int, copies: list[tuple[int, int]]) -> None:
    """Remember each admin's copy `(user id, message id)` of a post to review."""
    session.add_all(
        ReviewCopy(event_id=event_id, user_id=user_id, message_id=message_id)
        for user_id, message_id in copies
    )


async def copies_of(session: AsyncSession, event_id: int) -> list[tuple[int, int, str | None]]:
    """`(user id, message id, language)` of every copy of a post to review."""
    rows = await session.execute(
        select(ReviewCopy.user_id, ReviewCopy.message_id, User.language)
        .outerjoin(User, User.id == ReviewCopy.user_id)
        .where(ReviewCopy.event_id == event_id)
        .order_by(ReviewCopy.user_id, ReviewCopy.message_id)
    )
    return [(int(uid), int(mid), language) for uid, mid, language in rows]


async def first_name(session: AsyncSession, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return await session.scalar(select(User.first_name).where(User.id == user_id))
