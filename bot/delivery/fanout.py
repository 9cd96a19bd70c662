"""Several sends side by side, all paced by the Bot's limiter: the scaffolding that
broadcasts (bot/delivery/broadcaster.py) and the scheduler's batched notices share.

A reader puts items into a small queue, with as many places as there are senders (so that
nothing is taken far ahead of its send); `senders` tasks take them and send. Each send
waits for its own slot in the Bot's pacing (bot/delivery/pacing.py) just before it goes,
so together they keep BROADCAST_RATE, and a slow reply or a slow write in one sender only
delays that sender. Few senders (`senders_for`): every one of them may hold a slot that is
due, and a loaded machine that wakes them late sends those together, which Telegram counts
against the same second.

Outcomes are gathered and written in batches (`Outcomes`), not one transaction a send."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
O = TypeVar("O")  # noqa: E741
FLUSH_SIZE = 100  # outcomes written in one transaction at most
FLUSH_EVERY = 0.25  # seconds: outcomes are written at least this often


def senders_for(rate: float) -> int:
    """Enough concurrent sends to keep the pace with slow replies, few enough that a
    reply to a user never queues behind many of them."""
    return max(2, min(32, math.ceil(rate / 5)))


def claim_size(rate: float) -> int:
    """Rows claimed at a time: half a second of sending, and at least two per sender."""
    return max(2 * senders_for(rate), math.ceil(rate / 2))


async def fan_out(
    items: AsyncIterator[T],
    send: Callable[[T], Awaitable[None]],
    senders: int,
    *,
    between: Callable[[], Awaitable[None]] | None = None,
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """`send(item)` for every item, `senders` at a time; `between()` after each item is
    handed over (a flush, a status), until `stop()`. A send that raises stops the reading:
    the items already handed over are dropped, the other sends end, and the error is
    raised."""
    queue: asyncio.Queue[T | None] = asyncio.Queue(maxsize=senders)
    failed: list[BaseException] = []

    async def sender() -> None:
        while (item := await queue.get()) is not None:
            if failed:
                continue  # drain: the reader stops at the next item
            try:
                await send(item)
            except Exception as exc:
                failed.append(exc)

    tasks = [asyncio.create_task(sender()) for _ in range(senders)]
    try:
        async for item in items:
            if stop() or failed:
                break
            await queue.put(item)
            if between is not None:
                await between()
        for _ in tasks:
            await queue.put(None)
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        aclose = getattr(items, "aclose", None)
        if aclose is not None:  # a generator left early: its own `finally` runs now
            await aclose()
    if failed:
        raise failed[0]


class Outcomes(Generic[O]):
    """Outcomes gathered by the senders and written by `write` in one transaction per
    batch: when `FLUSH_SIZE` are waiting, or `FLUSH_EVERY` seconds after the last write,
    and at the end (`flush`)."""

    def __init__(self, write: Callable[[Sequence[O]], Awaitable[None]]) -> None:
        self._write = write
        self._waiting: list[O] = []
        self._last = time.monotonic()
        self._lock = asyncio.Lock()
        self.written = 0

    async def add(self, outcome: O) -> None:
        self._waiting.append(outcome)
        await self.tick()

    async def tick(self) -> None:
        """Write what is waiting if it is time to (not while a write is under way)."""
        if self._lock.locked():
            return
        if len(self._waiting) >= FLUSH_SIZE or time.monotonic() - self._last >= FLUSH_EVERY:
            await self.flush()

    async def flush(self) -> None:
        """Write everything waiting now (kept for the next try if the write fails)."""
        async with self._lock:
            self._last = time.monotonic()
            batch, self._waiting = self._waiting, []
            if not batch:
                return
            try:
                await self._write(batch)
            except BaseException:
                self._waiting[:0] = batch
                raise
            self.written += len(batch)
