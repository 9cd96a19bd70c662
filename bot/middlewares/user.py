"""Loads (or creates) the user behind each update before any handler runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.users import touch_user


class UserMiddleware(BaseMiddleware):
    """Puts `user` (a `UserInfo`) into the handler data; updates without a person pass by."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], admin_ids: Collection[int]
    ) -> None:
        self._sessions = sessions
        self._admin_ids = admin_ids

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_user: User | None = data.get("event_from_user")
        if tg_user is None or tg_user.is_bot:
            return await handler(event, data)
        data["user"] = await touch_user(
            self._sessions,
            tg_user.id,
            tg_user.full_name,
            tg_user.username,
            is_admin=tg_user.id in self._admin_ids,
        )
        return await handler(event, data)
