"""Commands that do not conflict with the questionnaire work in the middle of it.

/settings, /events, /mydata, /stats and the admins' read-and-decide commands pause the
questionnaire (its answers stay where they are), run as anywhere else, and leave a
reminder with Continue, which takes the user back to the same question. Commands that start
a flow of their own (/event_new, /broadcast, /profile's editing) are still refused there."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject

from bot.commands import command_of
from bot.features.onboarding import keyboards, texts
from bot.features.onboarding.questionnaire import position
from bot.features.onboarding.states import Questionnaire

DETOUR_COMMANDS = frozenset(
    {
        "settings", "events", "unsubscribe", "mydata",
        "stats", "verify", "reports", "events_admin", "broadcasts", "broadcast_cancel",
    }
)  # fmt: skip
IN_FLOW = frozenset({Questionnaire.answering.state, Questionnaire.review.state})
PAUSED = "paused"  # FSM data: the questionnaire state a detour left


async def paused_state(state: FSMContext) -> str | None:
    """The questionnaire state a detour paused, if the user is on one."""
    if await state.get_state() is not None:
        return None
    paused = (await state.get_data()).get(PAUSED)
    return paused if paused in IN_FLOW else None


async def resume(state: FSMContext) -> bool:
    """Back into a paused questionnaire; False when none was paused."""
    paused = await paused_state(state)
    if paused is None:
        return False
    await state.set_state(paused)
    await state.update_data({PAUSED: None})
    return True


class QuestionnaireDetour(BaseMiddleware):
    """Outer middleware for messages: pauses the questionnaire for a detour command."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext | None = data.get("state")
        if (
            not isinstance(event, Message)
            or state is None
            or command_of(event.text) not in DETOUR_COMMANDS
        ):
            return await handler(event, data)
        current = await state.get_state()
        if current in IN_FLOW:
            await state.set_state(None)
            await state.update_data({PAUSED: current})
            data["raw_state"] = None  # state filters read this, computed before us
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
