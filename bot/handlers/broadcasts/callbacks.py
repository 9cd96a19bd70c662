"""Presses while preparing or watching a broadcast."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.navigation import AdminsOnly, Id


class BroadcastAction(StrEnum):
    """Presses on the broadcast screens (admins only, re-checked on every press)."""

    OPEN = "open"  # a picker: `kind` is countries, languages or focus
    TICK = "tick"  # `kind`, `code`
    VERIFIED = "verified"
    BACK = "back"
    SEND = "send"
    CANCEL = "cancel"
    STOP = "stop"  # a running broadcast: `item` is its id


class AudienceKind(StrEnum):
    """The audience criteria with several values."""

    COUNTRIES = "countries"
    LANGUAGES = "languages"
    FOCUS = "focus"


class BroadcastPress(CallbackData, AdminsOnly, prefix="bc"):
    """A press while preparing or watching a broadcast."""

    action: BroadcastAction
    kind: AudienceKind | None = None
    code: Annotated[str, Field(max_length=16)] = ""
    item: Id = 0
