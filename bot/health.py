"""What an operator (systemd, a load balancer, Prometheus) asks the running bot:

- `GET /healthz`: the process's event loop answers ("ok", 200); nothing else is checked,
  so a restart is never caused by a dependency's outage.
- `GET /readyz`: the database answers `SELECT 1`, Redis a PING (when REDIS_URL is set),
  and the scheduler runs where it should (on the worker holding its lease; on SQLite
  the one process). 200 with a small JSON body when ready, 503 naming what is not. Each
  check is bounded (CHECK_TIMEOUT), so the answer comes even with PostgreSQL gone.
- `GET /metrics`: bot/metrics.py in Prometheus' text format, from loopback only, or from
  anywhere with `Authorization: Bearer $METRICS_TOKEN` (then always required).

Served by the webhook's server and the Mini App's, and when polling by a small server of
its own on HEALTH_HOST:HEALTH_PORT (`serve`)."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from redis.asyncio import Redis
from sqlalchemy import text

from bot.metrics import Metrics
from db.engine import Sessions, reading

log = logging.getLogger(__name__)
CHECK_TIMEOUT = 2.0  # seconds each readiness check may take
# Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever
# address it arrived from.
_FORWARDED = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


@dataclass
class Probes:
    """What readiness looks at."""

    sessions: Sessions
    redis: Redis | None
    scheduler_running: Callable[[], bool]
    leading: Callable[[], bool]
    clustered: bool
    """Several workers share the scheduler (PostgreSQL): one that does not lead is ready."""


async def _bounded(check: Callable[[], Awaitable[Any]]) -> str:
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT)
    except TimeoutError:
        return f"no answer in {CHECK_TIMEOUT:g} s"
    except Exception as exc:
        return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return "ok"


async def readiness(probes: Probes) -> tuple[bool, dict[str, Any]]:
    """Whether the worker is ready, and what each check found."""

    async def database() -> None:
        async with reading(probes.sessions) as session:  # on SQLite: waits for no writer
            await session.execute(text("SELECT 1"))

    async def redis() -> None:
        assert probes.redis is not None
        await probes.redis.ping()

    checks = [_bounded(database)]
    if probes.redis is not None:
        checks.append(_bounded(redis))
    found = await asyncio.gather(*checks)
    leading, running = probes.leading(), probes.scheduler_running()
    body: dict[str, Any] = {
        "database": found[0],
        "redis": found[1] if probes.redis is not None else "off",
        "scheduler": "running" if running else "stopped",
        "leader": leading,
    }
    failing = [name for name in ("database", "redis") if body[name] not in ("ok", "off")]
    if leading and not running:
        failing.append("scheduler")
    elif not probes.clustered and not leading:
        failing.append("scheduler")  # one process: it leads once started
    body["status"] = "not ready" if failing else "ready"
    if failing:
        body["failing"] = failing
    return not failing, body


def metrics_refusal(request: web.Request, token: str | None) -> web.Response | None:
    """None when `request` may read /metrics: with the token when one is set (compared in
    constant time), else only from loopback, not through a proxy."""
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return None
        return web.Response(
            status=401, text="a bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )
    if _from_loopback(request):
        return None
    return web.Response(status=403, text="/metrics is served to loopback or with METRICS_TOKEN")


def _from_loopback(request: web.Request) -> bool:
    if any(header in request.headers for header in _FORWARDED):
        return False
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:  # a Unix socket: no address
        return False


class Health:
    """The three routes, on any aiohttp application."""

    def __init__(self, probes: Probes, metrics: Metrics, metrics_token: str | None) -> None:
        self.probes = probes
        self.metrics = metrics
        self.metrics_token = metrics_token

    def routes(self) -> list[web.RouteDef]:
        """GET /healthz, /readyz and /metrics."""
        return [
            web.get("/healthz", self.healthz, allow_head=True),
            web.get("/readyz", self.readyz, allow_head=True),
            web.get("/metrics", self.scrape),
        ]

    async def healthz(self, request: web.Request) -> web.Response:
        """The event loop answers."""
        return web.Response(text="ok")

    async def readyz(self, request: web.Request) -> web.Response:
        """200 when every dependency answers, else 503 naming what does not."""
        ready, body = await readiness(self.probes)
        return web.json_response(body, status=200 if ready else 503)

    async def scrape(self, request: web.Request) -> web.Response:
        """The metrics, for whoever may read them."""
        refusal = metrics_refusal(request, self.metrics_token)
        if refusal is not None:
            return refusal
        body = await self.metrics.render()
        response = web.Response(body=body)
        response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        response.charset = "utf-8"
        return response


async def serve(health: Health, host: str, port: int) -> web.AppRunner | None:
    """When polling: the three routes on a server of their own (stop it with `cleanup`).
    A port already taken is reported and the bot runs on without it."""
    app = web.Application()
    app.add_routes(health.routes())
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        log.warning("health server not started on %s:%s: %s", host, port, exc.strerror or exc)
        await runner.cleanup()
        return None
    log.info("health server on %s:%s (/healthz, /readyz, /metrics)", host, port)
    return runner
