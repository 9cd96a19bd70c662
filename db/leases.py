"""Leases several workers share through the database (PostgreSQL): one holder at a time,
until an expiry the holder keeps pushing back. Times are the database server's, so the
workers' own clocks do not matter."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_TAKE = text(
    """
    INSERT INTO leases (name, holder, expires_at)
    VALUES (:name, :holder, clock_timestamp() + make_interval(secs => :seconds))
    ON CONFLICT (name) DO UPDATE
        SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at < clock_timestamp()
    RETURNING holder
    """
)
_RELEASE = text("DELETE FROM leases WHERE name = :name AND holder = :holder")


async def take(session: AsyncSession, name: str, holder: str, seconds: float) -> bool:
    """Take or renew the lease `name` for `seconds`; False while another holds it."""
    taken = await session.scalar(_TAKE, {"name": name, "holder": holder, "seconds": seconds})
    return bool(taken == holder)


async def release(session: AsyncSession, name: str, holder: str) -> None:
    """Give the lease up at once (a worker stopping): another may take it."""
    await session.execute(_RELEASE, {"name": name, "holder": holder})
