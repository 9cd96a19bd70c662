"""Floods are shed before they reach handlers: a user (or a script behind an account) who
sends more than the configured rate is told once to slow down, and the rest is skipped."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import I18n
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from bot import redis_clients, shared_texts
from bot.i18n import locale_of
from bot.users import UserInfo


class Throttle(BaseMiddleware):
    """Outer middleware for messages and presses, after `UserMiddleware`: at most `rate`
    (e.g. "30/10 seconds") updates per user. The first update over the limit gets the
    notice in the user's language (a reply, or the press's answer); later ones until the
    window frees up are dropped unanswered, except presses, which are always answered so
    that the button stops spinning. Counts live in this process's memory, or in Redis when
    `redis_url` is given, so that several workers count together."""

    def __init__(self, rate: str, i18n: I18n, redis_url: str | None = None) -> None:
        self._rate: RateLimitItem = parse(rate)
        self._pool = redis_clients.pool(redis_url) if redis_url else None
        storage: Storage = MemoryStorage()
        if self._pool is not None:
            # limits picks its asyncio Redis storage by the URI's scheme; the connections
            # come from our pool, so that `close` can release them.
            storage = RedisStorage(
                "async+redis://",
                implementation="redispy",
                key_prefix="ngo_bridge_throttle",
                connection_pool=self._pool,  # type: ignore[arg-type]  # redispy bridge takes it
            )
        self._limiter = MovingWindowRateLimiter(storage)
        self._i18n = i18n
        self._told: set[int] = set()  # users told since their last accepted update

    async def close(self) -> None:
        """Release the Redis connections, if counts are kept there."""
        if self._pool is not None:
            await self._pool.aclose()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: UserInfo | None = data.get("user")
        if user is None or user.is_admin:
            return await handler(event, data)
        if await self._limiter.hit(self._rate, str(user.id)):
            self._told.discard(user.id)
            return await handler(event, data)
        first = user.id not in self._told
        self._told.add(user.id)
        locale = locale_of(data, self._i18n.default_locale)
        with self._i18n.context(), self._i18n.use_locale(locale):
            notice = shared_texts.slow_down()
        if isinstance(event, CallbackQuery):
            await event.answer(notice if first else None)
        elif isinstance(event, Message) and first:
            await event.answer(notice)
        return None
