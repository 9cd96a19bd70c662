"""Keyboards of the "Your data" screens."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.ui import privacy_texts as pt
from bot.ui import texts
from bot.ui.callbacks import DataAction, DataPress, MenuAction, MenuPress
from bot.ui.keyboards import callback_button


def entry() -> list[InlineKeyboardButton]:
    """The row that opens the screen (on the settings screen)."""
    return [callback_button(pt.button("open"), DataPress(action=DataAction.SHOW))]


def summary() -> InlineKeyboardMarkup:
    """Download, delete, back to settings or the menu."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(pt.button("export"), DataPress(action=DataAction.EXPORT))],
            [callback_button(pt.button("erase"), DataPress(action=DataAction.ERASE))],
            [
                callback_button(texts.button("settings"), MenuPress(action=MenuAction.SETTINGS)),
                callback_button(texts.button("menu"), MenuPress(action=MenuAction.HOME)),
            ],
        ]
    )


def confirm() -> InlineKeyboardMarkup:
    """Delete for good, or go back."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(pt.button("confirm"), DataPress(action=DataAction.CONFIRM))],
            [callback_button(pt.button("keep"), DataPress(action=DataAction.SHOW))],
        ]
    )
