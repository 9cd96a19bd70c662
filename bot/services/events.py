"""Events: drafts, publication to matching subscribers, RSVPs, reminders, cancellation.

Every message the scheduler will send is a `notices` row with its due time and state,
written when it becomes known (publication, RSVP, cancellation); the scheduler only asks
the database what is due. A notice is claimed ("sending") in its own transaction before
it is sent and settled after, so a crash never leads to a second copy: a claimed notice
whose process died is given up, not sent again."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.languages import LANGUAGES
from bot.services import zones
from bot.services.indexing import mask
from bot.services.validation import AnswerError, normalise_url
from bot.taxonomy import COUNTRIES, EVENT_KINDS, FOCUS_AREAS, TOPICS
from db.engine import reading, writing
from db.models import Event, Notice, Organisation, Rsvp, User

TITLE_MAX: Final = 200
DESCRIPTION_MAX: Final = 3000
PLACE_MAX: Final = 300
URL_MAX: Final = 512
HORIZON: Final = timedelta(days=3 * 365)  # events further ahead are typing mistakes
REMINDERS: Final = {"day": timedelta(hours=24), "hour": timedelta(hours=1)}
DEADLINE_REMINDER: Final = timedelta(days=3)
PAGE_SIZE: Final = 5
DATE_FORMATS: Final = ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")
_DATE_SHAPE = re.compile(
    r"^(\d{1,2})[./](\d{1,2})[./](\d{4})\s+(\d{1,2})[:.](\d{2})$|"
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2})[:.](\d{2})$"
)


class Problem(StrEnum):
    """Why an answer in /event_new was not taken."""

    FORMAT = "format"  # not a date and time
    IMPOSSIBLE = "impossible"  # 31.02, 25:00
    PAST = "past"
    TOO_FAR = "too_far"
    BEFORE_START = "before_start"
    AFTER_START = "after_start"  # an application deadline after the start
    LATE_PUBLICATION = "late_publication"  # published only after it starts
    TOO_LONG = "too_long"
    EMPTY = "empty"
    NOT_URL = "not_url"


class EventError(Exception):
    """An answer that cannot be taken; `limit` for TOO_LONG."""

    def __init__(self, problem: Problem, limit: int = 0, length: int = 0) -> None:
        super().__init__(problem.value)
        self.problem, self.limit, self.length = problem, limit, length


def parse_moment(text: str, zone: str, now: datetime) -> datetime:
    """`14.12.2026 15:00` or `2026-12-14 15:00` in `zone`, as an aware UTC moment."""
    cleaned = " ".join(text.split())
    shape = _DATE_SHAPE.match(cleaned)
    if shape is None:
        raise EventError(Problem.FORMAT)
    normalised = re.sub(r"[./]", ".", cleaned) if shape.group(1) else cleaned.replace("T", " ")
    normalised = re.sub(r"(\d)\.(\d{2})$", r"\1:\2", normalised)
    for pattern in ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"):
        try:
            local = datetime.strptime(normalised, pattern)
        except ValueError:
            continue
        moment = local.replace(tzinfo=ZoneInfo(zone)).astimezone(now.tzinfo)
        if moment <= now:
            raise EventError(Problem.PAST)
        if moment > now + HORIZON:
            raise EventError(Problem.TOO_FAR)
        return moment
    raise EventError(Problem.IMPOSSIBLE)


def clean_text(text: str | None, limit: int) -> str:
    """Trimmed text within `limit` characters."""
    value = (text or "").strip()
    if not value:
        raise EventError(Problem.EMPTY)
    if len(value) > limit:
        raise EventError(Problem.TOO_LONG, limit, len(value))
    return value


def clean_url(text: str | None) -> str:
    """An http(s) URL within the length limit."""
    value = clean_text(text, URL_MAX)
    try:
        return normalise_url(value)
    except AnswerError:
        raise EventError(Problem.NOT_URL) from None


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
        )


@dataclass(frozen=True)
class EventInfo:
    """An event as screens and announcements show it."""

    id: int
    status: str
    draft: Draft
    publish_at: datetime | None = None
    announced: int = 0
    attending: int = 0


def _info(row: Event, announced: int = 0, attending: int = 0) -> EventInfo:
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
    )
    return EventInfo(row.id, row.status, draft, row.publish_at, announced, attending)


async def save(
    sessions: async_sessionmaker[AsyncSession],
    draft: Draft,
    admin_id: int,
    now: datetime,
    *,
    event_id: int | None = None,
) -> int:
    """Store a new event as a draft, or change an existing one that is not cancelled
    (its reminders follow a new start). Returns its id; raises LookupError if gone."""
    async with writing(sessions) as session:
        row = await session.get(Event, event_id) if event_id is not None else None
        if event_id is not None and (row is None or row.status == "cancelled"):
            raise LookupError(event_id)
        if row is None:
            row = Event(status="draft", created_by=admin_id, created_at=now)
            session.add(row)
        before = _what_attendees_rely_on(row)
        for name, value in draft.dump().items():
            if name not in ("starts_at", "ends_at", "deadline"):
                setattr(row, name, value)
        # Only internships take applications until a deadline.
        deadline = draft.deadline if draft.kind == "internship" else None
        row.starts_at, row.ends_at, row.deadline = draft.starts_at, draft.ends_at, deadline
        await session.flush()
        if event_id is not None:
            if deadline is None:
                await session.execute(
                    update(Notice)
                    .where(Notice.event_id == row.id, Notice.kind == "deadline")
                    .where(Notice.state == "pending")
                    .values(state="dropped", updated_at=now)
                )
            for kind, due in _reminder_offsets(draft).items():
                await session.execute(
                    update(Notice)
                    .where(Notice.event_id == row.id, Notice.kind == kind)
                    .where(Notice.state == "pending")
                    .values(due_at=due)
                )
            if row.status == "published" and _what_attendees_rely_on(row) != before:
                await _tell_attendees(session, row.id, "changed", now)
        return row.id


def _what_attendees_rely_on(row: Event) -> tuple[object, ...]:
    """When and where: a change to any of these is worth a message to attendees."""
    return (row.starts_at, row.ends_at, row.link, row.place)


async def _tell_attendees(session: AsyncSession, event_id: int, kind: str, now: datetime) -> int:
    """Queue a notice of `kind`, due now, for everyone who said they would attend (a
    notice of that kind told before is queued again). Returns how many."""
    attending = set(
        await session.scalars(
            select(Rsvp.user_id).where(Rsvp.event_id == event_id, Rsvp.going.is_(True))
        )
    )
    if not attending:
        return 0
    told_before = set(
        await session.scalars(
            select(Notice.user_id).where(Notice.event_id == event_id, Notice.kind == kind)
        )
    )
    await session.execute(
        update(Notice)
        .where(Notice.event_id == event_id, Notice.kind == kind)
        .where(Notice.user_id.in_(attending & told_before))
        .values(state="pending", due_at=now, updated_at=now)
    )
    if attending - told_before:
        await session.execute(
            insert(Notice),
            [
                {"event_id": event_id, "user_id": user_id, "kind": kind, "due_at": now,
                 "state": "pending"}
                for user_id in sorted(attending - told_before)
            ],
        )  # fmt: skip
    return len(attending)


def _reminder_offsets(draft: Draft) -> dict[str, datetime]:
    due = {kind: draft.starts_at - offset for kind, offset in REMINDERS.items()}
    if draft.kind == "internship" and draft.deadline is not None:
        due["deadline"] = draft.deadline - DEADLINE_REMINDER
    return due


@dataclass(frozen=True)
class Subscriber:
    """What decides whether, and when, an announcement reaches a user."""

    user_id: int
    language: str
    zone: str


async def subscribers(
    session: AsyncSession, draft: Draft, default_language: str
) -> list[Subscriber]:
    """Active users who want announcements of this kind, topic, country and language."""
    rows = await session.execute(
        select(
            User.id,
            User.language,
            User.time_zone,
            User.event_kinds,
            User.event_topics,
            Organisation.country,
            Organisation.learn_mask,
            Organisation.focus_mask,
        )
        .outerjoin(Organisation, Organisation.owner_id == User.id)
        .where(User.is_active.is_(True), User.events_on.is_(True))
        .where((Organisation.id.is_(None)) | (Organisation.status != "banned"))
    )
    wanted_topics, wanted_focus = mask(TOPICS, draft.topics), mask(FOCUS_AREAS, draft.focus)
    found = []
    for user_id, language, zone, kinds, topics, country, learn_mask, focus_mask in rows:
        language = language or default_language
        if kinds is not None and draft.kind not in kinds:
            continue
        if draft.countries and country not in draft.countries:
            continue
        if draft.languages and language not in draft.languages:
            continue
        # About what they want to learn, or about their field of work (either will do).
        interests = mask(TOPICS, topics) if topics is not None else (learn_mask or 0)
        if (wanted_topics or wanted_focus) and not (
            wanted_topics & interests or wanted_focus & (focus_mask or 0)
        ):
            continue
        found.append(Subscriber(user_id, language, zones.zone_name(zone, country, language)))
    return found


@dataclass(frozen=True)
class Published:
    """A publication: how many announcements are queued."""

    event_id: int
    queued: int


async def publish(
    sessions: async_sessionmaker[AsyncSession],
    event_id: int,
    now: datetime,
    default_language: str,
) -> Published | None:
    """Publish a draft or scheduled event now: one announcement per matching subscriber,
    due at once or, at night in their zone, at 09:00. None if it is not publishable."""
    async with writing(sessions) as session:
        row = await session.get(Event, event_id)
        if row is None or row.status not in ("draft", "scheduled") or row.starts_at <= now:
            return None
        row.status, row.published_at, row.publish_at = "published", now, None
        queued = await _queue(session, row.id, _info(row).draft, now, default_language)
        return Published(row.id, queued)


async def _queue(
    session: AsyncSession, event_id: int, draft: Draft, now: datetime, default_language: str
) -> int:
    targets = await subscribers(session, draft, default_language)
    rows = [
        {
            "event_id": event_id,
            "user_id": target.user_id,
            "kind": "announce",
            "due_at": zones.outside_quiet_hours(now, target.zone),
            "state": "pending",
        }
        for target in targets
    ]
    for start in range(0, len(rows), 1000):
        await session.execute(insert(Notice), rows[start : start + 1000])
    return len(rows)


async def schedule(
    sessions: async_sessionmaker[AsyncSession], event_id: int, when: datetime
) -> bool:
    """Publish a draft later; False if it is not a draft (or starts before `when`)."""
    async with writing(sessions) as session:
        row = await session.get(Event, event_id)
        if row is None or row.status not in ("draft", "scheduled") or row.starts_at <= when:
            return False
        row.status, row.publish_at = "scheduled", when
        return True


async def publish_scheduled(
    sessions: async_sessionmaker[AsyncSession], now: datetime, default_language: str
) -> list[Published]:
    """Publish every scheduled event whose time has come."""
    async with reading(sessions) as session:
        due = list(
            await session.scalars(
                select(Event.id).where(Event.status == "scheduled", Event.publish_at <= now)
            )
        )
    done = [await publish(sessions, event_id, now, default_language) for event_id in due]
    return [p for p in done if p is not None]


class Cancelled(StrEnum):
    """How a cancellation went."""

    DONE = "done"
    ALREADY = "already"
    MISSING = "missing"


async def cancel(
    sessions: async_sessionmaker[AsyncSession], event_id: int, now: datetime
) -> tuple[Cancelled, int]:
    """Cancel an event: its pending notices are dropped and everyone who said they
    would attend is told. Returns the outcome and how many will be told."""
    async with writing(sessions) as session:
        row = await session.get(Event, event_id)
        if row is None:
            return Cancelled.MISSING, 0
        if row.status == "cancelled":
            return Cancelled.ALREADY, 0
        row.status, row.cancelled_at = "cancelled", now
        await session.execute(
            update(Notice)
            .where(Notice.event_id == event_id, Notice.state == "pending")
            .values(state="dropped", updated_at=now)
        )
        return Cancelled.DONE, await _tell_attendees(session, event_id, "cancelled", now)


class Answer(StrEnum):
    """How an RSVP went."""

    GOING = "going"
    NOT_GOING = "not_going"
    CANCELLED = "cancelled"
    STARTED = "started"
    MISSING = "missing"


async def rsvp(
    sessions: async_sessionmaker[AsyncSession],
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
            return Answer.STARTED, _info(row)
        existing = await session.get(Rsvp, (event_id, user_id))
        if existing is None:
            session.add(Rsvp(event_id=event_id, user_id=user_id, going=going, updated_at=now))
        else:
            existing.going, existing.updated_at = going, now
        await session.execute(
            delete(Notice).where(
                Notice.event_id == event_id,
                Notice.user_id == user_id,
                Notice.kind.in_([*REMINDERS, "deadline"]),
                Notice.state == "pending",
            )
        )
        if going:
            await session.flush()
            for kind, due in _reminder_offsets(_info(row).draft).items():
                if due > now:
                    session.add(Notice(event_id=event_id, user_id=user_id, kind=kind, due_at=due))
        return (Answer.GOING if going else Answer.NOT_GOING), _info(row)


async def unsubscribe(sessions: async_sessionmaker[AsyncSession], user_id: int) -> None:
    """No more announcements; those waiting for the morning are dropped now."""
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(events_on=False))
        await session.execute(
            update(Notice)
            .where(Notice.user_id == user_id, Notice.kind == "announce")
            .where(Notice.state == "pending")
            .values(state="dropped")
        )


@dataclass(frozen=True)
class Due:
    """A claimed notice, with what it takes to write it."""

    notice_id: int
    kind: str
    user_id: int
    language: str
    zone: str
    event: EventInfo


async def claim_next(
    sessions: async_sessionmaker[AsyncSession], now: datetime, default_language: str
) -> Due | None:
    """The oldest due notice still worth sending, marked "sending" (so never sent twice);
    stale ones met on the way (a reminder after the start…) are dropped."""
    async with writing(sessions) as session:
        while True:
            notice = await session.scalar(
                select(Notice)
                .where(Notice.state == "pending", Notice.due_at <= now)
                .order_by(Notice.due_at, Notice.id)
                .limit(1)
            )
            if notice is None:
                return None
            event = await session.get(Event, notice.event_id)
            user = await session.get(User, notice.user_id)
            notice.updated_at = now
            if event is None or user is None or not _still_useful(notice, event, user, now):
                notice.state = "dropped"
                continue
            notice.state = "sending"
            country = await session.scalar(
                select(Organisation.country).where(Organisation.owner_id == user.id)
            )
            language = user.language or default_language
            zone = zones.zone_name(user.time_zone, country, language)
            return Due(notice.id, notice.kind, user.id, language, zone, _info(event))


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


async def settle(
    sessions: async_sessionmaker[AsyncSession], notice_id: int, state: str, now: datetime
) -> None:
    """Record what became of a claimed notice (sent, blocked or failed)."""
    async with writing(sessions) as session:
        await session.execute(
            update(Notice).where(Notice.id == notice_id).values(state=state, updated_at=now)
        )
        if state == "blocked":
            user_id = select(Notice.user_id).where(Notice.id == notice_id).scalar_subquery()
            await session.execute(update(User).where(User.id == user_id).values(is_active=False))


async def give_up_interrupted(sessions: async_sessionmaker[AsyncSession], now: datetime) -> int:
    """At start: notices a dead process had claimed may or may not have reached the user;
    they are never sent again ("never twice")."""
    async with writing(sessions) as session:
        result = await session.execute(
            update(Notice)
            .where(Notice.state == "sending")
            .values(state="interrupted", updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def next_due(sessions: async_sessionmaker[AsyncSession]) -> datetime | None:
    """When the scheduler should next wake: the earliest pending notice or publication."""
    async with reading(sessions) as session:
        notice = await session.scalar(
            select(func.min(Notice.due_at)).where(Notice.state == "pending")
        )
        publication = await session.scalar(
            select(func.min(Event.publish_at)).where(Event.status == "scheduled")
        )
    moments = [m for m in (notice, publication) if m is not None]
    return min(moments) if moments else None


async def load(sessions: async_sessionmaker[AsyncSession], event_id: int) -> EventInfo | None:
    """One event with its counts."""
    async with reading(sessions) as session:
        row = await session.get(Event, event_id)
        if row is None:
            return None
        counts = await _counts(session, [row.id])
        return _info(row, *counts.get(row.id, (0, 0)))


async def _counts(session: AsyncSession, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    announced = dict(
        (
            await session.execute(
                select(Notice.event_id, func.count())
                .where(Notice.event_id.in_(ids), Notice.kind == "announce")
                .where(Notice.state == "sent")
                .group_by(Notice.event_id)
            )
        ).all()
    )
    attending = dict(
        (
            await session.execute(
                select(Rsvp.event_id, func.count())
                .where(Rsvp.event_id.in_(ids), Rsvp.going.is_(True))
                .group_by(Rsvp.event_id)
            )
        ).all()
    )
    return {i: (int(announced.get(i, 0)), int(attending.get(i, 0))) for i in ids}


async def for_admins(
    sessions: async_sessionmaker[AsyncSession], now: datetime, limit: int = 10
) -> list[EventInfo]:
    """Drafts, scheduled and upcoming published events, soonest first, with counts."""
    async with reading(sessions) as session:
        rows = list(
            await session.scalars(
                select(Event)
                .where(
                    (Event.status.in_(["draft", "scheduled"]))
                    | and_(Event.status == "published", Event.ends_at > now)
                )
                .order_by(Event.starts_at)
                .limit(limit)
            )
        )
        counts = await _counts(session, [row.id for row in rows])
        return [_info(row, *counts[row.id]) for row in rows]


@dataclass(frozen=True)
class Upcoming:
    """A page of /events."""

    events: list[EventInfo] = field(default_factory=list)
    page: int = 0
    has_next: bool = False
    going: frozenset[int] = frozenset()


async def upcoming(
    sessions: async_sessionmaker[AsyncSession], user_id: int, page: int, now: datetime
) -> Upcoming:
    """Published events not yet over, soonest first, PAGE_SIZE a page."""
    async with reading(sessions) as session:
        rows = list(
            await session.scalars(
                select(Event)
                .where(Event.status == "published", Event.ends_at > now)
                .order_by(Event.starts_at, Event.id)
                .offset(page * PAGE_SIZE)
                .limit(PAGE_SIZE + 1)
            )
        )
        shown = rows[:PAGE_SIZE]
        going = await session.scalars(
            select(Rsvp.event_id).where(
                Rsvp.user_id == user_id,
                Rsvp.going.is_(True),
                Rsvp.event_id.in_([row.id for row in shown]),
            )
        )
        return Upcoming(
            [_info(row) for row in shown], page, len(rows) > PAGE_SIZE, frozenset(going)
        )


@dataclass(frozen=True)
class EventSettings:
    """A user's event settings, with the zone in effect."""

    on: bool
    kinds: list[str] | None
    zone: str
    topics: list[str] = field(default_factory=list)  # chosen, else the profile's "want to learn"
    digest: bool = True  # the weekly digest


