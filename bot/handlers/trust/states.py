"""Asking for the trust badge."""

from aiogram.fsm.state import State, StatesGroup


class Trust(StatesGroup):
    """Asking for the trust badge: the registration number, then the website."""

    registration = State()
    website = State()
