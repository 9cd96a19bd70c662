"""The real `python -m bot` process, killed with SIGKILL mid-questionnaire and started again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from bot.languages import LANGUAGES
from bot.taxonomy import FOCUS_AREAS, FORMATS, TOPICS, WORK_LANGUAGES
from db.engine import create_engine, create_session_maker
from db.models import FsmRecord, Organisation
from tests.conftest import ROOT, TEST_BOT_TOKEN
from tests.conversation import Conversation
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import label, tr, trn

STARTUP_TIMEOUT = 60.0


@asynccontextmanager
async def bot_process(
    fake: FakeTelegram, database_url: str, workdir: Path, **settings: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot` against the fake server (more `settings` as environment variables);
    killed with SIGKILL on the way out."""
    env = {
        **{
            k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "ADMIN_"))
        },
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TEST_BOT_TOKEN,
        "TELEGRAM_API_BASE": fake.base_url,
        "DATABASE_URL": database_url,
        "HEALTH_PORT": "0",  # no health server unless a test asks (8082 may be taken)
        **{name.upper(): value for name, value in settings.items()},
    }
    polls = fake.poll_count
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=workdir, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake.wait_polling(STARTUP_TIMEOUT, after=polls)
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(process.wait(), 10)


async def _fsm_rows(url: str) -> int:
    engine = create_engine(url)
    try:
        async with create_session_maker(engine)() as session:
            return int(await session.scalar(select(func.count()).select_from(FsmRecord)) or 0)
    finally:
        await engine.dispose()


async def _redis_keys(url: str) -> int:
    client = Redis.from_url(url)
    try:
        return len(await client.keys("ngo_bridge:*"))
    finally:
        await client.aclose()


async def until(fake: FakeTelegram, condition: Callable[[], bool]) -> None:
    """Wait (bounded) for the bot, which handles updates concurrently in its own process."""
    await fake.wait_for(condition, timeout=20)


@pytest.mark.parametrize("fsm", ["database", "redis"])
async def test_sigkill_in_the_middle_loses_nothing(
    fake_telegram: FakeTelegram, tmp_path: Path, request: pytest.FixtureRequest, fsm: str
) -> None:
    """Questionnaire state in the database (the default) or in Redis (REDIS_URL)."""
    fake = fake_telegram
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.db'}"  # a fresh file: migrated at start
    settings = {"redis_url": request.getfixturevalue("redis_url")} if fsm == "redis" else {}
    chat = Conversation(fake, TgUser(4001, "Gulnara", language_code="kk"), mode="reply", timeout=20)
    children = label("kk", FOCUS_AREAS, "children")
    health = label("kk", FOCUS_AREAS, "health")

    def shows(msgid: str) -> Callable[[], bool]:
        return lambda: tr("kk", msgid) in chat.last_text()

    async with bot_process(fake, url, tmp_path, **settings) as first:
        await chat.send("/start")
        await until(fake, lambda: "✓ Қазақша" in chat.last_buttons())
        await chat.click(LANGUAGES["kk"])
        await until(
            fake,
            shows("What is your organisation called? Write the name as partners should see it."),
        )
        await chat.send("Үміт қоры")
        await until(fake, shows("In which country is your organisation based?"))
        await chat.click("🇰🇿")
        await until(fake, shows("In which city or region do you work?"))
        await chat.send("Шымкент")
        await until(fake, shows("What are your organisation's focus areas?"))
        await chat.click(children)
        await until(fake, lambda: "✅ " + children in chat.last_buttons())
        await asyncio.sleep(
            0.3
        )  # let the process finish its write (kill -9 may still land mid-way)
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 10)
        assert first.returncode == -signal.SIGKILL
    assert await _fsm_rows(url) == (0 if fsm == "redis" else 1)
    if fsm == "redis":
        assert await _redis_keys(settings["redis_url"]) > 0

    async with bot_process(fake, url, tmp_path, **settings):
        # The same question message still works: the tick made before the kill is there.
        await chat.click(health)
        await until(fake, lambda: "✅ " + health in chat.last_buttons())
        assert "✅ " + children in chat.last_buttons()
        # /start offers to continue at the same step.
        await chat.send("/start")
        await until(fake, lambda: "▶️" in " ".join(chat.last_buttons()))
        assert tr("kk", "You have an unfinished questionnaire: step {step} of {total}. "
                        "Continue where you left off, or start over?", step=4, total=15) in chat.last_text()  # fmt: skip
        engine = create_engine(url)
        try:
            async with create_session_maker(engine)() as session:
                assert await session.scalar(select(Organisation)) is None  # nothing half-written
        finally:
            await engine.dispose()

        # ... and on to the end, in the new process.
        await chat.click("▶️")
        await until(fake, shows("What are your organisation's focus areas?"))
        done_2 = trn("kk", "Done: {n} selected ✓", "Done: {n} selected ✓", 2)
        done_1 = trn("kk", "Done: {n} selected ✓", "Done: {n} selected ✓", 1)
        await chat.click(done_2)
        for question, option in (
            ("What can your organisation share with others?", label("kk", TOPICS, "fundraising")),
            ("What would your organisation like to learn?", label("kk", TOPICS, "impact")),
            ("Which cooperation formats suit you?", label("kk", FORMATS, "webinars")),
        ):
            await until(fake, shows(question))
            await chat.click(option)
            await until(fake, lambda: done_1 in chat.last_buttons())
            await chat.click(done_1)
        await until(
            fake, shows("Has your organisation worked with organisations from other countries?")
        )
        await chat.click(tr("kk", "No"))
        await until(fake, shows("What gets in the way of cooperation with other organisations?"))
        await chat.click(tr("kk", "Done ✓"))
        await until(fake, shows("In which languages does your organisation work?"))
        await chat.click(label("kk", WORK_LANGUAGES, "kk"))
        await until(fake, lambda: done_1 in chat.last_buttons())
        await chat.click(done_1)
        for question in (
            "Describe your organisation in a few sentences: what you do and for whom.",
            "Your organisation's website, for example https://example.org",
        ):
            await until(fake, shows(question))
            await chat.click(tr("kk", "Skip »"))
        await until(
            fake, lambda: tr("kk", "Skip »") in chat.last_buttons() and "@" in chat.last_text()
        )
        await chat.send("+7 701 123 45 67")
        await until(fake, lambda: tr("kk", "Yes, list us") in chat.last_buttons())
        await chat.click(tr("kk", "Yes, list us"))
        await until(fake, lambda: tr("kk", "✅ Confirm") in chat.last_buttons())
        await chat.click(tr("kk", "✅ Confirm"))
        await until(
            fake, lambda: tr("kk", "🎉 Your organisation's profile is saved.") in chat.texts()
        )

    engine = create_engine(url)
    try:
        async with create_session_maker(engine)() as session:
            org = await session.scalar(select(Organisation))
            assert org is not None
            assert (org.name, org.country, org.city, org.contact) == (
                "Үміт қоры",
                "KZ",
                "Шымкент",
                "+7 701 123 45 67",
            )
            focus = {tag.code for tag in org.tags if tag.kind == "focus"}
            assert focus == {"children", "health"}  # one tick before the kill, one after
    finally:
        await engine.dispose()
