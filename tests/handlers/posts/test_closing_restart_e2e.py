"""An internship's deadline survives kill -9: the bot is killed before the deadline, and the
restarted `python -m bot` closes it (its scheduler rebuilt from the database) and tells the
applicant who was not accepted, once, in Kyrgyz; the accepted one is not told."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from sqlalchemy import update

from db.engine import create_engine, create_session_maker, reading, writing
from db.migrate import upgrade
from db.models import Event
from tests.directory_helpers import make_org
from tests.fake_telegram import FakeTelegram
from tests.handlers.onboarding.test_restart_e2e import bot_process
from tests.handlers.posts.answer_helpers import answered, internship
from tests.i18n_helpers import quoted, tr

HOST_ID, KZ, KG = 780, 781, 782
TITLE = "Ամառային պրակտիկա <Երևանում>"


async def test_the_deadline_closes_an_internship_after_kill_9_and_tells_once(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    fake = fake_telegram
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    now = datetime.now(UTC)
    host = await make_org(sessions, HOST_ID, language="hy", name="Կանաչ", country="AM")
    kz = await make_org(sessions, KZ, language="kk", name="Заң көмегі", country="KZ")
    kg = await make_org(sessions, KG, language="ky", name="Үмүт", country="KG")
    event_id = await internship(
        sessions, host, HOST_ID, now, places=2, deadline=now + timedelta(days=1)
    )
    await answered(sessions, "internship", event_id, host, kz, KZ, now, status="accepted")
    await answered(sessions, "internship", event_id, host, kg, KG, now)

    def told(user_id: int) -> list[str]:
        return [
            str(m.get("text")) for m in fake.chat_messages(user_id) if "🔒" in str(m.get("text"))
        ]

    async with bot_process(fake, url, tmp_path) as first:
        first.send_signal(signal.SIGKILL)  # before the deadline
        await asyncio.wait_for(first.wait(), 10)
    assert not told(KG)
    # The deadline comes while the bot is down (or starting again).
    async with writing(sessions) as session:
        deadline = datetime.now(UTC) + timedelta(seconds=2)
        await session.execute(update(Event).where(Event.id == event_id).values(deadline=deadline))
    async with bot_process(fake, url, tmp_path):
        await fake.wait_for(lambda: bool(told(KG)), timeout=30)
        await asyncio.sleep(1.5)  # room for a wrong second copy
    assert told(KG) == [
        tr(
            "ky",
            "🔒 Applications to the internship {title} at {host} have closed, and your "
            "application was not accepted. Thank you for applying: other offers will come.",
            title=escape(quoted("ky", escape(TITLE))),
            host=quoted("ky", "Կանաչ"),
        )
    ]
    assert not told(KZ)
    async with reading(sessions) as session:
        row = await session.get(Event, event_id)
        assert row is not None and row.closed_reason == "deadline"
    await engine.dispose()
