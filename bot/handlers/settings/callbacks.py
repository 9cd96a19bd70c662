"""Presses on the settings screen."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot import zones
from bot.navigation import Refused


class SettingsAction(StrEnum):
    """Event settings in /settings."""

    TOGGLE = "toggle"
    KINDS = "kinds"
    KIND = "kind"  # `value`: an event kind
    ZONES = "zones"
    ZONE = "zone"  # `value`: index into bot.zones.CHOICES ("": back)
    TOPICS = "topics"
    TOPIC = "topic"  # `value`: an expertise topic
    DIGEST = "digest"  # the weekly digest on or off
    CALLS = "calls"  # other organisations' partner calls on or off


class SettingsPress(CallbackData, prefix="st"):
    """A press on the event part of /settings."""

    action: SettingsAction
    value: Annotated[str, Field(max_length=16)] = ""


def zone_choice(value: str) -> str:
    """The zone a picker's press names (`value`: an index into bot.zones.CHOICES); a forged
    value is refused as out of date."""
    index = int(value) if value.isascii() and value.isdecimal() and len(value) < 4 else -1
    if not 0 <= index < len(zones.CHOICES):
        raise Refused
    return zones.CHOICES[index]
