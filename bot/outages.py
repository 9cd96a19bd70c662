"""Which dependency an error says is away (the database, Redis), and one log line when it
goes away and one when it is back, however many updates, renewals or batches meet it.

A restart of PostgreSQL or Redis is an outage of a few seconds: every worker meets it in
every update, lease renewal and broadcast batch at once. Those are not faults of the bot
(each caller retries, or answers 503 so that Telegram delivers the update again), so they
are logged once per outage, without a traceback, instead of once per occurrence."""

from __future__ import annotations

import logging
import math
import time

import aiohttp
import sqlalchemy.exc
from aiogram.exceptions import TelegramAPIError
from redis import exceptions as redis_errors

log = logging.getLogger(__name__)

SETTLE = 2.0  # seconds without a failure before a dependency counts as back
RELAPSE = 10.0  # seconds after it is back in which a failure is the same outage's tail
DATABASE = "the database"
REDIS = "Redis"


def _asyncpg_connection_errors() -> tuple[type[BaseException], ...]:
    try:
        import asyncpg
    except ImportError:  # SQLite deployments need not install it
        return ()
    return (
        asyncpg.PostgresConnectionError,  # SQLSTATE class 08
        asyncpg.CannotConnectNowError,  # starting up or shutting down
        asyncpg.AdminShutdownError,  # pg_ctl stop -m fast
        asyncpg.CrashShutdownError,
        asyncpg.InterfaceError,  # "connection is closed", the connection gone mid-query
    )


_ASYNCPG = _asyncpg_connection_errors()


def dependency_of(exc: BaseException) -> str | None:
    """The dependency `exc` says is unreachable (DATABASE or REDIS), or None when it is
    another failure (a defect, Telegram refusing…). Follows the chain of causes."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, redis_errors.ConnectionError | redis_errors.TimeoutError):
            return REDIS
        if isinstance(current, TelegramAPIError | aiohttp.ClientError):
            return None  # Telegram's side: not ours to wait for
        if isinstance(current, sqlalchemy.exc.DBAPIError) and current.connection_invalidated:
            return DATABASE
        if isinstance(current, sqlalchemy.exc.TimeoutError):  # no connection in the pool
            return DATABASE
        if _ASYNCPG and isinstance(current, _ASYNCPG):
            return DATABASE
        if isinstance(current, OSError):  # asyncpg's connect: refused, socket file gone
            return DATABASE
        original = getattr(current, "orig", None)
        following = current.__cause__ or current.__context__
        current = original if isinstance(original, BaseException) else following
    return None


class Outages:
    """The dependencies this process found away, logged once each way. A dependency going
    down answers some calls and refuses others for a moment (connections still open, new
    ones refused): it is "back" only after `settle` seconds without a failure; and one
    coming back leaves connections cut by its restart in the pools for a moment, so a
    failure within `relapse` seconds after is the same outage's tail (not logged again)."""

    def __init__(self, settle: float = SETTLE, relapse: float = RELAPSE) -> None:
        self.settle = settle
        self.relapse = relapse
        self.since: dict[str, float] = {}
        """Dependency → when it was found away (monotonic)."""
        self._last_failure: dict[str, float] = {}
        self._ended: dict[str, float] = {}
        self._quiet: set[str] = set()  # away again right after it was back: not logged

    def noted(self, exc: BaseException) -> str | None:
        """If `exc` says a dependency is away, note it (one WARNING for the outage) and
        return which; else None (the caller handles it as any other failure)."""
        dependency = dependency_of(exc)
        if dependency is not None:
            self.went_away(dependency, exc)
        return dependency

    def went_away(self, dependency: str, exc: BaseException) -> None:
        now = time.monotonic()
        self._last_failure[dependency] = now
        if dependency in self.since:
            return
        self.since[dependency] = now
        if now - self._ended.get(dependency, -math.inf) < self.relapse:
            self._quiet.add(dependency)
            return
        log.warning("%s is unreachable (%s); retrying until it is back", dependency, _short(exc))

    def is_back(self, *dependencies: str) -> None:
        """The callers reached these again: one INFO each for an outage that ends."""
        now = time.monotonic()
        for dependency in dependencies:
            started = self.since.get(dependency)
            if started is None or now - self._last_failure[dependency] < self.settle:
                continue
            del self.since[dependency]
            self._ended[dependency] = now
            if dependency in self._quiet:
                self._quiet.discard(dependency)
                continue
            log.info("%s is reachable again (away %.1f s)", dependency, now - started)

    def away(self, dependency: str) -> bool:
        return dependency in self.since

    def forget(self) -> None:
        """No outage known any more, nor one just ended (a test starting afresh)."""
        self.since.clear()
        self._last_failure.clear()
        self._ended.clear()
        self._quiet.clear()


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


OUTAGES = Outages()
"""The process's one record of outages (every part of it meets the same ones)."""
