"""Shared fixtures: a migrated database per test (an SQLite file; also PostgreSQL for the
modules marked `databases`), its engine and sessions. The migrations run once per session,
into a template each test copies.

PostgreSQL is a real server: the one TEST_POSTGRES_URL names (a base URL such as
postgresql+asyncpg://user@host/), else a private one started with pgserver (PostgreSQL
binaries from PyPI) for the session (testing/servers.py). Each test gets a fresh database
on it.

Redis (for REDIS_URL) is the one TEST_REDIS_URL names, else a private redis-server on
127.0.0.1 for the session (`.ci/run` installs it; elsewhere tests needing it are skipped
when it is missing, unless REQUIRE_REDIS is set)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import inspect
import itertools
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import types
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_bot, create_dispatcher
from bot.config import Settings, load_settings
from db.engine import Sessions, create_engine, create_session_maker
from db.migrate import upgrade
from testing import TEST_BOT_TOKEN as TEST_BOT_TOKEN  # tests import it from here
from testing import servers
from testing.browser import browser_missing, chromium
from testing.fake_bot_api import FakeTelegram
from tests.fake_fixtures import polling

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


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


# What no log line may hold, whatever its level (issue 23.4): the token's secret and the
# contact details the fixtures give organisations or type in chats.
NEVER_LOGGED = (
    TEST_BOT_TOKEN.split(":")[1],
    *(phone for number in ("+374 10 123456", "+7 701 123 45 67", "+7 700 123 45 67",
                           "+374 99 000000", "+77011234567", "+77001112233")
      for phone in {number, number.replace(" ", "")}),
)  # fmt: skip


class _Records(logging.Handler):
    """The bot's log records of a test, from INFO up (the level it runs at)."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in WATCHED_LOGGERS:
            self.records.append(record)

    def errors(self) -> list[logging.LogRecord]:
        return [record for record in self.records if record.levelno >= logging.ERROR]

    def leaks(self) -> list[str]:
        """Lines that hold a secret or a contact detail (the message and any traceback)."""
        found = []
        for record in self.records:
            line = record.getMessage() + (
                logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
            )
            if any(secret in line for secret in NEVER_LOGGED):
                found.append(f"{record.name}: {line[:300]}")
        return found


@pytest.fixture(autouse=True)
def no_unexpected_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test during which the bot logged an ERROR it did not expect, or logged (at any
    level from INFO) the token or a contact detail of the fixtures."""
    handler = _Records()
    root = logging.getLogger()
    level = root.level
    root.setLevel(min(level, logging.INFO))  # as the bot runs: INFO lines are written
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    errors = handler.errors()
    if errors and request.node.get_closest_marker("allow_errors") is None:
        found = "; ".join(f"{r.name}: {r.getMessage()}" for r in errors[:3])
        pytest.fail(f"the bot logged {len(errors)} unexpected ERROR(s): {found}")
    leaks = handler.leaks()
    if leaks:
        pytest.fail(f"the bot logged a secret or a contact detail: {leaks[:3]}")


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A fake Bot API server on 127.0.0.1, stopped after the test."""
    async with FakeTelegram() as fake:
        yield fake


# -- markers ---------------------------------------------------------------------------------
# Every test is marked by what it needs, without edits to the test modules: `postgres` (its
# PostgreSQL parametrisation), `process` (it starts `python -m bot`), `browser` (it drives
# Chromium), `e2e` (it talks to the fake Bot API). `make test-fast` leaves out the first
# three. What a test needs is found by following the code of the test and of its fixtures,
# through the functions of tests/, testing/ and bench/ they call.

_OUR_MODULES = ("tests", "testing", "bench")


