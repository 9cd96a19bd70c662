"""Presses on contact requests and follow-ups."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.navigation import Id


class ContactAction(StrEnum):
    """Introduction buttons."""

    REQUEST = "request"
    ACCEPT = "accept"
    DECLINE = "decline"
    INBOX = "inbox"  # the oldest request waiting for our answer


class ContactPress(CallbackData, prefix="c"):
    """Request a card's contacts (`org`), or answer a request (`request`)."""

    action: ContactAction
    org: Id = 0
    request: Id = 0


class FollowUpPress(CallbackData, prefix="fu"):
    """An answer to "what came of it"."""

    request: Id
    outcome: str
