"""Announcements, RSVPs, /events pages and /unsubscribe."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message

from bot import navigation, screens, users
from bot.clock import Clock
from bot.handlers.events import (
    admin_list,
    attending,
    drafts,
    keyboards,
    listings,
    preferences,
    rsvps,
    texts,
    views,
    wizard,
)
from bot.handlers.events.callbacks import EventAction, EventPress
from bot.handlers.events.rsvps import Answer
from bot.navigation import Pressed, PressOf, register_actions
from bot.scheduler import Planner
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """The admins' wizard and /events_admin first, then users' event screens."""
    router = Router(name="events")
    router.include_routers(admin_list.create_router(), wizard.create_router(), _users_router())
    return router


def _users_router() -> Router:
    """Routes for users' event screens."""
    router = Router(name="events_users")
    router.callback_query.filter(PressOf(EventPress))
    router.message.register(on_events, Command("events"), StateFilter(None))
    router.message.register(on_unsubscribe, Command("unsubscribe"))
    # An answer counts even when the message it was on is gone.
    register_actions(
        router, EventPress, {EventAction.GOING: on_rsvp, EventAction.NOT_GOING: on_rsvp}
    )
    register_actions(
        router, EventPress, {EventAction.PAGE: on_page, EventAction.OPEN: on_open}, Pressed()
    )
    return router


async def show_page(
    message: Message,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
    page: int,
    *,
    edit: bool,
) -> None:
    """A page of upcoming events in the user's time zone."""
    found = await listings.upcoming(sessions, user.id, page, clock.now())
    zone = await users.zone_of(sessions, user.id)
    text = texts.upcoming(found.events, found.page, zone, found.going)
    await screens.show(
        message, text, keyboards.upcoming(found.events, found.page, found.has_next), edit=edit
    )


async def on_events(message: Message, sessions: Sessions, user: UserInfo, clock: Clock) -> None:
    """/events."""
    await show_page(message, sessions, user, clock, 0, edit=False)


async def on_page(
    query: CallbackQuery,
    message: Message,
    callback_data: EventPress,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """A page button under /events."""
    await show_page(message, sessions, user, clock, callback_data.item, edit=True)
    await query.answer()


async def on_open(
    query: CallbackQuery,
    message: Message,
    callback_data: EventPress,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """An event's number under /events: its announcement, with RSVP buttons."""
    event = await drafts.load(sessions, callback_data.item)
    if event is None or event.status != "published":
        await query.answer(texts.rsvp_refused("cancelled" if event else "missing"), show_alert=True)
        return
    zone = await users.zone_of(sessions, user.id)
    text, markup = await views.card_for(sessions, user.id, event, zone)
    await message.answer(text, reply_markup=markup)
    await query.answer()


async def on_rsvp(
    query: CallbackQuery,
    callback_data: EventPress,
    bot: Bot,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
    planner: Planner,
) -> None:
    """I'll attend (reminders and a calendar file) or Not going."""
    going = callback_data.action is EventAction.GOING
    now = clock.now()
    answer, event = await rsvps.rsvp(sessions, callback_data.item, user.id, going, now)
    if answer not in (Answer.GOING, Answer.NOT_GOING) or event is None:
        await query.answer(texts.rsvp_refused(answer.value), show_alert=True)
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if not going:
        await query.message.answer(texts.not_going(event))
        return
    await attending.confirm_going(bot, query.message.chat.id, sessions, planner, event, now)


async def on_unsubscribe(message: Message, sessions: Sessions, user: UserInfo) -> None:
    """/unsubscribe: no more announcements, at once."""
    await preferences.unsubscribe(sessions, user.id)
    await message.answer(texts.unsubscribed(), reply_markup=navigation.back_to_menu())
