"""Commands that do not conflict with the questionnaire work in the middle of it.

/settings, /events, /mydata and the like pause the questionnaire (its answers stay where
they are), run as anywhere else, and leave a reminder with Continue, which takes the user
back to the same question. Commands that start a flow of their own (/profile's editing)
are still refused there.

Admins are not held by it: an admin command from an admin parks the questionnaire in a
slot of its own (its state and answers, out of the way of /broadcast's and /event_new's
own) and runs at once, without a reminder. The parked questionnaire comes back as a paused
one the next time the chat is idle and something looks for it (/start, Continue, /mydata)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject

from bot.commands import ADMIN_COMMANDS, command_of
from bot.handlers.onboarding import keyboards, texts
from bot.handlers.onboarding.questionnaire import position
from bot.handlers.onboarding.states import Questionnaire
from bot.users import UserInfo

DETOUR_COMMANDS = frozenset(
    {
        "settings", "events", "unsubscribe", "mydata",
        "stats", "verify", "reports", "events_admin", "broadcasts", "broadcast_cancel",
        "review",
    }
)  # fmt: skip
IN_FLOW = frozenset({Questionnaire.answering.state, Questionnaire.review.state})
PAUSED = "paused"  # FSM data: the questionnaire state a detour left
PARKING = "questionnaire"  # the FSM destiny an admin's questionnaire is parked in


def _parking(state: FSMContext) -> FSMContext:
    return FSMContext(storage=state.storage, key=replace(state.key, destiny=PARKING))


async def park(state: FSMContext) -> bool:
    """Move a questionnaire in progress or paused (state and answers) to its own slot and
    leave the chat's state empty; False when there was none."""
    current = await state.get_state()
    data = await state.get_data()
    if current not in IN_FLOW:
        current = data.get(PAUSED) if current is None else None
        if current not in IN_FLOW:
            return False
    parking = _parking(state)
    await parking.set_state(current)
    await parking.set_data({key: value for key, value in data.items() if key != PAUSED})
    await state.set_state(None)
    await state.set_data({})
    return True


async def _unpark(state: FSMContext) -> str | None:
    """A parked questionnaire back in the chat's slot, as a paused one; its state."""
    parking = _parking(state)
    parked = await parking.get_state()
    if parked not in IN_FLOW:
        return None
    data = await parking.get_data()
    await state.update_data({**data, PAUSED: parked})
    await parking.clear()
    return parked


async def discard(state: FSMContext) -> None:
    """Forget a parked questionnaire (everything about the user is being deleted)."""
    await _parking(state).clear()


async def paused_state(state: FSMContext) -> str | None:
    """The questionnaire state a detour paused, if the user is on one (a parked one is
    brought back for it)."""
    if await state.get_state() is not None:
        return None
    paused = (await state.get_data()).get(PAUSED)
    if paused in IN_FLOW:
        return str(paused)
    return await _unpark(state)


async def resume(state: FSMContext) -> bool:
    """Back into a paused questionnaire; False when none was paused."""
    paused = await paused_state(state)
    if paused is None:
        return False
    await state.set_state(paused)
    await state.update_data({PAUSED: None})
    return True


class QuestionnaireDetour(BaseMiddleware):
    """Outer middleware for messages: pauses the questionnaire for a detour command, parks
    it for an admin's command."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext | None = data.get("state")
        command = command_of(event.text) if isinstance(event, Message) else None
        if not isinstance(event, Message) or state is None or command is None:
            return await handler(event, data)
        user: UserInfo | None = data.get("user")
        if command in ADMIN_COMMANDS and user is not None and user.is_admin:
            if await park(state):
                data["raw_state"] = None  # state filters read this, computed before us
            return await handler(event, data)
        if command not in DETOUR_COMMANDS:
            return await handler(event, data)
        current = await state.get_state()
        if current in IN_FLOW:
            await state.set_state(None)
            await state.update_data({PAUSED: current})
            data["raw_state"] = None
        elif await paused_state(state) is None:
            return await handler(event, data)
        result = await handler(event, data)
        paused = await paused_state(state)
        if paused is not None:  # still paused after the detour: the way back
            saved = await state.get_data()
            index, total = position(saved.get("step") or "", saved.get("answers", {}))
            if paused == Questionnaire.review.state:
                index = total
            await event.answer(texts.paused(index, total), reply_markup=keyboards.resume())
        return result
