"""Call reminders due when `python -m bot` starts are sent by the scheduler it rebuilds from
the database; killed with SIGKILL between two sends and started again, it sends the rest,
and each person has their reminder exactly once."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import users
from db.engine import create_engine, create_session_maker, writing
from db.migrate import upgrade
from db.models import ContactRequest, Meeting, MeetingNotice
from tests.directory_helpers import make_org
from tests.fake_telegram import FakeTelegram
from tests.handlers.onboarding.test_restart_e2e import bot_process

PAIRS = [(41_001, 41_002), (41_003, 41_004), (41_005, 41_006)]
PEOPLE = [person for pair in PAIRS for person in pair]


async def test_due_call_reminders_survive_kill_9_between_two_sends_exactly_once(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    fake = fake_telegram
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    now = datetime.now(UTC)
    starts = (now + timedelta(minutes=14)).replace(microsecond=0)  # reminders due a minute ago
    for first, second in PAIRS:
        am = await make_org(sessions, first, country="AM", name=f"AM {first}")
        kz = await make_org(sessions, second, country="KZ", name=f"KZ {second}")
        for person in (first, second):  # the weekly digest would be a second message
            await users.set_digest_on(sessions, person, False)
        async with writing(sessions) as session:
            request = ContactRequest(sender_id=am, recipient_id=kz, status="accepted",
                                     asked_by=first, decided_by=second, created_at=now,
                                     decided_at=now)  # fmt: skip
            session.add(request)
            await session.flush()
            meeting = Meeting(request_id=request.id, proposer_org=am, invitee_org=kz,
                              proposed_by=first, status="agreed", picked_by=second,
                              starts_at=starts, minutes=30, link="https://meet.jit.si/room",
                              sequence=0, created_at=now, decided_at=now)  # fmt: skip
            session.add(meeting)
            await session.flush()
            session.add_all(
                MeetingNotice(meeting_id=meeting.id, user_id=person, kind="reminder",
                              due_at=starts - timedelta(minutes=15), state="pending")
                for person in (first, second)
            )  # fmt: skip
    await engine.dispose()

    def reached() -> list[int]:
        return [person for person in PEOPLE if fake.chat_messages(person)]

    options = {"broadcast_rate": "2"}  # about one message every half second
    async with bot_process(fake, url, tmp_path, **options) as first_run:
        await fake.wait_for(lambda: len(reached()) >= 1, timeout=30)
        first_run.send_signal(signal.SIGKILL)  # the next send is half a second away
        await asyncio.wait_for(first_run.wait(), 10)
    assert 1 <= len(reached()) < len(PEOPLE)

    async with bot_process(fake, url, tmp_path, **options):
        await fake.wait_for(lambda: len(reached()) == len(PEOPLE), timeout=30)
        await asyncio.sleep(1.5)  # room for a wrong second copy to show up
    for person in PEOPLE:
        [reminder] = fake.chat_messages(person)
        assert reminder["text"].startswith("⏰") and "https://meet.jit.si/room" in reminder["text"]
