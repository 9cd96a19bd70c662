"""Inline keyboards. Every screen has a way back; ticks show multi-select choices.

Keyboards are built once per language and state and then reused: building pydantic
button objects is the most expensive part of answering a press.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import current_locale
from bot.languages import LANGUAGES
from bot.services.questionnaire import BY_CODE, Kind, Step, asked_steps
from bot.ui import directory_texts as dt
from bot.ui import event_texts as et
from bot.ui import texts
from bot.ui import trust_texts as tt
from bot.ui.callbacks import (
    ContactAction,
    ContactPress,
    EventAction,
    EventPress,
    LanguagePick,
    MenuAction,
    MenuPress,
    ReviewAction,
    ReviewPress,
    SearchAction,
    SearchPress,
    StepAction,
    StepPress,
    TrustAction,
    TrustPress,
)

Row = list[InlineKeyboardButton]


def callback_button(text: str, data: CallbackData) -> InlineKeyboardButton:
    """A button that sends `data` (packed) when pressed."""
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[Row]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def _markup(rows: list[Row]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=rows)


def language_picker(selected: str) -> InlineKeyboardMarkup:
    """The five interface languages, the current or guessed one ticked."""
    return _language_picker(selected)


@lru_cache(maxsize=16)
def _language_picker(selected: str) -> InlineKeyboardMarkup:
    buttons = [
        callback_button(("✓ " if code == selected else "") + name, LanguagePick(code=code))
        for code, name in LANGUAGES.items()
    ]
    return _markup([buttons[0:2], buttons[2:4], buttons[4:]])


def _state_of(step: Step, value: Any) -> object:
    """The part of an answer that changes the keyboard (hashable, for the cache)."""
    if step.kind is Kind.MULTI:
        return tuple(value or ())
    if step.kind is Kind.TEXT:
        return bool(value)
    return value


def question(step: Step, answers: Mapping[str, Any], *, can_go_back: bool) -> InlineKeyboardMarkup:
    """Options of a step, then Back / Skip / Keep / Done as the step allows."""
    state = _state_of(step, answers.get(step.code))
    return _question(current_locale(), step.code, state, can_go_back)


@lru_cache(maxsize=4096)
def _question(locale: str, code: str, state: Any, can_go_back: bool) -> InlineKeyboardMarkup:
    step = BY_CODE[code]
    rows: list[Row] = []
    if step.kind is Kind.YES_NO:
        keys = ("consent_yes", "consent_no") if code == "consent" else ("yes", "no")
        buttons = [
            callback_button(
                ("✓ " if state is chosen else "") + texts.button(key),
                StepPress(step=code, action=action),
            )
            for key, action, chosen in zip(
                keys, (StepAction.YES, StepAction.NO), (True, False), strict=True
            )
        ]
        rows += _rows(buttons, 1 if code == "consent" else 2)
    elif step.vocabulary is not None:
        multi = step.kind is Kind.MULTI
        selected = set(state) if multi else {state}
        action = StepAction.TOGGLE if multi else StepAction.PICK
        tick = "✅ " if multi else "✓ "
        buttons = [
            callback_button(
                (tick if option in selected else "") + texts.label(step.vocabulary, option),
                StepPress(step=code, action=action, value=option),
            )
            for option in step.vocabulary.codes
        ]
        rows += _rows(buttons, 2 if step.vocabulary.name == "country" else 1)
        if multi:
            count = len(state)
            rows.append(
                [
                    callback_button(
                        texts.done_button(count), StepPress(step=code, action=StepAction.DONE)
                    )
                ]
            )

    navigation: Row = []
    if can_go_back:
        navigation.append(
            callback_button(texts.button("back"), StepPress(step=code, action=StepAction.BACK))
        )
    if step.kind is Kind.TEXT and state:
        navigation.append(
            callback_button(texts.button("keep"), StepPress(step=code, action=StepAction.KEEP))
        )
    elif step.optional and step.kind is not Kind.MULTI:
        navigation.append(
            callback_button(texts.button("skip"), StepPress(step=code, action=StepAction.SKIP))
        )
    if navigation:
        rows.append(navigation)
    return _markup(rows)


def review() -> InlineKeyboardMarkup:
    """Confirm / change an answer, under the summary card."""
    return _review(current_locale())


def _column(*buttons: tuple[str, CallbackData]) -> InlineKeyboardMarkup:
    """Common buttons (by `texts.button` key), one per row."""
    return _markup([[callback_button(texts.button(key), data)] for key, data in buttons])


@lru_cache(maxsize=16)
def _review(locale: str) -> InlineKeyboardMarkup:
    return _column(
        ("confirm", ReviewPress(action=ReviewAction.CONFIRM)),
        ("edit", ReviewPress(action=ReviewAction.FIELDS)),
    )


def fields(answers: Mapping[str, Any], *, from_profile: bool) -> InlineKeyboardMarkup:
    """One button per answer that can be changed, and a way back."""
    codes = tuple(step.code for step in asked_steps(answers))
    return _fields(current_locale(), codes, from_profile)


@lru_cache(maxsize=64)
def _fields(locale: str, codes: tuple[str, ...], from_profile: bool) -> InlineKeyboardMarkup:
    buttons = [
        callback_button(
            texts.field_name(code),
            MenuPress(action=MenuAction.FIELD, field=code)
            if from_profile
            else ReviewPress(action=ReviewAction.FIELD, field=code),
        )
        for code in codes
        if code != "cross_border_countries"  # changed through "cross-border cooperation"
    ]
    back = (
        callback_button(texts.button("to_profile"), MenuPress(action=MenuAction.PROFILE))
        if from_profile
        else callback_button(texts.button("to_summary"), ReviewPress(action=ReviewAction.SUMMARY))
    )
    return _markup([*_rows(buttons, 2), [back]])


def resume() -> InlineKeyboardMarkup:
    """Continue or start over, when /start finds an unfinished questionnaire."""
    return _resume(current_locale())


@lru_cache(maxsize=16)
def _resume(locale: str) -> InlineKeyboardMarkup:
    return _column(
        ("continue", ReviewPress(action=ReviewAction.CONTINUE)),
        ("restart", ReviewPress(action=ReviewAction.RESTART)),
    )


def main_menu(has_profile: bool) -> InlineKeyboardMarkup:
    """Search and suggestions, profile (or the questionnaire), requests, events, settings,
    help."""
    return _main_menu(current_locale(), has_profile)


@lru_cache(maxsize=16)
def _main_menu(locale: str, has_profile: bool) -> InlineKeyboardMarkup:
    first = (
        callback_button(texts.button("profile"), MenuPress(action=MenuAction.PROFILE))
        if has_profile
        else callback_button(texts.button("onboard"), MenuPress(action=MenuAction.ONBOARD))
    )
    search = callback_button(dt.button("search"), SearchPress(action=SearchAction.FILTERS))
    suggest = callback_button(dt.button("suggest"), SearchPress(action=SearchAction.SUGGEST))
    inbox = callback_button(dt.button("inbox"), ContactPress(action=ContactAction.INBOX))
    events = callback_button(et.button("events"), EventPress(action=EventAction.PAGE, item=0))
    return _markup(
        [
            [search, suggest] if has_profile else [search],
            [first, inbox] if has_profile else [first],
            [events],
            [
                callback_button(texts.button("settings"), MenuPress(action=MenuAction.SETTINGS)),
                callback_button(texts.button("help"), MenuPress(action=MenuAction.HELP)),
            ],
        ]
    )


# Screens whose only buttons are one action and the way back to the menu.
_SCREEN_ACTIONS: dict[str, tuple[str, MenuAction] | None] = {
    "settings": ("language", MenuAction.LANGUAGE),
    "onboard": ("onboard", MenuAction.ONBOARD),
    "back": None,
}


@lru_cache(maxsize=64)
def _screen(locale: str, key: str) -> InlineKeyboardMarkup:
    action = _SCREEN_ACTIONS[key]
    home = ("menu", MenuPress(action=MenuAction.HOME))
    if action is None:
        return _column(home)
    return _column((action[0], MenuPress(action=action[1])), home)


def profile() -> InlineKeyboardMarkup:
    """Under the profile card: change an answer, visibility, badge, back to the menu."""
    return _profile(current_locale())


@lru_cache(maxsize=16)
def _profile(locale: str) -> InlineKeyboardMarkup:
    return _markup(
        [
            [callback_button(texts.button("edit"), MenuPress(action=MenuAction.EDIT))],
            [
                callback_button(tt.button("visibility"), TrustPress(action=TrustAction.VISIBILITY)),
                callback_button(tt.button("badge"), TrustPress(action=TrustAction.BADGE)),
            ],
            [callback_button(texts.button("menu"), MenuPress(action=MenuAction.HOME))],
        ]
    )


def settings() -> InlineKeyboardMarkup:
    """Settings: the language, back to the menu."""
    return _screen(current_locale(), "settings")


def back_to_menu() -> InlineKeyboardMarkup:
    """A single way back to the main menu."""
    return _screen(current_locale(), "back")


def onboard() -> InlineKeyboardMarkup:
    """Start the questionnaire, or go to the menu."""
    return _screen(current_locale(), "onboard")
