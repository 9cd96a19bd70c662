"""The SQL of answers to posts and of their closing (issue 21): answers to calls and
internships, read through the contact requests they became, and closing at the deadline,
when full or by the poster."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    ContactRequest,
    Event,
    Membership,
    Organisation,
    PartnerCall,
    PostAnswer,
    PostAnswerCopy,
    User,
)

# Answers to calls and internships (issue 21). An answer's state is read through the
# contact request it became: accepted or declined there is accepted or declined here.

ANSWER_STATE = case(
    (ContactRequest.status == "accepted", "accepted"),
    (PostAnswer.state != "pending", PostAnswer.state),
    (ContactRequest.status == "declined", "declined"),
    else_=PostAnswer.state,
)


def _answers() -> Any:
    return select(PostAnswer, ANSWER_STATE).outerjoin(
        ContactRequest, ContactRequest.id == PostAnswer.request_id
    )


async def answers_since(
    session: AsyncSession, organisation_id: int, since: datetime
) -> list[datetime]:
    """When the organisation sent each answer after `since`, oldest first."""
    found = await session.scalars(
        select(PostAnswer.created_at)
        .where(PostAnswer.organisation_id == organisation_id, PostAnswer.created_at > since)
        .order_by(PostAnswer.created_at)
    )
    return list(found.all())


async def answers_to(
    session: AsyncSession, kind: str, post_id: int, limit: int
) -> list[tuple[PostAnswer, str, str]]:
    """`(answer, state, organisation's name)` of a post's answers, newest first."""
    rows = await session.execute(
        _answers()
        .add_columns(Organisation.name)
        .join(Organisation, Organisation.id == PostAnswer.organisation_id)
        .where(PostAnswer.kind == kind, PostAnswer.post_id == post_id)
        .order_by(PostAnswer.created_at.desc(), PostAnswer.id.desc())
        .limit(limit)
    )
    return [(answer, str(state), str(name)) for answer, state, name in rows]


async def states_of_own(session: AsyncSession, user_id: int, kind: str, post_id: int) -> set[str]:
    """The states of the user's own answers to a post."""
    found = await session.scalars(
        select(ANSWER_STATE)
        .select_from(PostAnswer)
        .outerjoin(ContactRequest, ContactRequest.id == PostAnswer.request_id)
        .where(
            PostAnswer.user_id == user_id, PostAnswer.kind == kind, PostAnswer.post_id == post_id
        )
    )
    return {str(state) for state in found}


async def declined_posts(session: AsyncSession, organisation_id: int) -> set[tuple[str, int]]:
    """`(kind, post id)` of the posts whose host declined an answer of the organisation."""
    found = await session.execute(
        select(PostAnswer.kind, PostAnswer.post_id)
        .outerjoin(ContactRequest, ContactRequest.id == PostAnswer.request_id)
        .where(PostAnswer.organisation_id == organisation_id, ANSWER_STATE == "declined")
        .distinct()
    )
    return {(str(kind), int(post_id)) for kind, post_id in found}


async def answer_counts(
    session: AsyncSession, host_id: int
) -> dict[tuple[str, int], tuple[int, int]]:
    """`(kind, post id)` → `(answers, accepted)` of every post of the host organisation."""
    accepted = func.sum(case((ANSWER_STATE == "accepted", 1), else_=0))
    rows = await session.execute(
        select(PostAnswer.kind, PostAnswer.post_id, func.count(), accepted)
        .outerjoin(ContactRequest, ContactRequest.id == PostAnswer.request_id)
        .where(PostAnswer.host_organisation_id == host_id)
        .group_by(PostAnswer.kind, PostAnswer.post_id)
    )
    return {(kind, int(post)): (int(n), int(ok or 0)) for kind, post, n, ok in rows}


async def accepted_applications(
    session: AsyncSession, request_id: int | None = None
) -> list[tuple[int, int, int]]:
    """`(answer id, user id, internship id)` of applications still `pending` whose contact
    request was accepted (that request's only, when given)."""
    query = (
        select(PostAnswer.id, PostAnswer.user_id, PostAnswer.post_id)
        .join(ContactRequest, ContactRequest.id == PostAnswer.request_id)
        .where(
            PostAnswer.kind == "internship",
            PostAnswer.state == "pending",
            ContactRequest.status == "accepted",
        )
        .order_by(PostAnswer.id)
    )
    if request_id is not None:
        query = query.where(PostAnswer.request_id == request_id)
    rows = await session.execute(query)
    return [(int(a), int(u), int(e)) for a, u, e in rows]


