"""The Mini App's address (WEBAPP_URL) for the update being handled, so that the buttons
that open it appear only when it is configured (features read it with `link`); and the
chats' menu button that opens it, in each chat's language (as bot/commands.py sets their
commands)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlencode

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import MenuButtonWebApp, TelegramObject, WebAppInfo
from aiogram.utils.i18n import I18n

from bot import shared_texts
from bot.config import Settings

log = logging.getLogger(__name__)

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


async def set_menu_button(bot: Bot, settings: Settings, i18n: I18n) -> None:
    """The menu button of chats not yet seen opens the Mini App in the default language
    (the page then speaks the user's; `set_chat_menu_button` gives each chat its own)."""
    with i18n.context(), i18n.use_locale(settings.default_language):
        text = shared_texts.button("mini_app")
    url = address(str(settings.webapp_url), settings.default_language)
    button = MenuButtonWebApp(text=text, web_app=WebAppInfo(url=url))
    try:
        await bot.set_chat_menu_button(menu_button=button)
    except TelegramAPIError as exc:  # the main menu's button still opens it
        log.warning("could not set the chat menu button to the Mini App: %s", exc.message)


async def set_chat_menu_button(bot: Bot, i18n: I18n, chat_id: int, language: str) -> None:
    """This chat's menu button opens the Mini App in `language`, labelled in it (nothing
    without WEBAPP_URL). A chat that refuses it keeps the default one: not an error."""
    url = link(language)
    if url is None:
        return
    with i18n.use_locale(language):
        text = shared_texts.button("mini_app")
    button = MenuButtonWebApp(text=text, web_app=WebAppInfo(url=url))
    try:
        await bot.set_chat_menu_button(chat_id=chat_id, menu_button=button)
    except TelegramAPIError as exc:  # blocked, gone: the default button stays
        log.info("could not set the menu button of chat %s: %s", chat_id, exc.message)
