"""Users' answers to events, and those who take part in an internship an organisation
hosts: not by "I'll attend" but by its host accepting their application (issue 21)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.events import queries
from bot.handlers.events.drafts import REMINDERS, EventInfo, info_of, reminder_times
from db.engine import Sessions, reading, writing
from db.models import Event, Notice, Rsvp


class Answer(StrEnum):
    """How an RSVP went."""

    GOING = "going"
    NOT_GOING = "not_going"
    CANCELLED = "cancelled"
    STARTED = "started"
    MISSING = "missing"
    APPLY = "apply"  # an internship an organisation hosts: applied to, not attended


def takes_applications(row: Event) -> bool:
    """An internship an organisation hosts: one takes part once the host accepts one's
    application (posts), never by "I'll attend"."""
    return row.kind == "internship" and row.host_organisation_id is not None


async def rsvp(
    sessions: Sessions,
    event_id: int,
    user_id: int,
    going: bool,
    now: datetime,
) -> tuple[Answer, EventInfo | None]:
    """Record "I'll attend" (reminders are queued) or "Not going" (they are dropped)."""
    async with writing(sessions) as session:
        row = await session.get(Event, event_id)
        if row is None or row.status not in ("published",):
            answer = Answer.CANCELLED if row is not None and row.status == "cancelled" else None
            return answer or Answer.MISSING, None
        if takes_applications(row):
            return Answer.APPLY, info_of(row)
        if row.starts_at <= now:
            return Answer.STARTED, info_of(row)
        existing = await session.get(Rsvp, (event_id, user_id))
        if existing is None:
            session.add(Rsvp(event_id=event_id, user_id=user_id, going=going, updated_at=now))
        else:
            existing.going, existing.updated_at = going, now
        await queries.delete_reminders(session, event_id, user_id, [*REMINDERS, "deadline"])
        if going:
            await session.flush()
            for kind, due in reminder_times(info_of(row).draft).items():
                if due > now:
                    session.add(Notice(event_id=event_id, user_id=user_id, kind=kind, due_at=due))
        return (Answer.GOING if going else Answer.NOT_GOING), info_of(row)


async def enrol(
    session: AsyncSession, event_id: int, user_id: int, now: datetime
) -> EventInfo | None:
    """An applicant accepted by the internship's host takes part: recorded as attending
    (the row "I'll attend" writes) with the reminders a day and an hour before the start
    (not the one before applications close: they are in). None if the internship is not
    published or is over; in the caller's transaction."""
    row = await session.get(Event, event_id)
    if row is None or row.status != "published" or row.ends_at <= now:
        return None
    existing = await session.get(Rsvp, (event_id, user_id))
    if existing is None:
        session.add(Rsvp(event_id=event_id, user_id=user_id, going=True, updated_at=now))
    else:
        existing.going, existing.updated_at = True, now
    await queries.delete_reminders(session, event_id, user_id, [*REMINDERS, "deadline"])
    await session.flush()
    for kind, due in reminder_times(info_of(row).draft).items():
        if kind in REMINDERS and due > now:
            session.add(Notice(event_id=event_id, user_id=user_id, kind=kind, due_at=due))
    return info_of(row)


async def taking_part(sessions: Sessions, event_id: int, user_id: int) -> bool:
    """Whether the user is recorded as attending the event."""
    async with reading(sessions) as session:
        return bool(await queries.going_among(session, user_id, [event_id]))
