"""Waiting for a typed time zone."""

from aiogram.fsm.state import State, StatesGroup


class ZonePrompt(StatesGroup):
    """Waiting for a typed time zone name (from /settings)."""

    zone = State()
