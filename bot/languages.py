"""The interface languages and their names, shown in their own script."""

from typing import Final

LANGUAGES: Final[dict[str, str]] = {
    "ru": "Русский",
    "kk": "Қазақша",
    "hy": "Հայերեն",
    "ky": "Кыргызча",
    "en": "English",
}


def guess_language(language_code: str | None, default: str) -> str:
    """Pick the interface language closest to Telegram's `language_code`."""
    if language_code:
        base = language_code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default
