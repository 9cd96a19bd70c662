"""The Mini App's address (WEBAPP_URL) for the update being handled, so that the buttons
that open it appear only when it is configured (features read it with `link`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlencode

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

_URL: ContextVar[str | None] = ContextVar("webapp_url", default=None)


def address(url: str, language: str) -> str:
    """WEBAPP_URL opening the page in `language` (it then speaks the user's anyway)."""
    return f"{url.rstrip('/')}/?{urlencode({'lang': language})}"


def link(language: str) -> str | None:
    """The Mini App's address opening in `language`, or None when it is not configured."""
    url = _URL.get()
    return None if url is None else address(url, language)


class MiniAppLink(BaseMiddleware):
    """Makes WEBAPP_URL known to the handlers of every update."""

    def __init__(self, url: str) -> None:
        self.url = url

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        token = _URL.set(self.url)
        try:
            return await handler(event, data)
        finally:
            _URL.reset(token)
