"""The profile screens' sentences."""

from __future__ import annotations

from typing import Final

from bot.i18n import _
from bot.taxonomy import N_

# The card's ways to trust's screens.
BUTTONS: Final[dict[str, str]] = {
    "badge": N_("🛡 Trust badge"),
    "visibility": N_("👁 Who can find us"),
}


def button(key: str) -> str:
    """The label of a button under the card."""
    return _(BUTTONS[key])


def field_saved() -> str:
    """After editing one field from the profile."""
    return _("✅ Saved.")


def no_profile() -> str:
    """/profile before onboarding."""
    return _("You have not filled in the questionnaire yet. It takes about five minutes.")
