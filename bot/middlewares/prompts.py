"""A command leaves a prompt that waits for typed words (search words, a registration
number, an admin's note), or an admin's wizard (an event, a broadcast's setup), so that
/menu and friends work from there as anywhere: the command is never taken as an answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject

from bot.commands import command_of


class LeavePromptOnCommand(BaseMiddleware):
    """Outer middleware for messages: `/command` in one of `prompt_states` (the features'
    states that wait for typed words or presses) clears the state, but for the `staying`
    commands, which the features answer inside it (a wizard's /help, and its /cancel, which
    stops it and takes its buttons away). With `forget`, the state's data goes too (a
    wizard's answers, kept nowhere else until it is saved)."""

    def __init__(
        self, prompt_states: Collection[str], staying: Collection[str] = (), *, forget: bool = False
    ) -> None:
        self.prompt_states = frozenset(prompt_states)
        self.staying = frozenset(staying)
        self.forget = forget

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext | None = data.get("state")
        if (
            isinstance(event, Message)
            and state is not None
            and (event.text or "").startswith("/")
            and command_of(event.text) not in self.staying
            and await state.get_state() in self.prompt_states
        ):
            await (state.clear() if self.forget else state.set_state(None))
            data["raw_state"] = None  # state filters read this, computed before us
            data["left_prompt"] = True  # /cancel says what it cancelled
        return await handler(event, data)
