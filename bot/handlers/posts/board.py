"""📬 Answers to our posts: an organisation's posts (events it hosts, internships, partner
calls) with their answers counted, and one post with its answers. Any member reads them;
closing is for the poster and the owners (bot/handlers/posts/closing.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from bot.handlers.posts import answer_queries, closing
from bot.handlers.posts.posting import PostRefusal, PostRefused
from db import repositories
from db.engine import Sessions, reading
from db.models import Event, PartnerCall

PAGE: Final = 8  # posts a page
SHOWN: Final = 10  # answers shown on a post's page, the newest


@dataclass(frozen=True)
class Entry:
    """One of our posts as the list shows it."""

    kind: str  # "call" | "" (an event)
    id: int
    event_kind: str  # the event's kind ("" for a call)
    title: str
    state: str  # open | closed | pending | cancelled | published
    takes_answers: bool  # a call or an internship
    answers: int
    accepted: int
    posted_by: int | None
    created_at: datetime


def _event_state(row: Event) -> str:
    if row.review == "pending":
        return "pending"
    if row.status == "cancelled":
        return "cancelled"
    if row.kind == "internship":
        return "closed" if row.applications_closed_at is not None else "open"
    return "published"


def _call_state(row: PartnerCall, now: datetime) -> str:
    if row.review == "pending":
        return "pending"
    past = row.deadline < now.astimezone(ZoneInfo(row.time_zone)).date()
    return "closed" if row.closed_at is not None or past else "open"


async def _entries(sessions: Sessions, host_id: int, now: datetime) -> list[Entry]:
    async with reading(sessions) as session:
        counts = await answer_queries.answer_counts(session, host_id)
        events = await answer_queries.hosted_events(session, host_id)
        calls = await answer_queries.hosted_calls(session, host_id)
    found = [
        Entry(
            "",
            row.id,
            row.kind,
            row.title,
            _event_state(row),
            row.kind == "internship",
            *counts.get(("internship", row.id), (0, 0)),
            row.posted_by,
            row.created_at,
        )
        for row in events
    ]
    found += [
        Entry(
            "call",
            row.id,
            "",
            row.title,
            _call_state(row, now),
            True,
            *counts.get(("call", row.id), (0, 0)),
            row.posted_by,
            row.created_at,
        )
        for row in calls
    ]
    return sorted(found, key=lambda entry: (entry.created_at, entry.id), reverse=True)


async def _host_of(sessions: Sessions, user_id: int) -> tuple[int, str]:
    """The user's organisation and their role in it (raises PostRefused)."""
    async with reading(sessions) as session:
        mine = await repositories.get_organisation(session, user_id)
        if mine is None:
            raise PostRefused(PostRefusal.NO_ORGANISATION)
        role = await answer_queries.member_role(session, user_id, mine.id)
        return mine.id, role or "member"


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    page: int
    total: int
    has_next: bool


async def our_posts(sessions: Sessions, user_id: int, page: int, now: datetime) -> Page:
    """A page of the organisation's posts, newest first."""
    host_id, _ = await _host_of(sessions, user_id)
    entries = await _entries(sessions, host_id, now)
    last = max((len(entries) - 1) // PAGE, 0)
    page = min(page, last)
    shown = entries[page * PAGE : (page + 1) * PAGE]
    return Page(shown, page, len(entries), page < last)


@dataclass(frozen=True)
class PostAnswers:
    """One of our posts, its newest answers `(organisation, when, message, state)`, and
    whether the presser may close it."""

    entry: Entry
    answers: list[tuple[str, datetime, str, str]]
    can_close: bool
    closed_now: bool  # its places were found taken on reading it
    # `(answer id, organisation)` of the answers shown that the host decides here: waiting,
    # from an organisation connected already (no contact request), the post still open
    decidable: list[tuple[int, str]]


async def our_post(
    sessions: Sessions, user_id: int, kind: str, post_id: int, now: datetime
) -> PostAnswers:
    """One of the organisation's posts with its answers (raises PostRefused for another
    organisation's post). An internship whose places are taken closes here."""
    host_id, role = await _host_of(sessions, user_id)
    closed_now = False
    if kind == "":
        closed_now = await closing.close_if_full(sessions, post_id, now)
    entries = await _entries(sessions, host_id, now)
    entry = next((e for e in entries if e.kind == kind and e.id == post_id), None)
    if entry is None:
        raise PostRefused(PostRefusal.GONE)
    answer_kind = "call" if kind == "call" else "internship"
    async with reading(sessions) as session:
        rows = await answer_queries.answers_to(session, answer_kind, post_id, SHOWN)
    closed = entry.state == "closed"  # those waiting will be told it closed
    answers = [
        (name, row.created_at, row.message, "closed" if closed and state == "pending" else state)
        for row, state, name in rows
    ]
    manager = entry.posted_by == user_id or role == "owner"
    can_close = entry.takes_answers and entry.state == "open" and manager
    decidable = [
        (row.id, name)
        for row, state, name in rows
        if not closed and state == "pending" and row.request_id is None
    ]
    return PostAnswers(entry, answers, can_close, closed_now, decidable)
