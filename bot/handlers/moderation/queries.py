"""Moderation's queries: the open reports. Each takes an open session; the rules that use
them are in reports.py."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Report


async def open_count(session: AsyncSession) -> int:
    """How many reports wait for an admin."""
    return int(await session.scalar(select(func.count()).where(Report.status == "open")) or 0)


async def oldest_open(session: AsyncSession) -> Report | None:
    """The report that has waited longest."""
    return await session.scalar(
        select(Report).where(Report.status == "open").order_by(Report.created_at, Report.id)
    )


async def open_count_on(session: AsyncSession, organisation_id: int) -> int:
    """How many reports on the organisation wait for an admin."""
    return int(
        await session.scalar(
            select(func.count()).where(
                Report.status == "open", Report.organisation_id == organisation_id
            )
        )
        or 0
    )


async def open_on(session: AsyncSession, organisation_id: int) -> list[Report]:
    """The reports on the organisation that wait for an admin."""
    rows = await session.scalars(
        select(Report).where(Report.organisation_id == organisation_id, Report.status == "open")
    )
    return list(rows)
