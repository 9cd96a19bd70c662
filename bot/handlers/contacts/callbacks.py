"""Presses on follow-ups (a contact request's own press, ContactPress, is on the
directory's card: bot/handlers/directory/callbacks.py)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.navigation import Id


class ArrangePress(CallbackData, prefix="ca"):
    """ "📅 Arrange a call" under an accepted introduction (its message, and its line in
    📨 Contact requests): shown here, handled by the meetings feature."""

    request: Id


class FollowUpPress(CallbackData, prefix="fu"):
    """An answer to "what came of it"."""

    request: Id
    outcome: str
