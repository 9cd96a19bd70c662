"""Engine and session factory, with SQLite tuned for many concurrent writers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeAlias
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

Sessions: TypeAlias = async_sessionmaker[AsyncSession]
"""The one way to open database sessions; every service call opens its own (see README)."""

SQLITE_BUSY_TIMEOUT_MS = 30_000
BEGIN_OPTION = "sqlite_begin"


def create_engine(url: str, *, foreign_keys: bool = True, **kwargs: Any) -> AsyncEngine:
    """Create the async engine; on SQLite turn on WAL, a busy timeout, foreign keys and
    make every transaction BEGIN IMMEDIATE, so that concurrent writers queue on the lock
    instead of failing with "database is locked" when a reader upgrades to a writer.

    Migrations run with `foreign_keys=False`: SQLite alters a table by copying it and
    dropping the old one, which would otherwise cascade deletes into the tables that
    reference it (SQLite's documented procedure for schema changes)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True, **kwargs)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Python 3.11's sqlite3 opens transactions implicitly; take that over (see begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(BEGIN_OPTION, "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def create_session_maker(engine: AsyncEngine) -> Sessions:
    """Sessions whose objects stay readable after commit (they are rendered afterwards)."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def reading(sessions: Sessions) -> AsyncIterator[AsyncSession]:
    """A session for reads only: on SQLite its transaction is DEFERRED, so it neither waits
    for nor blocks writers (WAL readers see the last commit). Never write through it."""
    async with sessions() as session:
        await session.connection(execution_options={BEGIN_OPTION: "DEFERRED"})
        yield session


_write_locks: WeakKeyDictionary[Engine, asyncio.Lock] = WeakKeyDictionary()


@asynccontextmanager
async def writing(sessions: Sessions) -> AsyncIterator[AsyncSession]:
    """A session in a write transaction, committed on success and rolled back on error.

    On SQLite the writers of this process take turns on an asyncio lock first: SQLite
    lets only one write at a time anyway, and a writer left to its busy timeout sleeps
    in growing steps (up to 100 ms), which shows as long tails under load. Do not nest."""
    bind = sessions.kw.get("bind")
    engine = bind.sync_engine if isinstance(bind, AsyncEngine) else None
    if engine is None or engine.dialect.name != "sqlite":
        async with sessions.begin() as session:
            yield session
        return
    lock = _write_locks.setdefault(engine, asyncio.Lock())
    async with lock, sessions.begin() as session:
        yield session
