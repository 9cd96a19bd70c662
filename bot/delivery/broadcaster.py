"""The delivery engine for broadcasts.

Each running broadcast has one task: a reader walks its pending rows in user id order into
a small queue, a few senders take from it (the Bot's pacing keeps them at BROADCAST_RATE,
shared with everything else the bot sends; bot/delivery/fanout.py, which the scheduler's
notices share), and outcomes are written in batches.

Guarantee: a recipient leaves "pending" only when its outcome is written, so after a crash
(kill -9 included) the broadcast resumes with everyone not yet recorded: nobody is lost.
A message Telegram accepted but whose outcome was not yet written is sent again; such
duplicates are at most the sends unrecorded at the moment of the crash, which is bounded
by `unrecorded_bound` (senders plus one batch) and measured as `unrecorded_max`.

Several workers (PostgreSQL, `clustered`): every worker delivers every running broadcast
(one it started, one left running at its start, one another worker started: see
bot/runner.py), each taking batches of pending rows with a lease (db/broadcasts.py). A
run (worker's name and run's number) claims them, frees what an earlier run of its worker
left claimed, and renews only rows it works on, while it makes progress. When a worker
dies, its rows stay pending until its
lease runs out, then another takes them: nobody is lost, and the duplicates are the dead
worker's unrecorded sends, as above. A broadcast is marked done only when no row is
pending; the worker that marks it writes the report.

The database going away (a restart) ends no run: outcomes that cannot be written are kept,
senders wait until they are written, and reads and claims are tried again meanwhile (the
outage is logged once, bot/outages.py)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from aiogram import Bot

from bot.clock import Clock
from bot.cluster import worker_name
from bot.delivery import broadcast_rows
from bot.delivery.broadcast_rows import Content, RecipientCounts, Summary
from bot.delivery.courier import DeliveryOutcome, Result, deliver
from bot.delivery.fanout import FLUSH_EVERY as FLUSH_EVERY  # the bound of duplicates
from bot.delivery.fanout import FLUSH_SIZE, claim_size, fan_out
from bot.delivery.fanout import senders_for as senders_for
from bot.outages import DATABASE, OUTAGES
from bot.users import KnownUsers
from db.engine import Sessions

log = logging.getLogger(__name__)
STATUS_EVERY = 3.0  # seconds between edits of the admin's status message
READ_PAGE = 500  # pending rows read at a time
LATER_ROUNDS = 3  # passes over recipients that met a long flood-control wait
RATE_WINDOW = 10.0  # seconds over which the current rate is measured
OTHERS_POLL = 1.0  # seconds between looks at rows other workers hold (several workers)
RETRY_FIRST = 0.2  # seconds before trying the database again while it is away; doubles
RETRY_MAX = 2.0
T = TypeVar("T")
Outcome = tuple[int, str, str | None]


@dataclass(frozen=True)
class Progress:
    """A broadcast's state for the status message."""

    summary: Summary
    counts: RecipientCounts
    rate: float  # messages a second over the last few seconds
    seconds_left: float | None
    finished: bool


ShowProgress = Callable[[Bot, Progress], Awaitable[None]]


