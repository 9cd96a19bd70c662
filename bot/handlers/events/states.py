"""The event wizard's state."""

from aiogram.fsm.state import State, StatesGroup


class EventWizard(StatesGroup):
    """/event_new (and Edit). Data: `step` (a code of `wizard_steps.STEPS`, or the preview
    or publishing at a date), `answers` (what was given so far, JSON-safe, shaped as
    `Draft.dump`), `editing` (the event's id, or None), `zone` (the admin's time zone) and
    `complete` (the preview was reached)."""

    writing = State()
