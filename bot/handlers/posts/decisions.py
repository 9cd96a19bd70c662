"""The host deciding on an answer that became no contact request (issue 21): an
organisation connected to the host already answers a partner call or applies to an
internship, and its answer is recorded `pending` without a request. Every member of the
host gets its notice with ✅ Accept / ✖ Decline (each copy remembered, as the contacts'
inbox does); the first press decides (a conditional UPDATE, pending → accepted | declined),
only a member of the host may (re-checked here), and the other copies then say who
decided. An accepted application makes the applicant a participant as a contact request's
Accept does (`enrolling.take_part`, in the deciding transaction); contacts knows nothing
of it: the organisations are connected already."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.handlers.posts import answer_queries, enrolling, queries
from bot.handlers.posts.enrolling import Participant
from bot.handlers.posts.refusals import PostRefusal, PostRefused
from db.engine import Sessions, writing
from db.models import PostAnswer, PostAnswerCopy


@dataclass(frozen=True)
class Decision:
    """An answer decided: what its notice and the answerer's message say, who decided,
    the answerer, the participant it made (an internship accepted), the other copies
    `(user id, message id, language)` to close."""

    answer_id: int
    kind: str  # "call" | "internship"
    post_id: int
    title: str
    sender: str  # the answering organisation
    host: str
    message: str
    accepted: bool
    by: str  # the first name of the member who decided
    answerer: int
    language: str | None
    participant: Participant | None
    others: tuple[tuple[int, int, str | None], ...] = ()


async def record_copies(sessions: Sessions, answer_id: int, copies: list[tuple[int, int]]) -> None:
    """Remember each host member's copy `(user id, message id)` of a decidable answer."""
    if not copies:
        return
    async with writing(sessions) as session:
        session.add_all(
            PostAnswerCopy(answer_id=answer_id, user_id=user_id, message_id=message_id)
            for user_id, message_id in copies
        )


def _refusal(answer: PostAnswer, user_id: int, by: str) -> PostRefused:
    """Why a decided (or closed) answer cannot be decided again."""
    if answer.state == "closed":
        return PostRefused(PostRefusal.CLOSED)
    if answer.decided_by == user_id:
        return PostRefused(PostRefusal.YOU_ANSWERED)
    return PostRefused(PostRefusal.ANSWER_DECIDED, by or None)


async def decide(
    sessions: Sessions,
    user_id: int,
    answer_id: int,
    *,
    accept: bool,
    now: datetime,
    pressed: tuple[int, int] | None = None,
) -> Decision:
    """A member of the host accepts or declines an answer without a contact request; the
    first decision counts (raises PostRefused: not a member of the host, decided, closed).
    Every copy but the one `pressed` comes back, to close."""
    async with writing(sessions) as session:
        answer = await session.get(PostAnswer, answer_id, with_for_update=True)
        if (
            answer is None
            or answer.request_id is not None  # decided through its contact request
            or await answer_queries.member_role(session, user_id, answer.host_organisation_id)
            is None
        ):
            raise PostRefused(PostRefusal.NOT_HOST)
        kind, post_id, answerer = answer.kind, answer.post_id, answer.user_id
        if answer.state != "pending" or not await answer_queries.decide(
            session, answer_id, "accepted" if accept else "declined", user_id, now
        ):
            await session.refresh(answer)
            by = await answer_queries.first_name(session, answer.decided_by)
            raise _refusal(answer, user_id, by)
        participant = None
        if accept and kind == "internship":
            participant = await enrolling.take_part(session, answerer, post_id, now)
        copies = await answer_queries.answer_copies(session, answer_id)
        return Decision(
            answer_id,
            kind,
            post_id,
            await answer_queries.post_title(session, kind, post_id),
            await queries.organisation_name(session, answer.organisation_id) or "",
            await queries.organisation_name(session, answer.host_organisation_id) or "",
            answer.message,
            accept,
            await answer_queries.first_name(session, user_id),
            answerer,
            await answer_queries.user_language(session, answerer),
            participant,
            tuple(copy for copy in copies if copy[:2] != pressed),
        )
