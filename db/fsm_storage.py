"""An aiogram FSM storage on SQLAlchemy, so that questionnaire progress survives restarts."""

from __future__ import annotations

from collections.abc import Mapping
from types import EllipsisType
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import FsmRecord


class SQLAlchemyStorage(BaseStorage):
    """Keeps each key's state and data in one row of `fsm_states`; an empty key has no row."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self._sessions = sessions
        self._key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

    def _key(self, key: StorageKey) -> str:
        return self._key_builder.build(key)

    async def set_state(self, key: StorageKey, state: str | State | None = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(self._key(key), state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._sessions() as session:
            return await session.scalar(
                select(FsmRecord.state).where(FsmRecord.key == self._key(key))
            )

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(self._key(key), data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._sessions() as session:
            data = await session.scalar(
                select(FsmRecord.data).where(FsmRecord.key == self._key(key))
            )
        return dict(data or {})

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        """Merge `data` in one transaction, so concurrent updates of one key cannot interleave."""
        return await self._write(self._key(key), merge=data)

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
        async with self._sessions.begin() as session:
            record = await session.get(FsmRecord, row_key)
            new_state = (record.state if record else None) if state is ... else state
            new_data = dict(data if data is not None else (record.data if record else {}))
            new_data.update(merge or {})
            if new_state is None and not new_data:
                # An empty key is forgotten, so the table holds only flows in progress.
                if record is not None:
                    await session.delete(record)
            elif record is None:
                session.add(FsmRecord(key=row_key, state=new_state, data=new_data))
            else:
                record.state, record.data = new_state, new_data
        return new_data
