"""The profile screens' sentences."""

from __future__ import annotations

from bot.i18n import _


def field_saved() -> str:
    """After editing one field from the profile."""
    return _("✅ Saved.")


def no_profile() -> str:
    """/profile before onboarding."""
    return _("You have not filled in the questionnaire yet. It takes about five minutes.")
