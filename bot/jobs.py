"""Timed work: event announcements, reminders and scheduled publications; follow-ups two
weeks after introductions; badge reminders; the weekly digest.

The database is the source of truth: every announcement and reminder is a `notices` row
with its due time. APScheduler (`AsyncIOScheduler`, started on the dispatcher's startup)
only decides when to look: one "due" job waits for the earliest pending row and is moved
whenever an earlier one appears, and a "sweep" job every few minutes is the safety net. Jobs
are referenced by module path with ids only; what they need (the Bot, sessions) is installed
here at startup, never stored in a job. Rebuilding at start is one query for the earliest
due row, so it costs the same for ten or for a million pending rows."""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass
from datetime import datetime

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery.courier import Outcome
from bot.delivery.limiter import background, limiter_of, prepaid
from bot.notifier import Notifier
from bot.services import digest, events, followups, trust
from bot.services.events import Due
from bot.ui import digest_texts
from bot.ui import directory_keyboards as dk
from bot.ui import directory_texts as dt
from bot.ui import event_keyboards as ek
from bot.ui import event_texts as et
from bot.ui import trust_texts as tt

log = logging.getLogger(__name__)
SWEEP_MINUTES = 10
DUE_JOB = "due"
SWEEP_JOB = "sweep"


@dataclass(frozen=True)
class Runtime:
    """What the jobs work with, installed once the dispatcher starts."""

    bot: Bot
    sessions: async_sessionmaker[AsyncSession]
    notifier: Notifier
    clock: Clock
    default_language: str


_runtime: Runtime | None = None
_planner: Planner | None = None
_delivering = asyncio.Lock()


def _followup(partner: str, request_id: int) -> tuple[str, InlineKeyboardMarkup]:
    return dt.followup_question(partner), dk.followup(request_id)


async def sweep(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], notifier: Notifier, clock: Clock
) -> int:
    """Follow-ups and badge reminders due now; returns how many messages were attempted."""
    now = clock.now()
    sent = 0
    for question in await followups.claim_due(sessions, now):
        render = functools.partial(_followup, question.partner_name, question.request_id)
        await notifier.send(bot, question.user_id, question.language, render)
        sent += 1
    for owner, until in await trust.due_badge_reminders(sessions, now):
        render_reminder = functools.partial(tt.badge_reminder, until)
        await notifier.send(bot, owner.user_id, owner.language, render_reminder)
        sent += 1
    return sent


def _render(due: Due) -> tuple[str, InlineKeyboardMarkup | None]:
    if due.kind == "announce":
        return et.card(due.event, due.zone), ek.rsvp(due.event.id)
    if due.kind == "cancelled":
        return et.cancelled_notice(due.event, due.zone), None
    if due.kind == "changed":
        return et.changed_notice(due.event, due.zone), ek.rsvp(due.event.id)
    return et.reminder(due.kind, due.event, due.zone), None


async def deliver_due(runtime: Runtime) -> int:
    """Publish scheduled events whose time has come and send every notice due now, each
    claimed just before its send; returns how many were sent."""
    async with _delivering:
        sessions, clock = runtime.sessions, runtime.clock
        await events.publish_scheduled(sessions, clock.now(), runtime.default_language)
        limiter = limiter_of(runtime.bot)
        sent = 0
        while True:
            if limiter is not None:  # wait for the slot first: claim, then send at once
                token = background.set(True)
                try:
                    await limiter.acquire(None)
                finally:
                    background.reset(token)
            due = await events.claim_next(sessions, clock.now(), runtime.default_language)
            if due is None:
                return sent
            token = prepaid.set(limiter is not None)
            try:
                outcome = await runtime.notifier.deliver(
                    runtime.bot, due.user_id, due.language, functools.partial(_render, due)
                )
            finally:
                prepaid.reset(token)
            state = outcome.value if outcome is not Outcome.LATER else "failed"
            await events.settle(sessions, due.notice_id, state, clock.now())
            sent += outcome is Outcome.SENT


def _digest(found: digest.Digest) -> tuple[str, InlineKeyboardMarkup]:
    return digest_texts.digest(found), digest_texts.keyboard(found)


async def deliver_digests(runtime: Runtime) -> int:
    """Weekly digests due now (Monday morning in each user's zone): composed, the week
    claimed, then sent; one with nothing new is claimed but not sent. Returns how many
    were sent."""
    sessions, now = runtime.sessions, runtime.clock.now()
    due = await digest.recipients(sessions, now, runtime.default_language)
    if not due:
        return 0
    recent = await events.recent(sessions, now - digest.WEEK, now, runtime.default_language)
    sent = 0
    for recipient in due:
        found = await digest.compose(sessions, recipient, recent, now)
        if not await digest.claim(sessions, recipient) or found.empty:
            continue
        render = functools.partial(_digest, found)
        sent += await runtime.notifier.send(
            runtime.bot, recipient.user_id, recipient.language, render
        )
    return sent


def install(runtime: Runtime, planner: Planner) -> None:
    """Give the jobs what they work with (at the dispatcher's startup)."""
    global _runtime, _planner
    _runtime, _planner = runtime, planner


async def run_due() -> None:
    """The "due" job: deliver what is due, then wait for the next due row."""
    if _runtime is None or _planner is None:
        return
    try:
        await deliver_due(_runtime)
    finally:
        _planner.wake_at(await events.next_due(_runtime.sessions))


async def run_sweep() -> None:
    """The "sweep" job: follow-ups, badge reminders, weekly digests, and anything due that
    was missed."""
    if _runtime is None:
        return
    runtime = _runtime
    await sweep(runtime.bot, runtime.sessions, runtime.notifier, runtime.clock)
    await deliver_digests(runtime)
    await run_due()


class Planner:
    """Keeps the scheduler's "due" job at the earliest pending notice."""

    def __init__(self, clock: Clock) -> None:
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._clock = clock

    async def start(self, runtime: Runtime) -> datetime | None:
        """Install the runtime, rebuild from the rows and start; returns the first wake-up."""
        install(runtime, self)
        interrupted = await events.give_up_interrupted(runtime.sessions, self._clock.now())
        if interrupted:
            log.warning("%s notices were being sent when the bot stopped: not resent", interrupted)
        self.scheduler.add_job(
            "bot.jobs:run_sweep",
            "interval",
            minutes=SWEEP_MINUTES,
            id=SWEEP_JOB,
            max_instances=1,
            coalesce=True,
            next_run_time=self._clock.now(),
            replace_existing=True,
        )
        self.scheduler.start()
        first = await events.next_due(runtime.sessions)
        self.wake_at(first)
        return first

    def stop(self) -> None:
        """Stop the scheduler (what is due stays in the database)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def wake_at(self, moment: datetime | None) -> None:
        """Make sure the "due" job runs at `moment` (or earlier); no-op before start."""
        if moment is None or not self.scheduler.running:
            return
        job = self.scheduler.get_job(DUE_JOB)
        if job is not None and job.next_run_time is not None and job.next_run_time <= moment:
            return
        self.scheduler.add_job(
            "bot.jobs:run_due",
            "date",
            run_date=max(moment, self._clock.now()),
            id=DUE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
            max_instances=3,  # a wake-up while a run is going on waits for its lock
        )
