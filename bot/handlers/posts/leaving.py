"""Leaving the posts wizard midway. A command (but /help, answered inside, and /cancel,
which stops it) or a press that is not the wizard's own clears the chat's state, so that
the next words typed are not taken as the next step's answer; the draft (the wizard's state
and data) is parked in an FSM slot of its own, kept where the chat's state is kept (the
database, or Redis), and 📣 Offer or seek offers to continue it at the step it was left,
as the questionnaire offers its Continue. Starting another post replaces it.

The question of an answer to a post (🙋 We're interested, 📝 Apply) is left the same way by
a press elsewhere (a command leaves it already: it is a prompt, bot/app.py's
PROMPT_STATES): nothing is sent, and the next words typed do not go to the host."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Final

from aiogram import BaseMiddleware
from aiogram.filters.callback_data import CallbackDataException
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.commands import command_of
from bot.handlers.posts.callbacks import PostAction, PostPress, PostStepPress
from bot.handlers.posts.states import PostWizard

PARKING: Final = "post_draft"  # the FSM destiny a draft left midway is parked in
WIZARD: Final = frozenset({PostWizard.writing.state, PostWizard.calling.state})
ANSWERING: Final = PostWizard.answering.state
STAYING_COMMANDS: Final = frozenset({"help", "cancel"})
# Posts' presses that belong to the wizard (its steps are PostStepPress), or open one.
STAYING_PRESSES: Final = frozenset(
    {
        PostAction.SUBMIT,
        PostAction.CARD,
        PostAction.EVENT,
        PostAction.INTERNSHIP,
        PostAction.CALL,
        PostAction.EDIT,
        PostAction.REDO,
        PostAction.RESUME,
    }
)


def _parking(state: FSMContext) -> FSMContext:
    return FSMContext(storage=state.storage, key=replace(state.key, destiny=PARKING))


async def park(state: FSMContext) -> bool:
    """Move a post being written (state and data) to its own slot and leave the chat's
    state empty; False when no post was being written."""
    current = await state.get_state()
    if current not in WIZARD:
        return False
    parking = _parking(state)
    await parking.set_state(current)
    await parking.set_data(await state.get_data())
    await state.clear()
    return True


async def parked(state: FSMContext) -> dict[str, Any] | None:
    """The data of the draft left midway, if there is one."""
    parking = _parking(state)
    if await parking.get_state() not in WIZARD:
        return None
    return await parking.get_data()


async def resume(state: FSMContext) -> bool:
    """The parked draft back in the chat's slot, at its step; False when there is none."""
    parking = _parking(state)
    current = await parking.get_state()
    if current not in WIZARD:
        return False
    await state.set_state(current)
    await state.set_data(await parking.get_data())
    await parking.clear()
    return True


async def discard(state: FSMContext) -> None:
    """Forget the parked draft (another post replaces it, or everything about the user is
    being deleted)."""
    await _parking(state).clear()


def _leaves(event: TelegramObject) -> bool:
    """Whether the update takes the user out of the wizard."""
    if isinstance(event, Message):
        command = command_of(event.text)
        return command is not None and command not in STAYING_COMMANDS
    if not isinstance(event, CallbackQuery):
        return False
    data = event.data or ""
    if data.startswith(PostStepPress.__prefix__ + ":"):
        return False
    try:
        press = PostPress.unpack(data)
    except (CallbackDataException, ValueError, TypeError):
        return True
    return press.action not in STAYING_PRESSES


def _leaves_question(event: TelegramObject) -> bool:
    """Whether a press leaves the question of an answer (its ✖ Cancel does it itself)."""
    if not isinstance(event, CallbackQuery):
        return False
    try:
        return PostPress.unpack(event.data or "").action is not PostAction.DROP
    except (CallbackDataException, ValueError, TypeError):
        return True


class LeaveWizardOnDetour(BaseMiddleware):
    """Outer middleware for messages and presses: parks the post being written when the
    user goes elsewhere, and leaves an answer's question (see the module's docstring)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext | None = data.get("state")
        # aiogram's FSM middleware read the state already: no second read on the hot path.
        if state is None or data.get("raw_state") not in (*WIZARD, ANSWERING):
            return await handler(event, data)
        if _leaves(event) and await park(state):
            data["raw_state"] = None  # state filters read this, computed before us
        elif _leaves_question(event) and await state.get_state() == ANSWERING:
            await state.clear()
            data["raw_state"] = None
        return await handler(event, data)
