"""Typed callback data. Values are validated again by the handlers: data can be forged."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class DataAction(StrEnum):
    """Buttons of the "Your data" screens."""

    SHOW = "show"  # the summary
    EXPORT = "export"  # send the file
    ERASE = "erase"  # ask to confirm
    CONFIRM = "confirm"  # delete everything


class DataPress(CallbackData, prefix="d"):
    """A press on the "Your data" screens (always about the presser's own data)."""

    action: DataAction
