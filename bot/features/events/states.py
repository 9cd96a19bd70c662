"""The event wizard's state."""

from aiogram.fsm.state import State, StatesGroup


class EventWizard(StatesGroup):
    """/event_new (and Edit). Data: `step` (a code of `event_texts.STEPS`), `answers`
    (what was given so far, JSON-safe), `editing` (the event's id, or None)."""

    writing = State()
