"""Events for users: /events, RSVP on announcements (with an .ics file), /unsubscribe and
the event part of /settings (announcements on/off, kinds, time zone)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.handlers import flow
from bot.i18n import current_locale
from bot.jobs import Planner
from bot.services import calendar, events, zones
from bot.services.events import Answer
from bot.services.users import UserInfo
from bot.states import ZonePrompt
from bot.taxonomy import EVENT_KINDS, TOPICS
from bot.ui import event_keyboards as ek
from bot.ui import event_texts as et
from bot.ui import keyboards, texts
from bot.ui.callbacks import EventAction, EventPress, SettingsAction, SettingsPress


def create_router() -> Router:
    """Routes for users' event screens."""
    router = Router(name="events")
    router.message.register(on_events, Command("events"), StateFilter(None))
    router.message.register(on_unsubscribe, Command("unsubscribe"))
    router.callback_query.register(
        on_rsvp, EventPress.filter(F.action.in_({EventAction.GOING, EventAction.NOT_GOING}))
    )
    router.callback_query.register(on_events_press, EventPress.filter())
    router.callback_query.register(
        on_settings_press, SettingsPress.filter(), StateFilter(None, ZonePrompt.zone)
    )
    router.message.register(on_zone_typed, ZonePrompt.zone, F.text)
    router.message.register(on_zone_not_text, ZonePrompt.zone)
    return router


async def show_page(
    message: Message,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
    page: int,
    *,
    edit: bool,
) -> None:
    """A page of upcoming events in the user's time zone."""
    found = await events.upcoming(sessions, user.id, page, clock.now())
    zone = await flow.zone_of(sessions, user.id)
    text = et.upcoming(found.events, found.page, zone, found.going)
    await flow.show(message, text, ek.upcoming(found.events, found.page, found.has_next), edit=edit)


async def on_events(
    message: Message, sessions: async_sessionmaker[AsyncSession], user: UserInfo, clock: Clock
) -> None:
    """/events."""
    await show_page(message, sessions, user, clock, 0, edit=False)


async def on_events_press(
    query: CallbackQuery,
    callback_data: EventPress,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
) -> None:
    """A page button or an event's number."""
    if not isinstance(query.message, Message):
        await query.answer(texts.stale_button(), show_alert=True)
        return
    if callback_data.action is EventAction.PAGE:
        await show_page(query.message, sessions, user, clock, callback_data.item, edit=True)
        await query.answer()
        return
    event = await events.load(sessions, callback_data.item)
    if event is None or event.status != "published":
        await query.answer(et.rsvp_refused("cancelled" if event else "missing"), show_alert=True)
        return
    zone = await flow.zone_of(sessions, user.id)
    await query.message.answer(et.card(event, zone), reply_markup=ek.rsvp(event.id))
    await query.answer()


async def on_rsvp(
    query: CallbackQuery,
    callback_data: EventPress,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
    planner: Planner,
) -> None:
    """I'll attend (reminders and a calendar file) or Not going."""
    going = callback_data.action is EventAction.GOING
    now = clock.now()
    answer, event = await events.rsvp(sessions, callback_data.item, user.id, going, now)
    if answer not in (Answer.GOING, Answer.NOT_GOING) or event is None:
        await query.answer(et.rsvp_refused(answer.value), show_alert=True)
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if not going:
        await query.message.answer(et.not_going(event))
        return
    planner.wake_at(await events.next_due(sessions))
    ics = BufferedInputFile(calendar.ics(event, now), filename=calendar.filename(event))
    await query.message.answer_document(ics, caption=et.going(event))


async def on_unsubscribe(
    message: Message, sessions: async_sessionmaker[AsyncSession], user: UserInfo
) -> None:
    """/unsubscribe: no more announcements, at once."""
    await events.unsubscribe(sessions, user.id)
    await message.answer(et.unsubscribed(), reply_markup=keyboards.back_to_menu())


async def on_settings_press(
    query: CallbackQuery,
    callback_data: SettingsPress,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    i18n: I18n,
) -> None:
    """The event part of /settings."""
    message = await flow.pressed_message(query)
    if message is None:
        return
    action, value = callback_data.action, callback_data.value
    if action is not SettingsAction.ZONES:
        await state.set_state(None)  # only the zone picker waits for a typed name
    mine = await events.settings_of(sessions, user.id, current_locale())
    if action is SettingsAction.TOGGLE:
        await events.set_events_on(sessions, user.id, not mine.on)
        await flow.show_settings(message, sessions, user.id, i18n, edit=True)
    elif action is SettingsAction.DIGEST:
        await events.set_digest_on(sessions, user.id, not mine.digest)
        await flow.show_settings(message, sessions, user.id, i18n, edit=True)
    elif action in (SettingsAction.KINDS, SettingsAction.KIND):
        kinds = mine.kinds
        if action is SettingsAction.KIND:
            if value not in EVENT_KINDS:
                await query.answer(texts.stale_button(), show_alert=True)
                return
            kinds = await events.toggle_kind(sessions, user.id, value)
        await flow.show(message, et.kinds_prompt(), ek.kinds_picker(kinds), edit=True)
    elif action in (SettingsAction.TOPICS, SettingsAction.TOPIC):
        topics = mine.topics
        if action is SettingsAction.TOPIC:
            if value not in TOPICS:
                await query.answer(texts.stale_button(), show_alert=True)
                return
            topics = await events.toggle_topic(sessions, user.id, value, topics)
        await flow.show(message, et.topics_prompt(), ek.topics_picker(topics), edit=True)
    elif action is SettingsAction.ZONES:
        await state.set_state(ZonePrompt.zone)
        await flow.show(message, et.zone_prompt(mine.zone), ek.zone_picker(mine.zone), edit=True)
    elif value == "":  # Back from the zone picker
        await flow.show_settings(message, sessions, user.id, i18n, edit=True)
    else:
        index = int(value) if value.isdecimal() and len(value) < 4 else -1
        if not 0 <= index < len(zones.CHOICES):
            await query.answer(texts.stale_button(), show_alert=True)
            return
        await events.set_zone(sessions, user.id, zones.CHOICES[index])
        await query.answer(et.zone_set(zones.CHOICES[index]))
        await flow.show_settings(message, sessions, user.id, i18n, edit=True)
        return
    await query.answer()


async def on_zone_typed(
    message: Message,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    i18n: I18n,
) -> None:
    """A time zone typed by name."""
    zone = zones.known(message.text or "")
    if zone is None:
        current = await flow.zone_of(sessions, user.id)
        await message.answer(et.zone_unknown(), reply_markup=ek.zone_picker(current))
        return
    await state.set_state(None)
    await events.set_zone(sessions, user.id, zone)
    await message.answer(et.zone_set(zone))
    await flow.show_settings(message, sessions, user.id, i18n, edit=False)


async def on_zone_not_text(message: Message) -> None:
    """A sticker or photo where a zone name is expected."""
    await message.answer(et.text_expected())
