"""Settings buttons: announcements, kinds, topics, time zone."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot import shared_texts, zones
from bot.handlers.events import texts as events_texts
from bot.handlers.settings import texts
from bot.handlers.settings.callbacks import SettingsAction, SettingsPress
from bot.navigation import MenuAction, MenuPress
from bot.screens import callback_button, fitted_rows, rows_of
from bot.taxonomy import EVENT_KINDS, TOPICS


def settings(on: bool, digest: bool, calls: bool = True) -> InlineKeyboardMarkup:
    """The events part of /settings, and the way back to the menu."""
    toggle = events_texts.button("events_on" if on else "events_off")
    weekly = events_texts.button("digest_on" if digest else "digest_off")
    partner_calls = texts.partner_calls_button(calls)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(toggle, SettingsPress(action=SettingsAction.TOGGLE))],
            [callback_button(weekly, SettingsPress(action=SettingsAction.DIGEST))],
            [callback_button(partner_calls, SettingsPress(action=SettingsAction.CALLS))],
            [
                callback_button(
                    events_texts.button("kinds"), SettingsPress(action=SettingsAction.KINDS)
                ),
                callback_button(
                    events_texts.button("topics"), SettingsPress(action=SettingsAction.TOPICS)
                ),
            ],
            [
                callback_button(
                    events_texts.button("zone"), SettingsPress(action=SettingsAction.ZONES)
                )
            ],
        ]
    )


def kinds_picker(chosen: list[str] | None) -> InlineKeyboardMarkup:
    """Event kinds to follow (none recorded = all)."""
    followed = set(EVENT_KINDS.codes if chosen is None else chosen)
    buttons = [
        callback_button(
            ("✅ " if code in followed else "") + events_texts.kind_label(code),
            SettingsPress(action=SettingsAction.KIND, value=code),
        )
        for code in EVENT_KINDS.codes
    ]
    back = callback_button(events_texts.button("done"), MenuPress(action=MenuAction.SETTINGS))
    return InlineKeyboardMarkup(inline_keyboard=[*fitted_rows(buttons), [back]])


def topics_picker(chosen: list[str]) -> InlineKeyboardMarkup:
    """Topics whose events to announce, ticked."""
    buttons = [
        callback_button(
            ("✅ " if code in chosen else "") + shared_texts.label(TOPICS, code),
            SettingsPress(action=SettingsAction.TOPIC, value=code),
        )
        for code in TOPICS.codes
    ]
    back = callback_button(events_texts.button("done"), MenuPress(action=MenuAction.SETTINGS))
    return InlineKeyboardMarkup(inline_keyboard=[*fitted_rows(buttons), [back]])


def zone_picker(current: str) -> InlineKeyboardMarkup:
    """The common zones of the region, the current one ticked."""
    buttons = [
        callback_button(
            ("✅ " if zone == current else "") + zone,
            SettingsPress(action=SettingsAction.ZONE, value=str(index)),
        )
        for index, zone in enumerate(zones.CHOICES)
    ]
    back = callback_button(events_texts.button("back"), SettingsPress(action=SettingsAction.ZONE))
    return InlineKeyboardMarkup(inline_keyboard=[*rows_of(buttons, 2), [back]])
