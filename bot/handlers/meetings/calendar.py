"""Calendar files (.ics) for agreed calls, made with the icalendar library as events' are:
times in UTC, both organisations named, the video link; a move keeps the UID and bumps
SEQUENCE, a cancellation is METHOD:CANCEL with the same UID."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from bot.handlers.meetings.proposals import Call

PRODUCT = "-//NGO Bridge//Meetings//EN"


def uid(meeting_id: int) -> str:
    """The calendar entry's identity, the same through moves and the cancellation."""
    return f"meeting-{meeting_id}@ngo-bridge"


def ics(call: Call, now: datetime) -> bytes:
    """One VEVENT: a request for an agreed call, a cancellation for a cancelled one."""
    assert call.slot is not None
    cancelled = call.status == "cancelled"
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    entry = CalendarEvent()
    entry.add("uid", uid(call.meeting_id))
    entry.add("sequence", call.sequence)
    entry.add("dtstamp", now.astimezone(UTC))
    entry.add("dtstart", call.slot.starts_at.astimezone(UTC))
    entry.add("dtend", call.slot.ends_at.astimezone(UTC))
    entry.add("summary", f"NGO Bridge: {call.proposing.name} ↔ {call.invited.name}")
    entry.add(
        "description",
        f"{call.proposing.name} ↔ {call.invited.name}\n{call.link}",
    )
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if call.link:
        entry.add("location", call.link)
        entry.add("url", call.link)
    calendar.add_component(entry)
    return bytes(calendar.to_ical())


def filename(call: Call) -> str:
    """A file name calendar apps recognise."""
    return f"call-{call.meeting_id}.ics"
