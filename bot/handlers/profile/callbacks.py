"""Presses on the badge and visibility screens (trust's), which start on the profile card:
they live with the card so that trust depends on the profile and never the other way
round."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class TrustAction(StrEnum):
    """The organisation's own trust and visibility settings."""

    BADGE = "badge"
    APPLY = "apply"
    KEEP_WEBSITE = "keep_site"
    SKIP_WEBSITE = "skip_site"
    VISIBILITY = "visibility"
    AUDIENCE = "audience"


class TrustPress(CallbackData, prefix="t"):
    """A press on the badge or visibility screens."""

    action: TrustAction
    value: str = ""
