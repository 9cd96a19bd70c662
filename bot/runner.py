"""Running the bot: long polling, or a webhook server when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from typing import Any, TypeVar
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web

from bot import redis_clients
from bot.app import create_bot, create_dispatcher, limiter_for, scheduler_duties
from bot.clock import Clock
from bot.cluster import Leadership, every
from bot.config import Settings
from bot.delivery.broadcaster import Broadcaster
from bot.handlers.webapp import server as webapp
from bot.health import Health, Probes, serve
from bot.held import HeldUpdates
from bot.metrics import Metrics, Sources
from bot.scheduler import Planner, Runtime
from bot.webhook import Intake, SeenUpdates
from db.engine import create_engine, create_session_maker

log = logging.getLogger(__name__)
T = TypeVar("T")


def run_event_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` on uvloop where it is installed (a faster event loop), else on asyncio's."""
    try:
        import uvloop
    except ImportError:  # Windows
        return asyncio.run(main)
    return uvloop.run(main)


async def run(settings: Settings) -> None:
    """Serve updates until stopped; the database engine is closed on the way out."""
    engine = create_engine(settings.database_url)
    sessions = create_session_maker(engine)
    # With Redis the workers share one pace (bot/delivery/shared_limiter.py).
    redis = redis_clients.client(settings.redis_url) if settings.redis_url else None
    limiter = limiter_for(settings, redis)
    bot = create_bot(settings, limiter)
    clock = Clock()
    metrics = Metrics()
    metrics.watch_bot(bot)
    metrics.watch_engine(engine)
    dp = create_dispatcher(settings, sessions, clock=clock, metrics=metrics)
    planner: Planner = dp["planner"]
    broadcaster: Broadcaster = dp["broadcaster"]
    runtime = Runtime(bot, sessions, dp["notifier"], clock, settings.default_language, limiter)
    duties = scheduler_duties(settings)
    # One worker runs the scheduler (on SQLite, the one process; see bot/cluster.py).
    leadership = Leadership(
        sessions,
        clustered=not settings.is_sqlite,
        lease=settings.lease_seconds,
        on_gain=lambda: planner.start(runtime, duties),
        on_loss=planner.stop,
        on_tick=planner.catch_up,
        holder=broadcaster.worker,
    )
    metrics.sources = Sources(sessions, clock, lambda: leadership.leading)
    probes = Probes(
        sessions,
        redis,
        scheduler_running=lambda: planner.scheduler.running,
        leading=lambda: leadership.leading,
        clustered=not settings.is_sqlite,
    )
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    health = Health(probes, metrics, token)
    joining: list[asyncio.Task[None]] = []

    # Timed work runs only while the bot serves updates: started once polling or the
    # webhook is up (not if Telegram is unreachable at start), stopped before the end.
    async def start_jobs() -> None:
        await leadership.start()
        if not settings.is_sqlite:  # broadcasts another worker started: help deliver them
            job = every(settings.lease_seconds / 3, lambda: broadcaster.resume(bot), "joining")
            joining.append(asyncio.create_task(job, name="joining broadcasts"))

    async def stop_jobs() -> None:
        for task in joining:
            task.cancel()
        await leadership.stop()

    dp.startup.register(start_jobs)
    dp.shutdown.register(stop_jobs)
    try:
        if settings.webhook_url is None:
            await bot.delete_webhook(drop_pending_updates=False)
            # The Mini App's own server when polling (nothing listens without WEBAPP_URL),
            # and the health server (HEALTH_PORT, 0: none).
            servers: list[web.AppRunner | None] = []
            if settings.webapp_url is not None:
                servers.append(await webapp.start(settings, bot, dp, health.routes()))
            if settings.health_port:
                servers.append(await serve(health, settings.health_host, settings.health_port))
            # Updates met by an outage are held and handled once it is over (bot/held.py).
            held = HeldUpdates(dp, bot)
            try:
                await dp.start_polling(
                    bot, allowed_updates=dp.resolve_used_update_types(), held_updates=held
                )
            finally:
                await held.close()
                for server in servers:
                    if server is not None:
                        await server.cleanup()
        else:
            seen = SeenUpdates(redis, busy_seconds=settings.lease_seconds)
            await _serve_webhook(settings, bot, dp, seen, health)
    finally:
        await bot.session.close()
        if redis is not None:
            await redis.aclose()
        await engine.dispose()


async def _serve_webhook(
    settings: Settings, bot: Bot, dp: Dispatcher, seen: SeenUpdates, health: Health
) -> None:
    """Serve the webhook until SIGTERM or SIGINT, then shut down as polling does (the
    dispatcher's shutdown stops the scheduler and flushes broadcast outcomes). Each
    update is handled before it is answered, once (see bot/webhook.py)."""
    secret = settings.webhook_secret_token()  # always checked, derived when unset
    path = urlsplit(str(settings.webhook_url)).path or "/"
    await bot.set_webhook(
        str(settings.webhook_url),
        secret_token=secret,
        allowed_updates=dp.resolve_used_update_types(),
    )
    app = web.Application()
    Intake(dp, bot, secret, seen).register(app, path=path)
    app.add_routes(health.routes())  # /healthz, /readyz, /metrics
    if settings.webapp_url is not None:  # the Mini App on the same application
        webapp.mount(app, settings, bot, dp)
    setup_application(app, dp, bot=bot)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers
            loop.add_signal_handler(signum, stop.set)
    try:
        await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
        log.info("webhook server on %s:%s%s", settings.webhook_host, settings.webhook_port, path)
        await stop.wait()
        log.info("stopping: signal received")
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(signum)
        await runner.cleanup()  # runs the dispatcher's shutdown