def _nested_codes(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _nested_codes(constant)


def _own_features(code: types.CodeType, namespace: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for nested in _nested_codes(code):
        constants = {c for c in nested.co_consts if isinstance(c, str)}
        if {"-m", "bot"} <= constants:
            found.add("process")
        names = set(nested.co_names)
        if "CHROMIUM" in names or any(name.startswith("playwright") for name in names):
            found.add("browser")
        if any(namespace.get(name) is FakeTelegram for name in names):
            found.add("e2e")
    return found


_features_cache: dict[types.CodeType, frozenset[str]] = {}


def _features(function: Any) -> frozenset[str]:
    """The features `function` reaches, through the functions of our modules it names."""
    root = getattr(inspect.unwrap(function), "__code__", None)
    if root is None:
        return frozenset()
    if root in _features_cache:
        return _features_cache[root]
    found: set[str] = set()
    seen: set[types.CodeType] = set()
    pending = [function]
    while pending:
        current = inspect.unwrap(pending.pop())
        code = getattr(current, "__code__", None)
        if code is None or code in seen:
            continue
        seen.add(code)
        namespace: dict[str, Any] = getattr(current, "__globals__", {})
        found |= _own_features(code, namespace)
        for nested in _nested_codes(code):
            for name in nested.co_names:
                called = namespace.get(name)
                module = str(getattr(called, "__module__", None) or "")
                ours = module.split(".")[0] in _OUR_MODULES
                if ours and callable(called) and not inspect.isclass(called):
                    pending.append(called)
    _features_cache[root] = frozenset(found)
    return _features_cache[root]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test `postgres`, `process`, `browser` and `e2e` by what it needs."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        fixtures = set(item.fixturenames)
        needs = set(_features(item.function))
        definitions = getattr(item, "_fixtureinfo", None)
        for name in fixtures:
            for definition in definitions.name2fixturedefs.get(name, ()) if definitions else ():
                needs |= _features(definition.func)
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("database_url") == "postgresql" or fixtures & {
            "postgres_base",
            "postgres_template",
        }:
            needs.add("postgres")
        if "fake_telegram" in fixtures:
            needs.add("e2e")
        for marker in sorted(needs):
            item.add_marker(marker)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests of modules marked `databases` on SQLite and on PostgreSQL."""
    marker = metafunc.definition.get_closest_marker("databases")
    if marker is not None and "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", list(marker.args), indirect=True)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A Redis server for this test session: its URL without a database number."""
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(servers.redis_server())
        except servers.ServerMissing:
            if os.environ.get("REQUIRE_REDIS"):
                pytest.fail("redis-server is not installed")
            pytest.skip("redis-server is not installed (.ci/run installs it)")
        yield url


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
    with servers.postgres_server() as base:
        yield base


# Kept for callers of the old names (bench/ used the first); testing.servers has them now.
_create_database = servers.create_database
_free_port = servers.free_port


def _off_the_loop(function: Callable[..., T], *args: Any) -> T:
    """Call `function` in a worker thread and wait: migrations and `create_database` run
    their own event loop, and a session fixture may be set up inside a test's loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        return worker.submit(function, *args).result()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file brought to the newest schema by the real migrations, once per
    session: `database_url` gives each test a copy of it."""
    path = tmp_path_factory.mktemp("template") / "bot.db"
    _off_the_loop(upgrade, f"sqlite+aiosqlite:///{path}")
    # The engine turns WAL on: fold the log back into the file, so a copy of the file
    # is the whole database.
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_base: str) -> str:
    """The name of a database on the session's server brought to the newest schema by the
    real migrations, once per session: `database_url` creates each test's database from
    it (CREATE DATABASE ... TEMPLATE)."""
    name = f"template_{uuid.uuid4().hex[:16]}"
    url = _off_the_loop(servers.create_database, postgres_base, name)
    _off_the_loop(upgrade, url)
    return name


@pytest.fixture
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database at the newest schema of the real migrations: a copy of the
    session's migrated SQLite file, or (parametrised "postgresql") a new database on the
    session's server made from its migrated template. Tests of the migrations themselves
    call `upgrade`/`downgrade` on it, or on a database of their own."""
    if getattr(request, "param", "sqlite") == "postgresql":
        base = request.getfixturevalue("postgres_base")
        template = request.getfixturevalue("postgres_template")
        name = f"t_{uuid.uuid4().hex[:16]}"
        return await asyncio.to_thread(servers.create_database, base, name, template)
    template_file = request.getfixturevalue("sqlite_template")
    path = tmp_path / "bot.db"
    shutil.copyfile(template_file, path)
    return f"sqlite+aiosqlite:///{path}"


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
        throttle="1000/second",  # tests type faster than people; tests/kernel/test_throttle_e2e.py
        # The fake Bot API has no per-chat limit unless a test turns it on (and then uses
        # Telegram's pace, see tests/handlers/broadcasts/test_broadcast_e2e.py); pacing itself: test_limiter.py.
        chat_interval=0,
        health_port=0,  # `run()` in polling mode starts no health server unless a test asks
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


@pytest.fixture(scope="module")
def devtools() -> Iterator[str]:
    """One Chromium for each browser test module (test_webapp_browser and
    test_webapp_browser_limits), reached over the DevTools protocol."""
    missing = browser_missing()
    if missing is not None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(missing)
        pytest.skip(missing)
    with chromium() as endpoint:
        yield endpoint
