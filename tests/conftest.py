"""Shared fixtures: a migrated SQLite file per test, its engine and sessions."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import create_bot, create_dispatcher
from bot.config import Settings, load_settings
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Compile the catalogs if `make` has not (the bot refuses to start without them)."""
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "compile", "-d", str(ROOT / "bot" / "locales"), "-D", "messages"],
        check=True,
    )


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A fake Bot API server on 127.0.0.1, stopped after the test."""
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    """A fresh SQLite file brought to the newest schema by the real migrations."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await asyncio.to_thread(upgrade, url)
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The application's engine on that file."""
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The application's session factory."""
    return create_session_maker(engine)


TEST_BOT_TOKEN = "424242:" + "T" * 35
ADMIN_ID = 9001


@pytest.fixture
def settings(database_url: str, fake_telegram: FakeTelegram) -> Settings:
    """Settings aimed at the fake Bot API server and the test database."""
    return load_settings(
        _env_file=None,
        bot_token=TEST_BOT_TOKEN,
        telegram_api_base=fake_telegram.base_url,
        database_url=database_url,
        admin_ids=str(ADMIN_ID),
        default_language="ru",
    )


@pytest.fixture
async def running_bot(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], fake_telegram: FakeTelegram
) -> AsyncIterator[FakeTelegram]:
    """The real bot (Dispatcher, middlewares, routers, DB storage) polling the fake server."""
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions)
    async with polling(dp, bot, fake_telegram):
        yield fake_telegram
