"""The command menu, per language, with the admin commands for admins."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from bot.i18n import _
from bot.languages import LANGUAGES

log = logging.getLogger(__name__)
# Commands only the network's admins have (others are told so, not "not understood").
ADMIN_COMMANDS = frozenset(
    {"stats", "verify", "reports", "event_new", "events_admin", "broadcast", "broadcast_cancel",
     "broadcasts", "review"}
)  # fmt: skip


def _commands(i18n: I18n, locale: str, *, admin: bool) -> list[BotCommand]:
    with i18n.context(), i18n.use_locale(locale):
        return [
            BotCommand(command=name, description=description)
            for name, description in command_descriptions(admin)
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


def command_descriptions(admin: bool) -> list[tuple[str, str]]:
    """The command menu, in the current language."""
    listed = [
        ("start", _("Begin or continue")),
        ("menu", _("Main menu")),
        ("profile", _("My organisation's profile")),
        ("settings", _("Settings")),
        ("language", _("Change the language")),
        ("help", _("Help")),
        ("cancel", _("Cancel the current action")),
        ("events", _("Upcoming events")),
        ("unsubscribe", _("Stop event announcements")),
        ("mydata", _("Your data: download or delete")),
    ]
    if admin:
        listed += [
            ("stats", _("Network statistics")),
            ("verify", _("Verification requests")),
            ("reports", _("Reports on profiles")),
            ("event_new", _("Create an event")),
            ("events_admin", _("Events: publish, edit, cancel")),
            ("review", _("Posts waiting for review")),
            ("broadcast", _("Send a message to many users")),
            ("broadcast_cancel", _("Stop a running broadcast")),
            ("broadcasts", _("Past and running broadcasts")),
        ]
    return listed


def command_of(text: str | None) -> str | None:
    """`settings` for "/settings@bot now"; None when the text is not a command."""
    if not text or not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
