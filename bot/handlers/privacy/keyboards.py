"""Keyboards of the "Your data" screens."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot import shared_texts
from bot.handlers.privacy import texts
from bot.handlers.privacy.callbacks import DataAction, DataPress
from bot.navigation import MenuAction, MenuPress
from bot.screens import callback_button


def entry() -> list[InlineKeyboardButton]:
    """The row that opens the screen (on the settings screen)."""
    return [callback_button(texts.button("open"), DataPress(action=DataAction.SHOW))]


def summary() -> InlineKeyboardMarkup:
    """Download, delete, back to settings or the menu."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("export"), DataPress(action=DataAction.EXPORT))],
            [callback_button(texts.button("erase"), DataPress(action=DataAction.ERASE))],
            [
                callback_button(
                    shared_texts.button("settings"), MenuPress(action=MenuAction.SETTINGS)
                ),
                callback_button(shared_texts.button("menu"), MenuPress(action=MenuAction.HOME)),
            ],
        ]
    )


def confirm() -> InlineKeyboardMarkup:
    """Delete for good, or go back."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("confirm"), DataPress(action=DataAction.CONFIRM))],
            [callback_button(texts.button("keep"), DataPress(action=DataAction.SHOW))],
        ]
    )
