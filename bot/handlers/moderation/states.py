"""An admin writes how a verification was checked."""

from aiogram.fsm.state import State, StatesGroup


class AdminNote(StatesGroup):
    """An admin writes how a verification was checked. Data: `verification`, `approve`."""

    note = State()
