"""Shared fixtures: a migrated database per test (an SQLite file; also PostgreSQL for the
modules marked `databases`), its engine and sessions.

PostgreSQL is a real server: the one TEST_POSTGRES_URL names (a base URL such as
postgresql+asyncpg://user@host/), else a private one started with pgserver (PostgreSQL
binaries from PyPI) for the session. Each test gets a fresh database on it.

Redis (for REDIS_URL) is the one TEST_REDIS_URL names, else a private redis-server on
127.0.0.1 for the session (`.ci/run` installs it; elsewhere tests needing it are skipped
when it is missing, unless REQUIRE_REDIS is set)."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_bot, create_dispatcher
from bot.config import Settings, load_settings
from db.engine import Sessions, create_engine, create_session_maker
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


# Loggers of the bot and what it drives: an ERROR there is a defect unless a test says it
# provokes one on purpose (@pytest.mark.allow_errors).
WATCHED_LOGGERS = ("bot", "db", "aiogram", "apscheduler")


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in WATCHED_LOGGERS:
            self.records.append(record)


@pytest.fixture(autouse=True)
def no_unexpected_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test during which the bot logged an ERROR it did not expect."""
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("allow_errors") is None:
        found = "; ".join(f"{r.name}: {r.getMessage()}" for r in handler.records[:3])
        pytest.fail(f"the bot logged {len(handler.records)} unexpected ERROR(s): {found}")


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A fake Bot API server on 127.0.0.1, stopped after the test."""
    async with FakeTelegram() as fake:
        yield fake


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests of modules marked `databases` on SQLite and on PostgreSQL."""
    marker = metafunc.definition.get_closest_marker("databases")
    if marker is not None and "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", list(marker.args), indirect=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A Redis server for this test session: its URL without a database number."""
    given = os.environ.get("TEST_REDIS_URL")
    if given:
        yield given.rstrip("/")
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    port = _free_port()
    directory = tempfile.mkdtemp(prefix="ngo-bridge-redis-")
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", directory],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """A Redis database of its own for one test (flushed before use)."""
    import redis

    url = f"{redis_server}/{next(_redis_databases)}"
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
    yield url


_redis_databases = itertools.cycle(range(1, 16))


@pytest.fixture(scope="session")
def postgres_base() -> Iterator[str]:
    """A PostgreSQL server for this test session: the URL to add a database name to."""
    given = os.environ.get("TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/") + "/{database}"
        return
    from pgserver import get_server  # type: ignore[attr-defined]  # dev: PostgreSQL wheel

    directory = Path(tempfile.mkdtemp(prefix="ngo-bridge-pg-"))
    server = get_server(directory, cleanup_mode="delete")
    try:
        yield f"postgresql+asyncpg://postgres@/{{database}}?host={directory}"
    finally:
        server.cleanup()


def _create_database(base: str, name: str) -> str:
    url = base.format(database=name)
    admin = make_url(base.format(database="postgres")).set(drivername="postgresql")
    import asyncpg

    async def create() -> None:
        connection = await asyncpg.connect(
            user=admin.username or "postgres",
            host=admin.query.get("host") or admin.host,
            port=admin.port,
            password=admin.password,
            database="postgres",
        )
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(create())
    return url


@pytest.fixture
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database brought to the newest schema by the real migrations: an SQLite
    file, or (parametrised "postgresql") a new database on the session's server."""
    if getattr(request, "param", "sqlite") == "postgresql":
        base = request.getfixturevalue("postgres_base")
        name = f"t_{uuid.uuid4().hex[:16]}"
        url = await asyncio.to_thread(_create_database, base, name)
    else:
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
def sessions(engine: AsyncEngine) -> Sessions:
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
        throttle="1000/second",  # tests type faster than people; tests/test_throttle_e2e.py
        # The fake Bot API has no per-chat limit unless a test turns it on (and then uses
        # Telegram's pace, see tests/test_broadcast_e2e.py); pacing itself: test_limiter.py.
        chat_interval=0,
    )


@pytest.fixture
async def running_bot(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> AsyncIterator[FakeTelegram]:
    """The real bot (Dispatcher, middlewares, routers, DB storage) polling the fake server."""
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions)
    async with polling(dp, bot, fake_telegram):
        yield fake_telegram
