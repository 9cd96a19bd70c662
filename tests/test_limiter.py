"""The shared pace of sending, in virtual time (no real waiting)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any

import pytest

from bot.delivery.limiter import HEADROOM, RateLimiter, background


class VirtualTime:
    """A clock that jumps to the next sleeper's wake-up once every task is waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._order), future))
        await future

    async def run(self, *coroutines: Coroutine[Any, Any, None]) -> None:
        tasks = [asyncio.create_task(c) for c in coroutines]
        while not all(t.done() for t in tasks):
            for _ in range(10):
                await asyncio.sleep(0)
            if self._sleepers:
                wake, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, wake)
                future.set_result(None)
        for task in tasks:
            task.result()


def limiter_at(rate: float, clock: VirtualTime) -> RateLimiter:
    return RateLimiter(rate, monotonic=clock.monotonic, sleep=clock.sleep)


async def send_in_background(
    limiter: RateLimiter, clock: VirtualTime, chat_id: int, log: list[tuple[float, int]]
) -> None:
    background.set(True)  # each task has its own context
    await limiter.acquire(chat_id)
    log.append((clock.now, chat_id))


async def test_background_messages_are_spaced_at_the_rate_with_headroom() -> None:
    clock = VirtualTime()
    limiter = limiter_at(10, clock)
    log: list[tuple[float, int]] = []
    await clock.run(*(send_in_background(limiter, clock, chat, log) for chat in range(20)))
    times = sorted(t for t, _ in log)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) == pytest.approx(1 / (10 * HEADROOM))
    assert times[-1] == pytest.approx(19 / (10 * HEADROOM))  # 20 messages, 19 gaps


async def test_two_broadcasts_share_the_rate_instead_of_doubling_it() -> None:
    clock = VirtualTime()
    limiter = limiter_at(10, clock)
    first: list[tuple[float, int]] = []
    second: list[tuple[float, int]] = []
    await clock.run(
        *(send_in_background(limiter, clock, chat, first) for chat in range(10)),
        *(send_in_background(limiter, clock, 100 + chat, second) for chat in range(10)),
    )
    everything = sorted(t for t, _ in first + second)
    assert everything[-1] == pytest.approx(19 / (10 * HEADROOM))
    for window_start in everything:  # never more than the rate in any one second
        assert sum(window_start <= t < window_start + 1 for t in everything) <= 10


async def test_one_chat_gets_at_most_one_background_message_a_second() -> None:
    clock = VirtualTime()
    limiter = limiter_at(100, clock)
    log: list[tuple[float, int]] = []
    await clock.run(
        *(send_in_background(limiter, clock, 7, log) for _ in range(3)),
        send_in_background(limiter, clock, 8, log),
    )
    to_seven = sorted(t for t, chat in log if chat == 7)
    assert [b - a >= 1.0 for a, b in itertools.pairwise(to_seven)] == [True, True]
    assert next(t for t, chat in log if chat == 8) < 0.1  # another chat does not wait


async def test_a_reply_to_a_user_never_waits_behind_a_broadcast() -> None:
    clock = VirtualTime()
    limiter = limiter_at(10, clock)
    log: list[tuple[float, int]] = []
    replied: list[float] = []

    async def reply() -> None:
        await clock.sleep(0.5)  # while the broadcast is queued
        await limiter.acquire(999)  # not in the background
        replied.append(clock.now)

    async def later_in_the_broadcast() -> None:
        await clock.sleep(0.6)
        await send_in_background(limiter, clock, 10, log)

    await clock.run(
        *(send_in_background(limiter, clock, chat, log) for chat in range(10)),
        reply(),
        later_in_the_broadcast(),
    )
    assert replied == [0.5]
    # The broadcast fell behind by exactly the slot the reply took: 11 slots, not 10.
    assert max(t for t, _ in log) == pytest.approx(11 / (10 * HEADROOM))


async def test_flood_control_pauses_everyone_who_waits_for_a_slot() -> None:
    clock = VirtualTime()
    limiter = limiter_at(10, clock)
    log: list[tuple[float, int]] = []

    async def flood() -> None:
        await clock.sleep(0.25)
        limiter.pause(3)

    await clock.run(*(send_in_background(limiter, clock, chat, log) for chat in range(6)), flood())
    times = sorted(t for t, _ in log)
    assert all(t < 0.25 or t >= 3.25 for t in times)  # nothing in the pause
    assert sum(t >= 3.25 for t in times) >= 3
    assert limiter.flood_waits == 1
