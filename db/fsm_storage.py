"""An aiogram FSM storage on SQLAlchemy, so that questionnaire progress survives restarts."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from types import EllipsisType
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from db.engine import Sessions, reading, writing
from db.models import FsmRecord, utcnow

Row = tuple[str | None, dict[str, Any]]

# Rows already read while handling the current update (see `SQLAlchemyStorage.update_scope`).
_seen: ContextVar[dict[str, Row] | None] = ContextVar("fsm_rows_seen", default=None)


def _clone(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars): what FSM data is.
    Several times faster than `copy.deepcopy`, which a handler pays on every read."""
    if isinstance(value, dict):
        return {key: _clone(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clone(item) for item in value]
    return value


def _clone_data(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _clone(item) for key, item in data.items()}


class SQLAlchemyStorage(BaseStorage):
    """Keeps each key's state and data in one row of `fsm_states`; an empty key has no row.

    Every write reaches the database before it returns, so a kill -9 loses nothing. Reads
    are served from memory where that is safe: always within one update (the key's lock
    is held), and across updates when `cache_size` > 0, which is only correct when this
    process is the database's only writer (the SQLite deployment)."""

    def __init__(
        self,
        sessions: Sessions,
        key_builder: KeyBuilder | None = None,
        *,
        cache_size: int = 0,
    ) -> None:
        self._sessions = sessions
        self._key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._cache_size = cache_size
        self.rows_of: OrderedDict[str, Row] = OrderedDict()
        self._writer = _GroupCommit(sessions)

    def _remembered(self) -> MutableMapping[str, Row] | None:
        if self._cache_size > 0:
            return self.rows_of
        return _seen.get()

    def _remember(self, row_key: str, row: Row) -> None:
        rows = self._remembered()
        if rows is None:
            return
        rows[row_key] = row
        if rows is self.rows_of:
            self.rows_of.move_to_end(row_key)
            while len(self.rows_of) > self._cache_size:
                self.rows_of.popitem(last=False)

    @staticmethod
    @contextmanager
    def update_scope() -> Iterator[None]:
        """Remember rows for the duration of one update (its handlers hold the key's lock)."""
        token = _seen.set({})
        try:
            yield
        finally:
            _seen.reset(token)

    def _key(self, key: StorageKey) -> str:
        return self._key_builder.build(key)

    async def _read(self, row_key: str) -> Row:
        rows = self._remembered()
        if rows is not None and row_key in rows:
            return rows[row_key]
        async with reading(self._sessions) as session:
            found = (
                await session.execute(
                    select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == row_key)
                )
            ).first()
        row: Row = (found[0], dict(found[1] or {})) if found else (None, {})
        self._remember(row_key, row)
        return row

    async def set_state(self, key: StorageKey, state: str | State | None = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(self._key(key), state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._read(self._key(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(self._key(key), data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return _clone_data((await self._read(self._key(key)))[1])

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        """Merge `data` into the stored data (one write, not a read-modify-write of the caller)."""
        return _clone_data(await self._write(self._key(key), merge=data))

    async def close(self) -> None:
        """Nothing to release: the engine belongs to the application."""

    async def _write(
        self,
        row_key: str,
        *,
        state: str | EllipsisType | None = ...,
        data: Mapping[str, Any] | None = None,
        merge: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        # aiogram's event isolation holds this key's lock for the whole update, so nothing
        # else in this process changes the row between this read and the write.
        old_state, old_data = await self._read(row_key)
        new_state = old_state if state is ... else state
        new_data = dict(data if data is not None else old_data)
        new_data.update(merge or {})
        # An empty key is deleted, so the table holds only flows in progress.
        await self._writer.write(row_key, (new_state, new_data) if new_state or new_data else None)
        self._remember(row_key, (new_state, _clone_data(new_data)))
        return new_data


class _GroupCommit:
    """Commits the writes that arrive while a commit is running together, in one transaction.

    Each writer waits until its own row is committed, so nothing is acknowledged before it
    is on disk; under load many updates share one transaction instead of paying for one
    each (on SQLite a transaction costs far more than the row in it)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        self._pending: dict[str, tuple[Row | None, list[asyncio.Future[None]]]] = {}
        self._committer: asyncio.Task[None] | None = None

    async def write(self, row_key: str, row: Row | None) -> None:
        """Store `row` under `row_key` (None deletes it); return once it is committed."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiting = self._pending[row_key][1] if row_key in self._pending else []
        self._pending[row_key] = (row, [*waiting, done])
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_all())
        await asyncio.shield(done)  # a cancelled handler does not cancel the others' commit

    async def _commit_all(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, {}
            try:
                await self._commit(batch)
            except Exception as exc:  # every writer of the batch hears of it
                outcome: BaseException | None = exc
            else:
                outcome = None
            for _, waiters in batch.values():
                for waiter in waiters:
                    if waiter.done():
                        continue
                    if outcome is None:
                        waiter.set_result(None)
                    else:
                        waiter.set_exception(outcome)

    async def _commit(
        self, batch: dict[str, tuple[Row | None, list[asyncio.Future[None]]]]
    ) -> None:
        now = utcnow()
        upserts = [
            {"key": key, "state": row[0], "data": row[1], "updated_at": now}
            for key, (row, _) in batch.items()
            if row is not None
        ]
        deletions = [key for key, (row, _) in batch.items() if row is None]
        async with writing(self._sessions) as session:
            if deletions:
                await session.execute(delete(FSM_TABLE).where(FSM_TABLE.c.key.in_(deletions)))
            if upserts:
                await session.execute(_upsert(session.get_bind().dialect.name), upserts)


FSM_TABLE: Table = FsmRecord.__table__  # type: ignore[assignment]


@lru_cache(maxsize=4)
def _upsert(dialect: str) -> Any:
    """INSERT … ON CONFLICT (key) DO UPDATE, in the given dialect, for executemany."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(FSM_TABLE)
    return statement.on_conflict_do_update(
        index_elements=[FSM_TABLE.c.key],
        set_={
            "state": statement.excluded.state,
            "data": statement.excluded.data,
            "updated_at": statement.excluded.updated_at,
        },
    )
