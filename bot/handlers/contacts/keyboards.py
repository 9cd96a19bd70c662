"""Buttons to answer a contact request or a follow-up."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.contacts import texts
from bot.handlers.contacts.callbacks import ArrangePress, FollowUpPress
from bot.handlers.contacts.followups import OUTCOMES
from bot.handlers.contacts.introductions import Side
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


def arrange_call(request: int) -> InlineKeyboardMarkup:
    """📅 Arrange a call, under an accepted introduction."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[callback_button(texts.arrange_call(), ArrangePress(request=request))]]
    )


def connections(parties: list[Side], rows: list[Row] | None = None) -> list[Row]:
    """A "📅 Arrange a call" per introduction listed in 📨 Contact requests (below `rows`)."""
    found = list(rows or [])
    for party in parties:
        if party.request_id:
            label = texts.arrange_call_with(party.name)
            found.append([callback_button(label, ArrangePress(request=party.request_id))])
    return found


def followup(request: int) -> InlineKeyboardMarkup:
    """The answers to "what came of it"."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.outcome(code), FollowUpPress(request=request, outcome=code))]
            for code in OUTCOMES
        ]
    )
