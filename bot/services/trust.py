"""The trust badge (verification by admins, a year at a time) and reports on profiles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.directory import Card, card_of
from bot.services.validation import AnswerError, Problem
from db import repositories, search
from db.engine import reading, writing
from db.models import Organisation, Report, User, Verification

BADGE_VALID: Final = timedelta(days=365)
REMIND_BEFORE: Final = timedelta(days=30)
REGISTRATION_MIN: Final = 3
REGISTRATION_MAX: Final = 64
NOTE_MAX: Final = 500
REPORT_REASONS: Final = ("fake", "spam", "inappropriate", "other")
_REGISTRATION = re.compile(r"^[\w./\- №#]+$")


class Moderation(StrEnum):
    """What an admin does with a report."""

    DISMISS = "dismiss"
    HIDE = "hide"
    BAN = "ban"


CLOSED_AS: Final = {
    Moderation.DISMISS: "dismissed",
    Moderation.HIDE: "hidden",
    Moderation.BAN: "banned",
}


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

    owner: Owner
    approved: bool
    valid_until: datetime | None


async def _owner(session: AsyncSession, organisation: Organisation) -> Owner:
    user = await session.get(User, organisation.owner_id)
    return Owner(organisation.owner_id, user.language if user else None)


async def _add_once(session: AsyncSession, row: Verification | Report) -> bool:
    """Add `row` unless a partial unique index says an open one exists already."""
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        return False
    return True


async def request_verification(
    sessions: async_sessionmaker[AsyncSession],
    user_id: int,
    registration_number: str,
    website: str | None,
    now: datetime,
) -> bool:
    """Put the user's organisation in the verification queue; False if already there."""
    async with writing(sessions) as session:
        organisation = await repositories.get_organisation(session, user_id)
        if organisation is None:
            return False
        return await _add_once(
            session,
            Verification(
                organisation_id=organisation.id,
                registration_number=registration_number,
                website=website,
                created_at=now,
            ),
        )


async def next_pending(
    sessions: async_sessionmaker[AsyncSession], now: datetime
) -> PendingVerification | None:
    """The oldest verification request waiting for an admin."""
    async with reading(sessions) as session:
        waiting = await session.scalar(select(func.count()).where(Verification.status == "pending"))
        item = await session.scalar(
            select(Verification)
            .where(Verification.status == "pending")
            .order_by(Verification.created_at, Verification.id)
            .limit(1)
        )
        if item is None:
            return None
        found = await search.load(session, [item.organisation_id])
        return PendingVerification(
            item.id,
            card_of(found[0], now),
            item.registration_number,
            item.website,
            int(waiting or 0),
        )


async def decide_verification(
    sessions: async_sessionmaker[AsyncSession],
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
            await _owner(session, organisation), approve, organisation.verified_until
        )


async def due_badge_reminders(
    sessions: async_sessionmaker[AsyncSession], now: datetime
) -> list[tuple[Owner, datetime]]:
    """Badges lapsing within a month and not yet reminded of: mark them reminded and
    return whom to tell (marked first, so a crash can skip a reminder but never repeat)."""
    async with writing(sessions) as session:
        rows = (
            await session.scalars(
                select(Organisation).where(
                    Organisation.verified_until.is_not(None),
                    Organisation.verified_until > now,
                    Organisation.verified_until <= now + REMIND_BEFORE,
                    or_(
                        Organisation.badge_reminded_at.is_(None),
                        and_(
                            Organisation.verified_at.is_not(None),
                            Organisation.badge_reminded_at < Organisation.verified_at,
                        ),
                    ),
                )
            )
        ).all()
        due = []
        for organisation in rows:
            organisation.badge_reminded_at = now
            assert organisation.verified_until is not None
            due.append((await _owner(session, organisation), organisation.verified_until))
        return due


