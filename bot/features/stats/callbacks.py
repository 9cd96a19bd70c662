"""Typed callback data. Values are validated again by the handlers: data can be forged."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class StatsAction(StrEnum):
    """Buttons under /stats (admins only, re-checked on every press)."""

    CHART = "chart"
    TABLE = "table"


class StatsPress(CallbackData, prefix="sta"):
    """A press under /stats."""

    action: StatsAction
