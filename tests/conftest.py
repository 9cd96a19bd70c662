"""Shared fixtures: a migrated SQLite file per test, its engine and sessions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.engine import create_engine, create_session_maker
from db.migrate import upgrade

pytest_plugins = ["tests.fake_fixtures"]


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
