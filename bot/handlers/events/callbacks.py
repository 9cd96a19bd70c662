"""Presses on announcements, /events, the wizard and /events_admin."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.navigation import AdminsOnly, Id


class EventAction(StrEnum):
    """A user's presses on announcements and /events."""

    GOING = "going"
    NOT_GOING = "no"
    OPEN = "open"
    PAGE = "page"


class EventPress(CallbackData, prefix="ev"):
    """`item` is the event's id (or the page for PAGE)."""

    action: EventAction
    item: Id = 0


class EventAdminAction(StrEnum):
    """Admin presses in /event_new and /events_admin (the admin is re-checked each time)."""

    KIND = "kind"  # `code`: the kind
    TICK = "tick"  # `code`: a topic, country or language of the current step
    DONE = "done"
    SKIP = "skip"
    BACK = "back"
    ABORT = "abort"
    PUBLISH = "publish"  # `item`: the event (0: the one being written)
    PUBLISH_AT = "at"
    DRAFT = "draft"
    CANCEL = "cancel"  # `item`: the event (asks first)
    CANCEL_CONFIRMED = "cancel_ok"  # `item`: the event, cancelled and attendees told
    KEEP = "keep"  # `item`: the event, not cancelled after all
    EDIT = "edit"  # `item`: the event


class EventAdminPress(CallbackData, AdminsOnly, prefix="eva"):
    """A press in the event wizard or the admin list."""

    action: EventAdminAction
    item: Id = 0
    code: Annotated[str, Field(max_length=16)] = ""
