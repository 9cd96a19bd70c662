"""/settings: language, event announcements, topics, time zone, digest."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot import screens, users, zones
from bot.handlers.events import preferences
from bot.handlers.events import texts as events_texts
from bot.handlers.events.preferences import Subscription
from bot.handlers.settings import keyboards, texts, views
from bot.handlers.settings.callbacks import SettingsAction, SettingsPress
from bot.handlers.settings.states import ZonePrompt
from bot.i18n import current_locale
from bot.navigation import (
    MenuAction,
    MenuPress,
    Pressed,
    PressOf,
    RefusalsAnswered,
    Refused,
    register_actions,
)
from bot.taxonomy import EVENT_KINDS, TOPICS
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the settings screen and the time zone prompt."""
    router = Router(name="settings")
    router.callback_query.filter(
        PressOf(SettingsPress, MenuPress), StateFilter(None, ZonePrompt.zone), Pressed()
    )
    router.callback_query.middleware(RefusalsAnswered())  # forged values: out of date
    router.message.register(on_settings, Command("settings"), StateFilter(None))
    router.callback_query.register(
        on_settings_press, MenuPress.filter(F.action == MenuAction.SETTINGS), StateFilter(None)
    )
    register_actions(
        router,
        SettingsPress,
        {
            SettingsAction.TOGGLE: on_toggle,
            SettingsAction.DIGEST: on_digest,
            SettingsAction.CALLS: on_partner_calls,
            SettingsAction.KINDS: on_kinds,
            SettingsAction.KIND: on_kind,
            SettingsAction.TOPICS: on_topics,
            SettingsAction.TOPIC: on_topic,
            SettingsAction.ZONES: on_zones,
            SettingsAction.ZONE: on_zone,
        },
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
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo, i18n: I18n
) -> None:
    """The settings screen (the main menu's Settings, or Done on a settings screen)."""
    await query.answer()
    await views.show_settings(message, sessions, user.id, i18n, edit=True)


async def _settings(state: FSMContext, sessions: Sessions, user: UserInfo) -> Subscription:
    """What the presser follows of the announcements; the wait for a typed zone name ends
    (only opening the zone picker starts it, see `on_zones`)."""
    await state.set_state(None)
    return await preferences.subscription_of(sessions, user.id)


async def on_toggle(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    i18n: I18n,
) -> None:
    """Event announcements on or off."""
    mine = await _settings(state, sessions, user)
    await preferences.set_events_on(sessions, user.id, not mine.on)
    await views.show_settings(message, sessions, user.id, i18n, edit=True)
    await query.answer()


async def on_digest(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    i18n: I18n,
) -> None:
    """The weekly digest on or off."""
    await state.set_state(None)  # only the zone picker waits for a typed name
    mine = await users.settings_of(sessions, user.id, current_locale())
    await users.set_digest_on(sessions, user.id, not mine.digest)
    await views.show_settings(message, sessions, user.id, i18n, edit=True)
    await query.answer()


async def on_partner_calls(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    i18n: I18n,
) -> None:
    """Other organisations' partner calls on or off."""
    await state.set_state(None)  # only the zone picker waits for a typed name
    mine = await users.settings_of(sessions, user.id, current_locale())
    await users.set_partner_calls_on(sessions, user.id, not mine.partner_calls)
    await views.show_settings(message, sessions, user.id, i18n, edit=True)
    await query.answer()


async def on_kinds(
    query: CallbackQuery, message: Message, state: FSMContext, sessions: Sessions, user: UserInfo
) -> None:
    """The event kinds picker."""
    mine = await _settings(state, sessions, user)
    await _show_kinds(query, message, mine.kinds)


async def on_kind(
    query: CallbackQuery,
    message: Message,
    callback_data: SettingsPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """One event kind followed or not, in the picker."""
    await state.set_state(None)  # only the zone picker waits for a typed name
    if callback_data.value not in EVENT_KINDS:
        raise Refused  # a forged value: out of date
    kinds = await preferences.toggle_kind(sessions, user.id, callback_data.value)
    await _show_kinds(query, message, kinds)


async def _show_kinds(query: CallbackQuery, message: Message, kinds: list[str] | None) -> None:
    await screens.show(message, texts.kinds_prompt(), keyboards.kinds_picker(kinds), edit=True)
    await query.answer()


async def on_topics(
    query: CallbackQuery, message: Message, state: FSMContext, sessions: Sessions, user: UserInfo
) -> None:
    """The topics picker."""
    mine = await _settings(state, sessions, user)
    await _show_topics(query, message, mine.topics)


async def on_topic(
    query: CallbackQuery,
    message: Message,
    callback_data: SettingsPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """One topic followed or not, in the picker."""
    mine = await _settings(state, sessions, user)
    if callback_data.value not in TOPICS:
        raise Refused  # a forged value: out of date
    topics = await preferences.toggle_topic(sessions, user.id, callback_data.value, mine.topics)
    await _show_topics(query, message, topics)


async def _show_topics(query: CallbackQuery, message: Message, topics: list[str]) -> None:
    await screens.show(message, texts.topics_prompt(), keyboards.topics_picker(topics), edit=True)
    await query.answer()


async def on_zones(
    query: CallbackQuery, message: Message, state: FSMContext, sessions: Sessions, user: UserInfo
) -> None:
    """The zone picker, which also waits for a zone typed by name."""
    mine = await users.settings_of(sessions, user.id, current_locale())
    await state.set_state(ZonePrompt.zone)
    await screens.show(
        message, texts.zone_prompt(mine.zone), keyboards.zone_picker(mine.zone), edit=True
    )
    await query.answer()


async def on_zone(
    query: CallbackQuery,
    message: Message,
    callback_data: SettingsPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    i18n: I18n,
) -> None:
    """A zone chosen in the picker, or its Back ("")."""
    await state.set_state(None)  # only the zone picker waits for a typed name
    value = callback_data.value
    if value == "":  # Back from the zone picker
        await views.show_settings(message, sessions, user.id, i18n, edit=True)
        await query.answer()
        return
    index = int(value) if value.isdecimal() and len(value) < 4 else -1
    if not 0 <= index < len(zones.CHOICES):
        raise Refused  # a forged value: out of date
    await users.set_zone(sessions, user.id, zones.CHOICES[index])
    await query.answer(texts.zone_set(zones.CHOICES[index]))
    await views.show_settings(message, sessions, user.id, i18n, edit=True)


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
        current = await users.zone_of(sessions, user.id)
        await message.answer(texts.zone_unknown(), reply_markup=keyboards.zone_picker(current))
        return
    await state.set_state(None)
    await users.set_zone(sessions, user.id, zone)
    await message.answer(texts.zone_set(zone))
    await views.show_settings(message, sessions, user.id, i18n, edit=False)


async def on_zone_not_text(message: Message) -> None:
    """A sticker or photo where a zone name is expected."""
    await message.answer(events_texts.text_expected())
