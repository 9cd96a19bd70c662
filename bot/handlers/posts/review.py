"""Admins reviewing posts: the queue, the first decision counting, every admin's copy
remembered so that the others can be closed, and who to tell."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from bot.handlers.events import drafts
from bot.handlers.events.drafts import EventInfo
from bot.handlers.posts import queries
from bot.handlers.posts.posting import PostRefusal, PostRefused
from db import repositories
from db.engine import Sessions, reading, writing
from db.models import Event

# Reasons an admin picks from when rejecting (stored as codes; labels in texts).
REASONS: Final = ("off_topic", "incomplete", "duplicate", "not_for_ngos", "other")
NOTE_MAX: Final = 300  # an admin's optional comment
SHOWN: Final = 10  # posts listed by /review


def check_admin(admins: Collection[int], user_id: int) -> None:
    """Only the network's admins review (ADMIN_IDS, checked on every press)."""
    if user_id not in admins:
        raise PostRefused(PostRefusal.NOT_ADMIN)


async def waiting(sessions: Sessions) -> tuple[list[EventInfo], int]:
    """The oldest posts waiting for review (with their hosts), and how many wait."""
    async with reading(sessions) as session:
        rows = await queries.waiting(session, SHOWN)
        found = [drafts.info_of(row, host=await drafts.host_name(session, row)) for row in rows]
        return found, await queries.count_waiting(session)


async def to_review(
    sessions: Sessions, admins: Collection[int], admin_id: int, post: int
) -> EventInfo:
    """A post waiting for review, for an admin to decide on."""
    check_admin(admins, admin_id)
    event = await drafts.load(sessions, post)
    if event is None or event.host_id is None:
        raise PostRefused(PostRefusal.GONE)
    if event.review != "pending":
        await _refuse_decided(sessions, post, admin_id)
    return event


async def _refuse_decided(sessions: Sessions, post: int, admin_id: int) -> None:
    async with reading(sessions) as session:
        row = await session.get(Event, post)
        by = row.reviewed_by if row is not None else None
        if by == admin_id:
            raise PostRefused(PostRefusal.YOU_DECIDED)
        raise PostRefused(PostRefusal.DECIDED, by=await queries.first_name(session, by))


@dataclass(frozen=True)
class Decision:
    """A decision taken: the post, by whom, why, and the host's members to tell."""

    event: EventInfo
    approved: bool
    admin_name: str
    reason: str | None
    note: str | None
    poster_id: int
    members: tuple[tuple[int, str | None], ...]  # (user id, language) of each member


async def decide(
    sessions: Sessions,
    admins: Collection[int],
    admin_id: int,
    post: int,
    now: datetime,
    *,
    approve: bool,
    reason: str | None = None,
    note: str | None = None,
) -> Decision:
    """Approve, or reject with a reason (and an optional comment); the first decision
    counts, a later one learns who decided."""
    check_admin(admins, admin_id)
    if not approve and reason not in REASONS:
        raise PostRefused(PostRefusal.GONE)
    async with writing(sessions) as session:
        row = await session.get(Event, post, with_for_update=True)
        if row is None or row.host_organisation_id is None or row.posted_by is None:
            raise PostRefused(PostRefusal.GONE)
        if row.review != "pending" or row.status != "draft":
            by = row.reviewed_by
            if by == admin_id:
                raise PostRefused(PostRefusal.YOU_DECIDED)
            raise PostRefused(PostRefusal.DECIDED, by=await queries.first_name(session, by))
        row.review = "approved" if approve else "rejected"
        if approve:  # due at once: published now, or by the scheduler after a crash
            row.status, row.publish_at = "scheduled", now
        row.reviewed_by, row.reviewed_at = admin_id, now
        row.review_reason = None if approve else reason
        row.review_note = None if approve else (note or None)
        await session.flush()
        members = await repositories.members_of(session, row.host_organisation_id)
        return Decision(
            drafts.info_of(row, host=await drafts.host_name(session, row)),
            approve,
            await queries.first_name(session, admin_id) or "",
            row.review_reason,
            row.review_note,
            row.posted_by,
            tuple((user_id, language) for user_id, language, _ in members),
        )


async def record_copies(sessions: Sessions, post: int, copies: list[tuple[int, int]]) -> None:
    """Remember each admin's copy `(user id, message id)` of a post to review."""
    if copies:
        async with writing(sessions) as session:
            await queries.add_copies(session, post, copies)


async def other_copies(
    sessions: Sessions, post: int, pressed: tuple[int, int] | None
) -> list[tuple[int, int, str | None]]:
    """Every copy of a post to review but the one pressed, to close them."""
    async with reading(sessions) as session:
        copies = await queries.copies_of(session, post)
    return [copy for copy in copies if copy[:2] != pressed]