async def claim_accepted(session: AsyncSession, answer_id: int, now: datetime) -> bool:
    """Mark an application accepted (its applicant about to take part); False if another
    run did, or it was closed first."""
    result = await session.execute(
        update(PostAnswer)
        .where(PostAnswer.id == answer_id, PostAnswer.state == "pending")
        .values(state="accepted", decided_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def hosted_events(session: AsyncSession, host_id: int) -> Sequence[Event]:
    """The organisation's posted events and internships (not the rejected ones)."""
    found = await session.scalars(
        select(Event).where(Event.host_organisation_id == host_id, Event.review != "rejected")
    )
    return found.all()


async def hosted_calls(session: AsyncSession, host_id: int) -> Sequence[PartnerCall]:
    """The organisation's partner calls (not the rejected ones)."""
    found = await session.scalars(
        select(PartnerCall).where(
            PartnerCall.host_organisation_id == host_id, PartnerCall.review != "rejected"
        )
    )
    return found.all()


def _open_internship() -> ColumnElement[bool]:
    return and_(
        Event.kind == "internship",
        Event.host_organisation_id.is_not(None),
        Event.status == "published",
        Event.applications_closed_at.is_(None),
    )


async def internships_past_deadline(session: AsyncSession, now: datetime) -> list[int]:
    found = await session.scalars(select(Event.id).where(_open_internship(), Event.deadline <= now))
    return list(found.all())


async def earliest_internship_deadline(session: AsyncSession) -> datetime | None:
    return await session.scalar(select(func.min(Event.deadline)).where(_open_internship()))


async def full_internships(session: AsyncSession, only: int | None = None) -> list[int]:
    """Open internships (or the one `only`) whose accepted answers are at least their
    places."""
    accepted = func.sum(case((ANSWER_STATE == "accepted", 1), else_=0))
    query = (
        select(Event.id, Event.places, accepted)
        .join(PostAnswer, and_(PostAnswer.kind == "internship", PostAnswer.post_id == Event.id))
        .outerjoin(ContactRequest, ContactRequest.id == PostAnswer.request_id)
        .where(_open_internship(), Event.places.is_not(None))
        .group_by(Event.id, Event.places)
    )
    if only is not None:
        query = query.where(Event.id == only)
    rows = await session.execute(query)
    return [int(event) for event, places, ok in rows if int(ok or 0) >= int(places)]


def _open_call() -> ColumnElement[bool]:
    return and_(PartnerCall.review == "approved", PartnerCall.closed_at.is_(None))


async def open_calls_due_by(session: AsyncSession, last_day: date) -> list[tuple[int, date, str]]:
    """`(id, deadline, zone)` of open approved calls whose deadline is `last_day` or earlier."""
    rows = await session.execute(
        select(PartnerCall.id, PartnerCall.deadline, PartnerCall.time_zone).where(
            _open_call(), PartnerCall.deadline <= last_day
        )
    )
    return [(int(call), deadline, str(zone)) for call, deadline, zone in rows]


async def earliest_call_deadline(session: AsyncSession) -> date | None:
    return await session.scalar(select(func.min(PartnerCall.deadline)).where(_open_call()))


async def close_internship(
    session: AsyncSession, event_id: int, reason: str, now: datetime
) -> bool:
    """Stop an open internship's applications; False if it was closed already."""
    result = await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.applications_closed_at.is_(None))
        .values(applications_closed_at=now, closed_reason=reason)
    )
    return bool(getattr(result, "rowcount", 0))


async def close_call(session: AsyncSession, call_id: int, reason: str, now: datetime) -> bool:
    """Close an open call; False if it was closed already."""
    result = await session.execute(
        update(PartnerCall)
        .where(PartnerCall.id == call_id, PartnerCall.closed_at.is_(None))
        .values(closed_at=now, closed_reason=reason)
    )
    return bool(getattr(result, "rowcount", 0))


async def untold(session: AsyncSession, limit: int) -> list[tuple[int, int, str, int]]:
    """`(answer id, user id, kind, post id)` of answers not accepted to closed posts, whose
    member was not told yet."""
    closed_event = select(Event.id).where(Event.applications_closed_at.is_not(None))
    closed_call = select(PartnerCall.id).where(PartnerCall.closed_at.is_not(None))
    rows = await session.execute(
        select(PostAnswer.id, PostAnswer.user_id, PostAnswer.kind, PostAnswer.post_id)
        .outerjoin(ContactRequest, ContactRequest.id == PostAnswer.request_id)
        .where(
            PostAnswer.told_at.is_(None),
            ANSWER_STATE != "accepted",
            or_(
                and_(PostAnswer.kind == "internship", PostAnswer.post_id.in_(closed_event)),
                and_(PostAnswer.kind == "call", PostAnswer.post_id.in_(closed_call)),
            ),
        )
        .order_by(PostAnswer.id)
        .limit(limit)
    )
    return [(int(a), int(u), str(k), int(p)) for a, u, k, p in rows]


