"""The language picker's words."""

from __future__ import annotations

from bot.i18n import _
from bot.languages import LANGUAGES


def language_prompt() -> str:
    """The language picker's text."""
    return _("🌐 Choose the language of the bot. You can change it later with /language.")


def language_set(code: str) -> str:
    """Confirmation of a language change."""
    return _("Language: {language}.").format(language=LANGUAGES[code])
