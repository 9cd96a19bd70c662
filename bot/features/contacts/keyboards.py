"""Buttons to answer a contact request or a follow-up."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.features.contacts import texts
from bot.features.contacts.callbacks import ContactAction, ContactPress, FollowUpPress
from bot.features.contacts.followups import OUTCOMES
from bot.features.directory import texts as directory_texts
from bot.navigation import menu_button
from bot.screens import Row, callback_button


def answer_request(request: int, *, with_menu: bool = False) -> InlineKeyboardMarkup:
    """Accept / Decline under an incoming request (and the menu, in the inbox)."""
    rows: list[Row] = [
        [
            callback_button(
                directory_texts.button("accept"),
                ContactPress(action=ContactAction.ACCEPT, request=request),
            ),
            callback_button(
                directory_texts.button("decline"),
                ContactPress(action=ContactAction.DECLINE, request=request),
            ),
        ]
    ]
    if with_menu:
        rows.append([menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def followup(request: int) -> InlineKeyboardMarkup:
    """The answers to "what came of it"."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.outcome(code), FollowUpPress(request=request, outcome=code))]
            for code in OUTCOMES
        ]
    )
