"""An aiogram FSM storage on SQLAlchemy, so that questionnaire progress survives restarts."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import EllipsisType
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import reading
from db.models import FsmRecord, utcnow

Row = tuple[str | None, dict[str, Any]]

# Rows already read while handling the current update (see `SQLAlchemyStorage.update_scope`).
_seen: ContextVar[dict[str, Row] | None] = ContextVar("fsm_rows_seen", default=None)


class SQLAlchemyStorage(BaseStorage):
    """Keeps each key's state and data in one row of `fsm_states`; an empty key has no row.

    Writes go to the database at once. Reads within one update are served from the row
    read (or written) first in that update, so a handler that looks at its state several
    times costs one query; the next update reads the database again."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self._sessions = sessions
        self._key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

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
        seen = _seen.get()
        if seen is not None and row_key in seen:
            return seen[row_key]
        async with reading(self._sessions) as session:
            found = (
                await session.execute(
                    select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == row_key)
                )
            ).first()
        row: Row = (found[0], dict(found[1] or {})) if found else (None, {})
        if seen is not None:
            seen[row_key] = row
        return row

    async def set_state(self, key: StorageKey, state: str | State | None = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(self._key(key), state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._read(self._key(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(self._key(key), data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return copy.deepcopy((await self._read(self._key(key)))[1])

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        """Merge `data` in one transaction, so concurrent updates of one key cannot interleave."""
        return copy.deepcopy(await self._write(self._key(key), merge=data))

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
        seen = _seen.get()
        async with self._sessions.begin() as session:
            if seen is not None and row_key in seen:
                # Read earlier in this update, under the key's lock: no need to read again.
                old_state, old_data = seen[row_key]
            else:
                found = (
                    await session.execute(
                        select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == row_key)
                    )
                ).first()
                old_state, old_data = (found[0], found[1] or {}) if found else (None, {})
            new_state = old_state if state is ... else state
            new_data = dict(data if data is not None else old_data)
            new_data.update(merge or {})
            if new_state is None and not new_data:
                # An empty key is forgotten, so the table holds only flows in progress.
                await session.execute(delete(FsmRecord).where(FsmRecord.key == row_key))
            else:
                await session.execute(_upsert(session, row_key, new_state, new_data))
        if seen is not None:
            seen[row_key] = (new_state, copy.deepcopy(new_data))
        return new_data


def _upsert(session: AsyncSession, row_key: str, state: str | None, data: dict[str, Any]) -> Any:
    """One INSERT … ON CONFLICT DO UPDATE, in the dialect of the session's database."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {"state": state, "data": data, "updated_at": utcnow()}
    statement = insert(FsmRecord).values(key=row_key, **values)
    return statement.on_conflict_do_update(index_elements=[FsmRecord.key], set_=values)
