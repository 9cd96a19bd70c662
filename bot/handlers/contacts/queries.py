"""Contacts' queries: the members of each side, requests between two organisations, the
copies of a request, the answers to posts a request stands for, the follow-ups. The rules
(introductions.py, followups.py) open the transaction and decide."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    ContactRequest,
    Event,
    IntroductionOutcome,
    Membership,
    PartnerCall,
    PostAnswer,
    RequestCopy,
    User,
)


class Person(NamedTuple):
    """A member of an organisation, as an introduction names them."""

    user_id: int
    language: str | None
    first_name: str
    username: str | None
    role: str


async def people(session: AsyncSession, organisation_id: int) -> list[Person]:
    """The organisation's members with their names and languages, oldest first."""
    rows = await session.execute(
        select(Membership.user_id, User.language, User.first_name, User.username, Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(Membership.joined_at, Membership.user_id)
    )
    return [
        Person(int(uid), language, first, username, str(role))
        for uid, language, first, username, role in rows
    ]


async def is_member(session: AsyncSession, user_id: int, organisation_id: int) -> bool:
    """Whether the user belongs to the organisation."""
    found = await session.scalar(
        select(Membership.organisation_id).where(
            Membership.user_id == user_id, Membership.organisation_id == organisation_id
        )
    )
    return found is not None


async def open_between(session: AsyncSession, one: int, other: int) -> str | None:
    """ "pending" if a request between the two organisations waits (either way), else
    "accepted" if one was accepted, else None."""
    return await session.scalar(
        select(ContactRequest.status)
        .where(
            ContactRequest.sender_id.in_((one, other)),
            ContactRequest.recipient_id.in_((one, other)),
            ContactRequest.status.in_(("pending", "accepted")),
        )
        .order_by(ContactRequest.status.desc())  # "pending" before "accepted"
        .limit(1)
    )


async def sent_since(session: AsyncSession, sender_id: int, since: datetime) -> list[datetime]:
    """When the organisation sent each request after `since`, oldest first."""
    return list(
        (
            await session.scalars(
                select(ContactRequest.created_at)
                .where(ContactRequest.sender_id == sender_id, ContactRequest.created_at > since)
                .order_by(ContactRequest.created_at)
            )
        ).all()
    )


async def add_request(session: AsyncSession, request: ContactRequest) -> bool:
    """Store a new request; False if the same one was stored at the same moment (the
    pending pair's unique index refused it)."""
    session.add(request)
    try:
        await session.flush()
    except IntegrityError:
        return False
    return True


async def waiting_for(session: AsyncSession, recipient_id: int) -> Sequence[ContactRequest]:
    """The requests waiting for the organisation's answer, oldest first."""
    return (
        await session.scalars(
            select(ContactRequest)
            .where(ContactRequest.recipient_id == recipient_id, ContactRequest.status == "pending")
            .order_by(ContactRequest.created_at, ContactRequest.id)
        )
    ).all()


async def copies_of(session: AsyncSession, request_id: int) -> list[tuple[int, int, str | None]]:
    """`(user id, message id, language)` of every copy of a request, by user."""
    rows = await session.execute(
        select(RequestCopy.user_id, RequestCopy.message_id, User.language)
        .outerjoin(User, User.id == RequestCopy.user_id)
        .where(RequestCopy.request_id == request_id)
        .order_by(RequestCopy.user_id)
    )
    return [(int(uid), int(mid), language) for uid, mid, language in rows]


class AnswerNote(NamedTuple):
    """An answer to one of the recipient's posts that a request stands for: the post's
    kind ("call" | "internship") and title, and the message or motivation."""

    kind: str
    title: str
    message: str


async def answers_of(session: AsyncSession, request_id: int, limit: int) -> list[AnswerNote]:
    """The answers to posts (`post_answers`, written by posts) that became, or ride on,
    the request, newest first; the post's title read from its own table."""
    title = (PartnerCall.title, Event.title)
    rows = await session.execute(
        select(PostAnswer.kind, *title, PostAnswer.message)
        .outerjoin(
            PartnerCall, and_(PostAnswer.kind == "call", PartnerCall.id == PostAnswer.post_id)
        )
        .outerjoin(Event, and_(PostAnswer.kind == "internship", Event.id == PostAnswer.post_id))
        .where(PostAnswer.request_id == request_id)
        .order_by(PostAnswer.created_at.desc(), PostAnswer.id.desc())
        .limit(limit)
    )
    return [
        AnswerNote(str(kind), str(call_title or event_title or ""), str(message))
        for kind, call_title, event_title, message in rows
    ]


async def latest_accepted(
    session: AsyncSession, organisation_id: int, limit: int
) -> Sequence[ContactRequest]:
    """The organisation's accepted requests, either way, latest decided first."""
    return (
        await session.scalars(
            select(ContactRequest)
            .where(
                ContactRequest.status == "accepted",
                (ContactRequest.sender_id == organisation_id)
                | (ContactRequest.recipient_id == organisation_id),
            )
            .order_by(ContactRequest.decided_at.desc(), ContactRequest.id.desc())
            .limit(limit)
        )
    ).all()


async def due_followups(
    session: AsyncSession, accepted_before: datetime, now: datetime, limit: int
) -> list[ContactRequest]:
    """Accepted requests not yet followed up, decided before `accepted_before` or whose call
    was before `now` (`followup_due_at`), oldest first, locked (two schedulers at once: each
    takes its own)."""
    requests: dict[int, ContactRequest] = {}
    # Two queries, each along its own index, rather than one OR that walks them all.
    for due in (
        (ContactRequest.status == "accepted", ContactRequest.decided_at <= accepted_before),
        (ContactRequest.followup_due_at <= now, ContactRequest.status == "accepted"),
    ):
        found = await session.scalars(
            select(ContactRequest)
            .where(*due, ContactRequest.followup_sent_at.is_(None))
            .order_by(ContactRequest.decided_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        requests.update((request.id, request) for request in found)
    return list(requests.values())


async def set_followup_due(session: AsyncSession, request_id: int, when: datetime | None) -> None:
    """When to ask what came of an introduction (None: two weeks after it); bringing it
    forward is a no-op once asked."""
    statement = update(ContactRequest).where(ContactRequest.id == request_id)
    if when is not None:
        statement = statement.where(ContactRequest.followup_sent_at.is_(None))
    await session.execute(statement.values(followup_due_at=when))


async def store_outcome(
    session: AsyncSession, request_id: int, organisation_id: int, outcome: str, now: datetime
) -> bool:
    """The organisation's answer about an introduction, if asked and not yet answered."""
    result = await session.execute(
        update(IntroductionOutcome)
        .where(
            IntroductionOutcome.request_id == request_id,
            IntroductionOutcome.organisation_id == organisation_id,
            IntroductionOutcome.outcome.is_(None),
        )
        .values(outcome=outcome, answered_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def outcome_of(session: AsyncSession, request_id: int, organisation_id: int) -> str | None:
    """The organisation's answer about an introduction, if any."""
    return await session.scalar(
        select(IntroductionOutcome.outcome).where(
            IntroductionOutcome.request_id == request_id,
            IntroductionOutcome.organisation_id == organisation_id,
        )
    )
