"""/settings: language, event announcements, topics, time zone, digest."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot import users, zones
from bot.handlers.events import preferences
from bot.handlers.events import texts as events_texts
from bot.handlers.settings import views
from bot.handlers.settings.callbacks import SettingsAction, SettingsPress, zone_choice
from bot.handlers.settings.states import PromptEnded, ZonePrompt
from bot.i18n import current_locale
from bot.navigation import (
    MenuAction,
    MenuPress,
    Pressed,
    PressOf,
    RefusalsAnswered,
    register_actions,
)
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the settings screen and the time zone prompt."""
    router = Router(name="settings")
    router.callback_query.filter(
        PressOf(SettingsPress, MenuPress), StateFilter(None, ZonePrompt.zone), Pressed()
    )
    router.callback_query.middleware(RefusalsAnswered())  # forged values: out of date
    router.callback_query.middleware(PromptEnded())  # a press ends the wait for a typed zone
    router.message.register(on_settings, Command("settings"), StateFilter(None))
    router.callback_query.register(
        on_settings_press, MenuPress.filter(F.action == MenuAction.SETTINGS), StateFilter(None)
    )
    register_actions(
        router,
        SettingsPress,
        {
            SettingsAction.TOGGLE: on_switch,
            SettingsAction.DIGEST: on_switch,
            SettingsAction.CALLS: on_switch,
            SettingsAction.KINDS: on_kinds,
            SettingsAction.KIND: on_kinds,
            SettingsAction.TOPICS: on_topics,
            SettingsAction.TOPIC: on_topics,
            SettingsAction.ZONES: on_zones,
            SettingsAction.ZONE: on_zones,
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


async def on_switch(
    query: CallbackQuery,
    message: Message,
    callback_data: SettingsPress,
    sessions: Sessions,
    user: UserInfo,
    i18n: I18n,
) -> None:
    """Event announcements (Toggle), the weekly digest (Digest) or other organisations'
    partner calls (Calls) on or off."""
    if callback_data.action == SettingsAction.TOGGLE:
        mine = await preferences.subscription_of(sessions, user.id)
        await preferences.set_events_on(sessions, user.id, not mine.on)
    elif callback_data.action == SettingsAction.CALLS:
        own = await users.settings_of(sessions, user.id, current_locale())
        await users.set_partner_calls_on(sessions, user.id, not own.partner_calls)
    else:
        own = await users.settings_of(sessions, user.id, current_locale())
        await users.set_digest_on(sessions, user.id, not own.digest)
    await views.settings_changed(query, message, sessions, user.id, i18n)


async def on_kinds(
    query: CallbackQuery,
    message: Message,
    callback_data: SettingsPress,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """The event kinds picker (Kinds), or one kind followed or not in it (Kind; a forged
    kind is refused)."""
    if callback_data.action == SettingsAction.KINDS:
        kinds = (await preferences.subscription_of(sessions, user.id)).kinds
    else:
        kinds = await preferences.toggle_kind(sessions, user.id, callback_data.value)
    await views.show_kinds(query, message, kinds)


async def on_topics(
    query: CallbackQuery,
    message: Message,
    callback_data: SettingsPress,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """The topics picker (Topics), or one topic followed or not in it (Topic; a forged
    topic is refused)."""
    topics = (await preferences.subscription_of(sessions, user.id)).topics
    if callback_data.action == SettingsAction.TOPIC:
        topics = await preferences.toggle_topic(sessions, user.id, callback_data.value, topics)
    await views.show_topics(query, message, topics)


async def on_zones(
    query: CallbackQuery,
    message: Message,
    callback_data: SettingsPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    i18n: I18n,
) -> None:
    """The zone picker (Zones), which also waits for a zone typed by name; or a zone chosen
    in it (Zone; a forged one is refused), or its Back (Zone "")."""
    if callback_data.action == SettingsAction.ZONES:
        await state.set_state(ZonePrompt.zone)
        await views.show_zones(query, message, sessions, user.id)
    elif callback_data.value == "":  # Back from the zone picker
        await views.settings_changed(query, message, sessions, user.id, i18n)
    else:
        zone = zone_choice(callback_data.value)
        await users.set_zone(sessions, user.id, zone)
        await views.zone_set(message, sessions, user.id, i18n, zone, query)


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
        await views.zone_unknown(message, await users.zone_of(sessions, user.id))
        return
    await state.set_state(None)
    await users.set_zone(sessions, user.id, zone)
    await views.zone_set(message, sessions, user.id, i18n, zone)


async def on_zone_not_text(message: Message) -> None:
    """A sticker or photo where a zone name is expected."""
    await message.answer(events_texts.text_expected())
