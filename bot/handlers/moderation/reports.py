"""Reports on profiles and admins' decisions on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from bot.handlers.directory.search import Card, card_of
from bot.handlers.moderation import queries
from db import directory, repositories
from db.engine import Sessions, reading, writing
from db.models import Organisation, Report


class ReportReason(StrEnum):
    """Why a user reports a card (its label: texts.report_reason)."""

    FAKE = "fake"
    SPAM = "spam"
    INAPPROPRIATE = "inappropriate"
    OTHER = "other"


# The reasons, in the order they are offered.
REPORT_REASONS: Final = tuple(ReportReason)


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


async def report(
    sessions: Sessions,
    reporter_id: int,
    organisation_id: int,
    reason: str,
    now: datetime,
) -> bool:
    """Record a report; False if this user already has an open report on it."""
    if reason not in REPORT_REASONS:
        raise ValueError(reason)
    async with writing(sessions) as session:
        return await repositories.add_once(
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


async def next_report(sessions: Sessions, now: datetime) -> OpenReport | None:
    """The oldest open report for admins."""
    async with reading(sessions) as session:
        waiting = await queries.open_count(session)
        item = await queries.oldest_open(session)
        if item is None:
            return None
        on_it = await queries.open_count_on(session, item.organisation_id)
        found = await directory.load(session, [item.organisation_id])
        return OpenReport(item.id, card_of(found[0], now), item.reason, on_it, waiting)


async def moderate(
    sessions: Sessions,
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
        same = await queries.open_on(session, item.organisation_id)
        for open_report in same:
            open_report.status = CLOSED_AS[action]
            open_report.decided_by = admin_id
            open_report.decided_at = now
        return True
