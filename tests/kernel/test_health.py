"""/healthz and /readyz: in polling mode on HEALTH_PORT, on the webhook's server, and a
503 naming the database when it is unreachable or does not answer (bounded)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.config import Settings
from bot.health import CHECK_TIMEOUT, Health, Probes
from bot.metrics import Metrics
from db.engine import create_engine, create_session_maker
from testing.servers import free_port
from tests.conversation import Conversation
from tests.fake_telegram import FakeTelegram, TgUser
from tests.health_helpers import get, ready, running, sample

SECRET = "health-secret_for-tests"


async def test_polling_mode_answers_on_health_port(
    settings: Settings, fake_telegram: FakeTelegram
) -> None:
    port = free_port()
    polling = settings.model_copy(update={"health_port": port, "health_host": "127.0.0.1"})
    base = f"http://127.0.0.1:{port}"
    async with running(polling, base):
        assert await get(f"{base}/healthz") == (200, "ok")
        status, body = await ready(f"{base}/readyz")
        for _ in range(100):  # the scheduler starts with polling, just after the server
            if status == 200:
                break
            await asyncio.sleep(0.05)
            status, body = await ready(f"{base}/readyz")
        assert (status, body) == (
            200,
            {
                "status": "ready",
                "database": "ok",
                "redis": "off",
                "scheduler": "running",
                "leader": True,
            },
        )
        chat = Conversation(fake_telegram, TgUser(7101, "Aida", language_code="ky"), timeout=20)
        await chat.send("/start")
        await fake_telegram.wait_for(lambda: chat.texts(), 20)
        status, metrics = await get(f"{base}/metrics")
        assert status == 200
        assert sample(metrics, "ngo_bridge_scheduler_leader") == 1
        assert sample(metrics, "ngo_bridge_database_up") == 1
        assert sample(metrics, "ngo_bridge_updates_total", kind="message", outcome="handled") == 1
        assert sample(metrics, "ngo_bridge_update_seconds_count", kind="message") == 1
        assert (
            sample(metrics, "ngo_bridge_bot_api_calls_total", method="sendMessage", result="ok")
            >= 1
        )
        assert sample(metrics, "ngo_bridge_messages_sent_total") >= 1


async def test_the_mini_apps_server_serves_them_too_when_polling(settings: Settings) -> None:
    port = free_port()
    polling = settings.model_copy(
        update={
            "webapp_url": "https://bot.example.org/app",
            "webapp_port": port,
            "webhook_host": "127.0.0.1",
            "health_port": 0,
        }
    )
    base = f"http://127.0.0.1:{port}"
    async with running(polling, base):
        assert await get(f"{base}/healthz") == (200, "ok")
        status, body = await ready(f"{base}/readyz")
        assert status in (200, 503) and body["database"] == "ok"
        status, metrics = await get(f"{base}/metrics")
        assert status == 200 and "ngo_bridge_updates_total" in metrics
        status, page = await get(f"{base}/app/")
        assert status == 200 and "<html" in page


async def test_webhook_worker_serves_health_readiness_and_metrics(
    settings: Settings, fake_telegram: FakeTelegram
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    hooked = settings.model_copy(
        update={
            "webhook_url": f"{base}/hook",
            "webhook_secret": SecretStr(SECRET),
            "webhook_port": port,
            "webhook_host": "127.0.0.1",
            "health_port": 0,
        }
    )
    user = TgUser(7102, "Lusine", language_code="hy")
    update = {
        "update_id": 10,
        "message": {
            "message_id": 1, "date": 0, "text": "/start",
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.to_api(),
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }  # fmt: skip
    import aiohttp

    async with running(hooked, base):
        assert await get(f"{base}/healthz") == (200, "ok")
        status, body = await ready(f"{base}/readyz")
        assert status == 200 and body["database"] == "ok" and body["leader"] is True
        _, before = await get(f"{base}/metrics")
        assert sample(before, "ngo_bridge_updates_total", kind="message", outcome="handled") == 0
        async with (
            aiohttp.ClientSession() as client,
            client.post(
                f"{base}/hook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            ) as answer,
        ):
            assert answer.status == 200
        _, after = await get(f"{base}/metrics")
        assert sample(after, "ngo_bridge_updates_total", kind="message", outcome="handled") == 1
        assert (
            sample(after, "ngo_bridge_bot_api_calls_total", method="sendMessage", result="ok") >= 1
        )
        assert (
            sample(after, "ngo_bridge_bot_api_calls_total", method="setWebhook", result="ok") == 1
        )


@contextlib.asynccontextmanager
async def _serving(health: Health) -> AsyncIterator[str]:
    app = web.Application()
    app.add_routes(health.routes())
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def _silent_server() -> tuple[asyncio.Server, int]:
    """A TCP server that accepts connections and never says a word."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        writer.close()

    port = free_port()
    return await asyncio.start_server(hold, "127.0.0.1", port), port


