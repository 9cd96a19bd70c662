"""Only private chats reach the bot: group, supergroup and channel updates stop here.

Registered first on the dispatcher's updates, before the user, flood-limit and locale
middlewares, so that a group message neither makes a user, nor counts towards anyone's
flood limit, nor gets an answer (the routers' chat-type filters come after middlewares)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import Chat, TelegramObject


class PrivateChatsOnly(BaseMiddleware):
    """Outer middleware for updates: drops what does not come from a private chat."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat: Chat | None = data.get("event_chat")
        if chat is not None and chat.type != ChatType.PRIVATE:
            return None  # quietly: nothing in a group is for us
        if chat is None and data.get("event_from_user") is not None:
            # A press on an inline message, an inline query…: nothing we serve.
            return None
        return await handler(event, data)
