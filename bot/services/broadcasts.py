"""Admin broadcasts: the audience, the recipients' rows, progress and reports.

A broadcast's recipients are written, one row each, in the same transaction that creates
it, before anything is sent; the delivery engine (bot.delivery.broadcaster) then works
through the pending rows and records outcomes in batches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.languages import LANGUAGES
from bot.services.indexing import mask
from bot.taxonomy import COUNTRIES, FOCUS_AREAS
from db import broadcasts as queries
from db.engine import reading, writing
from db.models import Broadcast

TEXT_MAX: Final = 4096  # Telegram's limit for one message
RECENT: Final = 10  # broadcasts listed by /broadcasts
AUDIENCE_KINDS: Final = ("countries", "languages", "focus")


@dataclass(frozen=True)
class Audience:
    """Who gets a broadcast: every chosen criterion must hold (any of its values);
    nothing chosen means everyone."""

    countries: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    focus: frozenset[str] = frozenset()
    verified: bool = False

    @classmethod
    def load(cls, data: Mapping[str, Any] | None) -> Audience:
        """From stored data; unknown codes are dropped."""
        data = data or {}
        return cls(
            countries=frozenset(c for c in data.get("countries", ()) if c in COUNTRIES),
            languages=frozenset(c for c in data.get("languages", ()) if c in LANGUAGES),
            focus=frozenset(c for c in data.get("focus", ()) if c in FOCUS_AREAS),
            verified=bool(data.get("verified", False)),
        )

    def dump(self) -> dict[str, Any]:
        """For FSM data and the broadcast's row."""
        return {
            "countries": sorted(self.countries),
            "languages": sorted(self.languages),
            "focus": sorted(self.focus),
            "verified": self.verified,
        }

    def toggled(self, kind: str, code: str) -> Audience:
        """With `code` of `kind` (countries, languages, focus) switched on or off."""
        if kind not in AUDIENCE_KINDS:
            raise ValueError(kind)
        chosen: frozenset[str] = getattr(self, kind)
        return replace(self, **{kind: chosen ^ {code}})  # type: ignore[arg-type]

    @property
    def everyone(self) -> bool:
        """Nothing narrows it."""
        return not (self.countries or self.languages or self.focus or self.verified)


@dataclass(frozen=True)
class Content:
    """What is sent: HTML text, or a message to copy (media and formatting kept)."""

    text: str | None = None
    from_chat_id: int | None = None
    message_id: int | None = None


@dataclass(frozen=True)
class Counts:
    """Recipients per state."""

    pending: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        """Every recipient."""
        return self.pending + self.sent + self.blocked + self.failed

    @property
    def done(self) -> int:
        """Recipients with an outcome."""
        return self.sent + self.blocked + self.failed


@dataclass(frozen=True)
class Summary:
    """A broadcast as the admin screens and the delivery engine see it."""

    id: int
    status: str
    admin_id: int
    language: str
    content: Content
    audience: Audience
    total: int
    created_at: datetime
    finished_at: datetime | None
    status_message: tuple[int, int] | None
    counts: Counts = field(default_factory=Counts)


def _summary(row: Broadcast, counts: Mapping[str, int] | None = None) -> Summary:
    status_message = (
        (row.status_chat_id, row.status_message_id)
        if row.status_chat_id is not None and row.status_message_id is not None
        else None
    )
    return Summary(
        id=row.id,
        status=row.status,
        admin_id=row.admin_id,
        language=row.language,
        content=Content(row.text, row.from_chat_id, row.message_id),
        audience=Audience.load(row.audience),
        total=row.total,
        created_at=row.created_at,
        finished_at=row.finished_at,
        status_message=status_message,
        counts=Counts(**{k: v for k, v in (counts or {}).items() if k in Counts.__annotations__}),
    )


def _recipients(audience: Audience, now: datetime, default_language: str) -> Any:
    return queries.recipients(
        countries=audience.countries,
        languages=audience.languages,
        focus_bits=mask(FOCUS_AREAS, audience.focus),
        verified=audience.verified,
        now=now,
        default_language=default_language,
    )


