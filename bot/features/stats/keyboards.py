"""Keyboard under /stats."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot import navigation
from bot.features.stats import texts
from bot.features.stats.callbacks import StatsAction, StatsPress
from bot.screens import callback_button


def overview() -> InlineKeyboardMarkup:
    """The chart, the table, back to the menu."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(texts.button("chart"), StatsPress(action=StatsAction.CHART)),
                callback_button(texts.button("csv"), StatsPress(action=StatsAction.TABLE)),
            ],
            *navigation.back_to_menu().inline_keyboard,
        ]
    )
