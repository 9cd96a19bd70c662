"""Presses on questions and on the summary card."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class StepAction(StrEnum):
    """What a questionnaire button does."""

    PICK = "pick"
    TOGGLE = "toggle"
    DONE = "done"
    YES = "yes"
    NO = "no"
    BACK = "back"
    SKIP = "skip"
    KEEP = "keep"


class StepPress(CallbackData, prefix="q"):
    """A button under a question; `step` tells stale presses from current ones."""

    step: str
    action: StepAction
    value: str = ""


class ReviewAction(StrEnum):
    """Buttons under the summary card, the field list and the resume prompt."""

    CONFIRM = "confirm"
    FIELDS = "fields"
    FIELD = "field"
    SUMMARY = "summary"
    CONTINUE = "continue"
    RESTART = "restart"


class ReviewPress(CallbackData, prefix="rv"):
    """A press on the summary card or its field list."""

    action: ReviewAction
    field: str = ""
