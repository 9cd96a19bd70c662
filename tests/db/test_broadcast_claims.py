"""Broadcast rows claimed by a run (db/broadcasts.py, PostgreSQL): a run of a worker frees
what an earlier run of the same worker left claimed, counts another run's live claims as
held by others, renews only the rows it names, and a broadcast is never marked done
while a row is pending (issue 23: a relaunched run could not claim its dead run's rows,
renewed them forever, and marked the broadcast done with people never reached)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.delivery import broadcast_rows
from db.engine import Sessions, writing
from db.models import Broadcast, Delivery
from tests.broadcast_helpers import plain_users

pytestmark = pytest.mark.databases("postgresql")
USERS = [71_001, 71_002, 71_003, 71_004]
WORKER = "host:100:abcdef"
LEASE = 60.0


async def _broadcast(sessions: Sessions) -> int:
    await plain_users(sessions, USERS)
    async with writing(sessions) as session:
        row = Broadcast(admin_id=1, language="en", text="Hello", total=len(USERS))
        session.add(row)
        await session.flush()
        session.add_all(Delivery(broadcast_id=row.id, user_id=uid) for uid in USERS)
        return row.id


async def test_a_new_run_frees_its_workers_earlier_claims_and_counts_others(
    sessions: Sessions,
) -> None:
    broadcast = await _broadcast(sessions)
    dead, new, other = f"{WORKER}#1", f"{WORKER}#2", "other:200:123456#1"
    assert await broadcast_rows.claim(sessions, broadcast, dead, LEASE, 2) == USERS[:2]
    assert await broadcast_rows.claim(sessions, broadcast, other, LEASE, 1) == USERS[2:3]
    # The earlier run of this worker is gone: its rows are held by "others" until freed.
    assert await broadcast_rows.held_by_others(sessions, broadcast, new) == 3
    assert await broadcast_rows.release_stale(sessions, broadcast, WORKER, new) == 2
    assert await broadcast_rows.held_by_others(sessions, broadcast, new) == 1  # the other's
    assert await broadcast_rows.claim(sessions, broadcast, new, LEASE, 10) == [
        USERS[0], USERS[1], USERS[3],
    ]  # fmt: skip
    # Renewal pushes back only the rows named (those the run works on), and says which
    # it still held: a row another run holds is not renewed by this one.
    renewed = await broadcast_rows.renew(sessions, broadcast, new, LEASE, [USERS[0], USERS[2]])
    assert renewed == [USERS[0]]


async def test_done_is_refused_while_a_row_is_pending(sessions: Sessions) -> None:
    broadcast = await _broadcast(sessions)
    now = datetime.now(UTC)
    sent = [(uid, "sent", None) for uid in USERS[:-1]]
    await broadcast_rows.record(sessions, broadcast, sent, now)
    assert not await broadcast_rows.finish(sessions, broadcast, now)
    summary = await broadcast_rows.load(sessions, broadcast)
    assert summary is not None and summary.status == "running"
    assert summary.counts.pending == 1
    await broadcast_rows.record(sessions, broadcast, [(USERS[-1], "sent", None)], now)
    assert await broadcast_rows.finish(sessions, broadcast, now)
    done = await broadcast_rows.load(sessions, broadcast)
    assert done is not None and done.status == "done" and done.counts.sent == len(USERS)
