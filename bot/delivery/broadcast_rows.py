"""A broadcast as stored: content, audience, counts, and the recipients' rows the delivery
engine walks and settles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final

from bot.languages import LANGUAGES
from bot.taxonomy import COUNTRIES, FOCUS_AREAS
from db import broadcasts as queries
from db.engine import Sessions, reading, writing
from db.models import Broadcast

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
class RecipientCounts:
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
    counts: RecipientCounts = field(default_factory=RecipientCounts)


def summary_of(row: Broadcast, counts: Mapping[str, int] | None = None) -> Summary:
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
        counts=RecipientCounts(
            **{k: v for k, v in (counts or {}).items() if k in RecipientCounts.__annotations__}
        ),
    )


async def load(sessions: Sessions, broadcast_id: int) -> Summary | None:
    """A broadcast with its counts, or None."""
    async with reading(sessions) as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is None:
            return None
        return summary_of(row, await queries.counts(session, broadcast_id))


async def running(sessions: Sessions) -> list[Summary]:
    """Broadcasts not yet finished or cancelled (resumed at start)."""
    async with reading(sessions) as session:
        return [
            summary_of(row, await queries.counts(session, row.id))
            for row in await queries.with_status(session, "running")
        ]


async def pending_after(
    sessions: Sessions, broadcast_id: int, after_user: int, limit: int
) -> list[int]:
    """The next recipients still waiting, in user id order."""
    async with reading(sessions) as session:
        return await queries.pending_after(session, broadcast_id, after_user, limit)


async def claim(
    sessions: Sessions, broadcast_id: int, worker: str, seconds: float, size: int
) -> list[int]:
    """Several workers (PostgreSQL): take a batch of pending rows for `seconds`."""
    async with writing(sessions) as session:
        return await queries.claim(session, broadcast_id, worker, seconds, size)


async def renew(
    sessions: Sessions, broadcast_id: int, claimant: str, seconds: float, users: Sequence[int]
) -> list[int]:
    """Several workers: keep holding the rows a run is working on; those it still held."""
    async with writing(sessions) as session:
        return await queries.renew(session, broadcast_id, claimant, seconds, users)


async def release_stale(sessions: Sessions, broadcast_id: int, worker: str, claimant: str) -> int:
    """Several workers: free the rows earlier runs of this worker left claimed."""
    async with writing(sessions) as session:
        return await queries.release_stale(session, broadcast_id, worker, claimant)


async def held_by_others(sessions: Sessions, broadcast_id: int, claimant: str) -> int:
    """Several workers: pending rows other living runs hold."""
    async with reading(sessions) as session:
        return await queries.held_by_others(session, broadcast_id, claimant)


async def record(
    sessions: Sessions,
    broadcast_id: int,
    outcomes: Sequence[tuple[int, str, str | None]],
    now: datetime,
) -> None:
    """Write a batch of `(user id, sent|blocked|failed, error)` in one transaction."""
    async with writing(sessions) as session:
        await queries.record(session, broadcast_id, outcomes, now)


async def finish(sessions: Sessions, broadcast_id: int, now: datetime) -> bool:
    """Mark a running broadcast done; False if it was not running (cancelled meanwhile)
    or a recipient is still pending."""
    async with writing(sessions) as session:
        return await queries.set_status(session, broadcast_id, "done", now)
