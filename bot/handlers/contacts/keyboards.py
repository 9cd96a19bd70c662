"""Buttons to answer a contact request or a follow-up."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.contacts import texts
from bot.handlers.contacts.callbacks import FollowUpPress
from bot.handlers.contacts.followups import OUTCOMES
from bot.handlers.directory import texts as directory_texts
from bot.handlers.directory.callbacks import ContactAction, ContactPress
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
