"""The pace of `bot.delivery.limiter` kept in Redis, so that several workers together
send at `BROADCAST_RATE` and no faster (used when REDIS_URL is set).

The same rules as the in-process `RateLimiter`: a global schedule of slots, each chat's
own pace with a short burst, replies that go at once and push the background senders
back, a 429 that holds one chat or pauses everyone. Each acquisition is one Lua script
run atomically in Redis on Redis's clock (so the workers' clocks do not matter); a
background sender whose chat is not ready yet waits for it, then runs the script once
more for its global slot (a busy chat holds no slot meanwhile). After waiting for its
slot, a background sender checks that no pause began meanwhile."""

from __future__ import annotations

import asyncio
from typing import Any

from redis.asyncio import Redis

from bot.delivery.limiter import (
    CHAT_BURST,
    FLOOD_CHATS,
    FLOOD_WINDOW,
    LONG_FLOOD,
    MAX_DEBT,
    PER_CHAT_INTERVAL,
    RateLimiter,
    background,
    prepaid,
)

PREFIX = "ngo_bridge:pace"
_CHAT_KEPT = 60.0  # seconds an idle chat's pace is kept after its queue empties

# KEYS: the global hash (next_free, paused_until), the chat's hash (due, bg) or "".
# ARGV: mode (reply, prepaid, background, global, check), interval, per_chat, tolerance,
# max_debt. Returns {seconds to wait, "1" when the global slot is still to be taken}.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local mode = ARGV[1]
local interval, per_chat = tonumber(ARGV[2]), tonumber(ARGV[3])
local tolerance, max_debt = tonumber(ARGV[4]), tonumber(ARGV[5])
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused_until') or '0')
if mode == 'check' then
  return {tostring(math.max(0, paused - now)), '0'}
end
local slot = now
if KEYS[2] ~= '' and mode ~= 'global' then
  local due = tonumber(redis.call('HGET', KEYS[2], 'due') or '0')
  slot = math.max(now, due - tolerance)
  if mode ~= 'reply' then
    slot = math.max(slot, tonumber(redis.call('HGET', KEYS[2], 'bg') or '0'))
    redis.call('HSET', KEYS[2], 'bg', tostring(slot + per_chat))
  end
  due = math.max(due, slot) + per_chat
  redis.call('HSET', KEYS[2], 'due', tostring(due))
  redis.call('PEXPIRE', KEYS[2], math.ceil((due - now + ARGV[6]) * 1000))
end
slot = math.max(slot, paused)
local next_free = tonumber(redis.call('HGET', KEYS[1], 'next_free') or '0')
if mode == 'reply' then
  next_free = math.min(math.max(next_free, now) + interval, now + max_debt)
  redis.call('HSET', KEYS[1], 'next_free', tostring(next_free))
  return {tostring(slot - now), '0'}
end
if mode == 'prepaid' then
  return {tostring(slot - now), '0'}
end
if slot > now then
  return {tostring(slot - now), '1'}
end
local start = math.max(now, next_free, paused)
redis.call('HSET', KEYS[1], 'next_free', tostring(start + interval))
return {tostring(start - now), '0'}
"""

# KEYS: the global hash, the set of recently flooded chats, the chat's hash or "".
# ARGV: retry_after, tolerance, window, chats that mean a global flood, a long wait, the
# chat id. Returns 1 when everyone pauses, 0 when the chat alone is held.
_FLOOD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local retry, tolerance = tonumber(ARGV[1]), tonumber(ARGV[2])
local window, chats_max, long = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
if KEYS[3] ~= '' then
  redis.call('ZADD', KEYS[2], now, ARGV[6])
  redis.call('PEXPIRE', KEYS[2], math.ceil(window * 2000))
  redis.call('HSET', KEYS[3], 'due', tostring(now + retry + tolerance))
  redis.call('HSET', KEYS[3], 'bg', tostring(now + retry))
  redis.call('PEXPIRE', KEYS[3], math.ceil((retry + tolerance + 60) * 1000))
end
if KEYS[3] == '' or retry > long or redis.call('ZCARD', KEYS[2]) >= chats_max then
  local paused = tonumber(redis.call('HGET', KEYS[1], 'paused_until') or '0')
  redis.call('HSET', KEYS[1], 'paused_until', tostring(math.max(paused, now + retry)))
  return 1
end
return 0
"""


class SharedRateLimiter(RateLimiter):
    """`RateLimiter`'s pace, kept in Redis for every worker using the same `prefix`."""

    def __init__(
        self,
        rate: float,
        redis: Redis,
        *,
        per_chat: float = PER_CHAT_INTERVAL,
        chat_burst: int = CHAT_BURST,
        prefix: str = PREFIX,
    ) -> None:
        super().__init__(rate, per_chat=per_chat, chat_burst=chat_burst)
        self.redis = redis
        self.prefix = prefix
        self._acquire = redis.register_script(_ACQUIRE)
        self._flood = redis.register_script(_FLOOD)

    async def acquire(self, chat_id: int | None) -> None:
        """As `RateLimiter.acquire`, with the slots taken in Redis."""
        if prepaid.get():
            prepaid.set(False)  # one message per slot: a retry after a 429 waits again
            await self._sleep_for(await self._run("prepaid", chat_id))
            return
        if not background.get():
            await self._sleep_for(await self._run("reply", chat_id))
            return
        wait, later = await self._run_pair("background", chat_id)
        while True:
            await self._sleep_for(wait)
            if later:
                wait, later = await self._run_pair("global", None)
                continue
            if wait <= 0 or await self._run("check", None) <= 0:
                return
            # Flood control paused everyone while this sender waited: queue again.
            wait, later = await self._run_pair("global", None)

    async def flood(self, chat_id: int | None, retry_after: float) -> bool:
        """As `RateLimiter.flooded`, counted across the workers."""
        keys = [self._global, f"{self.prefix}:floods", self._chat_key(chat_id)]
        args = [retry_after, self._tolerance, FLOOD_WINDOW, FLOOD_CHATS, LONG_FLOOD, chat_id or 0]
        everyone = bool(int(await self._flood(keys=keys, args=args)))
        if everyone:
            self.flood_waits += 1
        else:
            self.chat_holds += 1
        return everyone

    @property
    def _global(self) -> str:
        return f"{self.prefix}:global"

    def _chat_key(self, chat_id: int | None) -> str:
        return f"{self.prefix}:chat:{chat_id}" if chat_id is not None else ""

    async def _run_pair(self, mode: str, chat_id: int | None) -> tuple[float, bool]:
        args: list[Any] = [
            mode, self.interval, self.per_chat, self._tolerance, MAX_DEBT, _CHAT_KEPT,
        ]  # fmt: skip
        wait, later = await self._acquire(keys=[self._global, self._chat_key(chat_id)], args=args)
        return float(wait), later in (b"1", "1")

    async def _run(self, mode: str, chat_id: int | None) -> float:
        return (await self._run_pair(mode, chat_id))[0]

    async def _sleep_for(self, seconds: float) -> None:
        if seconds > 0:
            await asyncio.sleep(seconds)
