"""Queries of the broadcast engine (bot/delivery/), which /broadcast shares: taking rows
under a lease, recording outcomes, counting them, a broadcast's status. Choosing
recipients and writing their rows are the broadcasts feature's (its queries.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Broadcast, Delivery, User


async def pending_after(
    session: AsyncSession, broadcast_id: int, after_user: int, limit: int
) -> list[int]:
    """The next `limit` recipients still waiting, in user id order."""
    rows = await session.scalars(
        select(Delivery.user_id)
        .where(
            Delivery.broadcast_id == broadcast_id,
            Delivery.state == "pending",
            Delivery.user_id > after_user,
        )
        .order_by(Delivery.user_id)
        .limit(limit)
    )
    return list(rows)


async def record(
    session: AsyncSession,
    broadcast_id: int,
    outcomes: Sequence[tuple[int, str, str | None]],
    now: datetime,
) -> None:
    """Write many `(user id, state, error)` outcomes in one executemany; users who
    blocked the bot become inactive (they are skipped until they write again)."""
    if not outcomes:
        return
    deliveries = cast(Table, Delivery.__table__)  # Core: one executemany, not ORM per-row
    await session.execute(
        update(deliveries)
        .where(
            deliveries.c.broadcast_id == broadcast_id,
            deliveries.c.user_id == bindparam("uid"),
        )
        .values(state=bindparam("new_state"), error=bindparam("err"), updated_at=now),
        [{"uid": uid, "new_state": state, "err": error} for uid, state, error in outcomes],
    )
    blocked = [uid for uid, state, _ in outcomes if state == "blocked"]
    if blocked:
        await session.execute(
            update(User).where(User.id.in_(blocked)).values(is_active=False)
            .execution_options(synchronize_session=False)
        )  # fmt: skip


async def counts(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    """Recipients per state."""
    rows = await session.execute(
        select(Delivery.state, func.count())
        .where(Delivery.broadcast_id == broadcast_id)
        .group_by(Delivery.state)
    )
    return {state: int(number) for state, number in rows}


async def with_status(session: AsyncSession, status: str) -> list[Broadcast]:
    """Broadcasts in one status, oldest first."""
    rows = await session.scalars(
        select(Broadcast).where(Broadcast.status == status).order_by(Broadcast.id)
    )
    return list(rows)


async def set_status(session: AsyncSession, broadcast_id: int, status: str, now: datetime) -> bool:
    """Move a running broadcast to `status`; False if it was not running. "done" only
    when no recipient is pending any more (else False too: rows are left to deliver)."""
    statement = update(Broadcast).where(Broadcast.id == broadcast_id, Broadcast.status == "running")
    if status == "done":
        pending = select(Delivery.user_id).where(
            Delivery.broadcast_id == broadcast_id, Delivery.state == "pending"
        )
        statement = statement.where(~pending.exists())
    result = await session.execute(
        statement.values(status=status, finished_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return bool(getattr(result, "rowcount", 0))


# Several workers (PostgreSQL): pending rows are taken in batches, each for a lease.
# The batch is picked in a CTE (evaluated once): as an `IN (subquery)` the planner may
# scan the subquery again per row, and with SKIP LOCKED each scan picks other rows.
_CLAIM = text(
    """
    WITH picked AS (
        SELECT user_id FROM deliveries
        WHERE broadcast_id = :broadcast AND state = 'pending'
            AND (claimed_until IS NULL OR claimed_until < clock_timestamp())
            AND EXISTS (SELECT 1 FROM broadcasts WHERE id = :broadcast AND status = 'running')
        ORDER BY user_id
        LIMIT :size
        FOR UPDATE SKIP LOCKED
    )
    UPDATE deliveries SET claimed_by = :worker,
        claimed_until = clock_timestamp() + make_interval(secs => :seconds)
    FROM picked
    WHERE deliveries.broadcast_id = :broadcast AND deliveries.user_id = picked.user_id
    RETURNING deliveries.user_id
    """
)
_RENEW = text(
    """
    UPDATE deliveries SET claimed_until = clock_timestamp() + make_interval(secs => :seconds)
    WHERE broadcast_id = :broadcast AND claimed_by = :claimant AND state = 'pending'
        AND user_id = ANY(:users)
    RETURNING user_id
    """
)
_RELEASE_STALE = text(
    """
    UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL
    WHERE broadcast_id = :broadcast AND state = 'pending'
        AND left(claimed_by, :length) = :prefix AND claimed_by <> :claimant
    """
)
_HELD_BY_OTHERS = text(
    """
    SELECT count(*) FROM deliveries
    WHERE broadcast_id = :broadcast AND state = 'pending'
        AND claimed_by IS DISTINCT FROM :claimant AND claimed_until >= clock_timestamp()
    """
)


async def claim(
    session: AsyncSession, broadcast_id: int, worker: str, seconds: float, size: int
) -> list[int]:
    """Take up to `size` pending rows nobody holds (or whose holder's lease ran out) for
    `seconds`, skipping rows another worker is taking right now; none once the broadcast
    is no longer running. Returns their user ids, in order."""
    params = {"broadcast": broadcast_id, "worker": worker, "seconds": seconds, "size": size}
    return sorted(int(uid) for uid in await session.scalars(_CLAIM, params))


async def renew(
    session: AsyncSession, broadcast_id: int, claimant: str, seconds: float, users: Sequence[int]
) -> list[int]:
    """Push back the lease of the given rows `claimant` still holds, pending; returns
    those it still held (a row missing was taken over after its lease ran out, or settled)."""
    params = {"broadcast": broadcast_id, "claimant": claimant, "seconds": seconds,
              "users": list(users)}  # fmt: skip
    return [int(uid) for uid in await session.scalars(_RENEW, params)]


async def release_stale(
    session: AsyncSession, broadcast_id: int, worker: str, claimant: str
) -> int:
    """Let go of the pending rows earlier runs of `worker` claimed (`claimant` is the run
    starting now; claimants are the worker's name, "#" and the run's number)."""
    prefix = f"{worker}#"
    params = {"broadcast": broadcast_id, "prefix": prefix, "length": len(prefix),
              "claimant": claimant}  # fmt: skip
    result = await session.execute(_RELEASE_STALE, params)
    return int(getattr(result, "rowcount", 0) or 0)


async def held_by_others(session: AsyncSession, broadcast_id: int, claimant: str) -> int:
    """Pending rows other runs (of other workers, or earlier ones of this worker) hold
    under a lease still running."""
    params = {"broadcast": broadcast_id, "claimant": claimant}
    return int(await session.scalar(_HELD_BY_OTHERS, params) or 0)
