"""Announcements due when `python -m bot` starts are sent by the scheduler it rebuilds from
the database; killed with SIGKILL between two sends and started again, it sends the rest,
and every subscriber has the announcement exactly once."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import users
from bot.handlers.events import drafts, publishing
from bot.handlers.events.drafts import Draft
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade
from tests.conftest import ADMIN_ID
from tests.directory_helpers import make_org
from tests.fake_telegram import FakeTelegram
from tests.handlers.onboarding.test_restart_e2e import bot_process

SUBSCRIBERS = [40_001, 40_002, 40_003, 40_004]


def daytime_zone(now: datetime) -> str:
    """A fixed-offset zone where it is about noon now (announcements are not sent at night)."""
    offset = (12 - now.hour + 12) % 24 - 12  # UTC-12 … UTC+11
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")


async def test_due_announcements_survive_kill_9_between_two_sends_exactly_once(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    fake = fake_telegram
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    now = datetime.now(UTC)
    for user_id in SUBSCRIBERS:
        await make_org(sessions, user_id, language="en", country="KZ", want_learn=["impact"])
        await users.set_zone(sessions, user_id, daytime_zone(now))
        # About announcements: on a Monday the weekly digest would be a second message.
        await users.set_digest_on(sessions, user_id, False)
    start = (now + timedelta(days=10)).replace(microsecond=0)
    draft = Draft(
        kind="webinar", title="Restart-proof webinar", description="About indicators.",
        starts_at=start, ends_at=start + timedelta(hours=1), time_zone="UTC",
        link="https://meet.example.org/x", topics=("impact",),
    )  # fmt: skip
    event_id = await drafts.save(sessions, draft, ADMIN_ID, now)
    published = await publishing.publish(sessions, event_id, now, "ru")
    assert published is not None and published.queued == len(SUBSCRIBERS)
    await engine.dispose()

    def reached() -> list[int]:
        return [u for u in SUBSCRIBERS if fake.chat_messages(u)]

    options = {"broadcast_rate": "2"}  # about one message every half second
    async with bot_process(fake, url, tmp_path, **options) as first:
        await fake.wait_for(lambda: len(reached()) >= 1, timeout=30)
        first.send_signal(signal.SIGKILL)  # the next send is half a second away
        await asyncio.wait_for(first.wait(), 10)
    assert 1 <= len(reached()) < len(SUBSCRIBERS)

    async with bot_process(fake, url, tmp_path, **options):
        await fake.wait_for(lambda: len(reached()) == len(SUBSCRIBERS), timeout=30)
        await asyncio.sleep(1.5)  # room for a wrong second copy to show up
    for user_id in SUBSCRIBERS:
        [announcement] = fake.chat_messages(user_id)
        assert "Restart-proof webinar" in announcement["text"]
