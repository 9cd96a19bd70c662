"""Reminders of agreed calls, 15 minutes before, to each of the two people: `meeting_notices`
rows claimed just before their send, as the events' notices are, so that each goes at most
once across a kill -9 (a claimed row is never resent) and across workers (only the holder
of the scheduler's lease sends; rows are locked as they are chosen, SKIP LOCKED). The time
was chosen by the people themselves, so quiet hours do not hold a reminder back."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from datetime import datetime

from bot import zones
from bot.delivery.courier import DeliveryOutcome
from bot.delivery.limiter import background, prepaid
from bot.handlers.meetings import queries, texts
from bot.handlers.meetings.slots import Slot
from bot.scheduler import Runtime
from db.engine import Sessions, reading, writing
from db.models import Meeting, Organisation, User

_delivering = asyncio.Lock()  # one sender of reminders per process


@dataclass(frozen=True)
class Due:
    """A claimed reminder, with what it takes to write it."""

    notice_id: int
    user_id: int
    language: str
    zone: str
    partner: str
    slot: Slot
    link: str


async def claim_next(sessions: Sessions, now: datetime, default_language: str) -> Due | None:
    """The oldest due reminder still worth sending, marked "sending" (never sent twice);
    those of calls cancelled or already begun are dropped on the way."""
    async with writing(sessions) as session:
        while True:
            notice = await queries.next_pending_notice(session, now)
            if notice is None:
                return None
            meeting = await session.get(Meeting, notice.meeting_id)
            user = await session.get(User, notice.user_id)
            notice.updated_at = now
            useful = (
                meeting is not None
                and user is not None
                and user.is_active
                and meeting.status == "agreed"
                and meeting.starts_at is not None
                and meeting.minutes is not None
                and now < meeting.starts_at
            )
            if not useful or meeting is None or user is None:
                notice.state = "dropped"
                continue
            assert meeting.starts_at is not None and meeting.minutes is not None
            notice.state = "sending"
            mine = await queries.organisation_of(session, user.id)
            theirs = meeting.invitee_org if mine == meeting.proposer_org else meeting.proposer_org
            partner = await session.get(Organisation, theirs)
            country = await queries.country_of(session, user.id)
            language = user.language or default_language
            return Due(
                notice.id,
                user.id,
                language,
                zones.zone_name(user.time_zone, country, language),
                partner.name if partner else "",
                Slot(meeting.starts_at, meeting.minutes),
                meeting.link or "",
            )


async def settle(sessions: Sessions, notice_id: int, state: str, now: datetime) -> None:
    """Record what became of a claimed reminder (sent, blocked or failed)."""
    async with writing(sessions) as session:
        await queries.set_notice_state(session, notice_id, state, now)


async def give_up_interrupted(sessions: Sessions, now: datetime) -> int:
    """At start: reminders a dead process had claimed may have reached the user; never
    sent again."""
    async with writing(sessions) as session:
        return await queries.interrupt_sending(session, now)


async def next_due(sessions: Sessions) -> datetime | None:
    """When the earliest pending reminder falls due."""
    async with reading(sessions) as session:
        return await queries.earliest_pending(session)


async def deliver_due(runtime: Runtime) -> int:
    """Send every reminder due now, each claimed just before its send; how many were sent."""
    async with _delivering:
        sessions, clock, limiter = runtime.sessions, runtime.clock, runtime.limiter
        sent = 0
        while True:
            if limiter is not None:  # wait for the slot first: claim, then send at once
                token = background.set(True)
                try:
                    await limiter.acquire(None)
                finally:
                    background.reset(token)
            due = await claim_next(sessions, clock.now(), runtime.default_language)
            if due is None:
                return sent
            token = prepaid.set(limiter is not None)
            try:
                outcome = await runtime.notifier.deliver(
                    runtime.bot,
                    due.user_id,
                    due.language,
                    functools.partial(texts.reminder, due.partner, due.slot, due.zone, due.link),
                )
            finally:
                prepaid.reset(token)
            state = outcome.value if outcome is not DeliveryOutcome.LATER else "failed"
            await settle(sessions, due.notice_id, state, clock.now())
            sent += outcome is DeliveryOutcome.SENT
