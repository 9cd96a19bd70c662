"""The meetings' buttons."""

from __future__ import annotations

from datetime import date, time

from aiogram.types import InlineKeyboardMarkup

from bot import shared_texts
from bot.handlers.meetings import texts
from bot.handlers.meetings.callbacks import (
    CallAction,
    CallPress,
    PickAction,
    PickPress,
    ProposeAction,
    ProposePress,
)
from bot.handlers.meetings.slots import LENGTHS, MAX_SLOTS, Slot, time_code
from bot.screens import Row, callback_button, keyboard_of, rows_of


def _back_row() -> Row:
    return [
        callback_button(shared_texts.button("back"), ProposePress(action=ProposeAction.BACK)),
        callback_button(texts.button("quit"), ProposePress(action=ProposeAction.QUIT)),
    ]


def days(offered: list[date]) -> InlineKeyboardMarkup:
    """Step 1: the next 14 days, three a row."""
    buttons = [
        callback_button(
            texts.day_label(day), ProposePress(action=ProposeAction.DAY, value=day.isoformat())
        )
        for day in offered
    ]
    return keyboard_of([*rows_of(buttons, 3), _back_row()])


def times(offered: list[time]) -> InlineKeyboardMarkup:
    """Step 2: every 30 minutes in working hours, four a row."""
    buttons = [
        callback_button(
            texts.time_label(value), ProposePress(action=ProposeAction.TIME, value=time_code(value))
        )
        for value in offered
    ]
    return keyboard_of([*rows_of(buttons, 4), _back_row()])


def lengths() -> InlineKeyboardMarkup:
    """Step 3: 30, 45 or 60 minutes."""
    buttons = [
        callback_button(
            texts.length_label(minutes),
            ProposePress(action=ProposeAction.LENGTH, value=str(minutes)),
        )
        for minutes in LENGTHS
    ]
    return keyboard_of([buttons, _back_row()])


def review(count: int) -> InlineKeyboardMarkup:
    """Add another time (up to three), send, back (drops the last time), cancel."""
    rows: list[Row] = []
    if count < MAX_SLOTS:
        rows.append(
            [callback_button(texts.button("more"), ProposePress(action=ProposeAction.MORE))]
        )
    rows.append([callback_button(texts.button("send"), ProposePress(action=ProposeAction.SEND))])
    rows.append(_back_row())
    return keyboard_of(rows)


def proposal(meeting: int, slots: tuple[Slot, ...], zone: str) -> InlineKeyboardMarkup:
    """Under a proposal: one button per slot (in the reader's zone), none fits, not now."""
    rows: list[Row] = [
        [
            callback_button(
                texts.slot_button(n + 1, slot, zone),
                PickPress(action=PickAction.PICK, meeting=meeting, slot=n),
            )
        ]
        for n, slot in enumerate(slots)
    ]
    rows.append(
        [
            callback_button(
                texts.button("none"), PickPress(action=PickAction.NONE, meeting=meeting)
            ),
            callback_button(
                texts.button("later"), PickPress(action=PickAction.LATER, meeting=meeting)
            ),
        ]
    )
    return keyboard_of(rows)


def confirm_cancel(meeting: int) -> InlineKeyboardMarkup:
    """Yes, cancel it / « Back."""
    return keyboard_of(
        [
            [
                callback_button(
                    texts.button("confirm"), CallPress(action=CallAction.CONFIRM, meeting=meeting)
                ),
                callback_button(
                    shared_texts.button("back"), CallPress(action=CallAction.KEEP, meeting=meeting)
                ),
            ]
        ]
    )


def agreed(meeting: int) -> InlineKeyboardMarkup:
    """Under an agreed call: move it, cancel it."""
    return keyboard_of(
        [
            [
                callback_button(
                    texts.button("move"), CallPress(action=CallAction.MOVE, meeting=meeting)
                ),
                callback_button(
                    texts.button("cancel"), CallPress(action=CallAction.CANCEL, meeting=meeting)
                ),
            ]
        ]
    )
