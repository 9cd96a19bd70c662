"""An admin prepares a broadcast."""

from aiogram.fsm.state import State, StatesGroup


class Broadcasting(StatesGroup):
    """An admin prepares a broadcast. Data: `content` (text or message to copy),
    `audience` and `panel` (the setup message's id)."""

    setup = State()
