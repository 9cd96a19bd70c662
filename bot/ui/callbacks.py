"""Typed callback data. Values are validated again by the handlers: data can be forged."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class LanguagePick(CallbackData, prefix="lang"):
    """A language chosen in the picker."""

    code: str


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


class MenuAction(StrEnum):
    """Main menu destinations."""

    HOME = "home"
    PROFILE = "profile"
    EDIT = "edit"
    FIELD = "field"
    SETTINGS = "settings"
    LANGUAGE = "language"
    HELP = "help"
    ONBOARD = "onboard"


class MenuPress(CallbackData, prefix="m"):
    """A press on the main menu, the profile card or settings."""

    action: MenuAction
    field: str = ""
