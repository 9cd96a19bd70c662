"""Admin broadcasts: /broadcast (text, or a reply to any message), the audience, Send;
/broadcast_cancel and the Stop button; /broadcasts, the reports.

The admin filter sits on the router: every command and every press is checked against
ADMIN_IDS again; a non-admin's press falls through to the catch-all's refusal."""

from __future__ import annotations

import re

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.delivery.broadcaster import Broadcaster, Progress
from bot.handlers import flow
from bot.handlers.admin import IsAdmin
from bot.i18n import current_locale
from bot.services import broadcasts
from bot.services.broadcasts import TEXT_MAX, Audience, Content
from bot.states import Broadcasting
from bot.ui import broadcast_keyboards as bk
from bot.ui import broadcast_texts as bt
from bot.ui import texts
from bot.ui.callbacks import BroadcastAction, BroadcastPress

_COMMAND = re.compile(r"^/\w+(?:@\w+)?\s*")


def create_router() -> Router:
    """Admin-only routes."""
    router = Router(name="broadcast")
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())
    router.message.register(on_broadcast, Command("broadcast"))
    router.message.register(on_cancel, Command("broadcast_cancel"))
    router.message.register(on_history, Command("broadcasts"))
    router.callback_query.register(on_stop, BroadcastPress.filter(F.action == BroadcastAction.STOP))
    router.callback_query.register(on_setup_press, Broadcasting.setup, BroadcastPress.filter())
    router.callback_query.register(on_expired, BroadcastPress.filter())
    return router


def _content(message: Message, command: CommandObject) -> Content | str:
    """What to send, or why there is nothing to send."""
    reply = message.reply_to_message
    if reply is not None:
        return Content(from_chat_id=reply.chat.id, message_id=reply.message_id)
    if not command.args or not command.args.strip():
        return bt.usage()
    if len(command.args) > TEXT_MAX:
        return bt.too_long(len(command.args))
    return Content(text=_COMMAND.sub("", message.html_text, count=1))


async def on_broadcast(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: Clock,
    bot: Bot,
) -> None:
    """/broadcast: show the preview, then the audience screen."""
    content = _content(message, command)
    if isinstance(content, str):
        await message.answer(content)
        return
    if content.text is not None:
        await message.answer(content.text)
    else:
        assert content.from_chat_id is not None and content.message_id is not None
        await bot.copy_message(message.chat.id, content.from_chat_id, content.message_id)
    audience = Audience()
    reach = await broadcasts.count_audience(
        sessions, audience, clock.now(), settings.default_language
    )
    panel = await message.answer(bt.setup(audience, reach), reply_markup=bk.setup(audience, reach))
    await state.set_state(Broadcasting.setup)
    await state.set_data(
        {
            "content": {
                "text": content.text,
                "from_chat_id": content.from_chat_id,
                "message_id": content.message_id,
            },
            "audience": audience.dump(),
            "panel": panel.message_id,
        }
    )


async def on_setup_press(
    query: CallbackQuery,
    callback_data: BroadcastPress,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: Clock,
    broadcaster: Broadcaster,
) -> None:
    """A press on the audience screen or a picker."""
    data = await state.get_data()
    message = query.message
    if not isinstance(message, Message) or message.message_id != data.get("panel"):
        await on_expired(query)
        return
    audience = Audience.load(data.get("audience"))
    action, kind = callback_data.action, callback_data.kind
    if action is BroadcastAction.CANCEL:
        await state.clear()
        await flow.show(message, bt.cancelled_setup(), None, edit=True)
        await query.answer()
        return
    if action is BroadcastAction.SEND:
        await _send(query, message, data, audience, state, sessions, settings, clock, broadcaster)
        return
    if action is BroadcastAction.TICK and kind is not None:
        if callback_data.code not in bk.CHOICES[kind]:
            await query.answer(texts.stale_button(), show_alert=True)
            return
        audience = audience.toggled(kind.value, callback_data.code)
    elif action is BroadcastAction.VERIFIED:
        audience = Audience.load({**audience.dump(), "verified": not audience.verified})
    await state.update_data(audience=audience.dump())
    if action in (BroadcastAction.OPEN, BroadcastAction.TICK) and kind is not None:
        await flow.show(
            message, bt.picker(kind.value, audience), bk.picker(kind, audience), edit=True
        )
    else:
        now = clock.now()
        reach = await broadcasts.count_audience(sessions, audience, now, settings.default_language)
        await flow.show(message, bt.setup(audience, reach), bk.setup(audience, reach), edit=True)
    await query.answer()


async def _send(
    query: CallbackQuery,
    message: Message,
    data: dict[str, object],
    audience: Audience,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: Clock,
    broadcaster: Broadcaster,
) -> None:
    """Write every recipient's row, turn the screen into the live status, start sending."""
    stored = data.get("content")
    if not isinstance(stored, dict):
        await on_expired(query)
        return
    content = Content(**{k: stored.get(k) for k in ("text", "from_chat_id", "message_id")})
    admin = (query.from_user.id, current_locale())
    summary = await broadcasts.create(
        sessions, admin, content, audience, clock.now(), settings.default_language
    )
    if summary is None:
        await query.answer(bt.nobody(), show_alert=True)
        return
    await state.clear()  # a second press (handled after this one) finds nothing to send
    progress = Progress(summary, summary.counts, 0.0, None, finished=False)
    shown = await flow.show(message, bt.status(progress), bk.running(summary.id), edit=True)
    await broadcasts.attach_status(sessions, summary.id, shown.chat.id, shown.message_id)
    assert message.bot is not None
    broadcaster.launch(message.bot, summary.id)
    await query.answer()


async def on_stop(
    query: CallbackQuery,
    callback_data: BroadcastPress,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    broadcaster: Broadcaster,
) -> None:
    """Stop under a live status."""
    if not await broadcasts.cancel(sessions, callback_data.item, clock.now()):
        await query.answer(bt.not_running(), show_alert=True)
        return
    broadcaster.stop_sending(callback_data.item)
    await query.answer(bt.stopped(callback_data.item))


async def on_cancel(
    message: Message,
    command: CommandObject,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    broadcaster: Broadcaster,
) -> None:
    """/broadcast_cancel [id]: stop that broadcast, or every one running."""
    wanted = (command.args or "").strip()
    if not wanted:
        targets = [summary.id for summary in await broadcasts.running(sessions)]
    else:
        targets = [int(wanted)] if wanted.isdecimal() and len(wanted) < 10 else []
    stopped = [i for i in targets if await broadcasts.cancel(sessions, i, clock.now())]
    for broadcast_id in stopped:
        broadcaster.stop_sending(broadcast_id)
    if not stopped:
        await message.answer(bt.not_running() if wanted else bt.none_running())
        return
    await message.answer("\n".join(bt.stopped(i) for i in stopped))


async def on_history(message: Message, sessions: async_sessionmaker[AsyncSession]) -> None:
    """/broadcasts: the latest ones with their reports."""
    await message.answer(bt.history(await broadcasts.recent(sessions)))


async def on_expired(query: CallbackQuery) -> None:
    """A press on the setup screen of a broadcast no longer being prepared."""
    await query.answer(bt.expired(), show_alert=True)
