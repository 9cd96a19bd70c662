"""A broadcast in the real `python -m bot` process, killed with SIGKILL half-way and
started again: it resumes, nobody is lost, and duplicates stay within the bound."""

from __future__ import annotations

import asyncio
import math
import signal
from pathlib import Path

from bot.delivery.broadcaster import FLUSH_EVERY, senders_for
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade
from tests.broadcast_helpers import plain_users
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.onboarding.test_restart_e2e import bot_process, until

RATE = 30
RECIPIENTS = [30_000 + i for i in range(120)]


async def test_kill_9_in_the_middle_of_a_broadcast_then_resume_loses_nobody(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    fake = fake_telegram
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    await plain_users(create_session_maker(engine), RECIPIENTS)
    await engine.dispose()
    fake.limit(RATE)
    admin = Conversation(fake, TgUser(ADMIN_ID, "Admin", language_code="en"), timeout=20)

    def reached() -> int:
        return sum(bool(fake.chat_messages(user_id)) for user_id in RECIPIENTS)

    options = {"admin_ids": str(ADMIN_ID), "broadcast_rate": str(RATE)}
    async with bot_process(fake, url, tmp_path, **options) as first:
        await admin.send("/broadcast Kept through a crash")
        await until(fake, lambda: "It will reach 121 users." in admin.last_text())
        await admin.click("✅ Send to 121 users")
        await fake.wait_for(lambda: reached() >= 40, timeout=20)
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 10)
        at_kill = reached()
    assert 40 <= at_kill < len(RECIPIENTS)

    async with bot_process(fake, url, tmp_path, **options):
        report = await fake.wait_for(
            lambda: next((t for t in admin.texts() if "finished" in t), ""), timeout=30
        )
    copies = [len(fake.chat_messages(user_id)) for user_id in RECIPIENTS]
    assert min(copies) == 1  # nobody lost
    duplicates = sum(copies) - len(RECIPIENTS)
    # At most the sends unrecorded at the kill: those in flight and those not yet written.
    bound = senders_for(RATE) + math.ceil(RATE * FLUSH_EVERY) + 1
    print(f"kill -9 after {at_kill} of {len(RECIPIENTS)}: {duplicates} duplicates (bound {bound})")
    assert duplicates <= bound
    assert "Sent: 121 · Blocked the bot: 0 · Failed: 0" in report
