"""Polling mode while PostgreSQL is away (bot/held.py): aiogram has confirmed the update
to Telegram already, so an update met by the outage is held and handled once the database
is back. Nobody is apologised to, and the outage is one WARNING and one INFO, without a
traceback, however many updates meet it. Bounded in time; loopback and a Unix socket."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import uuid
from pathlib import Path

import pytest
from aiogram.types import Update

from bot.config import Settings
from bot.held import HeldUpdates
from bot.outages import OUTAGES
from db.migrate import upgrade
from testing.servers import create_database, free_port
from tests.conversation import Conversation
from tests.fake_telegram import FakeTelegram, TgUser
from tests.health_helpers import StoppablePostgres, running

pytestmark = pytest.mark.postgres  # a PostgreSQL of its own (pgserver), stopped and started
PEOPLE = [TgUser(72_000 + i, f"P{i}", language_code="en") for i in range(4)]


async def test_updates_met_by_a_database_outage_are_handled_once_it_is_back(
    settings: Settings, fake_telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    OUTAGES.forget()  # another test's outage (just ended) is not this one's
    postgres = await asyncio.to_thread(
        StoppablePostgres, Path(tempfile.mkdtemp(prefix="ngo-bridge-pg-poll-"))
    )
    try:
        name = f"t_{uuid.uuid4().hex[:12]}"
        url = await asyncio.to_thread(create_database, postgres.url("{database}"), name)
        await asyncio.to_thread(upgrade, url)
        port = free_port()
        polling = settings.model_copy(
            update={"database_url": url, "health_port": port, "lease_seconds": 3.0}
        )
        first, *others = [Conversation(fake_telegram, p, timeout=30) for p in PEOPLE]
        async with running(polling, f"http://127.0.0.1:{port}"):
            await first.send("/start")
            welcome = await fake_telegram.wait_for(lambda: first.texts(), 20)
            await asyncio.to_thread(postgres.stop)
            try:
                for chat in others:  # each met by the outage: held, nobody answered yet
                    fake_telegram.push_message(chat.user, "/start")
                await asyncio.sleep(3.0)
                assert not any(chat.texts() for chat in others)
            finally:
                await asyncio.to_thread(postgres.start)
            for chat in others:  # handled once the database is back, as the first one was
                await fake_telegram.wait_for(chat.texts, 30)
                assert chat.texts() == welcome
            await asyncio.sleep(2.5)  # settled: the outage's INFO
    finally:
        await asyncio.to_thread(postgres.close)
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert not [r for r in records if r.levelno >= logging.ERROR], records
    said = [r.getMessage() for r in caplog.records if r.name == "bot.outages"]
    assert len(said) == 2, said
    assert said[0].startswith("the database is unreachable")
    assert said[1].startswith("the database is reachable again")
    apology = "Sorry, something went wrong on our side. Please try again."
    assert all(apology not in chat.texts() for chat in [first, *others])


async def test_held_updates_are_bounded_and_said_lost_at_stop(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No dispatcher is needed to hold; at most `limit`, the oldest dropped (one WARNING)."""
    caplog.set_level(logging.WARNING, logger="bot.held")
    held = HeldUpdates(None, None, retry_every=3600, limit=2)  # type: ignore[arg-type]
    for update_id in range(5):
        held.hold(Update(update_id=update_id))
    assert (len(held), held.dropped) == (2, 3)
    await held.close()
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 2
    assert said[0].startswith("more than 2 updates held")
    assert said[1] == "stopping with 2 updates held through an outage: not handled"
