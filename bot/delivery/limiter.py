"""Pacing of everything the bot sends, so that it stays inside Telegram's limits.

One limiter per Bot: broadcasts, scheduled messages and replies to users share it, so two
broadcasts at once share the rate instead of doubling it. Replies to people never wait
behind a broadcast: they take the next global slot and go at once, and the background
senders (which are paced at the rate) fall behind by that slot.

Each chat has its own pace as well (about one message a second after a short burst, as
Telegram allows), replies included: a message into a busy chat waits in that chat's queue
instead of drawing a 429, and nobody else waits for it. Flood control (429) on one chat
holds that chat only; 429s on several chats at once, or a long `retry_after`, mean the
global limit was hit, and then everyone pauses."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass

PER_CHAT_INTERVAL = 1.0  # Telegram: about one message per second in one chat
CHAT_BURST = 3  # messages one chat may take at once (a reply and a menu), then the pace
# Telegram counts on its own clock, where requests arrive with some jitter; pacing at 95 %
# of the rate keeps every second of its count under the limit (per chat likewise).
HEADROOM = 0.95
MAX_DEBT = 1.0  # seconds of slots replies may take ahead of the background senders
FLOOD_WINDOW = 1.0  # seconds over which 429s on different chats are counted
FLOOD_CHATS = 3  # 429s on this many chats within the window: the global limit, pause all
LONG_FLOOD = 5.0  # seconds: a longer retry_after pauses everyone, whatever the chat
_FORGET_AFTER = 10_000  # chats remembered before idle ones are dropped

background: ContextVar[bool] = ContextVar("background", default=False)
"""True while broadcasts and scheduled messages send: they wait for their slot."""
prepaid: ContextVar[bool] = ContextVar("prepaid", default=False)
"""True when the sender already waited for its global slot (see `RateLimiter.acquire`)."""


@dataclass
class _Chat:
    """One chat's pace: a virtual schedule (GCRA) that allows `CHAT_BURST` at once."""

    due: float = 0.0
    """When the chat's queue would be empty at its pace; a message may go at
    `due - tolerance` at the earliest."""
    background_after: float = 0.0
    """Background messages go at most one per interval, leaving the burst to replies."""
    epoch: int = 0
    """Bumped by each flood-control hold: waiters of an older epoch queue again."""


