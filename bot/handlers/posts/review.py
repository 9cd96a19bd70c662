"""Admins reviewing posts (the events organisations host, and their partner calls): the
queue, the first decision counting, every admin's copy remembered so that the others can
be closed, and who to tell."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from bot.handlers.events import drafts
from bot.handlers.posts import announcing, calls, queries
from bot.handlers.posts.calls import CALL as CALL  # re-exported: where presses look for it
from bot.handlers.posts.calls import CallInfo
from bot.handlers.posts.calls import Post as Post
from bot.handlers.posts.refusals import PostRefusal, PostRefused
from db import repositories
from db.engine import Sessions, reading, writing
from db.models import Event, PartnerCall

# Reasons an admin picks from when rejecting (stored as codes; labels in texts).
REASONS: Final = ("off_topic", "incomplete", "duplicate", "not_for_ngos", "other")
NOTE_MAX: Final = 300  # an admin's optional comment
SHOWN: Final = 10  # posts listed by /review


def kind_of(post: Post) -> str:
    """The `kind` of a review press about `post`."""
    return CALL if isinstance(post, CallInfo) else ""


def check_admin(admins: Collection[int], user_id: int) -> None:
    """Only the network's admins review (ADMIN_IDS, checked on every press)."""
    if user_id not in admins:
        raise PostRefused(PostRefusal.NOT_ADMIN)


def _check_kind(kind: str) -> bool:
    """Whether a press is about a partner call (a forged kind is refused)."""
    if kind not in ("", CALL):
        raise PostRefused(PostRefusal.GONE)
    return kind == CALL


async def waiting(sessions: Sessions) -> tuple[list[Post], int]:
    """The oldest posts waiting for review (with their hosts), and how many wait."""
    async with reading(sessions) as session:
        rows = await queries.waiting(session, SHOWN)
        found: list[Post] = [
            drafts.info_of(row, host=await drafts.host_name(session, row)) for row in rows
        ]
        found += [
            await calls.info_of(session, row)
            for row in await queries.waiting_calls(session, SHOWN - len(found))
        ]
        total = await queries.count_waiting(session) + await queries.count_waiting_calls(session)
        return found, total


async def to_review(
    sessions: Sessions, admins: Collection[int], admin_id: int, post: int, kind: str = ""
) -> Post:
    """A post waiting for review, for an admin to decide on."""
    check_admin(admins, admin_id)
    found: Post | None
    if _check_kind(kind):
        found = await calls.load(sessions, post)
    else:
        found = await drafts.load(sessions, post)
        if found is not None and found.host_id is None:
            found = None
    if found is None:
        raise PostRefused(PostRefusal.GONE)
    if found.review != "pending":
        async with reading(sessions) as session:
            decided: Event | PartnerCall | None
            if kind == CALL:
                decided = await session.get(PartnerCall, post)
            else:
                decided = await session.get(Event, post)
            by = decided.reviewed_by if decided is not None else None
            if by == admin_id:
                raise PostRefused(PostRefusal.YOU_DECIDED)
            raise PostRefused(PostRefusal.DECIDED, by=await queries.first_name(session, by))
    return found


@dataclass(frozen=True)
class Decision:
    """A decision taken: the post, by whom, why, and the host's members to tell."""

    event: Post
    approved: bool
    admin_name: str
    reason: str | None
    note: str | None
    poster_id: int
    members: tuple[tuple[int, str | None], ...]  # (user id, language) of each member
    organisations: int | None = None  # an approved partner call: the organisations it suits


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
    kind: str = "",
) -> Decision:
    """Approve, or reject with a reason (and an optional comment); the first decision
    counts, a later one learns who decided."""
    check_admin(admins, admin_id)
    call = _check_kind(kind)
    if not approve and reason not in REASONS:
        raise PostRefused(PostRefusal.GONE)
    async with writing(sessions) as session:
        row: Event | PartnerCall | None
        if call:
            row = await session.get(PartnerCall, post, with_for_update=True)
        else:
            row = await session.get(Event, post, with_for_update=True)
        if row is None or row.host_organisation_id is None or row.posted_by is None:
            raise PostRefused(PostRefusal.GONE)
        if row.review != "pending" or (isinstance(row, Event) and row.status != "draft"):
            by = row.reviewed_by
            if by == admin_id:
                raise PostRefused(PostRefusal.YOU_DECIDED)
            raise PostRefused(PostRefusal.DECIDED, by=await queries.first_name(session, by))
        row.review = "approved" if approve else "rejected"
        if approve and isinstance(row, Event) and row.published_at is not None:
            row.status = "published"  # an edit approved: announced once already …
            await queries.release_notices(session, row.id, now)  # … but to those still waiting
        elif approve and isinstance(row, Event):  # due at once: published now, or after a crash
            row.status, row.publish_at = "scheduled", now
        row.reviewed_by, row.reviewed_at = admin_id, now
        row.review_reason = None if approve else reason
        row.review_note = None if approve else (note or None)
        await session.flush()
        members = await repositories.members_of(session, row.host_organisation_id)
        decided: Post
        organisations = None
        if isinstance(row, Event):
            decided = drafts.info_of(row, host=await drafts.host_name(session, row))
        else:
            decided = await calls.info_of(session, row)
            if approve:  # marked with the decision; the scheduler queues and sends
                organisations = await announcing.queue(session, decided, now)
        return Decision(
            decided,
            approve,
            await queries.first_name(session, admin_id) or "",
            row.review_reason,
            row.review_note,
            row.posted_by,
            tuple((user_id, language) for user_id, language, _ in members),
            organisations,
        )


async def record_copies(
    sessions: Sessions,
    post: int,
    copies: list[tuple[int, int]],
    kind: str = "",
    *,
    fresh: bool = False,
) -> None:
    """Remember each admin's copy `(user id, message id)` of a post to review. `fresh`: a
    new round of review (the post submitted again): the copies of the last round, which
    show that round's decision, are forgotten, so that the new decision does not rewrite
    them."""
    if copies or fresh:
        async with writing(sessions) as session:
            if fresh:
                await queries.drop_copies(session, post, call=kind == CALL)
            await queries.add_copies(session, post, copies, call=kind == CALL)


async def other_copies(
    sessions: Sessions, post: int, pressed: tuple[int, int] | None, kind: str = ""
) -> list[tuple[int, int, str | None]]:
    """Every copy of a post to review but the one pressed, to close them."""
    async with reading(sessions) as session:
        copies = await queries.copies_of(session, post, call=kind == CALL)
    return [copy for copy in copies if copy[:2] != pressed]