async def count_audience(
    sessions: async_sessionmaker[AsyncSession],
    audience: Audience,
    now: datetime,
    default_language: str,
) -> int:
    """How many users the audience reaches now."""
    async with reading(sessions) as session:
        return await queries.count(session, _recipients(audience, now, default_language))


async def create(
    sessions: async_sessionmaker[AsyncSession],
    admin: tuple[int, str],
    content: Content,
    audience: Audience,
    now: datetime,
    default_language: str,
) -> Summary | None:
    """The broadcast (`admin`: id and language) and one pending row per recipient, in
    one transaction; None (and nothing written) when the audience reaches nobody."""
    try:
        return await _create(sessions, admin, content, audience, now, default_language)
    except _NoRecipients:
        return None


class _NoRecipients(Exception):
    """Raised inside the transaction so that it rolls back."""


async def _create(
    sessions: async_sessionmaker[AsyncSession],
    admin: tuple[int, str],
    content: Content,
    audience: Audience,
    now: datetime,
    default_language: str,
) -> Summary:
    async with writing(sessions) as session:
        row = Broadcast(
            admin_id=admin[0],
            language=admin[1],
            status="running",
            text=content.text,
            from_chat_id=content.from_chat_id,
            message_id=content.message_id,
            audience=audience.dump(),
            created_at=now,
        )
        session.add(row)
        await session.flush()
        row.total = await queries.add_deliveries(
            session, row.id, _recipients(audience, now, default_language)
        )
        if not row.total:
            raise _NoRecipients
        return _summary(row, {"pending": row.total})


async def attach_status(
    sessions: async_sessionmaker[AsyncSession], broadcast_id: int, chat_id: int, message_id: int
) -> None:
    """Remember the admin's status message, so progress survives a restart."""
    async with writing(sessions) as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is not None:
            row.status_chat_id, row.status_message_id = chat_id, message_id


async def load(sessions: async_sessionmaker[AsyncSession], broadcast_id: int) -> Summary | None:
    """A broadcast with its counts, or None."""
    async with reading(sessions) as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is None:
            return None
        return _summary(row, await queries.counts(session, broadcast_id))


async def running(sessions: async_sessionmaker[AsyncSession]) -> list[Summary]:
    """Broadcasts not yet finished or cancelled (resumed at start)."""
    async with reading(sessions) as session:
        return [
            _summary(row, await queries.counts(session, row.id))
            for row in await queries.with_status(session, "running")
        ]


async def recent(sessions: async_sessionmaker[AsyncSession]) -> list[Summary]:
    """The latest broadcasts with their counts, newest first."""
    async with reading(sessions) as session:
        return [
            _summary(row, await queries.counts(session, row.id))
            for row in await queries.recent(session, RECENT)
        ]


async def pending_after(
    sessions: async_sessionmaker[AsyncSession], broadcast_id: int, after_user: int, limit: int
) -> list[int]:
    """The next recipients still waiting, in user id order."""
    async with reading(sessions) as session:
        return await queries.pending_after(session, broadcast_id, after_user, limit)


async def record(
    sessions: async_sessionmaker[AsyncSession],
    broadcast_id: int,
    outcomes: Sequence[tuple[int, str, str | None]],
    now: datetime,
) -> None:
    """Write a batch of `(user id, sent|blocked|failed, error)` in one transaction."""
    async with writing(sessions) as session:
        await queries.record(session, broadcast_id, outcomes, now)


async def cancel(
    sessions: async_sessionmaker[AsyncSession], broadcast_id: int, now: datetime
) -> bool:
    """Stop a running broadcast (what was sent stays sent); False if it was not running."""
    async with writing(sessions) as session:
        return await queries.set_status(session, broadcast_id, "cancelled", now)


async def finish(
    sessions: async_sessionmaker[AsyncSession], broadcast_id: int, now: datetime
) -> bool:
    """Mark a running broadcast done; False if it was not running (cancelled meanwhile)."""
    async with writing(sessions) as session:
        return await queries.set_status(session, broadcast_id, "done", now)
