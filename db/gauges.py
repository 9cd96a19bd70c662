"""What the operator's gauges read at each scrape of /metrics (bot/metrics.py): the rows
of running broadcasts by state, and the notices waiting or late. Both read indexes only
(`ix_deliveries_broadcast_state`, `ix_notices_state_due`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Broadcast, Delivery, Notice


async def broadcast_rows(session: AsyncSession) -> dict[str, int]:
    """Rows of the broadcasts still running, by state (pending, sent, blocked, failed)."""
    rows = await session.execute(
        select(Delivery.state, func.count())
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(Broadcast.status == "running")
        .group_by(Delivery.state)
    )
    return {str(state): int(count) for state, count in rows.all()}


async def running_broadcasts(session: AsyncSession) -> int:
    """How many broadcasts are being delivered."""
    found = await session.scalar(
        select(func.count()).select_from(Broadcast).where(Broadcast.status == "running")
    )
    return int(found or 0)


async def notices(session: AsyncSession, overdue_before: datetime) -> tuple[int, int]:
    """Notices waiting to be sent, and those of them due before `overdue_before`."""
    pending = await session.scalar(
        select(func.count()).select_from(Notice).where(Notice.state == "pending")
    )
    overdue = await session.scalar(
        select(func.count())
        .select_from(Notice)
        .where(Notice.state == "pending", Notice.due_at < overdue_before)
    )
    return int(pending or 0), int(overdue or 0)
