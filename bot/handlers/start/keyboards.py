"""The language picker."""

from __future__ import annotations

from functools import lru_cache

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.start.callbacks import LanguagePick
from bot.languages import LANGUAGES
from bot.screens import callback_button, keyboard_of


def language_picker(selected: str) -> InlineKeyboardMarkup:
    """The five interface languages, the current or guessed one ticked."""
    return _language_picker(selected)


@lru_cache(maxsize=16)
def _language_picker(selected: str) -> InlineKeyboardMarkup:
    buttons = [
        callback_button(("✓ " if code == selected else "") + name, LanguagePick(code=code))
        for code, name in LANGUAGES.items()
    ]
    return keyboard_of([buttons[0:2], buttons[2:4], buttons[4:]])
