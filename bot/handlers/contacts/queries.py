"""Contacts' queries: requests between two organisations, the copies of a request, the
follow-ups. The rules (introductions.py, followups.py) open the transaction and decide."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ContactRequest, IntroductionOutcome, RequestCopy, User


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
    session: AsyncSession, accepted_before: datetime, limit: int
) -> Sequence[ContactRequest]:
    """Accepted requests decided before `accepted_before` and not yet followed up, oldest
    first, locked (two schedulers at once: each takes its own)."""
    return (
        await session.scalars(
            select(ContactRequest)
            .where(
                ContactRequest.status == "accepted",
                ContactRequest.decided_at <= accepted_before,
                ContactRequest.followup_sent_at.is_(None),
            )
            .order_by(ContactRequest.decided_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()


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
