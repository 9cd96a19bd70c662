"""Answers to posts (issue 21): "🙋 We're interested" in a partner call and "📝 Apply" to an
internship an organisation hosts. Each answer is recorded (`PostAnswer`) with the contact
request it became in the host's one inbox (every member; the first answer decides; accepted:
contacts exchanged both ways, by contacts' introductions). An organisation already connected
to the host still answers: its answer becomes no request, and the host's members accept or
decline it on its notice (bot/handlers/posts/decisions.py). Limits: 10 answers a day per
organisation; a hidden or banned organisation, one's own organisation's post and a closed
post cannot be answered; one applies to an internship once, and a post whose host declined
the organisation's answer takes no other answer from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import navigation, users
from bot.handlers.contacts import introductions
from bot.handlers.contacts.introductions import Introduction, RequestRefusal, RequestRefused
from bot.handlers.events import rsvps
from bot.handlers.posts import answer_queries, closing, queries
from bot.handlers.posts.posting import PostRefusal, PostRefused, poster_of
from db import repositories
from db.engine import Sessions, reading, writing
from db.models import Event, PartnerCall, PostAnswer

MESSAGE_MAX: Final = 1000  # the message or motivation
DAILY_MAX: Final = 10  # answers an organisation sends a day
WINDOW: Final = timedelta(days=1)
KINDS: Final = ("call", "internship")


class AnswerLimit(navigation.Refused):
    """DAILY_MAX answers sent in the last day: more from `retry_at` (shown in `zone`)."""

    def __init__(self, retry_at: datetime, zone: str) -> None:
        super().__init__()
        self.retry_at, self.zone = retry_at, zone

    def text(self) -> str:
        from bot.handlers.posts import answer_texts  # here: answer_texts imports this module

        return answer_texts.limit(DAILY_MAX, self.retry_at, self.zone)


@dataclass(frozen=True)
class Target:
    """A post that takes answers: a partner call or an internship an organisation hosts."""

    kind: str  # "call" | "internship"
    id: int
    title: str
    host: str
    host_id: int


async def _target(session: AsyncSession, kind: str, post_id: int, now: datetime) -> Target:
    """The open post (raises PostRefused: GONE, CLOSED)."""
    if kind == "call":
        call = await session.get(PartnerCall, post_id)
        if call is None or call.review != "approved":
            raise PostRefused(PostRefusal.GONE)
        if (
            call.closed_at is not None
            or call.deadline < now.astimezone(ZoneInfo(call.time_zone)).date()
        ):
            raise PostRefused(PostRefusal.CLOSED)
        host_id, title = call.host_organisation_id, call.title
    else:
        event = await session.get(Event, post_id)
        if (
            event is None
            or event.kind != "internship"
            or event.host_organisation_id is None
            or event.review != "approved"
            or event.status not in ("published", "cancelled")
        ):
            raise PostRefused(PostRefusal.GONE)
        if (
            event.status == "cancelled"
            or event.applications_closed_at is not None
            or (event.deadline is not None and event.deadline <= now)
        ):
            raise PostRefused(PostRefusal.CLOSED)
        host_id, title = event.host_organisation_id, event.title
    host = await queries.organisation_name(session, host_id)
    return Target(kind, post_id, title, host or "", host_id)


async def answerable(
    sessions: Sessions, user_id: int, kind: str, post_id: int, now: datetime
) -> Target:
    """A post the user's organisation may answer now (raises PostRefused or AnswerLimit)."""
    if kind not in KINDS:
        raise PostRefused(PostRefusal.GONE)
    try:
        mine = await poster_of(sessions, user_id, now)  # an active organisation
    except PostRefused as refused:
        if refused.reason is PostRefusal.NOT_ACTIVE:
            raise PostRefused(PostRefusal.CANNOT_ANSWER) from refused
        if refused.reason is PostRefusal.NO_ORGANISATION:  # said for answering, not posting
            raise PostRefused(PostRefusal.NO_ORGANISATION_TO_ANSWER) from refused
        raise
    if kind == "internship":
        await _not_applied(sessions, user_id, post_id)
        await closing.close_if_full(sessions, post_id, now)  # its places may be taken since
    async with reading(sessions) as session:
        target = await _target(session, kind, post_id, now)
        if target.host_id == mine.organisation_id:
            own = PostRefusal.OWN_CALL if kind == "call" else PostRefusal.OWN_POST
            raise PostRefused(own)
        declined = await answer_queries.declined_posts(session, mine.organisation_id)
        if (kind, post_id) in declined:
            raise PostRefused(PostRefusal.HOST_DECLINED)
    limit = await _limit(sessions, user_id, mine.organisation_id, now)
    if limit is not None:
        raise limit
    return target


