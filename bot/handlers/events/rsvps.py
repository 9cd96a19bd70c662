"""Users' answers to events."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.handlers.events import queries
from bot.handlers.events.drafts import REMINDERS, EventInfo, info_of, reminder_times
from db.engine import Sessions, writing
from db.models import Event, Notice, Rsvp


class Answer(StrEnum):
    """How an RSVP went."""

    GOING = "going"
    NOT_GOING = "not_going"
    CANCELLED = "cancelled"
    STARTED = "started"
    MISSING = "missing"


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
