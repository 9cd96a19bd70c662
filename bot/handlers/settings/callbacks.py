"""Presses on the settings screen."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field


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
