"""Presses on follow-ups (a contact request's own press, ContactPress, is on the
directory's card: bot/handlers/directory/callbacks.py)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.navigation import Id


class FollowUpPress(CallbackData, prefix="fu"):
    """An answer to "what came of it"."""

    request: Id
    outcome: str