async def settings_of(
    sessions: async_sessionmaker[AsyncSession], user_id: int, language: str
) -> EventSettings:
    """Announcements on or off, kinds followed (None: all) and the time zone (by default
    that of the organisation's country, else of `language`, the one the user reads)."""
    async with reading(sessions) as session:
        row = (
            await session.execute(
                select(
                    User.events_on,
                    User.event_kinds,
                    User.time_zone,
                    User.language,
                    User.event_topics,
                    User.digest_on,
                ).where(User.id == user_id)
            )
        ).first()
        org = (
            await session.execute(
                select(Organisation.country, Organisation.learn_mask).where(
                    Organisation.owner_id == user_id
                )
            )
        ).first()
    country, learn_mask = org if org is not None else (None, 0)
    if row is None:
        return EventSettings(True, None, zones.zone_name(None, None, language))
    on, kinds, zone, chosen_language, topics, digest = row
    return EventSettings(
        bool(on),
        kinds,
        zones.zone_name(zone, country, chosen_language or language),
        list(topics) if topics is not None else _codes(TOPICS.codes, learn_mask or 0),
        bool(digest),
    )


def _codes(codes: tuple[str, ...], bits: int) -> list[str]:
    return [code for index, code in enumerate(codes) if bits >> index & 1]


async def toggle_topic(
    sessions: async_sessionmaker[AsyncSession], user_id: int, code: str, current: list[str]
) -> list[str]:
    """Follow or stop following announcements on one topic; `current` is what the user
    follows now (at first their profile's "want to learn")."""
    if code not in TOPICS:
        return current
    chosen = set(current) ^ {code}
    topics = [c for c in TOPICS.codes if c in chosen]
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(event_topics=topics))
    return topics


