"""A command leaves a prompt that waits for typed words (search words, a registration
number, an admin's note), so that /menu and friends work from there as anywhere."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject


class LeavePromptOnCommand(BaseMiddleware):
    """Outer middleware for messages: `/command` in one of `prompt_states` (the features'
    states that only wait for typed words) clears the state."""

    def __init__(self, prompt_states: Collection[str]) -> None:
        self.prompt_states = frozenset(prompt_states)

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
            and await state.get_state() in self.prompt_states
        ):
            await state.set_state(None)
            data["raw_state"] = None  # state filters read this, computed before us
            data["left_prompt"] = True  # /cancel says what it cancelled
        return await handler(event, data)
