"""Members posting the events and internships their organisation hosts: who may, the
limits, sending a post for review (or, with POST_REVIEW=unverified and a valid trust
badge, publishing it at once), and editing a rejected post or a published one (its time,
link or place: it stays published and those attending are told; its text: back to
review)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, TypeVar

from bot.handlers.events import drafts, publishing
from bot.handlers.events.drafts import Draft, EventInfo
from bot.handlers.events.publishing import Published
from bot.handlers.posts import queries

# Re-exported: the refusals and the limit live in refusals.py (a leaf, no import cycle).
from bot.handlers.posts.refusals import WAITING_MAX as WAITING_MAX
from bot.handlers.posts.refusals import PostRefusal as PostRefusal
from bot.handlers.posts.refusals import PostRefused as PostRefused
from db import repositories
from db.engine import Sessions, reading, writing
from db.models import Event, PartnerCall

# The kinds of event a member picks from (an internship has its own button and steps).
KINDS: Final = ("webinar", "conference", "course", "meeting")
PLACES_MIN, PLACES_MAX = 1, 50  # an internship's places
REPEAT_WINDOW: Final = timedelta(days=1)  # the same text posted again within it is refused


@dataclass(frozen=True)
class Poster:
    """A member who may post, and their organisation."""

    user_id: int
    organisation_id: int
    name: str
    verified: bool  # a valid trust badge


async def poster_of(sessions: Sessions, user_id: int, now: datetime) -> Poster:
    """The member and their organisation, if it may post (raises PostRefused)."""
    async with reading(sessions) as session:
        mine = await repositories.get_organisation(session, user_id)
        if mine is None:
            raise PostRefused(PostRefusal.NO_ORGANISATION)
        if mine.status != "active":
            raise PostRefused(PostRefusal.NOT_ACTIVE)
        verified = mine.verified_until is not None and mine.verified_until > now
        return Poster(user_id, mine.id, mine.name, verified)


async def check_room(sessions: Sessions, poster: Poster) -> None:
    """Refuse a new post while WAITING_MAX of the organisation's wait for review (it frees
    as admins decide)."""
    async with reading(sessions) as session:
        if await queries.waiting_of(session, poster.organisation_id) >= WAITING_MAX:
            raise PostRefused(PostRefusal.TOO_MANY)


async def may_change(
    sessions: Sessions,
    poster: Poster,
    row: tuple[int | None, int | None],
    *,
    rejected: bool,
    live: bool,
) -> None:
    """A post (`row`: its host organisation and poster) the member may edit: their
    organisation's, rejected (any member: each was told with the button) or published
    (its poster or the organisation's owners only)."""
    host_id, posted_by = row
    if host_id != poster.organisation_id or not (rejected or live):
        raise PostRefused(PostRefusal.NOT_YOURS)
    if not live or posted_by == poster.user_id:
        return
    async with reading(sessions) as session:
        owners = await repositories.members_of(session, poster.organisation_id, owners_only=True)
    if poster.user_id not in {user_id for user_id, _, _ in owners}:
        raise PostRefused(PostRefusal.NOT_POSTER)


def published(row: Event, now: datetime) -> bool:
    """An approved post not cancelled nor started: edited, it may stay published."""
    return (
        row.review == "approved"
        and row.status in ("scheduled", "published")
        and (row.starts_at > now)
    )


Row = TypeVar("Row", Event, PartnerCall)


async def check_editable(
    sessions: Sessions,
    user_id: int,
    now: datetime,
    post: tuple[type[Row], int],
    *,
    rejected: Callable[[Row], bool],
    live: Callable[[Row, datetime], bool],
) -> None:
    """The member may edit the post (`post`: its table and id; `may_change`), re-checked
    on every press."""
    poster = await poster_of(sessions, user_id, now)
    async with reading(sessions) as session:
        row = await session.get(*post)
        if row is None:
            raise PostRefused(PostRefusal.GONE)
        owner = (row.host_organisation_id, row.posted_by)
        was_rejected, is_live = rejected(row), live(row, now)
    await may_change(sessions, poster, owner, rejected=was_rejected, live=is_live)


async def editable(sessions: Sessions, user_id: int, event_id: int, now: datetime) -> EventInfo:
    """An event or internship of the member's organisation to edit."""
    await check_editable(
        sessions, user_id, now, (Event, event_id),
        rejected=lambda row: row.review == "rejected" and row.status == "draft",
        live=published,
    )  # fmt: skip
    event = await drafts.load(sessions, event_id)
    if event is None:
        raise PostRefused(PostRefusal.GONE)
    return event


async def since_rejection(
    sessions: Sessions, user_id: int, kind: str, post_id: int, now: datetime
) -> str:
    """What became of a rejected post of the member's organisation, for its rejection
    notice's ✏️ Edit: "rejected" (still: it may be edited), "resubmitted" (waiting for
    review again) or "published" (approved since). Raises PostRefused (not ours, gone)."""
    poster = await poster_of(sessions, user_id, now)
    async with reading(sessions) as session:
        row: Event | PartnerCall | None
        if kind == "call":
            row = await session.get(PartnerCall, post_id)
        elif kind == "":
            row = await session.get(Event, post_id)
        else:
            raise PostRefused(PostRefusal.GONE)
        if row is None:
            raise PostRefused(PostRefusal.GONE)
        if row.host_organisation_id != poster.organisation_id:
            raise PostRefused(PostRefusal.NOT_YOURS)
        review = row.review
    return {"pending": "resubmitted", "approved": "published"}.get(review, "rejected")


def normalised(title: str, description: str) -> str:
    """A post's text as compared for repeats: case and spacing aside."""
    return " ".join(f"{title}\n{description}".casefold().split())


async def check_repeat(
    sessions: Sessions,
    poster: Poster,
    draft_text: str,
    now: datetime,
    editing: int | None,
    zone: str,
    *,
    call: int | None = None,
) -> None:
    """Refuse the same title and description the organisation posted within a day (an
    event, an internship or a partner call; the post being edited aside)."""
    async with reading(sessions) as session:
        recent = await queries.recent_texts(session, poster.organisation_id, now - REPEAT_WINDOW)
    for kind, post_id, title, description, created_at in recent:
        if (kind == "call" and post_id == call) or (kind == "event" and post_id == editing):
            continue
        if normalised(title, description) == draft_text:
            until = created_at + REPEAT_WINDOW
            raise PostRefused(PostRefusal.REPEATED, until=until, zone=zone)


@dataclass(frozen=True)
class Submitted:
    """A post stored: waiting for review, published at once ("direct"), or a published
    post's time, link or place changed and kept published ("kept")."""

    event: EventInfo
    poster: Poster
    how: str  # "review" | "direct" | "kept"
    published: Published | None = None

    @property
    def direct(self) -> bool:
        """Published without review."""
        return self.how == "direct"


def _text_changed(before: EventInfo, after: Draft) -> bool:
    old = before.draft
    return normalised(old.title, old.description) != normalised(after.title, after.description)


async def submit(
    sessions: Sessions,
    user_id: int,
    answers: dict[str, Any],
    now: datetime,
    *,
    editing: int | None,
    review_mode: str,
    default_language: str,
    kinds: tuple[str, ...] = KINDS,
) -> Submitted:
    """Store the member's post for their organisation (a new one, a rejected one edited,
    or a published one edited) and send it to review; with `review_mode` "unverified",
    the post of an organisation with a valid badge is approved and published at once. A
    published post whose text did not change stays published (those attending are told
    of a new time, link or place); a changed text goes back to review, unpublished
    meanwhile."""
    poster = await poster_of(sessions, user_id, now)
    before = None if editing is None else await editable(sessions, user_id, editing, now)
    if before is None:
        await check_room(sessions, poster)
    try:
        draft = Draft.load(answers)
    except (KeyError, TypeError, ValueError) as exc:
        raise PostRefused(PostRefusal.NOT_YOURS) from exc
    internship = draft.kind == "internship"
    if draft.kind not in kinds or (
        internship and not (draft.places and PLACES_MIN <= draft.places <= PLACES_MAX)
    ):
        raise PostRefused(PostRefusal.NOT_YOURS)
    if internship and draft.deadline is None:
        raise PostRefused(PostRefusal.NOT_YOURS)
    # The preview waited past a date: the wizard stays, to go back and change it.
    if draft.starts_at <= now:
        raise PostRefused(PostRefusal.STARTED)
    if draft.deadline is not None and internship and draft.deadline <= now:
        raise PostRefused(PostRefusal.DEADLINE_PASSED)
    live = before is not None and before.status in ("scheduled", "published")
    changed = before is None or _text_changed(before, draft)
    if changed:
        await check_repeat(
            sessions, poster, normalised(draft.title, draft.description), now, editing,
            draft.time_zone,
        )  # fmt: skip
    if live and not changed:
        await _save(sessions, draft, poster, now, editing, review=None)
        return Submitted(await _load(sessions, editing), poster, "kept")
    # An edited published post goes back to review, whatever the badge.
    direct = review_mode == "unverified" and poster.verified and not live
    event_id = await _save(
        sessions, draft, poster, now, editing, review="approved" if direct else "pending"
    )
    if live:  # unpublished until an admin approves it again
        await _unpublish(sessions, event_id, now)
    published = None
    if direct:
        published = await publishing.publish(sessions, event_id, now, default_language, by=user_id)
    event = await _load(sessions, event_id)
    return Submitted(event, poster, "direct" if direct else "review", published)


async def _save(
    sessions: Sessions,
    draft: Draft,
    poster: Poster,
    now: datetime,
    editing: int | None,
    *,
    review: str | None,
) -> int:
    """The post stored (an edit of a published one tells those attending of a new time,
    link or place, as admins' edits do)."""
    try:
        return await drafts.save(
            sessions,
            draft,
            poster.user_id,
            now,
            event_id=editing,
            host=poster.organisation_id,
            review=review,
        )
    except LookupError as exc:
        raise PostRefused(PostRefusal.GONE) from exc


async def _unpublish(sessions: Sessions, event_id: int, now: datetime) -> None:
    """Back to review: not listed nor announced until approved again (then published as
    it was, not announced twice); its notices still waiting are held meanwhile, then sent
    (queries.release_notices)."""
    async with writing(sessions) as session:
        row = await session.get(Event, event_id, with_for_update=True)
        if row is not None:
            row.status, row.publish_at, row.review = "draft", None, "pending"
            row.reviewed_by = row.reviewed_at = row.review_reason = row.review_note = None
            await queries.hold_notices(session, event_id, now)


async def _load(sessions: Sessions, event_id: int | None) -> EventInfo:
    event = None if event_id is None else await drafts.load(sessions, event_id)
    if event is None:
        raise PostRefused(PostRefusal.GONE)
    return event
