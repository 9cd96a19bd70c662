"""The proposal wizard's steps: a day, a time (buttons or typed), a length, then the review."""

from aiogram.fsm.state import State, StatesGroup


class Proposing(StatesGroup):
    """Proposing up to three slots, or moving an agreed call to one."""

    day = State()
    time = State()
    length = State()
    review = State()
