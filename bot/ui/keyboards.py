"""Inline keyboards. Every screen has a way back; ticks show multi-select choices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.languages import LANGUAGES
from bot.services.questionnaire import Kind, Step, asked_steps
from bot.ui import texts
from bot.ui.callbacks import (
    LanguagePick,
    MenuAction,
    MenuPress,
    ReviewAction,
    ReviewPress,
    StepAction,
    StepPress,
)


def language_picker(selected: str) -> InlineKeyboardMarkup:
    """The five interface languages, the current or guessed one ticked."""
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGES.items():
        mark = "✓ " if code == selected else ""
        builder.button(text=mark + name, callback_data=LanguagePick(code=code))
    builder.adjust(2, 2, 1)
    return builder.as_markup()


def question(step: Step, answers: Mapping[str, Any], *, can_go_back: bool) -> InlineKeyboardMarkup:
    """Options of a step, then Back / Skip / Done as the step allows."""
    builder = InlineKeyboardBuilder()
    current = answers.get(step.code)
    if step.kind is Kind.YES_NO:
        yes, no = ("consent_yes", "consent_no") if step.code == "consent" else ("yes", "no")
        for key, action in ((yes, StepAction.YES), (no, StepAction.NO)):
            chosen = current is (action is StepAction.YES)
            text = ("✓ " if chosen else "") + texts.button(key)
            builder.button(text=text, callback_data=StepPress(step=step.code, action=action))
        builder.adjust(1 if step.code == "consent" else 2)
    elif step.vocabulary is not None:
        selected = set(current or []) if step.kind is Kind.MULTI else {current}
        action = StepAction.TOGGLE if step.kind is Kind.MULTI else StepAction.PICK
        for code in step.vocabulary.codes:
            mark = ("✅ " if step.kind is Kind.MULTI else "✓ ") if code in selected else ""
            builder.button(
                text=mark + texts.label(step.vocabulary, code),
                callback_data=StepPress(step=step.code, action=action, value=code),
            )
        builder.adjust(2 if step.vocabulary.name == "country" else 1)

    navigation = InlineKeyboardBuilder()
    if can_go_back:
        navigation.button(
            text=texts.button("back"),
            callback_data=StepPress(step=step.code, action=StepAction.BACK),
        )
    if step.kind is Kind.TEXT and current:
        navigation.button(
            text=texts.button("keep"),
            callback_data=StepPress(step=step.code, action=StepAction.KEEP),
        )
    elif step.optional and step.kind is not Kind.MULTI:
        navigation.button(
            text=texts.button("skip"),
            callback_data=StepPress(step=step.code, action=StepAction.SKIP),
        )
    if step.kind is Kind.MULTI:
        done = InlineKeyboardBuilder()
        done.button(
            text=texts.done_button(len(current or [])),
            callback_data=StepPress(step=step.code, action=StepAction.DONE),
        )
        builder.attach(done)
    builder.attach(navigation)
    return builder.as_markup()


def review() -> InlineKeyboardMarkup:
    """Confirm / change an answer, under the summary card."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=texts.button("confirm"), callback_data=ReviewPress(action=ReviewAction.CONFIRM)
    )
    builder.button(text=texts.button("edit"), callback_data=ReviewPress(action=ReviewAction.FIELDS))
    builder.adjust(1)
    return builder.as_markup()


def fields(answers: Mapping[str, Any], *, from_profile: bool) -> InlineKeyboardMarkup:
    """One button per answer that can be changed, and a way back."""
    builder = InlineKeyboardBuilder()
    for step in asked_steps(answers):
        if step.code == "cross_border_countries":
            continue  # changed through "cross-border cooperation"
        data: MenuPress | ReviewPress = (
            MenuPress(action=MenuAction.FIELD, field=step.code)
            if from_profile
            else ReviewPress(action=ReviewAction.FIELD, field=step.code)
        )
        builder.button(text=texts.field_name(step.code), callback_data=data)
    builder.adjust(2)
    back: MenuPress | ReviewPress = (
        MenuPress(action=MenuAction.PROFILE)
        if from_profile
        else ReviewPress(action=ReviewAction.SUMMARY)
    )
    builder.row()
    builder.button(
        text=texts.button("to_profile" if from_profile else "to_summary"), callback_data=back
    )
    return builder.as_markup()


def resume() -> InlineKeyboardMarkup:
    """Continue or start over, when /start finds an unfinished questionnaire."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=texts.button("continue"), callback_data=ReviewPress(action=ReviewAction.CONTINUE)
    )
    builder.button(
        text=texts.button("restart"), callback_data=ReviewPress(action=ReviewAction.RESTART)
    )
    builder.adjust(1)
    return builder.as_markup()


def main_menu(has_profile: bool) -> InlineKeyboardMarkup:
    """Profile (or the questionnaire), settings, help."""
    builder = InlineKeyboardBuilder()
    if has_profile:
        builder.button(
            text=texts.button("profile"), callback_data=MenuPress(action=MenuAction.PROFILE)
        )
    else:
        builder.button(
            text=texts.button("onboard"), callback_data=MenuPress(action=MenuAction.ONBOARD)
        )
    builder.button(
        text=texts.button("settings"), callback_data=MenuPress(action=MenuAction.SETTINGS)
    )
    builder.button(text=texts.button("help"), callback_data=MenuPress(action=MenuAction.HELP))
    builder.adjust(1, 2)
    return builder.as_markup()


def profile() -> InlineKeyboardMarkup:
    """Under the profile card: change an answer, back to the menu."""
    builder = InlineKeyboardBuilder()
    builder.button(text=texts.button("edit"), callback_data=MenuPress(action=MenuAction.EDIT))
    builder.button(text=texts.button("menu"), callback_data=MenuPress(action=MenuAction.HOME))
    builder.adjust(1)
    return builder.as_markup()


def settings() -> InlineKeyboardMarkup:
    """Settings: the language, back to the menu."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=texts.button("language"), callback_data=MenuPress(action=MenuAction.LANGUAGE)
    )
    builder.button(text=texts.button("menu"), callback_data=MenuPress(action=MenuAction.HOME))
    builder.adjust(1)
    return builder.as_markup()


def back_to_menu() -> InlineKeyboardMarkup:
    """A single way back to the main menu."""
    builder = InlineKeyboardBuilder()
    builder.button(text=texts.button("menu"), callback_data=MenuPress(action=MenuAction.HOME))
    return builder.as_markup()


def onboard() -> InlineKeyboardMarkup:
    """Start the questionnaire, or go to the menu."""
    builder = InlineKeyboardBuilder()
    builder.button(text=texts.button("onboard"), callback_data=MenuPress(action=MenuAction.ONBOARD))
    builder.button(text=texts.button("menu"), callback_data=MenuPress(action=MenuAction.HOME))
    builder.adjust(1)
    return builder.as_markup()
