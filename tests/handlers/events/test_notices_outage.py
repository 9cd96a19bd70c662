"""The scheduler's notice claim through a PostgreSQL outage (issue 23.1): a due notice
whose claim meets PostgreSQL stopped is neither lost nor sent twice. The claim fails with
an error bot/outages.py reads as the database being away (the scheduler's job logs it
once and stops there), the notice stays pending, and the first run once PostgreSQL is
back sends it, once. In-process, on a PostgreSQL of its own (a Unix socket); bounded."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import create_bot, scheduler_duties
from bot.clock import Clock
from bot.config import Settings
from bot.delivery.notifier import Notifier
from bot.handlers.events import announcer
from bot.i18n import create_i18n
from bot.outages import DATABASE, dependency_of
from bot.scheduler import Runtime
from bot.users import KnownUsers
from db.engine import create_engine, create_session_maker, reading, writing
from db.migrate import upgrade
from db.models import Event, Notice
from testing.servers import create_database, free_port
from tests.broadcast_helpers import plain_users
from tests.directory_helpers import FrozenClock
from tests.fake_telegram import FakeTelegram, TgUser
from tests.health_helpers import StoppablePostgres, running

pytestmark = pytest.mark.postgres  # a PostgreSQL of its own (pgserver), stopped and started
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
USER = 73_001
OUTAGE = 3.0  # seconds PostgreSQL stays stopped
DUE_IN = 4.0  # seconds after its insertion the running bot's notice falls due


async def test_a_notice_due_during_an_outage_is_sent_once_when_it_is_back(
    settings: Settings, fake_telegram: FakeTelegram
) -> None:
    postgres = await asyncio.to_thread(
        StoppablePostgres, Path(tempfile.mkdtemp(prefix="ngo-bridge-pg-notice-"))
    )
    fake_telegram.add_user(TgUser(USER, "Gulnara", language_code="en"))
    bot = create_bot(settings)
    engine = None
    try:
        name = f"t_{uuid.uuid4().hex[:12]}"
        url = await asyncio.to_thread(create_database, postgres.url("{database}"), name)
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        sessions = create_session_maker(engine)
        await plain_users(sessions, [USER])
        async with writing(sessions) as session:
            event = Event(
                kind="webinar", title="Grant writing", description="", time_zone="UTC",
                starts_at=NOW + timedelta(days=3), ends_at=NOW + timedelta(days=3, hours=1),
                created_by=1, status="published",
            )  # fmt: skip
            session.add(event)
            await session.flush()
            session.add(Notice(event_id=event.id, user_id=USER, kind="day", due_at=NOW))
        i18n = create_i18n("en")
        notifier = Notifier(KnownUsers(sessions, []), i18n, "en")
        runtime = Runtime(bot, sessions, notifier, FrozenClock(NOW + timedelta(minutes=1)), "en")
        deliver_due = scheduler_duties().deliver_due

        await asyncio.to_thread(postgres.stop)
        try:
            attempts = (  # the due job, and its claim itself, while PostgreSQL is away
                lambda: deliver_due(runtime),
                lambda: announcer.claim_next(sessions, runtime.clock.now(), "en"),
                lambda: deliver_due(runtime),
            )
            for attempt in attempts:
                with pytest.raises(Exception) as met:
                    await asyncio.wait_for(attempt(), 20)
                assert dependency_of(met.value) == DATABASE, repr(met.value)
            await asyncio.sleep(OUTAGE)
            assert fake_telegram.chat_messages(USER) == []
        finally:
            await asyncio.to_thread(postgres.start)

        assert await asyncio.wait_for(deliver_due(runtime), 20) == 1  # the first run after
        assert await asyncio.wait_for(deliver_due(runtime), 20) == 0  # and never again
        messages = fake_telegram.chat_messages(USER)
        assert len(messages) == 1 and "Grant writing" in str(messages[0].get("text"))
        async with reading(sessions) as session:
            states = list(await session.scalars(select(Notice.state)))
        assert states == ["sent"]
    finally:
        await bot.session.close()
        if engine is not None:
            await engine.dispose()
        await asyncio.to_thread(postgres.close)


async def test_the_running_scheduler_sends_a_notice_due_in_an_outage_once(
    settings: Settings, fake_telegram: FakeTelegram
) -> None:
    """The same through `run()` (polling, leases of 3 s): the notice falls due while
    PostgreSQL is stopped, the leader steps down, is chosen again once it is back and
    sends the notice, once. Times are relative to the bot's own clock."""
    postgres = await asyncio.to_thread(
        StoppablePostgres, Path(tempfile.mkdtemp(prefix="ngo-bridge-pg-notice-run-"))
    )
    fake_telegram.add_user(TgUser(USER, "Gulnara", language_code="en"))
    try:
        name = f"t_{uuid.uuid4().hex[:12]}"
        url = await asyncio.to_thread(create_database, postgres.url("{database}"), name)
        await asyncio.to_thread(upgrade, url)
        port = free_port()
        polling = settings.model_copy(
            update={"database_url": url, "health_port": port, "lease_seconds": 3.0}
        )
        async with running(polling, f"http://127.0.0.1:{port}"):
            engine = create_engine(url)
            try:
                sessions = create_session_maker(engine)
                await plain_users(sessions, [USER])
                now = Clock().now()
                async with writing(sessions) as session:
                    event = Event(
                        kind="webinar", title="Grant writing", description="", time_zone="UTC",
                        starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=1),
                        created_by=1, status="published",
                    )  # fmt: skip
                    session.add(event)
                    await session.flush()
                    session.add(
                        Notice(event_id=event.id, user_id=USER, kind="day",
                               due_at=now + timedelta(seconds=DUE_IN))
                    )  # fmt: skip
            finally:
                await engine.dispose()
            await asyncio.to_thread(postgres.stop)
            try:
                await asyncio.sleep(DUE_IN + OUTAGE)  # due, and the scheduler met the outage
                assert fake_telegram.chat_messages(USER) == []
            finally:
                await asyncio.to_thread(postgres.start)
            await fake_telegram.wait_for(lambda: fake_telegram.chat_messages(USER), 30)
            await asyncio.sleep(2 * float(polling.lease_seconds))  # room for a second copy
            messages = fake_telegram.chat_messages(USER)
            assert len(messages) == 1 and "Grant writing" in str(messages[0].get("text"))
    finally:
        await asyncio.to_thread(postgres.close)