async def report(
    sessions: async_sessionmaker[AsyncSession],
    reporter_id: int,
    organisation_id: int,
    reason: str,
    now: datetime,
) -> bool:
    """Record a report; False if this user already has an open report on it."""
    if reason not in REPORT_REASONS:
        raise ValueError(reason)
    async with writing(sessions) as session:
        return await _add_once(
            session,
            Report(
                organisation_id=organisation_id,
                reporter_id=reporter_id,
                reason=reason,
                created_at=now,
            ),
        )


@dataclass(frozen=True)
class OpenReport:
    """The oldest open report, and how many are open."""

    id: int
    card: Card
    reason: str
    reports_on_it: int
    waiting: int


async def next_report(
    sessions: async_sessionmaker[AsyncSession], now: datetime
) -> OpenReport | None:
    """The oldest open report for admins."""
    async with reading(sessions) as session:
        waiting = await session.scalar(select(func.count()).where(Report.status == "open"))
        item = await session.scalar(
            select(Report).where(Report.status == "open").order_by(Report.created_at, Report.id)
        )
        if item is None:
            return None
        on_it = await session.scalar(
            select(func.count()).where(
                Report.status == "open", Report.organisation_id == item.organisation_id
            )
        )
        found = await search.load(session, [item.organisation_id])
        return OpenReport(
            item.id, card_of(found[0], now), item.reason, int(on_it or 0), int(waiting or 0)
        )


async def moderate(
    sessions: async_sessionmaker[AsyncSession],
    admin_id: int,
    report_id: int,
    action: Moderation,
    now: datetime,
) -> bool:
    """Close a report (and every open report on the same organisation) with `action`;
    hide or ban the organisation when asked. False if the report was already closed."""
    async with writing(sessions) as session:
        item = await session.get(Report, report_id)
        if item is None or item.status != "open":
            return False
        organisation = await session.get(Organisation, item.organisation_id)
        assert organisation is not None
        if action is Moderation.HIDE and organisation.status == "active":
            organisation.status = "hidden"
        elif action is Moderation.BAN:
            organisation.status = "banned"
        same = await session.scalars(
            select(Report).where(
                Report.organisation_id == item.organisation_id, Report.status == "open"
            )
        )
        for open_report in same:
            open_report.status = CLOSED_AS[action]
            open_report.decided_by = admin_id
            open_report.decided_at = now
        return True


AUDIENCE_CHOICES: Final = ("all", "verified", "country", "hidden")


@dataclass(frozen=True)
class Standing:
    """The owner's view of their organisation's badge and visibility."""

    organisation_id: int
    valid_until: datetime | None
    lapsed_on: datetime | None
    pending: bool
    website: str | None
    audience: str  # one of AUDIENCE_CHOICES ("hidden" = not listed)


async def standing(
    sessions: async_sessionmaker[AsyncSession], user_id: int, now: datetime
) -> Standing | None:
    """Badge and visibility of the user's organisation, or None before onboarding."""
    async with reading(sessions) as session:
        organisation = await repositories.get_organisation(session, user_id)
        if organisation is None:
            return None
        pending = await session.scalar(
            select(Verification.id).where(
                Verification.organisation_id == organisation.id, Verification.status == "pending"
            )
        )
        until = organisation.verified_until
        valid = until is not None and until > now
        return Standing(
            organisation.id,
            until if valid else None,
            until if until is not None and not valid else None,
            pending is not None,
            organisation.website,
            organisation.audience if organisation.listed else "hidden",
        )


async def set_audience(
    sessions: async_sessionmaker[AsyncSession], user_id: int, choice: str
) -> bool:
    """Who may find the user's organisation; "hidden" takes it out of the directory."""
    if choice not in AUDIENCE_CHOICES:
        return False
    async with writing(sessions) as session:
        organisation = await repositories.get_organisation(session, user_id)
        if organisation is None:
            return False
        organisation.listed = choice != "hidden"
        if choice != "hidden":
            organisation.audience = choice
        return True
