"""The shared pace of sending, in virtual time (no real waiting)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any

import pytest

from bot.delivery.limiter import (
    CHAT_BURST,
    FLOOD_CHATS,
    FLOOD_WINDOW,
    HEADROOM,
    LONG_FLOOD,
    PER_CHAT_INTERVAL,
    RateLimiter,
    background,
)


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


async def test_senders_woken_late_never_send_more_than_the_pace_in_one_second() -> None:
    """The machine is busy for 0.3 s: the senders whose slots fell in it wake together at
    its end. They do not go with the next slots beyond the second's count (Telegram
    would answer 429), and the pace resumes."""
    clock = VirtualTime()

    async def stalled(seconds: float) -> None:
        wake = clock.now + max(seconds, 0.0)
        await clock.sleep((2.3 if 2.0 <= wake < 2.3 else wake) - clock.now)

    limiter = RateLimiter(10, monotonic=clock.monotonic, sleep=stalled)
    log: list[tuple[float, int]] = []
    await clock.run(*(send_in_background(limiter, clock, chat, log) for chat in range(40)))
    times = sorted(t for t, _ in log)
    assert sum(1 for t in times if t == pytest.approx(2.3)) == 2  # woken together
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest == limiter.per_second == 10
    assert (len(times) - 1) / (times[-1] - times[0]) >= 0.9 * 10


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


async def reply(
    limiter: RateLimiter, clock: VirtualTime, chat_id: int, log: list[tuple[float, int]]
) -> None:
    await limiter.acquire(chat_id)  # not in the background
    log.append((clock.now, chat_id))


def within_telegrams_chat_limit(times: list[float], burst: int = CHAT_BURST) -> bool:
    """Whether one chat's send times pass Telegram's bucket (`burst` at once, then one a
    second), as the fake server counts it."""
    tokens, since = float(burst), times[0] if times else 0.0
    for t in times:
        tokens = min(float(burst), tokens + (t - since))
        since = t
        if tokens < 1.0:
            return False
        tokens -= 1.0
    return True


async def test_replies_into_one_chat_burst_then_keep_its_pace_in_order() -> None:
    clock = VirtualTime()
    limiter = limiter_at(100, clock)
    log: list[tuple[float, int]] = []
    order: list[int] = []

    async def numbered(n: int) -> None:
        await limiter.acquire(7)
        order.append(n)
        log.append((clock.now, 7))

    await clock.run(*(numbered(n) for n in range(8)), reply(limiter, clock, 8, log))
    to_seven = [t for t, chat in log if chat == 7]
    assert order == list(range(8))  # the chat's queue keeps its order
    assert to_seven[:CHAT_BURST] == [0.0] * CHAT_BURST  # a reply and a menu go at once
    gaps = [b - a for a, b in itertools.pairwise(to_seven[CHAT_BURST - 1 :])]
    assert min(gaps) == pytest.approx(PER_CHAT_INTERVAL / HEADROOM)
    assert within_telegrams_chat_limit(to_seven)
    assert next(t for t, chat in log if chat == 8) == 0.0  # another chat does not wait


async def test_a_429_in_one_chat_holds_that_chat_only() -> None:
    clock = VirtualTime()
    limiter = limiter_at(10, clock)
    log: list[tuple[float, int]] = []
    held: list[float] = []

    async def flood_then_retry() -> None:
        await clock.sleep(0.25)
        assert limiter.flooded(7, 2) is False
        await limiter.acquire(7)  # the same message, tried again
        held.append(clock.now)

    async def queued_in_that_chat() -> None:
        for _ in range(CHAT_BURST):
            await limiter.acquire(7)  # the chat's burst, at once
        await clock.sleep(0.2)
        await limiter.acquire(7)  # took its slot before the 429: queues again
        held.append(clock.now)

    await clock.run(
        *(send_in_background(limiter, clock, 100 + chat, log) for chat in range(10)),
        flood_then_retry(),
        queued_in_that_chat(),
    )
    times = sorted(t for t, _ in log)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert max(gaps) == pytest.approx(1 / (10 * HEADROOM))  # the others never paused
    assert held[0] == pytest.approx(2.25)  # the retried message first, after retry_after
    assert held[1] == pytest.approx(2.25 + PER_CHAT_INTERVAL / HEADROOM)  # then, no burst
    assert (limiter.flood_waits, limiter.chat_holds) == (0, 1)


async def test_a_background_send_into_a_held_chat_leaves_the_pace_to_the_others() -> None:
    clock = VirtualTime()
    limiter = limiter_at(10, clock)
    limiter.flooded(3, 1)
    log: list[tuple[float, int]] = []
    await clock.run(*(send_in_background(limiter, clock, chat, log) for chat in range(10)))
    assert next(t for t, chat in log if chat == 3) >= 1.0
    times = sorted(t for t, chat in log if chat != 3)
    assert times[-1] == pytest.approx(8 / (10 * HEADROOM))  # nine chats, no gap for chat 3


@pytest.mark.parametrize(
    ("floods", "everyone"),
    [
        ([(0.0, 1, 1), (0.3, 2, 1), (0.6, 3, 1)], True),  # three chats in a second
        ([(0.0, 1, 1), (0.3, 1, 1), (0.6, 1, 1), (0.9, 2, 1)], False),  # one busy chat
        ([(0.0, 1, 1), (0.6, 2, 1), (1.2, 3, 1)], False),  # spread over more than a second
        ([(0.0, 1, LONG_FLOOD + 1)], True),  # a long wait is not one chat's
        ([(0.0, None, 1)], True),  # no chat to hold
    ],
)
async def test_several_chats_flooded_at_once_or_a_long_wait_pause_everyone(
    floods: list[tuple[float, int | None, float]], everyone: bool
) -> None:
    clock = VirtualTime()
    limiter = limiter_at(10, clock)
    answers: list[bool] = []

    async def flood() -> None:
        for at, chat, retry_after in floods:
            await clock.sleep(at - clock.now)
            answers.append(limiter.flooded(chat, retry_after))

    await clock.run(flood())
    assert answers[-1] is everyone and not any(answers[:-1])
    assert limiter.flood_waits == int(everyone)
    assert (limiter.paused_for() > 0) is everyone
    assert FLOOD_CHATS == 3 and FLOOD_WINDOW == 1.0  # the cases above are written for these


async def test_a_chatty_user_costs_a_broadcast_no_more_than_their_own_slots() -> None:
    """A broadcast at 30/s to 150 chats while one user gets two replies a second: the
    broadcast keeps ≥ 0.90 of the rate and the user's chat stays within Telegram's."""
    clock = VirtualTime()
    limiter = limiter_at(30, clock)
    log: list[tuple[float, int]] = []

    async def chatty() -> None:
        for _ in range(24):  # two commands a second: answers queue in the chat
            await reply(limiter, clock, 999, log)

    broadcast: list[tuple[float, int]] = []

    async def to_the_chatty_user_too() -> None:
        await clock.sleep(1.5)  # its turn in the broadcast comes while the answers queue
        await send_in_background(limiter, clock, 999, broadcast)

    await clock.run(
        chatty(),
        *(send_in_background(limiter, clock, chat, broadcast) for chat in range(150)),
        to_the_chatty_user_too(),
    )
    times = sorted(t for t, _ in broadcast)
    assert (len(times) - 1) / (times[-1] - times[0]) >= 0.90 * 30
    # Done on time: the busy chat's copy waited in its queue, not behind all its replies.
    assert times[-1] < 151 / (0.90 * 30)
    assert within_telegrams_chat_limit(sorted(t for t, chat in log + broadcast if chat == 999))
