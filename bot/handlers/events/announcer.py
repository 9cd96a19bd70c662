"""The notice queue and its sending: announcements, reminders, changes and cancellations
are claimed when due (never twice), sent, and settled; rebuilt at start."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from datetime import datetime

from aiogram.types import InlineKeyboardMarkup

from bot import zones
from bot.delivery.courier import DeliveryOutcome
from bot.delivery.limiter import background, prepaid
from bot.handlers.events import keyboards, publishing, queries, texts
from bot.handlers.events.drafts import EventInfo, host_name, info_of
from bot.scheduler import Runtime
from db.engine import Sessions, reading, writing
from db.models import Event, Notice, User

_delivering = asyncio.Lock()  # one sender of notices per process; wake-ups wait for it


@dataclass(frozen=True)
class Due:
    """A claimed notice, with what it takes to write it."""

    notice_id: int
    kind: str
    user_id: int
    language: str
    zone: str
    event: EventInfo


async def claim_next(sessions: Sessions, now: datetime, default_language: str) -> Due | None:
    """The oldest due notice still worth sending, marked "sending" (so never sent twice);
    stale ones met on the way (a reminder after the start…) are dropped. On PostgreSQL
    the row is locked as it is chosen (SKIP LOCKED), so two schedulers running for a
    moment at once (a leader's takeover) never claim the same notice."""
    async with writing(sessions) as session:
        while True:
            notice = await queries.oldest_due(session, now)
            if notice is None:
                return None
            event = await session.get(Event, notice.event_id)
            user = await session.get(User, notice.user_id)
            notice.updated_at = now
            if event is None or user is None or not _still_useful(notice, event, user, now):
                notice.state = "dropped"
                continue
            notice.state = "sending"
            country = await queries.country_of(session, user.id)
            language = user.language or default_language
            zone = zones.zone_name(user.time_zone, country, language)
            info = info_of(event, host=await host_name(session, event))
            return Due(notice.id, notice.kind, user.id, language, zone, info)


def _still_useful(notice: Notice, event: Event, user: User, now: datetime) -> bool:
    if not user.is_active:
        return False
    if notice.kind == "cancelled":
        return event.status == "cancelled"
    if event.status != "published" or now >= event.starts_at:
        return False
    if notice.kind == "announce":
        return user.events_on
    if notice.kind == "deadline":
        return event.deadline is not None and now < event.deadline
    return True


async def settle(sessions: Sessions, notice_id: int, state: str, now: datetime) -> None:
    """Record what became of a claimed notice (sent, blocked or failed)."""
    async with writing(sessions) as session:
        await queries.settle(session, notice_id, state, now)


async def give_up_interrupted(sessions: Sessions, now: datetime) -> int:
    """At start: notices a dead process had claimed may or may not have reached the user;
    they are never sent again ("never twice")."""
    async with writing(sessions) as session:
        return await queries.interrupt_sending(session, now)


async def next_due(sessions: Sessions) -> datetime | None:
    """When the scheduler should next wake: the earliest pending notice or publication."""
    async with reading(sessions) as session:
        notice, publication = await queries.earliest(session)
    moments = [m for m in (notice, publication) if m is not None]
    return min(moments) if moments else None


def _render(due: Due) -> tuple[str, InlineKeyboardMarkup | None]:
    if due.kind == "announce":
        return texts.card(due.event, due.zone), keyboards.announcement(due.event)
    if due.kind == "cancelled":
        return texts.cancelled_notice(due.event, due.zone), None
    if due.kind == "changed":
        # To those attending: of an internship an organisation hosts, its participants.
        return texts.changed_notice(due.event, due.zone), keyboards.announcement(due.event, True)
    return texts.reminder(due.kind, due.event, due.zone), None


async def deliver_due(runtime: Runtime) -> int:
    """Publish scheduled events whose time has come and send every notice due now, each
    claimed just before its send; returns how many were sent."""
    async with _delivering:
        sessions, clock, limiter = runtime.sessions, runtime.clock, runtime.limiter
        await publishing.publish_scheduled(sessions, clock.now(), runtime.default_language)
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
                    runtime.bot, due.user_id, due.language, functools.partial(_render, due)
                )
            finally:
                prepaid.reset(token)
            state = outcome.value if outcome is not DeliveryOutcome.LATER else "failed"
            await settle(sessions, due.notice_id, state, clock.now())
            sent += outcome is DeliveryOutcome.SENT
