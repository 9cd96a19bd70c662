"""Loads (or creates) the user behind each update before any handler runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.users import KnownUsers


class UserMiddleware(BaseMiddleware):
    """Puts `user` (a `UserInfo`) into the handler data; updates without a person pass by."""

    def __init__(self, users: KnownUsers) -> None:
        self._users = users

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_user: User | None = data.get("event_from_user")
        if tg_user is None or tg_user.is_bot:
            return await handler(event, data)
        data["user"] = await self._users.touch(tg_user.id, tg_user.full_name, tg_user.username)
        return await handler(event, data)
