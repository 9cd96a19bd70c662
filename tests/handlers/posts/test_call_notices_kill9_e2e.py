"""A partner call's announcement survives kill -9 between batches: `python -m bot` is killed
while it sends, the restarted one gives up the notices the dead one had claimed (some may
have reached their recipient, none is sent twice) and sends every one still pending, once."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from sqlalchemy import select

from db.engine import create_engine, create_session_maker, reading
from db.migrate import upgrade
from db.models import PartnerCallNotice, User
from tests.fake_telegram import FakeTelegram
from tests.handlers.onboarding.test_restart_e2e import bot_process
from tests.handlers.posts.test_call_notices_batches import TITLE, approved_call_for

FIRST, COUNT = 9_300, 160
RATE = "20"  # 4 senders, claims of 10: the kill falls between batches


async def test_a_call_announced_through_a_kill_9_reaches_each_at_most_once_and_the_rest_after(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    fake = fake_telegram
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    recipients = list(range(FIRST, FIRST + COUNT))
    await approved_call_for(sessions, recipients)

    def copies(user_id: int) -> int:
        return sum(1 for m in fake.chat_messages(user_id) if TITLE in str(m.get("text")))

    def reached() -> int:
        return sum(1 for user_id in recipients if copies(user_id))

    async def states() -> dict[int, str]:
        async with reading(sessions) as session:
            rows = await session.execute(select(PartnerCallNotice.user_id, PartnerCallNotice.state))
            return {int(user_id): str(state) for user_id, state in rows}

    async with bot_process(fake, url, tmp_path, broadcast_rate=RATE) as first:
        await fake.wait_for(lambda: reached() >= 30, 60)
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 10)
    before = reached()
    at_kill = await states()
    pending = sum(1 for state in at_kill.values() if state == "pending")
    assert pending and before < COUNT
    async with bot_process(fake, url, tmp_path, broadcast_rate=RATE):
        await fake.wait_for(lambda: reached() >= before + pending, 60)
        await asyncio.sleep(1.5)  # room for a wrong second copy
    final = await states()
    assert all(copies(user_id) <= 1 for user_id in recipients)  # never twice
    assert reached() == before + pending  # every one still pending at the kill, once
    assert set(final.values()) <= {"sent", "failed"}
    assert all(copies(u) == 1 for u, state in final.items() if state == "sent")
    given_up = [u for u, state in at_kill.items() if state == "sending"]
    assert given_up  # claimed by the dead process: the batch in hand, the next one
    assert all(final[u] == "failed" for u in given_up)
    async with reading(sessions) as session:  # nobody marked as having blocked the bot
        assert await session.scalar(select(User.id).where(User.is_active.is_(False))) is None
    await engine.dispose()
