"""Several workers on one PostgreSQL database: which one runs the scheduler.

The scheduler's lease is a row in `leases` (db/leases.py): its holder renews it every
third of `LEASE_SECONDS`; the others try to take it as often and get it once it has
expired, so a dead leader is replaced within about 1⅓ leases. A leader that cannot renew
(the database away, the process paused) steps down before its lease could have run out,
saying so, and competes again once the database is back.
Two schedulers at once for a moment are harmless anyway: every timed message is claimed
atomically before it is sent. On SQLite there is one process, and it leads at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable

from bot.outages import DATABASE, OUTAGES
from db import leases
from db.engine import Sessions, writing

log = logging.getLogger(__name__)
SCHEDULER_LEASE = "scheduler"


def worker_name() -> str:
    """Who this process is, in leases and claimed rows: host, pid and a random tag."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{secrets.token_hex(3)}"


Hook = Callable[[], Awaitable[object]]


class Leadership:
    """Keeps trying to hold the scheduler's lease; `on_gain` when it is won, `on_loss`
    when it is lost, `on_tick` at every renewal while it is held."""

    def __init__(
        self,
        sessions: Sessions,
        *,
        clustered: bool,
        lease: float,
        on_gain: Hook,
        on_loss: Callable[[], object],
        on_tick: Hook,
        holder: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.clustered = clustered
        self.lease = lease
        self.holder = holder or worker_name()
        self.leading = False
        self._on_gain, self._on_loss, self._on_tick = on_gain, on_loss, on_tick
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Lead at once (one process), or start competing for the lease in the background."""
        if not self.clustered:
            await self._gain()
            return
        self._task = asyncio.create_task(self._run(), name="leadership")

    async def stop(self) -> None:
        """Stop leading (the scheduler stops) and give the lease up for another at once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.leading:
            self._step_down("this worker is stopping")
            if self.clustered:
                with contextlib.suppress(Exception):
                    async with writing(self.sessions) as session:
                        await leases.release(session, SCHEDULER_LEASE, self.holder)

    async def _run(self) -> None:
        renew = self.lease / 3
        renewed = time.monotonic()
        while True:
            unreachable = False
            try:
                async with writing(self.sessions) as session:
                    held = await leases.take(session, SCHEDULER_LEASE, self.holder, self.lease)
                renewed = time.monotonic()
                OUTAGES.is_back(DATABASE)
            except Exception as exc:  # the database away: keep leading only while safe
                if OUTAGES.noted(exc) is None:
                    log.warning("the scheduler's lease could not be renewed: %s", exc)
                unreachable = True
                held = self.leading and time.monotonic() - renewed < self.lease - renew
            if held and not self.leading:
                await self._gain()
            elif not held and self.leading:
                self._step_down(
                    "the database is unreachable, so its lease cannot be renewed"
                    if unreachable
                    else "another worker holds the scheduler's lease"
                )
            if self.leading:
                with contextlib.suppress(Exception):
                    await self._on_tick()
            await asyncio.sleep(renew)

    async def _gain(self) -> None:
        self.leading = True
        log.info("worker %s runs the scheduler", self.holder)
        try:
            await self._on_gain()
        except Exception as exc:
            if OUTAGES.noted(exc) is None:
                log.warning("the scheduler could not start: %s; trying again", exc)
            self._step_down("its start failed")

    def _step_down(self, why: str) -> None:
        self.leading = False
        log.info("worker %s stops running the scheduler: %s", self.holder, why)
        self._on_loss()


async def every(seconds: float, job: Hook, what: str) -> None:
    """Run `job` every `seconds` until cancelled; a failure is logged and waited out."""
    while True:
        try:
            await job()
        except Exception as exc:
            if OUTAGES.noted(exc) is None:  # an outage is logged once, not every turn
                log.warning("%s failed: %s", what, exc)
        await asyncio.sleep(seconds)
