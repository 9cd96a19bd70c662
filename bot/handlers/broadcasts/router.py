"""Admin broadcasts: /broadcast (text, or a reply to any message), the audience, Send;
/broadcast_cancel and the Stop button; /broadcasts, the reports.

The admin filter sits on the router: every command and every press is checked against
ADMIN_IDS again; a non-admin's press falls through to the catch-all's refusal."""

from __future__ import annotations

import re
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens
from bot.clock import Clock
from bot.config import Settings
from bot.delivery import broadcast_rows
from bot.delivery.broadcast_rows import Audience, Content
from bot.delivery.broadcaster import Broadcaster
from bot.filters import IsAdmin
from bot.handlers.broadcasts import keyboards, management, texts, views
from bot.handlers.broadcasts.callbacks import BroadcastAction, BroadcastPress
from bot.handlers.broadcasts.management import TEXT_MAX
from bot.handlers.broadcasts.states import Broadcasting
from bot.navigation import Pressed, PressOf, RefusalsAnswered, Refused, register_actions
from db.engine import Sessions

_COMMAND = re.compile(r"^/\w+(?:@\w+)?\s*")


def create_router() -> Router:
    """Admin-only routes."""
    router = Router(name="broadcast")
    router.callback_query.filter(PressOf(BroadcastPress), IsAdmin())
    router.message.filter(IsAdmin())
    router.callback_query.middleware(RefusalsAnswered())
    router.message.register(on_broadcast, Command("broadcast"))
    router.message.register(on_cancel, Command("broadcast_cancel"))
    router.message.register(on_history, Command("broadcasts"))
    router.callback_query.register(on_stop, BroadcastPress.filter(F.action == BroadcastAction.STOP))
    # The setup screen's presses (a press on any other, or on a message that is gone,
    # reaches on_expired below).
    register_actions(
        router,
        BroadcastPress,
        {
            BroadcastAction.CANCEL: on_setup_cancel,
            BroadcastAction.SEND: on_send,
            BroadcastAction.OPEN: on_open,
            BroadcastAction.TICK: on_tick,
            BroadcastAction.VERIFIED: on_verified,
            BroadcastAction.BACK: on_back,
        },
        Broadcasting.setup,
        Pressed(),
    )
    router.callback_query.register(on_expired, BroadcastPress.filter())
    return router


def _content(message: Message, command: CommandObject) -> Content | str:
    """What to send, or why there is nothing to send."""
    reply = message.reply_to_message
    if reply is not None:
        return Content(from_chat_id=reply.chat.id, message_id=reply.message_id)
    if not command.args or not command.args.strip():
        return texts.usage()
    if len(command.args) > TEXT_MAX:
        return texts.too_long(len(command.args))
    return Content(text=_COMMAND.sub("", message.html_text, count=1))


async def on_broadcast(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
    bot: Bot,
) -> None:
    """/broadcast: show the preview, then the audience screen."""
    content = _content(message, command)
    if isinstance(content, str):
        await message.answer(content)
        return
    await views.open_setup(message, content, state, bot, sessions, settings, clock)


async def _panel(message: Message, state: FSMContext) -> tuple[dict[str, Any], Audience]:
    """The broadcast being prepared on the setup screen pressed on, and its audience;
    refused (expired) for the screen of a broadcast no longer being prepared."""
    data = await state.get_data()
    if message.message_id != data.get("panel"):
        raise Refused(texts.expired)
    return data, Audience.load(data.get("audience"))


async def on_setup_cancel(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """Cancel on the audience screen: nothing is sent."""
    await _panel(message, state)  # refused unless still being prepared
    await state.clear()
    await screens.show(message, texts.cancelled_setup(), None, edit=True)
    await query.answer()


async def on_send(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
    broadcaster: Broadcaster,
) -> None:
    """Send to the audience chosen."""
    data, audience = await _panel(message, state)
    await views.send(query, message, data, audience, state, sessions, settings, clock, broadcaster)


async def on_open(
    query: CallbackQuery,
    message: Message,
    callback_data: BroadcastPress,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
) -> None:
    """A picker of countries, languages or focus areas."""
    _, audience = await _panel(message, state)
    if callback_data.kind is None:
        await views.show_setup(query, message, audience, state, sessions, settings, clock)
    else:
        await views.show_picker(query, message, callback_data.kind, audience, state)


async def on_tick(
    query: CallbackQuery,
    message: Message,
    callback_data: BroadcastPress,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
) -> None:
    """One value ticked or unticked in a picker."""
    _, audience = await _panel(message, state)
    kind = callback_data.kind
    if kind is None:
        await views.show_setup(query, message, audience, state, sessions, settings, clock)
        return
    if callback_data.code not in keyboards.CHOICES[kind]:
        raise Refused
    audience = audience.toggled(kind.value, callback_data.code)
    await views.show_picker(query, message, kind, audience, state)


async def on_verified(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
) -> None:
    """The "verified organisations only" criterion on or off."""
    _, current = await _panel(message, state)
    audience = Audience.load({**current.dump(), "verified": not current.verified})
    await views.show_setup(query, message, audience, state, sessions, settings, clock)


async def on_back(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
) -> None:
    """From a picker back to the audience screen."""
    _, audience = await _panel(message, state)
    await views.show_setup(query, message, audience, state, sessions, settings, clock)


async def on_stop(
    query: CallbackQuery,
    callback_data: BroadcastPress,
    sessions: Sessions,
    clock: Clock,
    broadcaster: Broadcaster,
) -> None:
    """Stop under a live status."""
    if not await management.cancel(sessions, callback_data.item, clock.now()):
        raise Refused(texts.not_running)
    broadcaster.stop_sending(callback_data.item)
    await query.answer(texts.stopped(callback_data.item))


async def on_cancel(
    message: Message,
    command: CommandObject,
    sessions: Sessions,
    clock: Clock,
    broadcaster: Broadcaster,
) -> None:
    """/broadcast_cancel [id]: stop that broadcast, or every one running."""
    wanted = (command.args or "").strip()
    if not wanted:
        targets = [summary.id for summary in await broadcast_rows.running(sessions)]
    else:
        plain = wanted.isascii() and wanted.isdecimal() and len(wanted) < 10
        targets = [int(wanted)] if plain else []
    stopped = [i for i in targets if await management.cancel(sessions, i, clock.now())]
    for broadcast_id in stopped:
        broadcaster.stop_sending(broadcast_id)
    if not stopped:
        await message.answer(texts.not_running() if wanted else texts.none_running())
        return
    await message.answer("\n".join(texts.stopped(i) for i in stopped))


async def on_history(message: Message, sessions: Sessions) -> None:
    """/broadcasts: the latest ones with their reports."""
    await message.answer(texts.history(await management.recent(sessions)))


async def on_expired(query: CallbackQuery) -> None:
    """A press on the setup screen of a broadcast no longer being prepared."""
    await query.answer(texts.expired(), show_alert=True)
