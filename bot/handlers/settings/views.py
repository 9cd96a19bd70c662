"""Showing the settings screen."""

from __future__ import annotations

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
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


async def show_kinds(query: CallbackQuery, message: Message, kinds: list[str] | None) -> None:
    """The event kinds picker (`kinds` followed; None: all), and the press answered."""
    await show(message, texts.kinds_prompt(), keyboards.kinds_picker(kinds), edit=True)
    await query.answer()


async def show_topics(query: CallbackQuery, message: Message, topics: list[str]) -> None:
    """The topics picker (`topics` followed), and the press answered."""
    await show(message, texts.topics_prompt(), keyboards.topics_picker(topics), edit=True)
    await query.answer()


async def show_zones(
    query: CallbackQuery, message: Message, sessions: Sessions, user_id: int
) -> None:
    """The zone picker (the user's zone now marked), and the press answered."""
    zone = (await users.settings_of(sessions, user_id, current_locale())).zone
    await show(message, texts.zone_prompt(zone), keyboards.zone_picker(zone), edit=True)
    await query.answer()


async def settings_changed(
    query: CallbackQuery, message: Message, sessions: Sessions, user_id: int, i18n: I18n
) -> None:
    """The settings screen again (after a change, or Back from a picker), then the press
    answered."""
    await show_settings(message, sessions, user_id, i18n, edit=True)
    await query.answer()


async def zone_set(
    message: Message,
    sessions: Sessions,
    user_id: int,
    i18n: I18n,
    zone: str,
    query: CallbackQuery | None = None,
) -> None:
    """A zone set: said (as the press's answer if chosen in the picker, else as a message
    after one typed), then the settings screen (edited in place after a press)."""
    if query is None:
        await message.answer(texts.zone_set(zone))
    else:
        await query.answer(texts.zone_set(zone))
    await show_settings(message, sessions, user_id, i18n, edit=query is not None)


async def zone_unknown(message: Message, zone: str) -> None:
    """A typed name that is no time zone: said, with the picker (`zone` the user's now)."""
    await message.answer(texts.zone_unknown(), reply_markup=keyboards.zone_picker(zone))
