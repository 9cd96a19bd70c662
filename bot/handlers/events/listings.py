"""Events as listed to users and admins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from bot.handlers.events import queries
from bot.handlers.events.drafts import EventInfo, host_name, info_of
from bot.handlers.events.publishing import subscribers
from db.engine import Sessions, reading

PAGE_SIZE: Final = 5


async def for_admins(sessions: Sessions, now: datetime, limit: int = 10) -> list[EventInfo]:
    """Drafts, scheduled and upcoming published events, soonest first, with counts."""
    async with reading(sessions) as session:
        rows = await queries.for_admins(session, now, limit)
        counts = await queries.counts_of(session, [row.id for row in rows])
        return [info_of(row, *counts[row.id]) for row in rows]


@dataclass(frozen=True)
class Upcoming:
    """A page of /events."""

    events: list[EventInfo] = field(default_factory=list)
    page: int = 0
    has_next: bool = False
    going: frozenset[int] = frozenset()


async def upcoming(sessions: Sessions, user_id: int, page: int, now: datetime) -> Upcoming:
    """Published events not yet over, soonest first, PAGE_SIZE a page."""
    async with reading(sessions) as session:
        rows = await queries.upcoming(session, now, page * PAGE_SIZE, PAGE_SIZE + 1)
        shown = rows[:PAGE_SIZE]
        going = await queries.going_among(session, user_id, [row.id for row in shown])
        return Upcoming(
            [info_of(row) for row in shown], page, len(rows) > PAGE_SIZE, frozenset(going)
        )


async def recent(
    sessions: Sessions,
    since: datetime,
    now: datetime,
    default_language: str,
    *,
    limit: int = 20,
) -> list[tuple[EventInfo, frozenset[int]]]:
    """Events published since `since` and still to come, soonest first, each with the
    users its announcement was for (as `subscribers` decides)."""
    async with reading(sessions) as session:
        rows = await queries.published_since(session, since, now, limit)
        found = []
        for row in rows:
            info = info_of(row, host=await host_name(session, row))
            audience = await subscribers(session, info.draft, default_language)
            meant = frozenset(
                subscriber.user_id
                for subscriber in audience
                if info.host_id is None or subscriber.organisation_id != info.host_id
            )  # an organisation's post is not for its own members
            found.append((info, meant))
        return found


async def known_to(sessions: Sessions, user_id: int, event_ids: list[int]) -> set[int]:
    """Which of `event_ids` the user already knows of: their announcement was sent to
    them (or may have been: a send cut short by a crash), or they answered it."""
    if not event_ids:
        return set()
    async with reading(sessions) as session:
        return await queries.known_to(session, user_id, event_ids)
