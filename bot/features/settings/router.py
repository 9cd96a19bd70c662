"""/settings: language, event announcements, topics, time zone, digest."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot import screens, shared_texts, zones
from bot.features.events import preferences
from bot.features.events import texts as events_texts
from bot.features.settings import keyboards, texts, views
from bot.features.settings.callbacks import SettingsAction, SettingsPress
from bot.features.settings.states import ZonePrompt
from bot.i18n import current_locale
from bot.taxonomy import EVENT_KINDS, TOPICS
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the settings screen and the time zone prompt."""
    router = Router(name="settings")
    router.message.register(on_settings, Command("settings"), StateFilter(None))
    router.callback_query.register(
        on_settings_press, SettingsPress.filter(), StateFilter(None, ZonePrompt.zone)
    )
    router.message.register(on_zone_typed, ZonePrompt.zone, F.text)
    router.message.register(on_zone_not_text, ZonePrompt.zone)
    return router


async def on_settings(
    message: Message,
    sessions: Sessions,
    user: UserInfo,
    i18n: I18n,
) -> None:
    """/settings."""
    await views.show_settings(message, sessions, user.id, i18n, edit=False)


async def on_settings_press(
    query: CallbackQuery,
    callback_data: SettingsPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    i18n: I18n,
) -> None:
    """The event part of /settings."""
    message = await screens.pressed_message(query)
    if message is None:
        return
    action, value = callback_data.action, callback_data.value
    if action is not SettingsAction.ZONES:
        await state.set_state(None)  # only the zone picker waits for a typed name
    mine = await preferences.settings_of(sessions, user.id, current_locale())
    if action is SettingsAction.TOGGLE:
        await preferences.set_events_on(sessions, user.id, not mine.on)
        await views.show_settings(message, sessions, user.id, i18n, edit=True)
    elif action is SettingsAction.DIGEST:
        await preferences.set_digest_on(sessions, user.id, not mine.digest)
        await views.show_settings(message, sessions, user.id, i18n, edit=True)
    elif action in (SettingsAction.KINDS, SettingsAction.KIND):
        kinds = mine.kinds
        if action is SettingsAction.KIND:
            if value not in EVENT_KINDS:
                await query.answer(shared_texts.stale_button(), show_alert=True)
                return
            kinds = await preferences.toggle_kind(sessions, user.id, value)
        await screens.show(message, texts.kinds_prompt(), keyboards.kinds_picker(kinds), edit=True)
    elif action in (SettingsAction.TOPICS, SettingsAction.TOPIC):
        topics = mine.topics
        if action is SettingsAction.TOPIC:
            if value not in TOPICS:
                await query.answer(shared_texts.stale_button(), show_alert=True)
                return
            topics = await preferences.toggle_topic(sessions, user.id, value, topics)
        await screens.show(
            message, texts.topics_prompt(), keyboards.topics_picker(topics), edit=True
        )
    elif action is SettingsAction.ZONES:
        await state.set_state(ZonePrompt.zone)
        await screens.show(
            message, texts.zone_prompt(mine.zone), keyboards.zone_picker(mine.zone), edit=True
        )
    elif value == "":  # Back from the zone picker
        await views.show_settings(message, sessions, user.id, i18n, edit=True)
    else:
        index = int(value) if value.isdecimal() and len(value) < 4 else -1
        if not 0 <= index < len(zones.CHOICES):
            await query.answer(shared_texts.stale_button(), show_alert=True)
            return
        await preferences.set_zone(sessions, user.id, zones.CHOICES[index])
        await query.answer(texts.zone_set(zones.CHOICES[index]))
        await views.show_settings(message, sessions, user.id, i18n, edit=True)
        return
    await query.answer()


async def on_zone_typed(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    i18n: I18n,
) -> None:
    """A time zone typed by name."""
    zone = zones.known(message.text or "")
    if zone is None:
        current = await preferences.zone_of(sessions, user.id)
        await message.answer(texts.zone_unknown(), reply_markup=keyboards.zone_picker(current))
        return
    await state.set_state(None)
    await preferences.set_zone(sessions, user.id, zone)
    await message.answer(texts.zone_set(zone))
    await views.show_settings(message, sessions, user.id, i18n, edit=False)


async def on_zone_not_text(message: Message) -> None:
    """A sticker or photo where a zone name is expected."""
    await message.answer(events_texts.text_expected())
