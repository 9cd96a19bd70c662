"""Typed callback data. Values are validated again by the handlers: data can be forged."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.navigation import AdminsOnly


class StatsAction(StrEnum):
    """Buttons under /stats (admins only, re-checked on every press)."""

    VIEW = "view"  # show a view (all, a group, a country) in place
    COUNTRIES = "countries"  # the country picker, in place
    NETWORK = "network"  # the network at work, in place
    WEEKLY = "weekly"  # the week-by-week chart
    CHART = "chart"
    TABLE = "table"
    WORKBOOK = "xlsx"


class StatsPress(CallbackData, AdminsOnly, prefix="sta"):
    """A press under /stats; `view` is "all", a group code or a country code."""

    action: StatsAction
    view: str = "all"
