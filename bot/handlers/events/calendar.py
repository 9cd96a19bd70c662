"""Calendar files (.ics) for events, made with the icalendar library."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from bot.handlers.events.drafts import EventInfo

PRODUCT = "-//NGO Bridge//Events//EN"


def ics(event: EventInfo, now: datetime) -> bytes:
    """One VEVENT in UTC, with the place or the online link as its location."""
    draft = event.draft
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@ngo-bridge")
    entry.add("dtstamp", now.astimezone(UTC))
    entry.add("dtstart", draft.starts_at.astimezone(UTC))
    entry.add("dtend", draft.ends_at.astimezone(UTC))
    entry.add("summary", draft.title)
    entry.add("description", draft.description)
    if draft.place or draft.link:
        entry.add("location", draft.place or draft.link)
    if draft.link or draft.registration_url:
        entry.add("url", draft.link or draft.registration_url)
    calendar.add_component(entry)
    return bytes(calendar.to_ical())


def filename(event: EventInfo) -> str:
    """A file name the user's calendar app recognises."""
    return f"event-{event.id}.ics"
