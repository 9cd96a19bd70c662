"""The pace kept in Redis: several workers (here limiters with their own connections)
together stay under the rate in every second and reach most of it."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter

from redis.asyncio import Redis

from bot.delivery.limiter import FLOOD_CHATS, background
from bot.delivery.shared_limiter import SharedRateLimiter

RATE = 60
WORKERS = 3
SECONDS = 3.0


async def _send(limiter: SharedRateLimiter, chats: range, log: list[float]) -> None:
    background.set(True)
    for chat in chats:
        await limiter.acquire(chat)
        log.append(time.monotonic())


async def test_three_workers_share_one_rate_in_every_second(redis_url: str) -> None:
    clients = [Redis.from_url(redis_url) for _ in range(WORKERS)]
    try:
        limiters = [SharedRateLimiter(RATE, client) for client in clients]
        log: list[float] = []
        per_sender = int(RATE * SECONDS / WORKERS / 4)
        senders = [
            _send(limiter, range(base, base + per_sender), log)
            for w, limiter in enumerate(limiters)
            for base in range(w * 10_000 + 1, w * 10_000 + 4 * 1_000 + 1, 1_000)
        ]  # four senders in each of the three workers, every message to its own chat
        await asyncio.gather(*senders)
    finally:
        for client in clients:
            await client.aclose()
    start = min(log)
    busiest = max(Counter(int((t - start) // 1.0) for t in log).values())
    window = [t for t in log if t - start < 3.0]
    sliding = max(sum(1 for u in window if t <= u < t + 1.0) for t in window)
    achieved = (len(log) - 1) / (max(log) - start)
    # The slots are spaced in Redis at 0.95 L; what this process sees is when its event
    # loop got round to each waiter, which on a busy machine bunches a few (CI once saw 64
    # in a second against 60, a loaded 2-core machine 69). Three unshared paces would be
    # near 3 L, so a fifth over L still tells them apart. The 0.90 target is measured by
    # bench/cluster.py, and the fake Bot API's count (at most L) by test_cluster_e2e.py.
    assert sliding <= 1.2 * RATE and busiest <= 1.2 * RATE, (sliding, busiest)
    assert achieved >= 0.8 * RATE, achieved


async def test_a_chat_is_paced_across_workers_and_floods_of_several_chats_pause_all(
    redis_url: str,
) -> None:
    first, second = Redis.from_url(redis_url), Redis.from_url(redis_url)
    try:
        one, two = SharedRateLimiter(RATE, first), SharedRateLimiter(RATE, second)
        times: list[float] = []

        async def into_chat(limiter: SharedRateLimiter) -> None:
            background.set(True)
            for _ in range(2):
                await limiter.acquire(77)
                times.append(time.monotonic())

        await asyncio.gather(into_chat(one), into_chat(two))
        times.sort()
        # Background messages into one chat go one per interval, whichever worker sends.
        assert all(b - a >= one.per_chat * 0.95 for a, b in itertools.pairwise(times))
        answers = [await (one, two)[i % 2].flood(500 + i, 1) for i in range(FLOOD_CHATS)]
        assert answers == [False] * (FLOOD_CHATS - 1) + [True]
        started = time.monotonic()
        background.set(False)
        await two.acquire(900)  # a reply waits for the pause too
        assert time.monotonic() - started >= 0.8
    finally:
        await first.aclose()
        await second.aclose()
