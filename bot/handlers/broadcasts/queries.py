"""Broadcasts' queries: who an audience reaches, a pending row per recipient, the latest
broadcasts. The engine's (rows under a lease, outcomes, counts, status) are in
db/broadcasts.py, which the delivery path shares."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, insert, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.directory import is_verified
from db.models import Broadcast, Delivery, Membership, Organisation, User


def recipients(
    *,
    countries: Collection[str],
    languages: Collection[str],
    focus_bits: int,
    verified: bool,
    now: datetime,
    default_language: str,
) -> Select[Any]:
    """Active users matching every chosen criterion (within one criterion, any value).
    Owners of banned organisations are left out."""
    conditions: list[ColumnElement[bool]] = [
        User.is_active.is_(True),
        or_(Organisation.id.is_(None), Organisation.status != "banned"),
    ]
    if countries:
        conditions.append(Organisation.country.in_(sorted(countries)))
    if languages:
        conditions.append(func.coalesce(User.language, default_language).in_(sorted(languages)))
    if focus_bits:
        conditions.append(Organisation.focus_mask.op("&")(focus_bits) != 0)
    if verified:
        conditions.append(is_verified(now))
    return (
        select(User.id)
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
        .where(and_(*conditions))
    )


async def count(session: AsyncSession, query: Select[Any]) -> int:
    """How many rows `query` selects."""
    return int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)


async def add_deliveries(session: AsyncSession, broadcast_id: int, query: Select[Any]) -> int:
    """One pending row per recipient, in one statement; returns how many."""
    rows = select(literal(broadcast_id), query.subquery().c.id, literal("pending"))
    await session.execute(insert(Delivery).from_select(["broadcast_id", "user_id", "state"], rows))
    return (
        await session.scalar(select(func.count()).where(Delivery.broadcast_id == broadcast_id)) or 0
    )


async def recent(session: AsyncSession, limit: int) -> list[Broadcast]:
    """The newest broadcasts first."""
    rows = await session.scalars(select(Broadcast).order_by(Broadcast.id.desc()).limit(limit))
    return list(rows)
