"""Keyboard under /stats."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.ui import keyboards
from bot.ui import stats_texts as st
from bot.ui.callbacks import StatsAction, StatsPress
from bot.ui.keyboards import callback_button


def overview() -> InlineKeyboardMarkup:
    """The chart, the table, back to the menu."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(st.button("chart"), StatsPress(action=StatsAction.CHART)),
                callback_button(st.button("csv"), StatsPress(action=StatsAction.TABLE)),
            ],
            *keyboards.back_to_menu().inline_keyboard,
        ]
    )
