"""Showing the settings screen."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n

from bot import navigation, users
from bot.handlers.events import preferences
from bot.handlers.privacy import keyboards as privacy_keyboards
from bot.handlers.settings import keyboards, texts
from bot.i18n import current_locale
from bot.screens import show
from db.engine import Sessions


async def show_settings(
    message: Message,
    sessions: Sessions,
    user_id: int,
    i18n: I18n,
    *,
    edit: bool,
) -> None:
    """The settings screen: language, and the event announcements."""
    mine = await users.settings_of(sessions, user_id, current_locale())
    following = await preferences.subscription_of(sessions, user_id)
    text = (
        texts.settings(i18n.current_locale)
        + "\n\n"
        + texts.settings_block(following.on, following.kinds, following.topics, mine.zone)
    )
    rows = [
        *keyboards.settings(following.on, mine.digest, mine.partner_calls).inline_keyboard,
        privacy_keyboards.entry(),
        *navigation.settings().inline_keyboard,
    ]
    await show(message, text, InlineKeyboardMarkup(inline_keyboard=rows), edit=edit)
