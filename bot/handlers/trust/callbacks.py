"""Presses on the badge and visibility screens."""

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
