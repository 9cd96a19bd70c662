"""Timed work, rebuilt from the database: the Planner and its two jobs.

The database is the source of truth: every announcement and reminder is a row with its due
time. APScheduler (`AsyncIOScheduler`, started on the dispatcher's startup) only decides
when to look: one "due" job waits for the earliest pending row and is moved whenever an
earlier one appears, and a "sweep" job every few minutes is the safety net (and runs the
periodic duties: follow-ups, badge reminders, the weekly digest). What the jobs do is given
by the composition root as `Duties`; what they work with is one `Runtime`, passed to the
jobs as arguments (nothing is kept in module globals). Rebuilding at start is one query for
the earliest due row, so it costs the same for ten or for a million pending rows.

With several workers only the holder of the scheduler's lease runs the Planner (see
bot/cluster.py); it looks for an earlier due row at every renewal (`catch_up`), since a
row written by another worker cannot call its `wake_at`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.delivery.limiter import RateLimiter
from bot.delivery.notifier import Notifier
from bot.outages import OUTAGES
from db.engine import Sessions

log = logging.getLogger(__name__)
SWEEP_MINUTES = 10
DUE_JOB = "due"
SWEEP_JOB = "sweep"


@dataclass(frozen=True)
class Runtime:
    """What timed work works with: the Bot, the database, the paced sender, the time."""

    bot: Bot
    sessions: Sessions
    notifier: Notifier
    clock: Clock
    default_language: str
    limiter: RateLimiter | None = None
    """The Bot's pacing, so that a sender can wait for its slot before claiming a row."""


Duty = Callable[[Runtime], Awaitable[int]]


@dataclass(frozen=True)
class Duties:
    """What the jobs do, given by the composition root (the kernel knows no feature)."""

    deliver_due: Duty
    """Send what is due now (each row claimed just before its send); how many were sent."""
    next_due: Callable[[Sessions], Awaitable[datetime | None]]
    """When the earliest pending row falls due."""
    give_up_interrupted: Callable[[Sessions, datetime], Awaitable[int]]
    """At start: rows a stopped process had claimed are given up, never sent twice."""
    periodic: tuple[Duty, ...] = ()
    """Run by the sweep, in order (follow-ups, badge reminders, digests…)."""
    on_wake: tuple[Duty, ...] = ()
    """Run by the "due" job too, before it delivers: what shows a change at once (the
    public channel), so that a `wake_at(now)` after an approval, a closing or a
    cancellation does not leave it to the next sweep."""


class Planner:
    """Keeps the scheduler's "due" job at the earliest pending row."""

    def __init__(self, clock: Clock) -> None:
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._clock = clock
        self._due_args: tuple[Runtime, Duties] | None = None

    async def start(self, runtime: Runtime, duties: Duties) -> datetime | None:
        """Rebuild from the rows and start (again, after a `stop`); returns the first
        wake-up."""
        if self.scheduler.running:
            return None
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._due_args = None
        interrupted = await duties.give_up_interrupted(runtime.sessions, self._clock.now())
        if interrupted:
            log.warning("%s notices were being sent when the bot stopped: not resent", interrupted)
        self.scheduler.add_job(
            self._run_sweep,
            "interval",
            args=(runtime, duties),
            minutes=SWEEP_MINUTES,
            id=SWEEP_JOB,
            max_instances=1,
            coalesce=True,
            next_run_time=self._clock.now(),
            replace_existing=True,
        )
        self._due_args = (runtime, duties)
        self.scheduler.start()
        first = await duties.next_due(runtime.sessions)
        self.wake_at(first)
        return first

    async def catch_up(self) -> None:
        """Wake at the earliest pending row, wherever it was written (no-op before start)."""
        if self.scheduler.running and self._due_args is not None:
            runtime, duties = self._due_args
            self.wake_at(await duties.next_due(runtime.sessions))

    def stop(self) -> None:
        """Stop the scheduler (what is due stays in the database)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            log.info("the scheduler stopped; what is due stays in the database")

    def wake_at(self, moment: datetime | None) -> None:
        """Make sure the "due" job runs at `moment` (or earlier); no-op before start."""
        if moment is None or not self.scheduler.running or self._due_args is None:
            return
        job = self.scheduler.get_job(DUE_JOB)
        if job is not None and job.next_run_time is not None and job.next_run_time <= moment:
            return
        self.scheduler.add_job(
            self._run_due,
            "date",
            args=self._due_args,
            run_date=max(moment, self._clock.now()),
            id=DUE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
            max_instances=3,  # a wake-up while a run is going on waits for the sender's lock
        )

    async def _run_due(self, runtime: Runtime, duties: Duties) -> None:
        """The "due" job: the duties that show changes (before a long delivery), deliver
        what is due, then wait for the next due row."""
        with _stopped_quietly("due"):
            for duty in duties.on_wake:
                await duty(runtime)
            await self._deliver(runtime, duties)

    async def _run_sweep(self, runtime: Runtime, duties: Duties) -> None:
        """The "sweep" job: the periodic duties, and anything due that was missed."""
        with _stopped_quietly("sweep"):
            for duty in duties.periodic:
                await duty(runtime)
            await self._deliver(runtime, duties)

    async def _deliver(self, runtime: Runtime, duties: Duties) -> None:
        try:
            await duties.deliver_due(runtime)
        finally:
            self.wake_at(await duties.next_due(runtime.sessions))


@contextlib.contextmanager
def _stopped_quietly(job: str) -> Iterator[None]:
    """A job cut short by the bot stopping, or by the database going away, is not a
    failure: every row it works on is claimed in its own transaction, so the next run
    (the leader looks for the earliest due row at every renewal) carries on where it
    stopped. The outage is logged once (bot/outages.py)."""
    try:
        yield
    except asyncio.CancelledError:
        log.info("the %s job was interrupted by the bot stopping", job)
    except Exception as exc:
        if OUTAGES.noted(exc) is None:
            raise