async def claim_telling(session: AsyncSession, answer_id: int, now: datetime) -> bool:
    """Mark an answer told (before the message goes); False if another run did."""
    result = await session.execute(
        update(PostAnswer)
        .where(PostAnswer.id == answer_id, PostAnswer.told_at.is_(None))
        .values(
            told_at=now,
            state=case((PostAnswer.state == "pending", "closed"), else_=PostAnswer.state),
        )
    )
    return bool(getattr(result, "rowcount", 0))


def _found_due(now: datetime, after: timedelta) -> ColumnElement[bool]:
    return and_(
        PartnerCall.closed_at.is_not(None),
        PartnerCall.found_asked_at.is_(None),
        PartnerCall.closed_at <= now - after,
    )


async def calls_to_ask_found(session: AsyncSession, now: datetime, after: timedelta) -> list[int]:
    """Calls closed `after` ago or more whose poster was not asked yet."""
    found = await session.scalars(select(PartnerCall.id).where(_found_due(now, after)))
    return list(found.all())


async def earliest_found_question(session: AsyncSession) -> datetime | None:
    """When the earliest closed call not asked about yet was closed."""
    return await session.scalar(
        select(func.min(PartnerCall.closed_at)).where(
            PartnerCall.closed_at.is_not(None), PartnerCall.found_asked_at.is_(None)
        )
    )


async def claim_found_question(session: AsyncSession, call_id: int, now: datetime) -> bool:
    result = await session.execute(
        update(PartnerCall)
        .where(PartnerCall.id == call_id, PartnerCall.found_asked_at.is_(None))
        .values(found_asked_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def store_found(session: AsyncSession, call_id: int, found: bool) -> bool:
    """The poster's answer, once; False if it was answered already."""
    result = await session.execute(
        update(PartnerCall)
        .where(
            PartnerCall.id == call_id,
            PartnerCall.found_asked_at.is_not(None),
            PartnerCall.partner_found.is_(None),
        )
        .values(partner_found=found)
    )
    return bool(getattr(result, "rowcount", 0))


async def pending_request(session: AsyncSession, sender_id: int, recipient_id: int) -> int | None:
    """The contact request from one organisation to another still waiting, if any."""
    return await session.scalar(
        select(ContactRequest.id).where(
            ContactRequest.sender_id == sender_id,
            ContactRequest.recipient_id == recipient_id,
            ContactRequest.status == "pending",
        )
    )


async def member_role(session: AsyncSession, user_id: int, organisation_id: int) -> str | None:
    """The user's role in the organisation, or None."""
    return await session.scalar(
        select(Membership.role).where(
            Membership.user_id == user_id, Membership.organisation_id == organisation_id
        )
    )


async def user_language(session: AsyncSession, user_id: int) -> str | None:
    return await session.scalar(select(User.language).where(User.id == user_id))


# Answers decided on their notice (an organisation connected to the host already).


async def decide(session: AsyncSession, answer_id: int, state: str, by: int, now: datetime) -> bool:
    """Claim a waiting answer accepted or declined by `by`; False if it was decided (or
    closed) first."""
    result = await session.execute(
        update(PostAnswer)
        .where(PostAnswer.id == answer_id, PostAnswer.state == "pending")
        .values(state=state, decided_by=by, decided_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def answer_copies(session: AsyncSession, answer_id: int) -> list[tuple[int, int, str | None]]:
    """`(user id, message id, language)` of every copy of an answer's notice, by user."""
    rows = await session.execute(
        select(PostAnswerCopy.user_id, PostAnswerCopy.message_id, User.language)
        .outerjoin(User, User.id == PostAnswerCopy.user_id)
        .where(PostAnswerCopy.answer_id == answer_id)
        .order_by(PostAnswerCopy.user_id)
    )
    return [(int(uid), int(mid), language) for uid, mid, language in rows]


async def post_title(session: AsyncSession, kind: str, post_id: int) -> str:
    """The title of a call or an event ("" if gone)."""
    table = PartnerCall if kind == "call" else Event
    return str(await session.scalar(select(table.title).where(table.id == post_id)) or "")


async def first_name(session: AsyncSession, user_id: int | None) -> str:
    if user_id is None:
        return ""
    return str(await session.scalar(select(User.first_name).where(User.id == user_id)) or "")
