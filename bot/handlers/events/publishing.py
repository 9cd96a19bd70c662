"""Publishing an event: who gets it, the announcements and reminders queued, scheduled
publication, cancellation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import zones
from bot.handlers.events import queries
from bot.handlers.events.drafts import Draft, info_of, save, tell_attendees
from bot.scheduler import Planner
from bot.taxonomy import FOCUS_AREAS, TOPICS
from db.engine import Sessions, reading, writing
from db.models import Event


@dataclass(frozen=True)
class Subscriber:
    """What decides whether, and when, an announcement reaches a user."""

    user_id: int
    language: str
    zone: str
    organisation_id: int | None = None


async def subscribers(
    session: AsyncSession, draft: Draft, default_language: str
) -> list[Subscriber]:
    """Active users who want announcements of this kind, topic, country and language."""
    rows = await queries.subscriber_rows(session)
    wanted_topics, wanted_focus = TOPICS.mask(draft.topics), FOCUS_AREAS.mask(draft.focus)
    found = []
    for user_id, language, zone, kinds, topics, country, learn_mask, focus_mask, org in rows:
        language = language or default_language
        if kinds is not None and draft.kind not in kinds:
            continue
        if draft.countries and country not in draft.countries:
            continue
        if draft.languages and language not in draft.languages:
            continue
        # About what they want to learn, or about their field of work (either will do).
        interests = TOPICS.mask(topics) if topics is not None else (learn_mask or 0)
        if (wanted_topics or wanted_focus) and not (
            wanted_topics & interests or wanted_focus & (focus_mask or 0)
        ):
            continue
        found.append(Subscriber(user_id, language, zones.zone_name(zone, country, language), org))
    return found


@dataclass(frozen=True)
class Published:
    """A publication: how many announcements are queued, how many of them wait for the
    morning (quiet hours in the subscriber's zone), and how many subscribers will not get
    one because their morning comes after the event starts."""

    event_id: int
    queued: int
    in_the_morning: int = 0
    too_late: int = 0


async def publish(
    sessions: Sessions,
    event_id: int,
    now: datetime,
    default_language: str,
    *,
    by: int | None = None,
) -> Published | None:
    """Publish a draft or scheduled event now: one announcement per matching subscriber
    (not the admin `by`, who has seen the preview), due at once or, at night in their
    zone, at 09:00, unless that is after the start. None if it is not publishable (a
    member's post is only once approved). A post is not announced to its own organisation."""
    async with writing(sessions) as session:
        # Locked: two schedulers publishing at once queue one set of announcements.
        row = await session.get(Event, event_id, with_for_update=True)
        if row is None or row.status not in ("draft", "scheduled") or row.starts_at <= now:
            return None
        if (row.review or "approved") != "approved":
            return None
        row.status, row.published_at, row.publish_at = "published", now, None
        info = info_of(row)
        return await _queue(session, row.id, info.draft, now, default_language, by, info.host_id)


async def _queue(
    session: AsyncSession,
    event_id: int,
    draft: Draft,
    now: datetime,
    default_language: str,
    by: int | None,
    host: int | None = None,
) -> Published:
    rows: list[dict[str, Any]] = []
    too_late, later = 0, 0
    for target in await subscribers(session, draft, default_language):
        if target.user_id == by or (host is not None and target.organisation_id == host):
            continue
        due = zones.outside_quiet_hours(now, target.zone)
        if due >= draft.starts_at:  # their morning comes after the start: it would be dropped
            too_late += 1
            continue
        later += due > now
        rows.append(
            {
                "event_id": event_id,
                "user_id": target.user_id,
                "kind": "announce",
                "due_at": due,
                "state": "pending",
            }
        )
    await queries.add_notices(session, rows)
    return Published(event_id, len(rows), later, too_late)


async def schedule(sessions: Sessions, event_id: int, when: datetime) -> bool:
    """Publish a draft later; False if it is not a draft (or starts before `when`)."""
    async with writing(sessions) as session:
        row = await session.get(Event, event_id)
        if row is None or row.status not in ("draft", "scheduled") or row.starts_at <= when:
            return False
        row.status, row.publish_at = "scheduled", when
        return True


async def finish(
    sessions: Sessions,
    draft: Draft,
    by: int,
    now: datetime,
    *,
    editing: int | None,
    close: Callable[[], Awaitable[object]],
    planner: Planner,
    language: str | None = None,
) -> tuple[int | None, Published | None]:
    """The wizard's end: its draft saved (a new event, or the changes to the event
    `editing`), the wizard closed (`close`, once saved or found gone, before anything is
    published), then, given the `language` announcements default to, published now (the
    `planner` woken for its announcements). The event's id is None if the event edited was
    cancelled meanwhile (nothing saved); what was published is None if it was not (not
    asked, or not publishable)."""
    try:
        event_id: int | None = await save(sessions, draft, by, now, event_id=editing)
    except LookupError:
        event_id = None
    await close()
    if event_id is None or language is None:
        return event_id, None
    published = await publish(sessions, event_id, now, language, by=by)
    if published is not None:
        planner.wake_at(now)
    return event_id, published


async def schedule_draft(
    sessions: Sessions,
    draft: Draft,
    by: int,
    now: datetime,
    when: datetime,
    *,
    editing: int | None,
    close: Callable[[], Awaitable[object]],
    planner: Planner,
) -> bool:
    """The wizard's end by Publish at a date: its draft saved and the wizard closed (as
    `finish` does), then published at `when` (the `planner` woken then); False if it was
    not (the event edited was cancelled meanwhile, or it is not publishable then)."""
    event_id, _ = await finish(
        sessions, draft, by, now, editing=editing, close=close, planner=planner
    )
    if event_id is None or not await schedule(sessions, event_id, when):
        return False
    planner.wake_at(when)
    return True


async def publish_scheduled(
    sessions: Sessions, now: datetime, default_language: str
) -> list[Published]:
    """Publish every scheduled event whose time has come."""
    async with reading(sessions) as session:
        due = await queries.scheduled_due(session, now)
    done = [await publish(sessions, event_id, now, default_language) for event_id in due]
    return [p for p in done if p is not None]


class Cancelled(StrEnum):
    """How a cancellation went."""

    DONE = "done"
    ALREADY = "already"
    MISSING = "missing"


async def cancel(sessions: Sessions, event_id: int, now: datetime) -> tuple[Cancelled, int]:
    """Cancel an event: its pending notices are dropped and everyone who said they
    would attend is told. Returns the outcome and how many will be told."""
    async with writing(sessions) as session:
        row = await session.get(Event, event_id)
        if row is None:
            return Cancelled.MISSING, 0
        if row.status == "cancelled":
            return Cancelled.ALREADY, 0
        row.status, row.cancelled_at = "cancelled", now
        await queries.drop_pending(session, event_id, now)
        return Cancelled.DONE, await tell_attendees(session, event_id, "cancelled", now)
