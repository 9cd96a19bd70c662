"""Buttons under questions, the summary and the resume prompt."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from aiogram.types import InlineKeyboardMarkup

from bot import shared_texts
from bot.handlers.onboarding import texts
from bot.handlers.onboarding.callbacks import ReviewAction, ReviewPress, StepAction, StepPress
from bot.handlers.onboarding.questionnaire import BY_CODE, Kind, Step, asked_steps
from bot.i18n import current_locale
from bot.navigation import MenuAction, MenuPress, ProfileAction, ProfilePress
from bot.screens import Row, callback_button, column, fitted_rows, keyboard_of, rows_of


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
                ("✓ " if state is chosen else "") + shared_texts.button(key),
                StepPress(step=code, action=action),
            )
            for key, action, chosen in zip(
                keys, (StepAction.YES, StepAction.NO), (True, False), strict=True
            )
        ]
        rows += rows_of(buttons, 1 if code == "consent" else 2)
    elif step.vocabulary is not None:
        multi = step.kind is Kind.MULTI
        selected = set(state) if multi else {state}
        action = StepAction.TOGGLE if multi else StepAction.PICK
        tick = "✅ " if multi else "✓ "
        buttons = [
            callback_button(
                (tick if option in selected else "") + shared_texts.label(step.vocabulary, option),
                StepPress(step=code, action=action, value=option),
            )
            for option in step.vocabulary.codes
        ]
        rows += fitted_rows(buttons, 2 if step.vocabulary.name == "country" else 1)
        if multi:
            count = len(state)
            rows.append(
                [
                    callback_button(
                        shared_texts.done_button(count),
                        StepPress(step=code, action=StepAction.DONE),
                    )
                ]
            )

    navigation: Row = []
    if can_go_back:
        navigation.append(
            callback_button(
                shared_texts.button("back"), StepPress(step=code, action=StepAction.BACK)
            )
        )
    if step.kind is Kind.TEXT and state:
        navigation.append(
            callback_button(
                shared_texts.button("keep"), StepPress(step=code, action=StepAction.KEEP)
            )
        )
    elif step.optional:  # multi-selects too: Skip is what the question's text promises
        navigation.append(
            callback_button(
                shared_texts.button("skip"), StepPress(step=code, action=StepAction.SKIP)
            )
        )
    if navigation:
        rows.append(navigation)
    return keyboard_of(rows)


def review() -> InlineKeyboardMarkup:
    """Confirm / change an answer, under the summary card."""
    return _review(current_locale())


@lru_cache(maxsize=16)
def _review(locale: str) -> InlineKeyboardMarkup:
    return column(
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
            ProfilePress(action=ProfileAction.FIELD, field=code)
            if from_profile
            else ReviewPress(action=ReviewAction.FIELD, field=code),
        )
        for code in codes
        if code != "cross_border_countries"  # changed through "cross-border cooperation"
    ]
    back = (
        callback_button(shared_texts.button("to_profile"), MenuPress(action=MenuAction.PROFILE))
        if from_profile
        else callback_button(
            shared_texts.button("to_summary"), ReviewPress(action=ReviewAction.SUMMARY)
        )
    )
    return keyboard_of([*fitted_rows(buttons), [back]])


def resume() -> InlineKeyboardMarkup:
    """Continue or start over, when /start finds an unfinished questionnaire."""
    return _resume(current_locale())


@lru_cache(maxsize=16)
def _resume(locale: str) -> InlineKeyboardMarkup:
    return column(
        ("continue", ReviewPress(action=ReviewAction.CONTINUE)),
        ("restart", ReviewPress(action=ReviewAction.RESTART)),
    )
