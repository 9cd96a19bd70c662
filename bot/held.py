"""Updates that met an outage in polling mode, handled again once the dependency is back.

In polling mode aiogram has confirmed an update to Telegram (the next getUpdates' offset)
before it is handled, so Telegram never delivers it again as it does a webhook update
answered 503 (bot/webhook.py). An update that meets the database or Redis away is held
here instead, in this process's memory, and fed to the dispatcher again, oldest first,
once a retry gets through: nobody is apologised to for an outage, nothing is logged per
update (the outage once, bot/outages.py), and what people sent meanwhile is handled late
instead of dropped. Limits, documented in README's Operations: held updates are lost if
the process stops before the dependency is back (a WARNING says how many), at most
`limit` are held (the oldest dropped beyond, one WARNING), an update that arrives after the
outage may be handled before older held ones of another person, and a handler that had
sent something before it met the outage sends it again (as a webhook redelivery does)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update

from bot.outages import OUTAGES, Outages

log = logging.getLogger(__name__)
MAX_HELD = 10_000  # updates held at most (an outage of minutes under heavy traffic)
RETRY_EVERY = 1.0  # seconds between attempts while the dependency stays away


class HeldUpdates:
    """Updates that met an outage, retried in order until they are handled. Polling gives
    it to every update as `held_updates` (bot/runner.py), bot/app.py's error handler holds
    those an outage met."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        outages: Outages = OUTAGES,
        retry_every: float = RETRY_EVERY,
        limit: int = MAX_HELD,
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.outages = outages
        self.retry_every = retry_every
        self.limit = limit
        self._queue: collections.deque[Update] = collections.deque()
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0
        self.handled = 0

    def __len__(self) -> int:
        return len(self._queue)

    def hold(self, update: Update) -> None:
        """Keep `update` to be handled once its dependency is back."""
        if len(self._queue) >= self.limit:
            self._queue.popleft()
            self.dropped += 1
            if self.dropped == 1:
                log.warning("more than %d updates held through an outage: dropping the oldest",
                            self.limit)  # fmt: skip
        self._queue.append(update)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._retry(), name="held updates")

    async def _retry(self) -> None:
        while self._queue:
            await asyncio.sleep(self.retry_every)
            while self._queue:
                update = self._queue[0]
                try:
                    # redelivered: an outage raises here again instead of being held twice
                    result = await self.dispatcher.feed_update(self.bot, update, redelivered=True)
                except Exception as exc:
                    if self.outages.noted(exc) is not None:
                        break  # still away: the next attempt after a while
                    log.exception("held update %s failed", update.update_id)
                    self._queue.popleft()
                    continue
                self._queue.popleft()
                self.handled += 1
                self.outages.is_back(*self.outages.since)
                if isinstance(result, TelegramMethod):  # as aiogram's polling does
                    await self.dispatcher.silent_call_request(bot=self.bot, result=result)

    async def close(self) -> None:
        """Stop retrying; say how many updates are lost with the process."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._queue:
            log.warning("stopping with %d updates held through an outage: not handled",
                        len(self._queue))  # fmt: skip