class Broadcaster:
    """Runs broadcasts in the background; resumes unfinished ones at start."""

    def __init__(
        self,
        sessions: Sessions,
        users: KnownUsers,
        clock: Clock,
        show: ShowProgress,
        *,
        rate: float,
        status_every: float = STATUS_EVERY,
        clustered: bool = False,
        lease: float = 15.0,
        worker: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.users = users
        self.clock = clock
        self.show_progress = show
        self.status_every = status_every
        self.senders = senders_for(rate)
        self.unrecorded_bound = self.senders + FLUSH_SIZE
        self.clustered = clustered
        """Several workers share the rows (PostgreSQL): each claims batches of them."""
        self.lease = lease
        self.worker = worker or worker_name()
        self.claim_size = claim_size(rate)
        self.unrecorded_max = 0
        """The most sends ever handed to Telegram but not yet recorded, at one moment."""
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._cancelled: set[int] = set()
        self._closed = False  # shut down: nothing is launched any more
        self._runs = itertools.count(1)

    def launch(self, bot: Bot, broadcast_id: int) -> None:
        """Start delivering a broadcast (no-op if it is already being delivered, or after
        `shutdown`)."""
        task = self._tasks.get(broadcast_id)
        if self._closed or (task is not None and not task.done()):
            return
        task = asyncio.create_task(self._run(bot, broadcast_id), name=f"broadcast-{broadcast_id}")
        self._tasks[broadcast_id] = task
        task.add_done_callback(lambda t: self._tasks.pop(broadcast_id, None))

    async def resume(self, bot: Bot) -> list[int]:
        """Launch every broadcast left running by an earlier process; returns their ids."""
        unfinished = await broadcast_rows.running(self.sessions)
        for summary in unfinished:
            task = self._tasks.get(summary.id)
            if not self._closed and (task is None or task.done()):
                log.info("resuming broadcast %s: %s left", summary.id, summary.counts.pending)
                self.launch(bot, summary.id)
        return [summary.id for summary in unfinished]

    def stop_sending(self, broadcast_id: int) -> None:
        """Let a running delivery stop after its sends in flight (after `cancel`)."""
        self._cancelled.add(broadcast_id)

    def stopping(self, broadcast_id: int) -> bool:
        """Whether the broadcast was told to stop sending."""
        return broadcast_id in self._cancelled

    async def wait(self, broadcast_id: int) -> None:
        """Until the broadcast's delivery task has ended (for tests and shutdown)."""
        task = self._tasks.get(broadcast_id)
        if task is not None:
            await asyncio.shield(task)

    async def shutdown(self) -> None:
        """Stop every delivery, writing what was sent; the rest resumes at the next start."""
        self._closed = True
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        """`call()`, tried again while the database is away (one WARNING for the outage,
        bot/outages.py); any other failure is raised."""
        pause = RETRY_FIRST
        while True:
            try:
                result = await call()
            except Exception as exc:
                if OUTAGES.noted(exc) is None:
                    raise
                await asyncio.sleep(pause)
                pause = min(2 * pause, RETRY_MAX)
                continue
            OUTAGES.is_back(DATABASE)
            return result

    async def _run(self, bot: Bot, broadcast_id: int) -> None:
        try:
            summary = await self.retrying(lambda: broadcast_rows.load(self.sessions, broadcast_id))
            if summary is None or summary.status != "running":
                return
            run = _Run(self, bot, summary, f"{self.worker}#{next(self._runs)}")
            try:
                await run.show(summary, finished=False)
                await run.deliver()
                while not await self._finish(run):  # rows still pending: another pass
                    await asyncio.sleep(min(OTHERS_POLL, self.lease / 3))
                    await run.deliver()
            except asyncio.CancelledError:  # shutdown: keep what was sent
                await asyncio.shield(run.flush())
                raise
        except Exception:  # a defect: the rows say where to resume
            log.exception("broadcast %s stopped; it resumes at the next start", broadcast_id)
        finally:
            self._cancelled.discard(broadcast_id)

    async def _finish(self, run: _Run) -> bool:
        """Mark the broadcast done (no row pending) and report; False while rows are still
        pending and it runs (another pass is due)."""
        broadcast_id, summary = run.summary.id, run.summary
        now = self.clock.now()
        if await self.retrying(lambda: broadcast_rows.finish(self.sessions, broadcast_id, now)):
            log.info("broadcast %s done: %s", broadcast_id, run.counts)
        else:
            final = await self.retrying(lambda: broadcast_rows.load(self.sessions, broadcast_id))
            if final is not None and final.status == "running" and not self.stopping(broadcast_id):
                return False  # rows still pending: deliver them
            if self.clustered and not self.stopping(broadcast_id):
                return True  # another worker finished it (or the admin stopped it there)
        final = await self.retrying(lambda: broadcast_rows.load(self.sessions, broadcast_id))
        await run.show(final or summary, finished=True)
        return True


class _Run:
    """One pass of a broadcast's delivery (state shared by its reader and senders)."""

    def __init__(self, engine: Broadcaster, bot: Bot, summary: Summary, claimant: str) -> None:
        self.engine = engine
        self.bot = bot
        self.summary = summary
        self.claimant = claimant
        """Who claims rows (several workers): this run, not only its worker."""
        self.counts = summary.counts
        self.outcomes: list[Outcome] = []
        self.held: set[int] = set()
        """Rows this run claimed and has not written an outcome for (several workers)."""
        self.progressed = time.monotonic()
        self.in_flight = 0
        self.later: list[int] = []
        self.samples: deque[tuple[float, int]] = deque()
        self.last_flush = time.monotonic()
        self.last_status = 0.0
        self._flushing = asyncio.Lock()
        self.stuck = False
        """Outcomes could not be written: no new send until they are (see `_unstuck`)."""
        self._unsticking = asyncio.Lock()

    @property
    def cancelled(self) -> bool:
        return self.engine.stopping(self.summary.id)

    async def deliver(self) -> None:
        """Send to every pending recipient this run can reach; with several workers, wait
        while others hold rows (a dead one's come free when its lease runs out)."""
        engine, broadcast_id = self.engine, self.summary.id
        if not engine.clustered:
            await self._rounds(_pending(engine, broadcast_id))
            return
        # An earlier run of this worker is over (one run per broadcast and process): what
        # it left claimed would otherwise wait for its lease, or be renewed by nobody.
        await engine.retrying(
            lambda: broadcast_rows.release_stale(
                engine.sessions, broadcast_id, engine.worker, self.claimant
            )
        )
        renewing = asyncio.create_task(self._renew())
        try:
            while True:
                await self._rounds(self._claimed())
                if self.cancelled or not await engine.retrying(
                    lambda: broadcast_rows.held_by_others(
                        engine.sessions, broadcast_id, self.claimant
                    )
                ):
                    return
                await asyncio.sleep(min(OTHERS_POLL, engine.lease / 3))
        finally:
            renewing.cancel()

    async def _claimed(self) -> AsyncIterator[int]:
        """Batches of rows nobody else holds, until none is free (or the broadcast stops);
        a row whose lease this run lost on the way (see `_renew`) is left to its taker."""
        engine, broadcast_id = self.engine, self.summary.id
        while not self.cancelled:
            batch = await engine.retrying(
                lambda: broadcast_rows.claim(
                    engine.sessions, broadcast_id, self.claimant, engine.lease, engine.claim_size
                )
            )
            if not batch:
                return
            self.held.update(batch)
            self.progressed = time.monotonic()
            for user_id in batch:
                if user_id in self.held:
                    yield user_id

    async def _renew(self) -> None:
        """Push back the lease of the rows this run is working on, while it makes progress
        (sends end, outcomes are written) or has sends under way (a flood-control pause): a
        run that did neither for a whole lease lets them go."""
        while True:
            await asyncio.sleep(self.engine.lease / 3)
            stalled = time.monotonic() - self.progressed > self.engine.lease
            if self.held and (not stalled or self.in_flight):
                await self._renew_once()
            # else nothing sent nor waiting to be: let the rows go to another

    async def _renew_once(self) -> None:
        engine, working = self.engine, sorted(self.held)
        if not working:
            return
        try:
            renewed = await broadcast_rows.renew(
                engine.sessions, self.summary.id, self.claimant, engine.lease, working
            )
        except Exception as exc:  # the next renewal may do; else another takes over
            if OUTAGES.noted(exc) is None:
                log.warning("broadcast %s: lease not renewed: %s", self.summary.id, exc)
            return
        OUTAGES.is_back(DATABASE)
        lost = set(working) - set(renewed)
        unwritten = {uid for uid, _, _ in self.outcomes}
        self.held -= lost - unwritten  # another run took them: not sent from here

    async def _unstuck(self) -> None:
        """Outcomes could not be written: wait until they are, and see which rows this run
        still holds (a lease may have run out), before sending more."""
        async with self._unsticking:
            if not self.stuck:
                return
            await self._written()
            if self.engine.clustered:
                await self._renew_once()
            self.stuck = False

    async def _rounds(self, recipients: AsyncIterator[int]) -> None:
        for _round in range(LATER_ROUNDS + 1):
            await self._pass(recipients)
            await self._written()
            if not self.later or self.cancelled:
                return
            retry, self.later = self.later, []
            recipients = _listed(retry)
        # Still under flood control after every round: give up on those, say why.
        self.outcomes += [
            (uid, DeliveryOutcome.FAILED.value, "flood control") for uid in self.later
        ]
        self.later = []
        await self._written()

    async def _pass(self, recipients: AsyncIterator[int]) -> None:
        stop = lambda: self.cancelled  # noqa: E731
        await fan_out(recipients, self._send, self.engine.senders, between=self._tick, stop=stop)

    async def _send(self, user_id: int) -> None:
        if self.stuck:
            await self._unstuck()
        if self.cancelled or (self.engine.clustered and user_id not in self.held):
            return  # stopped, or another run took the row over
        self.in_flight += 1
        self._note_unrecorded()
        try:
            # The shared pace lives in Redis: while it is away, wait (nothing was sent).
            result = await self.engine.retrying(lambda: deliver(self._sending(user_id)))
        finally:
            self.in_flight -= 1
        self.progressed = time.monotonic()
        self._note(user_id, result)
        await self._tick()

    def _sending(self, user_id: int) -> Callable[[], Awaitable[object]]:
        content: Content = self.summary.content
        if content.text is not None:
            text = content.text
            return lambda: self.bot.send_message(user_id, text)
        assert content.from_chat_id is not None and content.message_id is not None
        from_chat, message = content.from_chat_id, content.message_id
        return lambda: self.bot.copy_message(user_id, from_chat, message)

    def _note(self, user_id: int, result: Result) -> None:
        if result.outcome is DeliveryOutcome.LATER:
            self.later.append(user_id)
            return
        self.outcomes.append((user_id, result.outcome.value, result.error))
        self._note_unrecorded()

    def _note_unrecorded(self) -> None:
        unrecorded = len(self.outcomes) + self.in_flight
        self.engine.unrecorded_max = max(self.engine.unrecorded_max, unrecorded)

    async def _tick(self) -> None:
        now = time.monotonic()
        if len(self.outcomes) >= FLUSH_SIZE or now - self.last_flush >= FLUSH_EVERY:
            await self.flush()
        if now - self.last_status >= self.engine.status_every:
            await self.show(self.summary, finished=False)

    async def flush(self) -> bool:
        """Write the outcomes gathered so far, in one transaction. While the database is
        away they are kept for the next try (False), and senders wait for it (`_unstuck`)."""
        async with self._flushing:
            self.last_flush = time.monotonic()
            try:
                await self._record_many()
            except Exception as exc:
                if OUTAGES.noted(exc) is None:
                    raise
                self.stuck = True
                return False
            return True

    async def _written(self) -> None:
        """Until every outcome gathered is written (the database may be away a while)."""
        pause = RETRY_FIRST
        while not await self.flush():
            await asyncio.sleep(pause)
            pause = min(2 * pause, RETRY_MAX)

    async def _record_many(self) -> None:
        # One outcome per recipient (the last): kept outcomes may meet a newer one.
        batch = list({uid: (uid, state, error) for uid, state, error in self.outcomes}.values())
        if not batch:
            return
        self.outcomes = []
        try:
            await broadcast_rows.record(
                self.engine.sessions, self.summary.id, batch, self.engine.clock.now()
            )
        except BaseException:
            self.outcomes[:0] = batch  # not written: keep them for the next try
            raise
        OUTAGES.is_back(DATABASE)
        self.progressed = time.monotonic()
        self.held.difference_update(uid for uid, _, _ in batch)
        tally = {"sent": 0, "blocked": 0, "failed": 0}
        for _, state, _ in batch:
            tally[state] += 1
        self.counts = RecipientCounts(
            pending=self.counts.pending - len(batch),
            sent=self.counts.sent + tally["sent"],
            blocked=self.counts.blocked + tally["blocked"],
            failed=self.counts.failed + tally["failed"],
        )
        blocked = [uid for uid, state, _ in batch if state == "blocked"]
        self.engine.users.forget(blocked)

    async def show(self, summary: Summary, *, finished: bool) -> None:
        """Tell the admin how far it got (never stops the delivery)."""
        now = time.monotonic()
        self.last_status = now
        counts = summary.counts if finished else self.counts
        if self.engine.clustered and not finished:  # other workers send too: the rows say
            try:
                current = await broadcast_rows.load(self.engine.sessions, summary.id)
            except Exception as exc:  # the database away: the next status will say
                if OUTAGES.noted(exc) is None:
                    raise
                return
            counts = current.counts if current is not None else counts
        self.samples.append((now, counts.done))
        while self.samples and now - self.samples[0][0] > RATE_WINDOW:
            self.samples.popleft()
        first_time, first_done = self.samples[0]
        rate = (counts.done - first_done) / (now - first_time) if now > first_time else 0.0
        left = counts.pending / rate if rate > 0 else None
        progress = Progress(summary, counts, rate, left, finished)
        try:
            await self.engine.show_progress(self.bot, progress)
        except Exception:
            log.warning("could not update the status of broadcast %s", summary.id, exc_info=True)


async def _pending(engine: Broadcaster, broadcast_id: int) -> AsyncIterator[int]:
    """Pending recipients page by page, in user id order."""
    after = 0
    while True:
        page = await engine.retrying(
            functools.partial(
                broadcast_rows.pending_after, engine.sessions, broadcast_id, after, READ_PAGE
            )
        )
        for user_id in page:
            yield user_id
        if len(page) < READ_PAGE:
            return
        after = page[-1]


async def _listed(user_ids: list[int]) -> AsyncIterator[int]:
    for user_id in user_ids:
        yield user_id
