"""The trust badge: requests, admins' decisions, expiry reminders."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.directory.search import Card, card_of
from bot.handlers.trust import queries
from bot.validation import AnswerError, Problem
from db import directory, repositories
from db.engine import Sessions, reading, writing
from db.models import Organisation, Verification

BADGE_VALID: Final = timedelta(days=365)


REMIND_BEFORE: Final = timedelta(days=30)


REGISTRATION_MIN: Final = 3


REGISTRATION_MAX: Final = 64


NOTE_MAX: Final = 500


_REGISTRATION = re.compile(r"^[\w./\- №#]+$")


def clean_registration(raw: str) -> str:
    """A registration number as stored, or AnswerError (length, odd characters)."""
    text = " ".join(raw.split())
    if not text:
        raise AnswerError(Problem.EMPTY)
    if len(text) < REGISTRATION_MIN:
        raise AnswerError(Problem.TOO_SHORT, limit=REGISTRATION_MIN)
    if len(text) > REGISTRATION_MAX:
        raise AnswerError(Problem.TOO_LONG, limit=REGISTRATION_MAX, length=len(text))
    if not _REGISTRATION.match(text):
        raise AnswerError(Problem.BAD_REGISTRATION)
    return text


class TakenRegistration(Exception):
    """The registration number is on another organisation's badge already."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name  # the other organisation's


@dataclass(frozen=True)
class Owner:
    """Whom to tell about a decision, in which language."""

    user_id: int
    language: str | None


@dataclass(frozen=True)
class PendingVerification:
    """The oldest request in the admins' queue, and how many wait."""

    id: int
    card: Card
    registration_number: str
    website: str | None
    waiting: int


@dataclass(frozen=True)
class VerificationDecision:
    """An admin's decision, for telling the organisation."""

    owners: tuple[Owner, ...]
    approved: bool
    valid_until: datetime | None


async def _owners(session: AsyncSession, organisation: Organisation) -> tuple[Owner, ...]:
    """The organisation's owners (members are not told about the badge)."""
    found = await repositories.members_of(session, organisation.id, owners_only=True)
    return tuple(Owner(user_id, language) for user_id, language, _ in found)


async def registration_holder(
    sessions: Sessions, user_id: int, registration_number: str
) -> str | None:
    """Before asking the website: the other organisation already badged with this
    registration number, if any."""
    async with reading(sessions) as session:
        organisation = await repositories.get_organisation(session, user_id)
        if organisation is None:
            return None
        return await queries.holder(session, organisation.id, registration_number)


async def request_verification(
    sessions: Sessions,
    user_id: int,
    registration_number: str,
    website: str | None,
    now: datetime,
) -> bool:
    """Put the user's organisation in the verification queue; False if already there or
    if the user is not one of its owners; TakenRegistration if the number is on another
    organisation's badge."""
    async with writing(sessions) as session:
        organisation = await repositories.owned_organisation(session, user_id)
        if organisation is None:
            return False
        holder = await queries.holder(session, organisation.id, registration_number)
        if holder is not None:
            raise TakenRegistration(holder)
        return await repositories.add_once(
            session,
            Verification(
                organisation_id=organisation.id,
                registration_number=registration_number,
                website=website,
                created_at=now,
            ),
        )


async def next_pending(sessions: Sessions, now: datetime) -> PendingVerification | None:
    """The oldest verification request waiting for an admin."""
    async with reading(sessions) as session:
        waiting = await queries.pending_count(session)
        item = await queries.oldest_pending(session)
        if item is None:
            return None
        found = await directory.load(session, [item.organisation_id])
        return PendingVerification(
            item.id,
            card_of(found[0], now),
            item.registration_number,
            item.website,
            waiting,
        )


async def decide_verification(
    sessions: Sessions,
    admin_id: int,
    verification_id: int,
    *,
    approve: bool,
    note: str,
    now: datetime,
) -> VerificationDecision | None:
    """Approve (badge for a year from now) or reject; None if already decided."""
    async with writing(sessions) as session:
        item = await session.get(Verification, verification_id)
        if item is None or item.status != "pending":
            return None
        organisation = await session.get(Organisation, item.organisation_id)
        assert organisation is not None
        item.status = "approved" if approve else "rejected"
        item.note = note[:NOTE_MAX]
        item.decided_by = admin_id
        item.decided_at = now
        if approve:
            organisation.verified_at = now
            organisation.verified_until = now + BADGE_VALID
            organisation.badge_reminded_at = None
        return VerificationDecision(
            await _owners(session, organisation), approve, organisation.verified_until
        )


async def due_badge_reminders(sessions: Sessions, now: datetime) -> list[tuple[Owner, datetime]]:
    """Badges lapsing within a month and not yet reminded of: mark them reminded and
    return whom to tell (marked first, so a crash can skip a reminder but never repeat)."""
    async with writing(sessions) as session:
        rows = await queries.lapsing_unreminded(session, now, REMIND_BEFORE)
        due = []
        for organisation in rows:
            organisation.badge_reminded_at = now
            assert organisation.verified_until is not None
            for owner in await _owners(session, organisation):
                due.append((owner, organisation.verified_until))
        return due
