"""Webhook intake that loses nothing and handles nothing twice.

Each update is handled before the HTTP answer (aiogram's `handle_in_background=False`):
a worker killed mid-update never answers, so Telegram delivers the update again, to this
worker or another. A redelivered update is recognised by its `update_id`: the first
worker to take it marks it "busy" (Redis `SET NX`, with a TTL the worker renews while it
handles), then "done" for a while once handled. A redelivery meets "done" and is answered
without handling, or meets "busy" and is asked to come again later (HTTP 503), until the
mark of a worker that died has run out. Without Redis the marks are in this process.

An update that cannot be handled because the database or Redis is away (a restart, an
outage) is answered 503 too, never 2xx: Telegram delivers it again once they are back,
and nobody sees an apology for it. The outage is logged once (bot/outages.py), not once
per update."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from enum import Enum
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from redis.asyncio import Redis

from bot.metrics import Metrics
from bot.outages import OUTAGES, REDIS, Outages

log = logging.getLogger(__name__)
DONE_SECONDS = 600  # a handled update is remembered this long (Telegram redelivers sooner)
_KEY = "ngo_bridge:update:{}"
_MEMORY_MAX = 100_000  # updates remembered in memory (no Redis)
REDELIVER_KEY = "redelivered"
"""Handlers' data: True when an update that fails on a dependency is delivered again (the
webhook), so the error handler leaves it to the intake instead of apologising."""
AWAY_RETRY_AFTER = "2"  # seconds: Telegram's own redelivery waits longer anyway


class Mark(Enum):
    """What is known of an update on arrival."""

    NEW = "new"  # nobody took it: this worker handles it
    BUSY = "busy"  # a worker is handling it (or died doing so, until its mark runs out)
    DONE = "done"  # handled already


class SeenUpdates:
    """Which updates were taken and handled: in Redis (shared by the workers) or here."""

    def __init__(self, redis: Redis | None, busy_seconds: float) -> None:
        self.redis = redis
        self.busy_ms = max(1, int(busy_seconds * 1000))
        self._memory: OrderedDict[int, tuple[str, float]] = OrderedDict()

    async def take(self, update_id: int) -> Mark:
        """Mark the update busy for this worker if nobody has it; say what was found."""
        if self.redis is None:
            return self._take_here(update_id)
        key = _KEY.format(update_id)
        if await self.redis.set(key, "busy", nx=True, px=self.busy_ms):
            return Mark.NEW
        found = await self.redis.get(key)
        return Mark.DONE if found == b"done" else Mark.BUSY

    async def keep(self, update_id: int) -> None:
        """Push the busy mark's expiry back (the worker is still at it)."""
        if self.redis is not None:
            await self.redis.pexpire(_KEY.format(update_id), self.busy_ms)

    async def done(self, update_id: int) -> None:
        """The update is handled: redeliveries are answered without handling it."""
        if self.redis is None:
            self._memory[update_id] = ("done", time.monotonic() + DONE_SECONDS)
            return
        await self.redis.set(_KEY.format(update_id), "done", ex=DONE_SECONDS)

    async def forget(self, update_id: int) -> None:
        """Handling failed: let the next delivery try again."""
        if self.redis is None:
            self._memory.pop(update_id, None)
            return
        await self.redis.delete(_KEY.format(update_id))

    def _take_here(self, update_id: int) -> Mark:
        now = time.monotonic()
        found = self._memory.get(update_id)
        if found is not None and found[1] > now:
            return Mark.DONE if found[0] == "done" else Mark.BUSY
        self._memory[update_id] = ("busy", float("inf"))  # this process is alive
        self._memory.move_to_end(update_id)
        while len(self._memory) > _MEMORY_MAX:
            self._memory.popitem(last=False)
        return Mark.NEW


class Intake(SimpleRequestHandler):
    """aiogram's webhook handler, answering only once the update is handled, once."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        secret_token: str,
        seen: SeenUpdates,
        outages: Outages = OUTAGES,
    ) -> None:
        super().__init__(dispatcher, bot, handle_in_background=False, secret_token=secret_token)
        self.seen = seen
        self.outages = outages
        metrics = dispatcher.workflow_data.get("metrics")
        self.metrics: Metrics | None = metrics if isinstance(metrics, Metrics) else None

    async def handle(self, request: web.Request) -> web.Response:
        """aiogram's handler (the secret checked, then `_handle_request`), each answer
        counted by status in /metrics (`ngo_bridge_webhook_responses_total`)."""
        status = 500  # what aiohttp answers for an exception
        try:
            response = await super().handle(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            if self.metrics is not None:
                self.metrics.webhook_responses.labels(str(status)).inc()

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        raw: Any = await request.json(loads=bot.session.json_loads)
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if not isinstance(update_id, int):
            return web.Response(status=400, text="not an update")
        try:
            mark = await self.seen.take(update_id)
        except Exception as exc:
            if self.outages.noted(exc) is None:
                raise
            return _away()
        if self.seen.redis is not None:
            self.outages.is_back(REDIS)
        if mark is Mark.DONE:
            log.info("update %s was handled already: answered again", update_id)
            return web.json_response({})
        if mark is Mark.BUSY:
            return web.Response(status=503, text="being handled", headers={"Retry-After": "1"})
        keeping = asyncio.create_task(self._keep(update_id))
        try:
            result: Any = await self._feed(bot, raw)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await asyncio.shield(self.seen.forget(update_id))
            if isinstance(exc, Exception) and self.outages.noted(exc) is not None:
                return _away()  # not handled: Telegram delivers it again
            raise
        finally:
            keeping.cancel()
        self.outages.is_back(*self.outages.since)  # handled: what it needed is there
        try:
            await self.seen.done(update_id)
        except Exception as exc:  # handled all the same: a redelivery would repeat it
            if self.outages.noted(exc) is None:
                raise
        return web.Response(body=self._build_response_writer(bot=bot, result=result))

    async def _feed(self, bot: Bot, raw: dict[str, Any]) -> Any:
        """Handle the update (aiogram's `feed_webhook_update` without its logging of every
        failure with a traceback: an outage is the intake's to log, once)."""
        update = Update.model_validate(raw, context={"bot": bot})
        return await self.dispatcher.feed_update(bot, update, **self.data, **{REDELIVER_KEY: True})

    async def _keep(self, update_id: int) -> None:
        while True:
            await asyncio.sleep(self.seen.busy_ms / 3000)
            with contextlib.suppress(Exception):
                await self.seen.keep(update_id)


def _away() -> web.Response:
    """A dependency is away: the update was not handled, deliver it again later."""
    return web.Response(
        status=503, text="a dependency is unavailable", headers={"Retry-After": AWAY_RETRY_AFTER}
    )
