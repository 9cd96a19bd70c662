"""Members posting the events their organisation hosts: who may, sending a post for review
(or, with POST_REVIEW=unverified and a valid trust badge, publishing it at once), and
opening a rejected post again for editing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from bot import navigation
from bot.handlers.events import drafts, publishing
from bot.handlers.events.drafts import Draft, EventInfo
from bot.handlers.events.publishing import Published
from bot.handlers.posts import queries
from db import repositories
from db.engine import Sessions, reading
from db.models import Event

# What a member may post for now: not internships (their applications come later).
KINDS: Final = ("webinar", "conference", "course", "meeting")
WAITING_MAX: Final = 5  # an organisation's posts waiting for review at once


class PostRefusal(StrEnum):
    """Why a post, an edit or a decision cannot go ahead."""

    NO_ORGANISATION = "no_organisation"
    NOT_ACTIVE = "not_active"  # the organisation is hidden or banned
    NOT_YOURS = "not_yours"  # another organisation's post, or no longer editable
    GONE = "gone"
    TOO_MANY = "too_many"  # WAITING_MAX posts wait for review already
    NOT_ADMIN = "not_admin"
    DECIDED = "decided"  # another admin decided first
    YOU_DECIDED = "you_decided"
    OWN_CALL = "own_call"  # answering one's own organisation's partner call
    OWN_POST = "own_post"  # applying to one's own organisation's internship
    CLOSED = "closed"  # a call or internship that takes no more answers
    NOT_POSTER = "not_poster"  # closing: only the poster and the organisation's owners
    ANSWERED = "answered"  # "Was a partner found?" answered already
    CANNOT_ANSWER = "cannot_answer"  # the answerer's organisation is hidden or banned


class PostRefused(navigation.Refused):
    """Raised before anything changed; a press is answered with `texts.refusal` as an
    alert (`by`: the first name of the admin who decided)."""

    def __init__(self, reason: PostRefusal, by: str | None = None) -> None:
        super().__init__()
        self.args = (reason.value,)
        self.reason = reason
        self.by = by

    def text(self) -> str:
        from bot.handlers.posts import texts  # here: texts imports this module

        return texts.refusal(self.reason, self.by)


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


async def editable(sessions: Sessions, user_id: int, event_id: int, now: datetime) -> EventInfo:
    """A rejected post of the member's organisation, to edit and send again."""
    poster = await poster_of(sessions, user_id, now)
    async with reading(sessions) as session:
        row = await session.get(Event, event_id)
        if row is None:
            raise PostRefused(PostRefusal.GONE)
        if row.host_organisation_id != poster.organisation_id or row.review != "rejected":
            raise PostRefused(PostRefusal.NOT_YOURS)
    event = await drafts.load(sessions, event_id)
    if event is None or event.status != "draft":
        raise PostRefused(PostRefusal.NOT_YOURS)
    return event


@dataclass(frozen=True)
class Submitted:
    """A post stored: waiting for review (`published` None), or published at once."""

    event: EventInfo
    poster: Poster
    direct: bool  # published without review
    published: Published | None = None


async def submit(
    sessions: Sessions,
    user_id: int,
    answers: dict[str, Any],
    now: datetime,
    *,
    editing: int | None,
    review_mode: str,
    default_language: str,
) -> Submitted:
    """Store the member's post for their organisation (a rejected one edited, or a new
    one) and send it to review; with `review_mode` "unverified", the post of an
    organisation with a valid badge is approved and published at once."""
    poster = await poster_of(sessions, user_id, now)
    if editing is not None:
        await editable(sessions, user_id, editing, now)
    else:
        await check_room(sessions, poster)
    draft = Draft.load(answers)
    if draft.kind not in KINDS:
        raise PostRefused(PostRefusal.NOT_YOURS)
    direct = review_mode == "unverified" and poster.verified
    try:
        event_id = await drafts.save(
            sessions,
            draft,
            user_id,
            now,
            event_id=editing,
            host=poster.organisation_id,
            review="approved" if direct else "pending",
        )
    except LookupError as exc:
        raise PostRefused(PostRefusal.GONE) from exc
    published = None
    if direct:
        published = await publishing.publish(sessions, event_id, now, default_language, by=user_id)
    event = await drafts.load(sessions, event_id)
    assert event is not None
    return Submitted(event, poster, direct, published)
