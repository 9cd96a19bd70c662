"""/events_admin for admins: drafts, scheduled and upcoming events with their counts, and
their buttons: publish now, edit (the wizard opens at the preview), cancel (asked first).

The admin filter sits on the router, so every command and press is checked against
ADMIN_IDS again."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens, users
from bot.clock import Clock
from bot.config import Settings
from bot.filters import IsAdmin
from bot.handlers.events import (
    drafts,
    keyboards,
    listings,
    publishing,
    texts,
    views,
    wizard,
    wizard_steps,
)
from bot.handlers.events.callbacks import EventAdminAction, EventAdminPress
from bot.handlers.events.publishing import Cancelled
from bot.handlers.events.states import EventWizard
from bot.navigation import Pressed, PressOf, RefusalsAnswered, Refused
from bot.scheduler import Planner
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """/events_admin and the presses about an existing event (`item`), whatever the state."""
    router = Router(name="events_admin")
    router.callback_query.filter(PressOf(EventAdminPress))
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())
    router.callback_query.middleware(RefusalsAnswered())  # a press on a gone event: refused
    router.message.register(on_list, Command("events_admin"), StateFilter(None))
    router.callback_query.register(on_cancel, _listed(EventAdminAction.CANCEL), Pressed())
    router.callback_query.register(
        on_cancel_confirmed, _listed(EventAdminAction.CANCEL_CONFIRMED), Pressed()
    )
    router.callback_query.register(on_keep, _listed(EventAdminAction.KEEP), Pressed())
    router.callback_query.register(on_publish_listed, _listed(EventAdminAction.PUBLISH), Pressed())
    router.callback_query.register(on_edit, _listed(EventAdminAction.EDIT), Pressed())
    router.callback_query.register(wizard.on_stale, EventAdminPress.filter(F.item != 0))
    return router


def _listed(action: EventAdminAction) -> CallbackQueryFilter:
    """A press of /events_admin: `action` on an existing event."""
    return EventAdminPress.filter((F.action == action) & (F.item != 0))


async def on_list(
    message: Message,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
    user: UserInfo,
) -> None:
    """/events_admin."""
    zone = await users.zone_of(sessions, user.id)
    found = await listings.for_admins(sessions, clock.now())
    await message.answer(texts.admin_list(found, zone), reply_markup=keyboards.admin_list(found))


async def on_cancel(
    query: CallbackQuery, message: Message, callback_data: EventAdminPress, sessions: Sessions
) -> None:
    """🚫 in /events_admin: ask first, saying how many attendees will be told."""
    event = await drafts.load(sessions, callback_data.item)
    if event is None:
        raise Refused  # out of date
    if event.status == "cancelled":
        raise Refused(texts.already_cancelled)
    await query.answer()
    await message.answer(
        texts.confirm_cancel(event.draft.title, event.attending),
        reply_markup=keyboards.confirm_cancel(event.id),
    )


async def on_keep(query: CallbackQuery, message: Message, callback_data: EventAdminPress) -> None:
    """« Keep it: nothing is cancelled."""
    await query.answer()
    await screens.show(message, texts.kept(callback_data.item), None, edit=True)


async def on_cancel_confirmed(
    query: CallbackQuery,
    message: Message,
    callback_data: EventAdminPress,
    sessions: Sessions,
    clock: Clock,
    planner: Planner,
) -> None:
    """Yes, cancel it: the event is cancelled; whoever would attend is told."""
    now = clock.now()
    outcome, told = await publishing.cancel(sessions, callback_data.item, now)
    if outcome is Cancelled.ALREADY:
        raise Refused(texts.already_cancelled)
    if outcome is not Cancelled.DONE:
        raise Refused  # out of date
    planner.wake_at(now)
    await query.answer()
    await screens.show(message, texts.event_cancelled(told), None, edit=True)


async def on_publish_listed(
    query: CallbackQuery,
    message: Message,
    callback_data: EventAdminPress,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
    planner: Planner,
) -> None:
    """📣 in /events_admin: publish a draft (or a scheduled event) now."""
    now = clock.now()
    published = await publishing.publish(
        sessions, callback_data.item, now, settings.default_language, by=query.from_user.id
    )
    if published is None:
        await query.answer(texts.not_publishable(), show_alert=True)
        return
    planner.wake_at(now)
    await query.answer()
    await message.answer(texts.published(published))


async def on_edit(
    query: CallbackQuery,
    message: Message,
    callback_data: EventAdminPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """✏️ in /events_admin: open the wizard at the event's preview."""
    event = await drafts.load(sessions, callback_data.item)
    if event is None or event.status == "cancelled":
        await query.answer(texts.already_cancelled(), show_alert=True)
        return
    await query.answer()
    await state.set_state(EventWizard.writing)
    zone = await users.zone_of(sessions, user.id)
    await state.set_data(
        {
            "step": wizard_steps.PREVIEW,
            "answers": event.draft.dump(),
            "editing": event.id,
            "zone": zone,
            "complete": True,
        }
    )
    await views.ask(message, state, edit=False)
