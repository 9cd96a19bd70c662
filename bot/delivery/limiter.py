"""Pacing of everything the bot sends, so that it stays inside Telegram's limits.

One limiter per Bot: broadcasts, scheduled messages and replies to users share it, so two
broadcasts at once share the rate instead of doubling it. Replies to people never wait
behind a broadcast: they take the next slot and go at once, and the background senders
(which are paced at the rate) fall behind by that slot."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

PER_CHAT_INTERVAL = 1.0  # Telegram: about one message per second in one chat
# Telegram counts on its own clock, where requests arrive with some jitter; pacing at 95 %
# of the rate keeps every second of its count under the limit.
HEADROOM = 0.95
MAX_DEBT = 1.0  # seconds of slots replies may take ahead of the background senders
_FORGET_AFTER = 10_000  # chats remembered before stale ones are dropped

background: ContextVar[bool] = ContextVar("background", default=False)
"""True while broadcasts and scheduled messages send: they wait for their slot."""
prepaid: ContextVar[bool] = ContextVar("prepaid", default=False)
"""True when the sender already waited for its slot (see `RateLimiter.acquire`)."""


class RateLimiter:
    """A global pace of `rate` messages a second, one message a second per chat for
    background senders, and a shared pause after Telegram's flood control."""

    def __init__(
        self,
        rate: float,
        *,
        per_chat: float = PER_CHAT_INTERVAL,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / (rate * HEADROOM)
        self.per_chat = per_chat
        self._now = monotonic
        self._sleep = sleep
        self._next_free = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[int, float] = {}
        self.flood_waits = 0
        """How many times Telegram's flood control paused all sending."""

    async def acquire(self, chat_id: int | None) -> None:
        """Wait for this message's turn (at once for a reply to a user, and at once for a
        sender that waited for its slot before choosing whom to send to)."""
        if prepaid.get():
            prepaid.set(False)  # one message per slot: a retry after a 429 waits again
            return
        if not background.get():
            if self.paused_for():
                await self._sleep(self.paused_for())
            self._take_now(chat_id)
            return
        holds_chat = False
        while True:
            now = self._now()
            chat_ready = self._chat_next.get(chat_id, 0.0) if chat_id is not None else 0.0
            if not holds_chat and chat_ready > now:
                await self._sleep(chat_ready - now)
                continue
            start = max(now, self._next_free, self._paused_until)
            self._next_free = start + self.interval
            if chat_id is not None:
                self._remember_chat(chat_id, start + self.per_chat)
                holds_chat = True
            if start > now:
                await self._sleep(start - now)
            if self._paused_until <= self._now():
                return
            # Flood control paused everyone while this sender waited: queue again.

    def pause(self, seconds: float) -> None:
        """Telegram asked to wait: nobody sends for `seconds`."""
        self.flood_waits += 1
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def paused_for(self) -> float:
        """Seconds left in the current flood-control pause (0 when none)."""
        return max(0.0, self._paused_until - self._now())

    def _take_now(self, chat_id: int | None) -> None:
        now = self._now()
        self._next_free = min(max(self._next_free, now) + self.interval, now + MAX_DEBT)
        if chat_id is not None:
            self._remember_chat(chat_id, now + self.per_chat)

    def _remember_chat(self, chat_id: int, ready_at: float) -> None:
        if len(self._chat_next) >= _FORGET_AFTER and chat_id not in self._chat_next:
            now = self._now()
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
        self._chat_next[chat_id] = max(ready_at, self._chat_next.get(chat_id, 0.0))
