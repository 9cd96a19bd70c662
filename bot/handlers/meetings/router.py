"""Routes for proposing, answering, moving and cancelling calls (handlers stay thin: the
rules are in proposals.py, what follows them in changes.py, the wizard in wizard.py)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens
from bot.clock import Clock
from bot.config import Settings
from bot.delivery.notifier import Notifier
from bot.handlers.contacts.callbacks import ArrangePress
from bot.handlers.meetings import changes, keyboards, proposals, texts, wizard
from bot.handlers.meetings.callbacks import (
    CallAction,
    CallPress,
    PickAction,
    PickPress,
    ProposeAction,
    ProposePress,
)
from bot.handlers.meetings.states import Proposing
from bot.navigation import Pressed, PressOf, RefusalsAnswered, register_actions
from bot.scheduler import Planner
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """The wizard's steps (in its states only), answers to proposals, changes to calls."""
    router = Router(name="meetings")
    router.callback_query.filter(PressOf(ArrangePress, ProposePress, PickPress, CallPress))
    router.callback_query.middleware(RefusalsAnswered())  # MeetingRefused: its reason
    router.callback_query.register(wizard.on_arrange, ArrangePress.filter(), Pressed())
    register_actions(
        router,
        ProposePress,
        {
            ProposeAction.DAY: wizard.on_day,
            ProposeAction.TIME: wizard.on_time,
            ProposeAction.LENGTH: wizard.on_length,
            ProposeAction.MORE: wizard.on_more,
            ProposeAction.SEND: wizard.on_send,
            ProposeAction.BACK: wizard.on_back,
            ProposeAction.QUIT: wizard.on_quit,
        },
        StateFilter(Proposing),
        Pressed(),
    )
    register_actions(
        router,
        PickPress,
        {PickAction.PICK: on_pick, PickAction.NONE: on_none, PickAction.LATER: on_later},
        Pressed(),
    )
    register_actions(
        router,
        CallPress,
        {
            CallAction.MOVE: on_move,
            CallAction.CANCEL: on_cancel,
            CallAction.CONFIRM: on_confirm_cancel,
            CallAction.KEEP: on_keep,
        },
        Pressed(),
    )
    router.message.register(wizard.on_typed_time, Proposing.time, F.text)
    router.message.register(on_typed_elsewhere, StateFilter(Proposing))
    return router


async def on_pick(
    query: CallbackQuery, callback_data: PickPress, message: Message, bot: Bot,
    sessions: Sessions, notifier: Notifier, planner: Planner, settings: Settings,
    user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """The first member to pick a slot decides."""
    call = await proposals.pick(
        sessions, user.id, callback_data.meeting, callback_data.slot, clock.now(),
        str(settings.video_base_url),
    )  # fmt: skip
    await query.answer()
    await changes.picked(message, call, bot, sessions, notifier, planner, user, clock)


async def on_none(
    query: CallbackQuery, callback_data: PickPress, message: Message, state: FSMContext,
    bot: Bot, sessions: Sessions, notifier: Notifier, user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """None of these fits: the roles swap, the presser proposes times of their own."""
    call = await proposals.decline(sessions, user.id, callback_data.meeting, clock.now(), swap=True)
    await query.answer()
    await changes.declined(message, call, bot, sessions, notifier, user, swap=True)
    try:
        pair = await proposals.start(sessions, user.id, call.request_id, clock.now())
    except proposals.MeetingRefused as refused:
        await message.answer(refused.text())
        return
    await wizard.begin(message, state, pair, sessions, user, clock)


async def on_later(
    query: CallbackQuery, callback_data: PickPress, message: Message, bot: Bot,
    sessions: Sessions, notifier: Notifier, user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Not now: the proposer is told, politely."""
    call = await proposals.decline(
        sessions, user.id, callback_data.meeting, clock.now(), swap=False
    )
    await query.answer()
    await changes.declined(message, call, bot, sessions, notifier, user, swap=False)


async def on_move(
    query: CallbackQuery, callback_data: CallPress, message: Message, state: FSMContext,
    sessions: Sessions, user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Move an agreed call: the wizard, for one time."""
    call = await proposals.call_of(sessions, user.id, callback_data.meeting, clock.now())
    pair = await proposals.pair_of(sessions, user.id, call.request_id)
    await query.answer()
    await wizard.begin(message, state, pair, sessions, user, clock, moving=call.meeting_id)


async def on_cancel(
    query: CallbackQuery, callback_data: CallPress, message: Message, sessions: Sessions,
    user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Cancel an agreed call: asked once first."""
    call = await proposals.call_of(sessions, user.id, callback_data.meeting, clock.now())
    await query.answer()
    zone = call.side_of(user.id)[0].person(user.id).zone
    text = texts.agreed(call, user.id, zone) + "\n\n" + texts.ask_cancel()
    await screens.show(message, text, keyboards.confirm_cancel(call.meeting_id), edit=True)


async def on_confirm_cancel(
    query: CallbackQuery, callback_data: CallPress, message: Message, bot: Bot,
    sessions: Sessions, notifier: Notifier, user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Yes, cancel it: the other side is told at once."""
    await changes.cancel(message, callback_data.meeting, bot, sessions, notifier, user, clock)
    await query.answer()


async def on_keep(
    query: CallbackQuery, callback_data: CallPress, message: Message, sessions: Sessions,
    user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Not cancelled after all: the call as it stands."""
    call = await proposals.call_of(sessions, user.id, callback_data.meeting, clock.now())
    await query.answer()
    zone = call.side_of(user.id)[0].person(user.id).zone
    markup = keyboards.agreed(call.meeting_id)
    await screens.show(message, texts.agreed(call, user.id, zone), markup, edit=True)


async def on_typed_elsewhere(message: Message) -> None:
    """Typed words where the wizard waits for a press."""
    await message.answer(texts.need_buttons())