async def set_events_on(sessions: async_sessionmaker[AsyncSession], user_id: int, on: bool) -> None:
    """Turn announcements on (or off, as /unsubscribe does)."""
    if not on:
        await unsubscribe(sessions, user_id)
        return
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(events_on=True))


async def set_digest_on(sessions: async_sessionmaker[AsyncSession], user_id: int, on: bool) -> None:
    """The weekly digest on or off."""
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(digest_on=on))


async def recent(
    sessions: async_sessionmaker[AsyncSession],
    since: datetime,
    now: datetime,
    default_language: str,
    *,
    limit: int = 20,
) -> list[tuple[EventInfo, frozenset[int]]]:
    """Events published since `since` and still to come, soonest first, each with the
    users its announcement was for (as `subscribers` decides)."""
    async with reading(sessions) as session:
        rows = await session.scalars(
            select(Event)
            .where(Event.status == "published", Event.published_at >= since)
            .where(Event.starts_at > now)
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
        )
        found = []
        for row in rows.all():
            info = _info(row)
            audience = await subscribers(session, info.draft, default_language)
            found.append((info, frozenset(subscriber.user_id for subscriber in audience)))
        return found


async def toggle_kind(
    sessions: async_sessionmaker[AsyncSession], user_id: int, code: str
) -> list[str] | None:
    """Follow or stop following one kind of event; returns the kinds followed (None: all)."""
    async with writing(sessions) as session:
        user = await session.get(User, user_id)
        if user is None or code not in EVENT_KINDS:
            return None
        followed = set(EVENT_KINDS.codes if user.event_kinds is None else user.event_kinds)
        followed ^= {code}
        user.event_kinds = (
            None
            if followed == set(EVENT_KINDS.codes)
            else [c for c in EVENT_KINDS.codes if c in followed]
        )
        return user.event_kinds


async def set_zone(sessions: async_sessionmaker[AsyncSession], user_id: int, zone: str) -> None:
    """Remember the user's time zone (a name `zones.known` accepted)."""
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(time_zone=zone))