class RateLimiter:
    """A global pace of `rate` messages a second, a per-chat pace with short bursts, and
    Telegram's flood control: one chat held, or everyone paused."""

    def __init__(
        self,
        rate: float,
        *,
        per_chat: float = PER_CHAT_INTERVAL,
        chat_burst: int = CHAT_BURST,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.rate = rate
        """BROADCAST_RATE: messages a second (the pace is `HEADROOM` of it)."""
        self.interval = 1.0 / (rate * HEADROOM)
        self.per_chat = per_chat / HEADROOM
        self._tolerance = (chat_burst - 1) * self.per_chat
        self._now = monotonic
        self._sleep = sleep
        self._next_free = 0.0
        self._paused_until = 0.0
        self._chats: dict[int, _Chat] = {}
        self._floods: deque[tuple[float, int | None]] = deque()
        self.per_second = max(1, math.ceil(rate * HEADROOM))
        """Background messages let go in any one second (this process's clock), at most."""
        self._recent: deque[float] = deque()  # when the last second's ones went
        self.flood_waits = 0
        """How many times Telegram's flood control paused all sending."""
        self.chat_holds = 0
        """How many times flood control held one chat only."""

    async def acquire(self, chat_id: int | None) -> None:
        """Wait for this message's turn: its chat's slot, then at once for a reply to a
        user and for a sender that waited for its global slot before choosing whom to
        send to, or the next global slot for background senders."""
        if prepaid.get():
            prepaid.set(False)  # one message per slot: a retry after a 429 waits again
            await self._chat_turn(chat_id, background=True)
            return
        if not background.get():
            await self._chat_turn(chat_id, background=False)
            self._take_now()
            return
        await self._background_turn(chat_id)

    def flooded(self, chat_id: int | None, retry_after: float) -> bool:
        """Telegram answered 429 for a message into `chat_id`: hold that chat for
        `retry_after`, or pause everyone when the flood is not that chat's (several chats
        within a second, a long wait, or no chat known). True when everyone pauses."""
        now = self._now()
        while self._floods and self._floods[0][0] <= now - FLOOD_WINDOW:
            self._floods.popleft()
        self._floods.append((now, chat_id))
        if chat_id is not None:
            self.hold(chat_id, retry_after)
        chats = {chat for _, chat in self._floods}
        if chat_id is None or retry_after > LONG_FLOOD or len(chats) >= FLOOD_CHATS:
            self.pause(retry_after)
            return True
        self.chat_holds += 1
        return False

    async def flood(self, chat_id: int | None, retry_after: float) -> bool:
        """`flooded`, for callers that also drive the shared limiter (which asks Redis)."""
        return self.flooded(chat_id, retry_after)

    def hold(self, chat_id: int, seconds: float) -> None:
        """Nothing goes into `chat_id` for `seconds`; then its pace starts again, with
        no burst (Telegram's allowance for that chat is spent)."""
        chat = self._chat(chat_id)
        resume = self._now() + seconds
        chat.due = resume + self._tolerance
        chat.background_after = resume
        chat.epoch += 1

    def pause(self, seconds: float) -> None:
        """Telegram asked to wait: nobody sends for `seconds`."""
        self.flood_waits += 1
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def paused_for(self) -> float:
        """Seconds left in the current flood-control pause (0 when none)."""
        return max(0.0, self._paused_until - self._now())

    async def _chat_turn(self, chat_id: int | None, *, background: bool) -> None:
        """Take the chat's next slot and wait for it (and for any pause to end); queue
        again if the chat was held meanwhile."""
        while True:
            chat = self._chat(chat_id) if chat_id is not None else None
            epoch = chat.epoch if chat is not None else 0
            slot = self._take_chat(chat, self._now(), background) if chat is not None else 0.0
            while (wake := max(slot, self._paused_until)) > (now := self._now()):
                await self._sleep(wake - now)
                if chat is not None and chat.epoch != epoch:
                    break
            else:
                return

    async def _background_turn(self, chat_id: int | None) -> None:
        """The chat's queue first (so that a busy chat holds no global slot, and replies
        cannot starve it), then the next global slot."""
        chat = self._chat(chat_id) if chat_id is not None else None
        await self._chat_turn(chat_id, background=True)
        epoch = chat.epoch if chat is not None else 0
        while True:
            now = self._now()
            start = max(now, self._next_free, self._paused_until)
            self._next_free = start + self.interval
            if start > now:
                await self._sleep(start - now)
            if chat is not None and chat.epoch != epoch:  # held meanwhile: its queue again
                await self._chat_turn(chat_id, background=True)
                epoch = chat.epoch
            elif self._paused_until <= self._now():
                await self._second_turn()
                if self._paused_until <= self._now():
                    return
            # Flood control paused everyone while this sender waited: queue again.

    async def _second_turn(self) -> None:
        """Never more than `per_second` background messages in any one second (replies
        push the schedule back instead, `_take_now`). Slots are taken ahead, one per
        sender, so a busy machine that wakes senders late would send the slots it missed
        together with the next ones, which Telegram counts within one second (429s): such
        a sender waits until the second's count lets it go."""
        while True:
            now = self._now()
            recent = self._recent
            while recent and now - recent[0] >= 1.0 - 1e-9:  # (rounding: a second is up)
                recent.popleft()
            if len(recent) < self.per_second:
                recent.append(now)
                return
            await self._sleep(recent[0] + 1.0 - now)

    def _take_chat(self, chat: _Chat, at: float, background: bool) -> float:
        """The chat's first free slot from `at`, taken."""
        slot = max(at, chat.due - self._tolerance)
        if background:
            slot = max(slot, chat.background_after)
            chat.background_after = slot + self.per_chat
        chat.due = max(chat.due, slot) + self.per_chat
        return slot

    def _take_now(self) -> None:
        now = self._now()
        self._next_free = min(max(self._next_free, now) + self.interval, now + MAX_DEBT)

    def _chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            if len(self._chats) >= _FORGET_AFTER:
                now = self._now()
                self._chats = {c: s for c, s in self._chats.items() if s.due > now}
            chat = self._chats[chat_id] = _Chat()
        return chat