async def test_readyz_is_503_naming_the_database_when_it_is_gone_or_silent() -> None:
    silent, silent_port = await _silent_server()
    urls = {
        "refused": f"postgresql+asyncpg://bot@127.0.0.1:{free_port()}/gone",
        "silent": f"postgresql+asyncpg://bot@127.0.0.1:{silent_port}/silent",
    }
    try:
        for case, url in urls.items():
            engine = create_engine(url)
            probes = Probes(
                create_session_maker(engine),
                None,
                scheduler_running=lambda: False,
                leading=lambda: False,
                clustered=True,
            )
            try:
                async with _serving(Health(probes, Metrics(), None)) as base:
                    assert await get(f"{base}/healthz") == (200, "ok")  # alive all the same
                    started = time.monotonic()
                    status, body = await ready(f"{base}/readyz")
                    took = time.monotonic() - started
            finally:
                await engine.dispose()
            assert status == 503, case
            assert body["status"] == "not ready" and body["failing"] == ["database"], body
            assert body["database"] != "ok"
            assert took < CHECK_TIMEOUT + 1.5, (case, took)
            if case == "silent":
                assert body["database"] == f"no answer in {CHECK_TIMEOUT:g} s"
    finally:
        silent.close()


@pytest.mark.databases("sqlite", "postgresql")
async def test_readyz_names_a_scheduler_stopped_where_it_should_run(database_url: str) -> None:
    engine = create_engine(database_url)
    sessions = create_session_maker(engine)
    try:
        for clustered, leading, running_now, failing in (
            (False, False, False, ["scheduler"]),  # one process not started yet
            (True, False, False, None),  # another worker leads
            (True, True, False, ["scheduler"]),  # leads, but its scheduler stopped
            (True, True, True, None),
        ):
            probes = Probes(
                sessions,
                None,
                scheduler_running=functools.partial(bool, running_now),
                leading=functools.partial(bool, leading),
                clustered=clustered,
            )
            async with _serving(Health(probes, Metrics(), None)) as base:
                status, body = await ready(f"{base}/readyz")
            assert body.get("failing") == failing, (clustered, leading, running_now, body)
            assert status == (503 if failing else 200)
    finally:
        await engine.dispose()


async def test_readyz_names_redis_when_it_is_gone(database_url: str) -> None:
    engine = create_engine(database_url)
    redis = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")
    probes = Probes(
        create_session_maker(engine),
        redis,
        scheduler_running=lambda: True,
        leading=lambda: True,
        clustered=False,
    )
    try:
        async with _serving(Health(probes, Metrics(), None)) as base:
            status, body = await ready(f"{base}/readyz")
    finally:
        await redis.aclose()
        await engine.dispose()
    assert status == 503
    assert body["failing"] == ["redis"] and body["database"] == "ok", body
    assert "Connect" in body["redis"] or "connect" in body["redis"], body
