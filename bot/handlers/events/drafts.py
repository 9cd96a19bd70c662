"""Events as written by admins: drafts, saving, loading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.events import queries
from bot.languages import LANGUAGES
from bot.taxonomy import COUNTRIES, EVENT_KINDS, FOCUS_AREAS, TOPICS
from db.engine import Sessions, reading, writing
from db.models import Event


@dataclass(frozen=True)
class Draft:
    """Everything /event_new asks, as kept in the FSM data while it is being written."""

    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    link: str | None = None
    place: str | None = None
    topics: tuple[str, ...] = ()
    focus: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    registration_url: str | None = None
    deadline: datetime | None = None
    places: int | None = None  # an internship's: 1–50

    def dump(self) -> dict[str, Any]:
        """JSON-safe, for FSM data."""
        return {
            "kind": self.kind,
            "title": self.title,
            "description": self.description,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "time_zone": self.time_zone,
            "link": self.link,
            "place": self.place,
            "topics": list(self.topics),
            "focus": list(self.focus),
            "countries": list(self.countries),
            "languages": list(self.languages),
            "registration_url": self.registration_url,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "places": self.places,
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> Draft:
        """From `dump` (codes not in the taxonomy dropped)."""
        return cls(
            kind=data["kind"] if data.get("kind") in EVENT_KINDS else "webinar",
            title=str(data["title"]),
            description=str(data["description"]),
            starts_at=datetime.fromisoformat(data["starts_at"]),
            ends_at=datetime.fromisoformat(data["ends_at"]),
            time_zone=str(data["time_zone"]),
            link=data.get("link"),
            place=data.get("place"),
            topics=tuple(c for c in data.get("topics") or () if c in TOPICS),
            focus=tuple(c for c in data.get("focus") or () if c in FOCUS_AREAS),
            countries=tuple(c for c in data.get("countries") or () if c in COUNTRIES),
            languages=tuple(c for c in data.get("languages") or () if c in LANGUAGES),
            registration_url=data.get("registration_url"),
            deadline=datetime.fromisoformat(data["deadline"]) if data.get("deadline") else None,
            places=_places(data.get("places")),
        )


def _places(value: object) -> int | None:
    """An internship's places as kept (anything else: none)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


@dataclass(frozen=True)
class EventInfo:
    """An event as screens and announcements show it."""

    id: int
    status: str
    draft: Draft
    publish_at: datetime | None = None
    announced: int = 0
    attending: int = 0
    host_id: int | None = None  # the organisation that posted it (None: an admin's)
    review: str = "approved"  # a post's review: pending, approved or rejected
    host: str | None = None  # the host organisation's name, where it is shown


async def host_name(session: AsyncSession, row: Event) -> str | None:
    """The name of the organisation that posted `row` (None: an admin's event)."""
    if row.host_organisation_id is None:
        return None
    return await queries.organisation_name(session, row.host_organisation_id)


def info_of(
    row: Event, announced: int = 0, attending: int = 0, host: str | None = None
) -> EventInfo:
    draft = Draft(
        kind=row.kind,
        title=row.title,
        description=row.description,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        time_zone=row.time_zone,
        link=row.link,
        place=row.place,
        topics=tuple(row.topics or ()),
        focus=tuple(row.focus or ()),
        countries=tuple(row.countries or ()),
        languages=tuple(row.languages or ()),
        registration_url=row.registration_url,
        deadline=row.deadline,
        places=row.places,
    )
    return EventInfo(
        row.id,
        row.status,
        draft,
        row.publish_at,
        announced,
        attending,
        row.host_organisation_id,
        row.review or "approved",
        host,
    )


async def save(
    sessions: Sessions,
    draft: Draft,
    admin_id: int,
    now: datetime,
    *,
    event_id: int | None = None,
    host: int | None = None,
    review: str | None = None,
) -> int:
    """Store a new event as a draft, or change an existing one that is not cancelled
    (its reminders follow a new start). Returns its id; raises LookupError if gone.
    A member's post names its `host` organisation (on creation; `admin_id` is then the
    member who posted it) and its `review` state (set when given)."""
    async with writing(sessions) as session:
        row = await session.get(Event, event_id) if event_id is not None else None
        if event_id is not None and (row is None or row.status == "cancelled"):
            raise LookupError(event_id)
        if row is None:
            row = Event(status="draft", created_by=admin_id, created_at=now)
            if host is not None:
                row.host_organisation_id, row.posted_by = host, admin_id
            session.add(row)
        if review is not None:
            row.review = review
        before = _what_attendees_rely_on(row)
        for name, value in draft.dump().items():
            if name not in ("starts_at", "ends_at", "deadline", "places"):
                setattr(row, name, value)
        # Only internships take applications until a deadline.
        deadline = draft.deadline if draft.kind == "internship" else None
        row.starts_at, row.ends_at, row.deadline = draft.starts_at, draft.ends_at, deadline
        row.places = draft.places if draft.kind == "internship" else None
        await session.flush()
        if event_id is not None:
            if deadline is None:
                await queries.drop_pending(session, row.id, now, kinds=["deadline"])
            for kind, due in reminder_times(draft).items():
                await queries.move_pending(session, row.id, kind, due)
            if row.status == "published" and _what_attendees_rely_on(row) != before:
                await tell_attendees(session, row.id, "changed", now)
        return row.id


def _what_attendees_rely_on(row: Event) -> tuple[object, ...]:
    """When and where: a change to any of these is worth a message to attendees."""
    return (row.starts_at, row.ends_at, row.link, row.place)


def reminder_times(draft: Draft) -> dict[str, datetime]:
    due = {kind: draft.starts_at - offset for kind, offset in REMINDERS.items()}
    if draft.kind == "internship" and draft.deadline is not None:
        due["deadline"] = draft.deadline - DEADLINE_REMINDER
    return due


async def load(sessions: Sessions, event_id: int) -> EventInfo | None:
    """One event with its counts."""
    async with reading(sessions) as session:
        row = await session.get(Event, event_id)
        if row is None:
            return None
        counts = await queries.counts_of(session, [row.id])
        return info_of(row, *counts.get(row.id, (0, 0)), host=await host_name(session, row))


REMINDERS: Final = {"day": timedelta(hours=24), "hour": timedelta(hours=1)}


DEADLINE_REMINDER: Final = timedelta(days=3)


async def tell_attendees(session: AsyncSession, event_id: int, kind: str, now: datetime) -> int:
    """Queue a notice of `kind`, due now, for everyone who said they would attend (a
    notice of that kind told before is queued again). Returns how many."""
    attending = await queries.attending(session, event_id)
    if not attending:
        return 0
    told_before = await queries.notified(session, event_id, kind)
    await queries.queue_again(session, event_id, kind, attending & told_before, now)
    await queries.add_notices(
        session,
        [
            {"event_id": event_id, "user_id": user_id, "kind": kind, "due_at": now,
             "state": "pending"}
            for user_id in sorted(attending - told_before)
        ],
    )  # fmt: skip
    return len(attending)
