"""A broadcast whose outcomes cannot be written for a while (the database away) does not
stop: its senders go on, the outcomes are kept and written once the database answers
again, and everyone gets the message once (issue 23: a sender that failed to write its
outcome died, and the broadcast stalled)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import datetime

import pytest

from bot.config import Settings
from bot.delivery import broadcast_rows
from db.engine import Sessions
from tests.broadcast_helpers import plain_users
from tests.fake_telegram import FakeTelegram
from tests.handlers.broadcasts.test_broadcast_e2e import admin_chat, running, states, status_text

pytestmark = pytest.mark.databases("sqlite", "postgresql")
RECIPIENTS = [81_000 + i for i in range(60)]
AWAY = 1.5  # seconds during which every write of outcomes fails


async def test_outcomes_not_written_during_an_outage_are_kept_and_written_after(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await plain_users(sessions, RECIPIENTS)
    fake = fake_telegram
    write = broadcast_rows.record
    away_until = 0.0
    refused = 0

    async def record(
        sessions: Sessions,
        broadcast_id: int,
        outcomes: Sequence[tuple[int, str, str | None]],
        now: datetime,
    ) -> None:
        nonlocal away_until, refused
        reached = sum(bool(fake.chat_messages(uid)) for uid in RECIPIENTS)
        if reached >= 10 and away_until == 0.0:
            away_until = time.monotonic() + AWAY  # the database goes away
        if time.monotonic() < away_until:
            refused += 1
            raise ConnectionRefusedError(111, "Connect call failed")
        await write(sessions, broadcast_id, outcomes, now)

    monkeypatch.setattr(broadcast_rows, "record", record)
    admin = admin_chat(fake)
    async with running(settings, sessions, fake, rate=40) as broadcaster:
        await admin.send("/broadcast Kept while the database was away")
        await admin.click("✅ Send to 61 users")
        report = await status_text(fake, "finished", within=30)
        await broadcaster.wait(1)
        await asyncio.sleep(0.3)
    print(f"{refused} writes of outcomes refused during the outage")
    assert refused >= 2  # the senders met it more than once, and went on
    assert "Sent: 61 · Blocked the bot: 0 · Failed: 0" in report
    assert [len(fake.chat_messages(uid)) for uid in RECIPIENTS] == [1] * len(RECIPIENTS)
    assert set((await states(sessions)).values()) == {"sent"}
