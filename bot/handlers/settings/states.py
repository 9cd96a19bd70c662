"""Waiting for a typed time zone."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import TelegramObject


class ZonePrompt(StatesGroup):
    """Waiting for a typed time zone name (from /settings)."""

    zone = State()


class PromptEnded(BaseMiddleware):
    """The settings router's presses: each ends the wait for a typed zone name before its
    handler runs (only opening the zone picker starts it again, see `on_zones`)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext = data["state"]
        await state.set_state(None)
        return await handler(event, data)
