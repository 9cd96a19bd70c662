"""Keyboards under /stats: the overview, a view, the country picker."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot import navigation, shared_texts
from bot.handlers.stats import texts
from bot.handlers.stats.callbacks import StatsAction, StatsPress
from bot.handlers.stats.indicators import ALL, GROUPS
from bot.screens import callback_button, fitted_rows
from bot.taxonomy import COUNTRIES


def _exports(view: str) -> list[InlineKeyboardButton]:
    return [
        callback_button(texts.button("chart"), StatsPress(action=StatsAction.CHART, view=view)),
        callback_button(texts.button("csv"), StatsPress(action=StatsAction.TABLE, view=view)),
        callback_button(texts.button("xlsx"), StatsPress(action=StatsAction.WORKBOOK, view=view)),
    ]


def overview() -> InlineKeyboardMarkup:
    """The groups, the country picker, the chart, the table, back to the menu."""
    groups = [
        callback_button(texts.place(code), StatsPress(action=StatsAction.VIEW, view=code))
        for code in GROUPS
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *fitted_rows(groups),
            [
                callback_button(
                    texts.button("countries"), StatsPress(action=StatsAction.COUNTRIES)
                ),
                callback_button(texts.button("network"), StatsPress(action=StatsAction.NETWORK)),
            ],
            *fitted_rows(_exports(ALL)),
            *navigation.back_to_menu().inline_keyboard,
        ]
    )


def view(code: str) -> InlineKeyboardMarkup:
    """Under a group's or a country's view: the chart, the table, back to the overview."""
    back = StatsPress(action=StatsAction.COUNTRIES if code in COUNTRIES else StatsAction.VIEW)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *fitted_rows(_exports(code)),
            [callback_button(shared_texts.button("back"), back)],
        ]
    )


def countries(present: list[str]) -> InlineKeyboardMarkup:
    """One button per country with organisations, back to the overview."""
    buttons = [
        callback_button(texts.place(code), StatsPress(action=StatsAction.VIEW, view=code))
        for code in present
    ]
    back = StatsPress(action=StatsAction.VIEW, view=ALL)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *fitted_rows(buttons),
            [callback_button(shared_texts.button("back"), back)],
        ]
    )


def network() -> InlineKeyboardMarkup:
    """Under the network at work: the weekly chart, back to the overview."""
    back = StatsPress(action=StatsAction.VIEW, view=ALL)
    weekly = StatsPress(action=StatsAction.WEEKLY)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("weekly"), weekly)],
            [callback_button(shared_texts.button("back"), back)],
        ]
    )
