"""Waiting for the words of a free-text search."""

from aiogram.fsm.state import State, StatesGroup


class Search(StatesGroup):
    """Waiting for the words of a free-text search. Filters live in the data (`filters`),
    with or without this state."""

    text = State()
