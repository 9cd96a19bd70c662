"""What the operator's Prometheus reads at /metrics (README, "Operations"): counters kept
as the bot works, and gauges read from the database at each scrape.

One `Metrics` per application, with a registry of its own (no global state: two bots in
one test process count apart). It is fed by an outer middleware on updates (kind,
outcome, latency), a middleware on the errors (what failed before any handler: the FSM
storage), a request middleware on the Bot's session (every Bot API call by method and
result) and a listener on the engine (the pool's connection errors)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.methods.base import TelegramType
from aiogram.types import ErrorEvent, TelegramObject, Update
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock
from bot.delivery.pacing import is_message
from bot.outages import DATABASE, OUTAGES, REDIS, Outages
from db import gauges
from db.engine import Sessions, reading

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import Response, TelegramMethod

log = logging.getLogger(__name__)
SCRAPE_TIMEOUT = 2.0  # seconds the database may take to answer a scrape's gauges
OVERDUE = timedelta(minutes=5)  # a pending notice this late is overdue
DEPENDENCIES = {"database": DATABASE, "redis": REDIS}  # dependency_up's labels
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

# The exception an update's handling raised through the updates' middleware, so that
# the errors' middleware tells it from one raised before (by the FSM storage).
_raised: ContextVar[BaseException | None] = ContextVar("raised", default=None)


@dataclass
class Sources:
    """Where the scrape-time gauges come from."""

    sessions: Sessions
    clock: Clock
    leading: Callable[[], bool]


class Metrics:
    """The bot's metrics, in a registry of their own."""

    def __init__(self, outages: Outages = OUTAGES) -> None:
        self.outages = outages
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter(
            "ngo_bridge_updates",
            "Updates handled, by kind and outcome (handled, unhandled, error)",
            ["kind", "outcome"],
            registry=r,
        )
        self.latency = Histogram(
            "ngo_bridge_update_seconds",
            "Time to handle an update (middlewares and handler), by kind",
            ["kind"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.api_calls = Counter(
            "ngo_bridge_bot_api_calls",
            "Bot API calls, by method and result (ok, 429, 403, 400, other)",
            ["method", "result"],
            registry=r,
        )
        self.messages_sent = Counter(
            "ngo_bridge_messages_sent", "New messages Telegram accepted", registry=r
        )
        self.fsm_errors = Counter(
            "ngo_bridge_fsm_storage_errors",
            "Updates the FSM storage failed (Redis or the database unreachable)",
            registry=r,
        )
        self.pool_errors = Counter(
            "ngo_bridge_database_errors",
            "Database errors: connections refused (connect) or lost (disconnect), and "
            "other operational errors",
            ["kind"],
            registry=r,
        )
        self.leader = Gauge(
            "ngo_bridge_scheduler_leader", "1 while this worker runs the scheduler", registry=r
        )
        self.database_up = Gauge(
            "ngo_bridge_database_up",
            "1 if the database answered this scrape's queries in time",
            registry=r,
        )
        self.broadcasts = Gauge(
            "ngo_bridge_broadcasts_running", "Broadcasts being delivered", registry=r
        )
        self.broadcast_rows = Gauge(
            "ngo_bridge_broadcast_rows",
            "Rows of running broadcasts by state (pending, sent, blocked, failed)",
            ["state"],
            registry=r,
        )
        self.notices = Gauge(
            "ngo_bridge_notices",
            "Event notices waiting to be sent (pending) and those of them 5 minutes late "
            "or more (overdue)",
            ["state"],
            registry=r,
        )
        self.webhook_responses = Counter(
            "ngo_bridge_webhook_responses",
            "The webhook intake's answers to Telegram by HTTP status (200; 503: a dependency "
            "away or the update being handled by another worker; 401: a wrong secret; 500)",
            ["status"],
            registry=r,
        )
        self.dependency_up = Gauge(
            "ngo_bridge_dependency_up",
            "0 while this process finds the dependency unreachable (an outage, "
            "bot/outages.py: from the first failure until calls get through again), else 1",
            ["dependency"],
            registry=r,
        )
        for state in ("pending", "sent", "blocked", "failed"):
            self.broadcast_rows.labels(state)
        for state in ("pending", "overdue"):
            self.notices.labels(state)
        self.sources: Sources | None = None
        self._database_answered = True

    # -- what feeds it ---------------------------------------------------------------------

    async def on_update(
        self, handler: Handler, update: TelegramObject, data: dict[str, Any]
    ) -> Any:
        """Outer middleware of updates: count each by kind and outcome, time it."""
        kind = _kind(update)
        started = time.perf_counter()
        try:
            result = await handler(update, data)
        except BaseException as exc:
            _raised.set(exc)
            if isinstance(exc, Exception):
                self.updates.labels(kind, "error").inc()
                if isinstance(exc, RedisError):
                    self.fsm_errors.inc()
            raise
        finally:
            self.latency.labels(kind).observe(time.perf_counter() - started)
        self.updates.labels(kind, "unhandled" if result is UNHANDLED else "handled").inc()
        return result

    async def on_error(self, handler: Handler, error: TelegramObject, data: dict[str, Any]) -> Any:
        """Outer middleware of errors: what failed before the updates' middleware is the
        FSM storage's (its lock or reading the state)."""
        if isinstance(error, ErrorEvent) and error.exception is not _raised.get():
            self.fsm_errors.inc()
            self.updates.labels(_kind(error.update), "error").inc()
        return await handler(error, data)

    def watch_bot(self, bot: Bot) -> None:
        """Count the Bot API calls `bot` makes (each try, after the pacing's waits)."""
        bot.session.middleware(_ApiCalls(self))

    def watch_engine(self, engine: AsyncEngine) -> None:
        """Count the database's connection failures (connect: a new connection refused;
        disconnect: one lost in use) and other operational errors."""
        sync = engine.sync_engine

        @event.listens_for(sync, "do_connect")
        def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
            try:
                return dialect.connect(*cargs, **cparams)
            except Exception:
                self.pool_errors.labels("connect").inc()
                raise

        @event.listens_for(sync, "handle_error")
        def _on_error(context: ExceptionContext) -> None:
            if context.is_disconnect:
                self.pool_errors.labels("disconnect").inc()
            elif isinstance(context.sqlalchemy_exception, OperationalError | InterfaceError):
                self.pool_errors.labels("operational").inc()

    # -- what a scrape reads ---------------------------------------------------------------

    async def refresh(self) -> None:
        """Read the gauges (the database's bounded by SCRAPE_TIMEOUT)."""
        self._read_outages()
        sources = self.sources
        if sources is None:
            return
        self.leader.set(1 if sources.leading() else 0)
        try:
            await asyncio.wait_for(self._read_database(sources), SCRAPE_TIMEOUT)
        except Exception as exc:  # gone or slow: say so rather than show stale rows
            if self._database_answered:  # once when it goes, not at every scrape
                reason = str(exc) or type(exc).__name__
                log.warning("metrics: the database did not answer: %s", reason)
            self._database_answered = False
            self.database_up.set(0)
        else:
            if not self._database_answered:
                log.info("metrics: the database answers again")
            self._database_answered = True
            self.database_up.set(1)
            self.outages.is_back(DATABASE)  # reached: an outage ends (once settled)
            self._read_outages()

    def _read_outages(self) -> None:
        for label, dependency in DEPENDENCIES.items():
            self.dependency_up.labels(label).set(0 if self.outages.away(dependency) else 1)

    async def _read_database(self, sources: Sources) -> None:
        overdue_before = sources.clock.now() - OVERDUE
        async with reading(sources.sessions) as session:
            rows = await gauges.broadcast_rows(session)
            running = await gauges.running_broadcasts(session)
            pending, overdue = await gauges.notices(session, overdue_before)
        self.broadcasts.set(running)
        for state in ("pending", "sent", "blocked", "failed"):
            self.broadcast_rows.labels(state).set(rows.get(state, 0))
        self.notices.labels("pending").set(pending)
        self.notices.labels("overdue").set(overdue)

    async def render(self) -> bytes:
        """The Prometheus text exposition, gauges refreshed."""
        await self.refresh()
        return generate_latest(self.registry)


def _kind(update: TelegramObject) -> str:
    if not isinstance(update, Update):
        return "other"
    try:
        return update.event_type
    except Exception:  # a kind this aiogram does not know
        return "other"


class _ApiCalls(BaseRequestMiddleware):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = method.__api_method__
        try:
            response = await make_request(bot, method)
        except TelegramRetryAfter:
            self.metrics.api_calls.labels(name, "429").inc()
            raise
        except TelegramForbiddenError:
            self.metrics.api_calls.labels(name, "403").inc()
            raise
        except TelegramBadRequest:
            self.metrics.api_calls.labels(name, "400").inc()
            raise
        except Exception:
            self.metrics.api_calls.labels(name, "other").inc()
            raise
        self.metrics.api_calls.labels(name, "ok").inc()
        if is_message(method):
            self.metrics.messages_sent.inc()
        return response
