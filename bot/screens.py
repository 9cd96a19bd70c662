"""Showing a screen: edit a message in place or send it, buttons and rows."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Final

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot import shared_texts

Row = list[InlineKeyboardButton]


def callback_button(text: str, data: CallbackData) -> InlineKeyboardButton:
    """A button that sends `data` (packed) when pressed."""
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def rows_of(buttons: Sequence[InlineKeyboardButton], width: int) -> list[Row]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


LONG_LABEL: Final = 24
"""A label longer than this gets a row of its own: two of them side by side are cut on a phone."""

_TICKS: Final = ("✅ ", "✓ ")


def label_length(text: str) -> int:
    """How long a button's label is, a leading tick not counted (so that ticking an option
    never moves buttons from one row to another)."""
    for tick in _TICKS:
        text = text.removeprefix(tick)
    return len(text)


def fitted_rows(buttons: Sequence[InlineKeyboardButton], width: int = 2) -> list[Row]:
    """Up to `width` buttons a row, in order, except that a button whose label is longer
    than `LONG_LABEL` characters is alone on its row."""
    rows: list[Row] = []
    row: Row = []
    for button in buttons:
        if label_length(button.text) > LONG_LABEL:
            if row:
                rows.append(row)
                row = []
            rows.append([button])
            continue
        row.append(button)
        if len(row) == width:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return rows


def keyboard_of(rows: list[Row]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=rows)


def column(*buttons: tuple[str, CallbackData]) -> InlineKeyboardMarkup:
    """Common buttons (by `shared_texts.button` key), one per row."""
    return keyboard_of([[callback_button(shared_texts.button(key), data)] for key, data in buttons])


async def show(
    message: Message, text: str, markup: InlineKeyboardMarkup | None, *, edit: bool
) -> Message:
    """Edit `message` into a screen, or send the screen as a new message.
    Editing falls back to sending when the message is gone or too old to edit."""
    if edit and message.from_user is not None and message.from_user.is_bot:
        try:
            edited = await message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return message
        else:
            return edited if isinstance(edited, Message) else message
    return await message.answer(text, reply_markup=markup)


async def update_buttons(message: Message, markup: InlineKeyboardMarkup) -> bool:
    """Change the buttons of `message` in place; False when the message is gone (deleted
    by the user, or too old to edit), so that the caller shows the screen anew."""
    try:
        await message.edit_reply_markup(reply_markup=markup)
    except TelegramBadRequest as exc:
        return "not modified" in exc.message
    return True


async def strip_keyboard(message: Message, message_id: int | None) -> None:
    """Remove the buttons of an earlier question, so that only the current one has any."""
    if message_id is None or message.bot is None:
        return
    with contextlib.suppress(TelegramBadRequest):  # already gone or already bare
        await message.bot.edit_message_reply_markup(
            chat_id=message.chat.id, message_id=message_id, reply_markup=None
        )
