"""The command menu, per language, with the admin commands for admins."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from bot.languages import LANGUAGES
from bot.ui import texts

log = logging.getLogger(__name__)


def _commands(i18n: I18n, locale: str, *, admin: bool) -> list[BotCommand]:
    with i18n.context(), i18n.use_locale(locale):
        return [
            BotCommand(command=name, description=description)
            for name, description in texts.command_descriptions(admin)
        ]


async def setup_commands(bot: Bot, i18n: I18n, admins: Mapping[int, str]) -> None:
    """Publish the command menu in every language, and to each admin (id → language)
    the admin menu in their language."""
    await bot.set_my_commands(
        _commands(i18n, i18n.default_locale, admin=False), scope=BotCommandScopeDefault()
    )
    for locale in LANGUAGES:
        await bot.set_my_commands(
            _commands(i18n, locale, admin=False),
            scope=BotCommandScopeDefault(),
            language_code=locale,
        )
    for admin_id, locale in admins.items():
        await set_chat_commands(bot, i18n, admin_id, locale, admin=True)


async def set_chat_commands(
    bot: Bot,
    i18n: I18n,
    chat_id: int,
    locale: str,
    *,
    admin: bool,
) -> None:
    """The command menu of one chat in its chosen language (admins get theirs too)."""
    try:
        await bot.set_my_commands(
            _commands(i18n, locale, admin=admin),
            scope=BotCommandScopeChat(chat_id=chat_id),
        )
    except TelegramAPIError as exc:  # e.g. an admin who has not opened the bot yet
        log.warning("could not set the command menu of chat %s: %s", chat_id, exc)
