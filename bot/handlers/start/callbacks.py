"""A language chosen in the picker."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LanguagePick(CallbackData, prefix="lang"):
    """A language chosen in the picker."""

    code: str
