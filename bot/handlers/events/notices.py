"""The notice queue: claim what is due, settle it, rebuild at start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import zones
from bot.handlers.events import queries
from bot.handlers.events.drafts import EventInfo, host_name, info_of
from db.engine import Sessions, reading, writing
from db.models import Event, Notice, User


@dataclass(frozen=True)
class Due:
    """A claimed notice, with what it takes to write it."""

    notice_id: int
    kind: str
    user_id: int
    language: str
    zone: str
    event: EventInfo


async def claim_next(sessions: Sessions, now: datetime, default_language: str) -> Due | None:
    """The oldest due notice still worth sending, marked "sending" (so never sent twice);
    stale ones met on the way (a reminder after the start…) are dropped. On PostgreSQL
    the row is locked as it is chosen (SKIP LOCKED), so two schedulers running for a
    moment at once (a leader's takeover) never claim the same notice."""
    async with writing(sessions) as session:
        while True:
            notice = await queries.oldest_due(session, now)
            if notice is None:
                return None
            event = await session.get(Event, notice.event_id)
            user = await session.get(User, notice.user_id)
            notice.updated_at = now
            if event is None or user is None or not _still_useful(notice, event, user, now):
                notice.state = "dropped"
                continue
            notice.state = "sending"
            country = await queries.country_of(session, user.id)
            language = user.language or default_language
            zone = zones.zone_name(user.time_zone, country, language)
            info = info_of(event, host=await host_name(session, event))
            return Due(notice.id, notice.kind, user.id, language, zone, info)


def _still_useful(notice: Notice, event: Event, user: User, now: datetime) -> bool:
    if not user.is_active:
        return False
    if notice.kind == "cancelled":
        return event.status == "cancelled"
    if event.status != "published" or now >= event.starts_at:
        return False
    if notice.kind == "announce":
        return user.events_on
    if notice.kind == "deadline":
        return event.deadline is not None and now < event.deadline
    return True


async def settle(sessions: Sessions, notice_id: int, state: str, now: datetime) -> None:
    """Record what became of a claimed notice (sent, blocked or failed)."""
    async with writing(sessions) as session:
        await queries.settle(session, notice_id, state, now)


async def give_up_interrupted(sessions: Sessions, now: datetime) -> int:
    """At start: notices a dead process had claimed may or may not have reached the user;
    they are never sent again ("never twice")."""
    async with writing(sessions) as session:
        return await queries.interrupt_sending(session, now)


async def next_due(sessions: Sessions) -> datetime | None:
    """When the scheduler should next wake: the earliest pending notice or publication."""
    async with reading(sessions) as session:
        notice, publication = await queries.earliest(session)
    moments = [m for m in (notice, publication) if m is not None]
    return min(moments) if moments else None