async def _not_applied(sessions: Sessions, user_id: int, post_id: int) -> None:
    """Refuse applying again: the user takes part already, or their application waits."""
    if await rsvps.taking_part(sessions, post_id, user_id):
        raise PostRefused(PostRefusal.TAKING_PART)
    async with reading(sessions) as session:
        states = await answer_queries.states_of_own(session, user_id, "internship", post_id)
    if "accepted" in states:
        raise PostRefused(PostRefusal.TAKING_PART)
    if "pending" in states:
        raise PostRefused(PostRefusal.APPLIED)


async def _limit(
    sessions: Sessions, user_id: int, organisation_id: int, now: datetime
) -> AnswerLimit | None:
    async with reading(sessions) as session:
        sent = await answer_queries.answers_since(session, organisation_id, now - WINDOW)
    if len(sent) < DAILY_MAX:
        return None
    return AnswerLimit(sent[-DAILY_MAX] + WINDOW, await users.zone_of(sessions, user_id))


async def limit_of(sessions: Sessions, user_id: int, now: datetime) -> AnswerLimit | None:
    """The day's limit, when the user's organisation has reached it (when it frees, and
    the refusal Send would meet), before anything is written: the Mini App's list says so
    in place of the answer form. None when it may answer (or the user has no organisation:
    the refusal is then another, met on Send)."""
    async with reading(sessions) as session:
        mine = await repositories.get_organisation(session, user_id)
    if mine is None:
        return None
    return await _limit(sessions, user_id, mine.id, now)


async def declined_posts(sessions: Sessions, user_id: int) -> set[tuple[str, int]]:
    """`(kind, post id)` of the posts ("call" or "internship") the user's organisation may
    not answer again: their host declined its answer (the Mini App marks them unanswerable)."""
    async with reading(sessions) as session:
        mine = await repositories.get_organisation(session, user_id)
        if mine is None:
            return set()
        return await answer_queries.declined_posts(session, mine.id)


@dataclass(frozen=True)
class Sent:
    """An answer recorded: the contact request it became (None: the organisations are
    connected already, and the host decides on the answer itself, `decidable`; or
    `waiting`: a request of ours to the host still waits and stands for this answer too),
    the answering organisation's name, the host's members to tell."""

    target: Target
    sender: str
    intro: Introduction | None
    members: tuple[tuple[int, str | None], ...]
    waiting: bool = False
    decidable: int | None = None  # the answer the host decides on its notice (connected)


async def send(
    sessions: Sessions, user_id: int, kind: str, post_id: int, text: str, now: datetime
) -> Sent:
    """Record the answer and the contact request it becomes (raises a `Refused`)."""
    target = await answerable(sessions, user_id, kind, post_id, now)
    intro: Introduction | None = None
    refusal: RequestRefusal | None = None
    try:
        intro = await introductions.request_contact(sessions, user_id, target.host_id, now)
    except RequestRefused as refused:
        if refused.reason not in (RequestRefusal.CONNECTED, RequestRefusal.DUPLICATE):
            raise
        refusal = refused.reason
    async with writing(sessions) as session:
        mine = await repositories.get_organisation(session, user_id)
        if mine is None:  # left the organisation meanwhile
            raise PostRefused(PostRefusal.NO_ORGANISATION_TO_ANSWER)
        request_id = intro.request_id if intro else None
        if refusal is RequestRefusal.DUPLICATE:
            # A request of ours waits already: this answer rides on it. One the host sent
            # us is ours to answer: refused as before.
            request_id = await answer_queries.pending_request(session, mine.id, target.host_id)
            if request_id is None:
                raise RequestRefused(RequestRefusal.DUPLICATE)
        # Connected already (no request): waiting for the host's decision on its notice.
        answer = PostAnswer(
            kind=kind,
            post_id=post_id,
            host_organisation_id=target.host_id,
            organisation_id=mine.id,
            user_id=user_id,
            message=text[:MESSAGE_MAX],
            request_id=request_id,
            state="pending",
            created_at=now,
        )
        session.add(answer)
        await session.flush()
        members = await repositories.members_of(session, target.host_id)
        people = tuple((uid, lang) for uid, lang, _ in members)
        waiting = intro is None and request_id is not None
        decidable = answer.id if request_id is None else None
        return Sent(target, mine.name, intro, people, waiting=waiting, decidable=decidable)
