"""The Bot session middleware that sends every message through the shared limiter and
honours Telegram's flood control (HTTP 429 `retry_after`): the flooded chat waits, or
everyone does when the flood is not one chat's (see `RateLimiter.flooded`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods.base import TelegramType

from bot.delivery.limiter import RateLimiter

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import Response, TelegramMethod

log = logging.getLogger(__name__)
FLOOD_RETRIES = 3  # tries of the same message after flood control, then the caller decides
FLOOD_WAIT_MAX = 60  # seconds; a longer ban is the caller's to handle (it keeps the item)
_NOT_A_MESSAGE = frozenset({"sendChatAction"})


def is_message(method: TelegramMethod[TelegramType]) -> bool:
    """Whether a Bot API call puts a new message into a chat (what Telegram rate-limits)."""
    name = method.__api_method__
    return name.startswith(("send", "copy", "forward")) and name not in _NOT_A_MESSAGE


class Pacing(BaseRequestMiddleware):
    """Paces new messages through `limiter`; on 429 holds the chat (or pauses every
    sender) and tries the same message again."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not is_message(method):
            return await make_request(bot, method)
        chat_id = getattr(method, "chat_id", None)
        chat = chat_id if isinstance(chat_id, int) else None
        for attempt in range(FLOOD_RETRIES + 1):
            await self.limiter.acquire(chat)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if await self.limiter.flood(chat, exc.retry_after):
                    log.warning("flood control: all sending paused for %s s", exc.retry_after)
                else:
                    log.info("flood control: chat %s waits %s s", chat, exc.retry_after)
                if attempt == FLOOD_RETRIES or exc.retry_after > FLOOD_WAIT_MAX:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover
