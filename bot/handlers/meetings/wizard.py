"""Proposing a call (or moving one): a day, a time (pressed or typed), a length, up to three
times, then the review and Send. Each step edits the wizard's one message; every press
re-checks that the presser belongs to one side of the introduction."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot import navigation, screens
from bot.clock import Clock
from bot.delivery.notifier import Notifier
from bot.handlers.contacts.callbacks import ArrangePress
from bot.handlers.meetings import changes, keyboards, proposals, slots, texts
from bot.handlers.meetings.callbacks import ProposePress
from bot.handlers.meetings.slots import LENGTHS, Slot, SlotProblem
from bot.handlers.meetings.states import Proposing
from bot.scheduler import Planner
from bot.users import UserInfo
from db.engine import Sessions

REQUEST, MOVE, SLOTS, DAY, TIME = "mt_request", "mt_move", "mt_slots", "mt_day", "mt_time"
SCREEN = "mt_screen"  # the wizard's message: its buttons go when a typed answer moves it on


async def begin(
    message: Message, state: FSMContext, pair: proposals.Pair, sessions: Sessions,
    user: UserInfo, clock: Clock, *, moving: int = 0,
) -> None:  # fmt: skip
    """Start the wizard in a message of its own (the introduction's message keeps its
    contacts)."""
    await state.set_state(Proposing.day)
    await state.set_data({REQUEST: pair.request_id, MOVE: moving, SLOTS: []})
    await show(message, state, sessions, user, clock, edit=False)


async def on_arrange(
    query: CallbackQuery,
    callback_data: ArrangePress,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """ "📅 Arrange a call" under an accepted introduction."""
    pair = await proposals.start(sessions, user.id, callback_data.request, clock.now())
    await query.answer()
    await begin(message, state, pair, sessions, user, clock)


def _slots(data: dict[str, Any]) -> list[Slot]:
    return [Slot.unpacked(value) for value in data.get(SLOTS, [])]


async def show(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
    *,
    edit: bool,
    notice: str = "",
) -> None:
    """The current step's screen (after `notice`, a problem with the last answer)."""
    data = await state.get_data()
    pair = await proposals.pair_of(sessions, user.id, int(data[REQUEST]))
    zone = pair.mine.person(user.id).zone
    chosen = _slots(data)
    moving = bool(data.get(MOVE))
    number = len(chosen) + 1
    step = await state.get_state()
    markup: InlineKeyboardMarkup
    if step == Proposing.review.state:
        text, markup = texts.review(pair, chosen, zone), keyboards.review(len(chosen))
    else:
        head = texts.wizard_head(pair, number, 1, moving=moving)
        done = texts.chosen(chosen, pair, zone)
        text = head + (f"\n\n{done}" if done else "") + "\n\n" + texts.ask_day(zone)
        markup = keyboards.days(slots.days(clock.now(), zone))
        day = slots.parse_day(str(data.get(DAY, "")))
        if step == Proposing.time.state and day is not None:
            head = texts.wizard_head(pair, number, 2, moving=moving)
            text = head + "\n\n" + texts.ask_time(day)
            markup = keyboards.times(slots.times(day, zone, clock.now()))
        elif step == Proposing.length.state and day is not None:
            head = texts.wizard_head(pair, number, 3, moving=moving)
            text = head + "\n\n" + texts.ask_length()
            markup = keyboards.lengths()
    if notice:
        text = notice + "\n\n" + text
    shown = await screens.show(message, text, markup, edit=edit)
    if shown.message_id != data.get(SCREEN):
        await screens.strip_keyboard(message, data.get(SCREEN))
        await state.update_data({SCREEN: shown.message_id})


async def _zone(sessions: Sessions, state: FSMContext, user: UserInfo) -> str:
    data = await state.get_data()
    pair = await proposals.pair_of(sessions, user.id, int(data[REQUEST]))
    return pair.mine.person(user.id).zone


async def on_day(
    query: CallbackQuery, callback_data: ProposePress, message: Message, state: FSMContext,
    sessions: Sessions, user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Step 1: a day; one in the past (the buttons were shown yesterday) is asked again."""
    day = slots.parse_day(callback_data.value)
    if day is None:
        raise navigation.Refused()
    await query.answer()
    zone = await _zone(sessions, state, user)
    found = slots.day_problem(day, zone, clock.now())
    if found is not None:
        notice = texts.problem(found)
        await show(message, state, sessions, user, clock, edit=True, notice=notice)
        return
    await state.update_data({DAY: day.isoformat()})
    await state.set_state(Proposing.time)
    await show(message, state, sessions, user, clock, edit=True)


async def on_time(
    query: CallbackQuery, callback_data: ProposePress, message: Message, state: FSMContext,
    sessions: Sessions, user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Step 2, pressed."""
    value = slots.parse_time_code(callback_data.value)
    if value is None:
        raise navigation.Refused()
    await query.answer()
    await _take_time(message, state, sessions, user, clock, value, edit=True)


async def on_typed_time(
    message: Message, state: FSMContext, sessions: Sessions, user: UserInfo, clock: Clock
) -> None:
    """Step 2, typed ("15:30"): anything else is explained and the step asked again."""
    value = slots.parse_time(message.text or "")
    if value is None:
        notice = texts.problem(SlotProblem.NOT_A_TIME)
        await show(message, state, sessions, user, clock, edit=False, notice=notice)
        return
    await _take_time(message, state, sessions, user, clock, value, edit=False)


async def _take_time(
    message: Message, state: FSMContext, sessions: Sessions, user: UserInfo, clock: Clock,
    value: Any, *, edit: bool,
) -> None:  # fmt: skip
    data = await state.get_data()
    day = slots.parse_day(str(data.get(DAY, "")))
    if day is None:
        raise navigation.Refused()
    zone = await _zone(sessions, state, user)
    found = slots.day_problem(day, zone, clock.now())  # midnight passed since the day was chosen
    if found is not None:
        await state.set_state(Proposing.day)
    else:
        found = slots.problem(slots.at(day, value, zone), clock.now())
    if found is not None:
        notice = texts.problem(found)
        await show(message, state, sessions, user, clock, edit=edit, notice=notice)
        return
    await state.update_data({TIME: slots.time_code(value)})
    await state.set_state(Proposing.length)
    await show(message, state, sessions, user, clock, edit=edit)


async def on_length(
    query: CallbackQuery, callback_data: ProposePress, message: Message, state: FSMContext,
    bot: Bot, sessions: Sessions, notifier: Notifier, planner: Planner, user: UserInfo,
    clock: Clock,
) -> None:  # fmt: skip
    """Step 3: the slot is complete (checked again: time has passed since the day was
    chosen); moving a call, it moves at once."""
    data = await state.get_data()
    day = slots.parse_day(str(data.get(DAY, "")))
    value = slots.parse_time_code(str(data.get(TIME, "")))
    if day is None or value is None or not callback_data.value.isdigit():
        raise navigation.Refused()
    minutes = int(callback_data.value)
    if minutes not in LENGTHS:
        raise navigation.Refused()
    zone = await _zone(sessions, state, user)
    slot = Slot(slots.at(day, value, zone), minutes)
    found = slots.problem(slot.starts_at, clock.now())
    if found is not None:
        await query.answer()
        await state.set_state(Proposing.time)
        notice = texts.problem(found)
        await show(message, state, sessions, user, clock, edit=True, notice=notice)
        return
    if data.get(MOVE):  # refused (cancelled meanwhile…) before anything changed
        await changes.move(
            message, int(data[MOVE]), slot, bot, sessions, notifier, planner, user, clock
        )
        await state.clear()
        await query.answer()
        return
    await query.answer()
    await state.update_data({SLOTS: [*data.get(SLOTS, []), slot.packed()]})
    await state.set_state(Proposing.review)
    await show(message, state, sessions, user, clock, edit=True)


async def on_more(
    query: CallbackQuery, message: Message, state: FSMContext, sessions: Sessions,
    user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Another time (up to three)."""
    if len(_slots(await state.get_data())) >= slots.MAX_SLOTS:
        raise navigation.Refused()
    await query.answer()
    await state.set_state(Proposing.day)
    await show(message, state, sessions, user, clock, edit=True)


async def on_back(
    query: CallbackQuery, message: Message, state: FSMContext, sessions: Sessions,
    user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """One step back; on the review it takes the last time away, on the first day it
    leaves."""
    step, data = await state.get_state(), await state.get_data()
    chosen = data.get(SLOTS, [])
    await query.answer()
    if step == Proposing.time.state:
        await state.set_state(Proposing.day)
    elif step == Proposing.length.state:
        await state.set_state(Proposing.time)
    elif step == Proposing.review.state:
        await state.update_data({SLOTS: chosen[:-1]})
        await state.set_state(Proposing.review if len(chosen) > 1 else Proposing.day)
    elif chosen:
        await state.set_state(Proposing.review)
    else:
        await state.clear()
        await screens.show(message, texts.quit_done(moving=bool(data.get(MOVE))), None, edit=True)
        return
    await show(message, state, sessions, user, clock, edit=True)


async def on_quit(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """Leave without sending (or, moving a call, without moving it)."""
    moving = bool((await state.get_data()).get(MOVE))
    await state.clear()
    await query.answer()
    await screens.show(message, texts.quit_done(moving=moving), None, edit=True)


async def on_send(
    query: CallbackQuery, message: Message, state: FSMContext, bot: Bot, sessions: Sessions,
    notifier: Notifier, user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Send the proposal to every member of the other organisation."""
    data = await state.get_data()
    chosen = _slots(data)
    try:
        proposal = await proposals.propose(
            sessions, user.id, int(data[REQUEST]), chosen, clock.now()
        )
    except proposals.MeetingRefused as refused:
        if refused.reason is proposals.MeetingRefusal.BAD_SLOTS:
            await query.answer()
            keep = [s for s in chosen if slots.problem(s.starts_at, clock.now()) is None]
            await state.update_data({SLOTS: [s.packed() for s in keep]})
            await state.set_state(Proposing.review if keep else Proposing.day)
            notice = texts.refusal(refused.reason)
            await show(message, state, sessions, user, clock, edit=True, notice=notice)
            return
        raise
    await state.clear()
    await query.answer()
    theirs = proposal.pair.theirs
    await screens.show(message, texts.sent(theirs.name), None, edit=True)
    await changes.send_proposal(bot, sessions, notifier, proposal)
