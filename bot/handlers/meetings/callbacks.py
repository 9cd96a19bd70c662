"""The meetings' presses (the "📅 Arrange a call" that starts them is on contacts' screens:
bot/handlers/contacts/callbacks.py, ArrangePress)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.navigation import Id

Code = Annotated[str, Field(max_length=10)]  # a day ("2026-12-08"), a time ("1530"), a length


class ProposeAction(StrEnum):
    """A step of proposing (or moving) a call."""

    DAY = "d"
    TIME = "t"
    LENGTH = "l"
    MORE = "m"  # another slot
    SEND = "s"
    BACK = "b"
    QUIT = "q"


class ProposePress(CallbackData, prefix="mw"):
    """A press in the proposal wizard; `value` is checked by the step that takes it."""

    action: ProposeAction
    value: Code = ""


class PickAction(StrEnum):
    """An answer to a proposal."""

    PICK = "p"
    NONE = "n"  # none of these fits: the roles swap
    LATER = "l"  # not now


class PickPress(CallbackData, prefix="mp"):
    """A press under a proposal."""

    action: PickAction
    meeting: Id
    slot: Annotated[int, Field(ge=0, le=2)] = 0


class CallAction(StrEnum):
    """A change to an agreed call."""

    MOVE = "mv"
    CANCEL = "cx"  # asks first
    CONFIRM = "cy"  # yes, cancel it
    KEEP = "ck"  # no: back to the call


class CallPress(CallbackData, prefix="mc"):
    """A press under an agreed call's confirmation."""

    action: CallAction
    meeting: Id
