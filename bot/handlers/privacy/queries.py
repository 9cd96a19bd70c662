"""Privacy's queries: everything stored about one person, read for export and deleted on
request. Leaving the organisation, and who becomes its owner, are team's (stored.py asks
team's queries)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import (
    ContactRequest,
    Delivery,
    Event,
    IntroductionOutcome,
    Meeting,
    MeetingCopy,
    MeetingNotice,
    Membership,
    Notice,
    Organisation,
    Report,
    Rsvp,
    User,
    Verification,
)


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


async def counts(session: AsyncSession, user_id: int) -> tuple[str | None, int, int, int, int]:
    """The organisation's name (None without one) and how many contact requests,
    event registrations and reports made are stored for the user, and how many other
    members the organisation has."""
    # The id and name only: loading the organisation would load its tags as well.
    own = (
        await session.execute(
            select(Organisation.id, Organisation.name)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user_id)
        )
    ).first()
    requests = 0
    if own is not None:
        mine = (ContactRequest.sender_id == own.id) | (ContactRequest.recipient_id == own.id)
        requests = await session.scalar(select(func.count()).where(mine)) or 0
    registrations = await session.scalar(select(func.count()).where(Rsvp.user_id == user_id))
    reports = await session.scalar(select(func.count()).where(Report.reporter_id == user_id))
    name = own.name if own is not None else None
    others = 0
    if own is not None:
        others = (
            await session.scalar(
                select(func.count()).where(
                    Membership.organisation_id == own.id, Membership.user_id != user_id
                )
            )
            or 0
        )
    return name, requests, registrations or 0, reports or 0, others or 0


async def collect(session: AsyncSession, user_id: int) -> dict[str, Any] | None:
    """Everything stored about the user as plain JSON-ready values (None if nothing)."""
    user = await session.get(User, user_id)
    if user is None:
        return None
    found: dict[str, Any] = {
        "user": {
            "telegram_id": user.id,
            "first_name": user.first_name,
            "username": user.username,
            "language": user.language,
            "time_zone": user.time_zone,
            "event_announcements": user.events_on,
            "event_kinds": user.event_kinds,
            "event_topics": user.event_topics,
            "weekly_digest": user.digest_on,
            "first_seen": _when(user.created_at),
        },
        "organisation": None,
        "membership": None,
        "contact_requests": [],
        "calls": [],
        "verification_requests": [],
        "reports_made": [],
        "event_registrations": [],
    }
    membership = await session.get(Membership, user_id)
    organisation = await session.scalar(
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user_id)
    )
    if organisation is not None and membership is not None:
        found["organisation"] = await _organisation(session, organisation)
        found["membership"] = {
            "organisation": organisation.name,
            "role": membership.role,
            "joined": _when(membership.joined_at),
        }
    reported = aliased(Organisation)
    for report, name in await session.execute(
        select(Report, reported.name)
        .join(reported, reported.id == Report.organisation_id)
        .where(Report.reporter_id == user_id)
        .order_by(Report.created_at)
    ):
        found["reports_made"].append(
            {"organisation": name, "reason": report.reason, "status": report.status,
             "at": _when(report.created_at)}
        )  # fmt: skip
    for rsvp, event in await session.execute(
        select(Rsvp, Event).join(Event, Event.id == Rsvp.event_id).where(Rsvp.user_id == user_id)
    ):
        found["event_registrations"].append(
            {"event": event.title, "starts": _when(event.starts_at), "going": rsvp.going}
        )
    if organisation is not None:
        found["contact_requests"] = await _requests(session, organisation.id)
        found["calls"] = await _calls(session, organisation.id)
        for verification in await session.scalars(
            select(Verification)
            .where(Verification.organisation_id == organisation.id)
            .order_by(Verification.created_at)
        ):
            found["verification_requests"].append(
                {"registration_number": verification.registration_number,
                 "website": verification.website, "status": verification.status,
                 "at": _when(verification.created_at)}
            )  # fmt: skip
    return found


async def _organisation(session: AsyncSession, organisation: Organisation) -> dict[str, Any]:
    tags: dict[str, list[str]] = {}
    for tag in organisation.tags:
        tags.setdefault(tag.kind, []).append(tag.code)
    return {
        "name": organisation.name,
        "country": organisation.country,
        "city": organisation.city,
        "description": organisation.description,
        "website": organisation.website,
        "contact": organisation.contact,
        "cross_border": organisation.cross_border,
        "tags": {kind: sorted(codes) for kind, codes in sorted(tags.items())},
        "listed": organisation.listed,
        "visible_to": organisation.audience,
        "status": organisation.status,
        "verified_until": _when(organisation.verified_until),
        "created": _when(organisation.created_at),
        "updated": _when(organisation.updated_at),
    }


async def _requests(session: AsyncSession, organisation_id: int) -> list[dict[str, Any]]:
    sender, recipient = aliased(Organisation), aliased(Organisation)
    outcome = (
        select(IntroductionOutcome.outcome)
        .where(
            IntroductionOutcome.request_id == ContactRequest.id,
            IntroductionOutcome.organisation_id == organisation_id,
        )
        .scalar_subquery()
    )
    rows = await session.execute(
        select(ContactRequest, sender.name, recipient.name, outcome)
        .join(sender, sender.id == ContactRequest.sender_id)
        .join(recipient, recipient.id == ContactRequest.recipient_id)
        .where(
            (ContactRequest.sender_id == organisation_id)
            | (ContactRequest.recipient_id == organisation_id)
        )
        .order_by(ContactRequest.created_at)
    )
    return [
        {
            "direction": "sent" if request.sender_id == organisation_id else "received",
            "other_organisation": to if request.sender_id == organisation_id else by,
            "status": request.status,
            "at": _when(request.created_at),
            "decided": _when(request.decided_at),
            "what_came_of_it": said,
        }
        for request, by, to, said in rows
    ]


async def _calls(session: AsyncSession, organisation_id: int) -> list[dict[str, Any]]:
    """The video calls arranged between the organisation and others (meetings feature)."""
    proposer, invitee = aliased(Organisation), aliased(Organisation)
    rows = await session.execute(
        select(Meeting, proposer.name, invitee.name)
        .join(proposer, proposer.id == Meeting.proposer_org)
        .join(invitee, invitee.id == Meeting.invitee_org)
        .where((Meeting.proposer_org == organisation_id) | (Meeting.invitee_org == organisation_id))
        .order_by(Meeting.created_at)
    )
    return [
        {
            "direction": "proposed" if meeting.proposer_org == organisation_id else "received",
            "other_organisation": to if meeting.proposer_org == organisation_id else by,
            "status": meeting.status,
            "starts": _when(meeting.starts_at),
            "minutes": meeting.minutes,
            "link": meeting.link,
            "at": _when(meeting.created_at),
        }
        for meeting, by, to in rows
    ]


async def erase(session: AsyncSession, user_id: int) -> bool:
    """Delete the user and what hangs on them besides their membership (which they leave
    first, through team): their reports, registrations, pending event notices, call
    reminders, copies of call proposals and broadcast delivery records. Whether the user
    was stored."""
    await session.execute(delete(Notice).where(Notice.user_id == user_id))
    await session.execute(delete(MeetingNotice).where(MeetingNotice.user_id == user_id))
    await session.execute(delete(MeetingCopy).where(MeetingCopy.user_id == user_id))
    await session.execute(delete(Delivery).where(Delivery.user_id == user_id))
    result = await session.execute(delete(User).where(User.id == user_id))
    return bool(getattr(result, "rowcount", 0))
