"""Presses of calls and offers. The filters travel in each press (no state to lose)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.navigation import Id


class FindAction(StrEnum):
    LIST = "l"  # a page of the list, with the filters given
    CHOOSE = "c"  # the options of one filter (`name`: kind, topic or country)
    OPEN = "o"  # `item`: one post's card (`post`: "call" or "event"), sent below


class FindPress(CallbackData, prefix="fd"):
    action: FindAction
    kind: Annotated[str, Field(max_length=12)] = ""
    topic: Annotated[str, Field(max_length=16)] = ""
    country: Annotated[str, Field(max_length=6)] = ""
    page: Id = 0
    name: Annotated[str, Field(max_length=8)] = ""
    item: Id = 0
    post: Annotated[str, Field(max_length=5)] = ""
