"""A webhook worker on PostgreSQL while PostgreSQL goes away and comes back: /healthz
answers throughout, /readyz and /metrics say the database is gone (quickly: each check is
bounded) and that it is back."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.health import CHECK_TIMEOUT
from db.migrate import upgrade
from testing.servers import create_database, free_port
from tests.fake_telegram import FakeTelegram
from tests.health_helpers import StoppablePostgres, get, ready, running, sample

pytestmark = pytest.mark.postgres  # a PostgreSQL of its own (pgserver), stopped and started


async def _until(url: str, status: int, leader: bool = False) -> dict[str, Any]:
    """/readyz's body once it answers `status` (and the worker leads, if asked): 30 s."""
    deadline = time.monotonic() + 30
    while True:
        found, body = await ready(url)
        if found == status and (body["leader"] or not leader):
            return body
        assert time.monotonic() < deadline, body
        await asyncio.sleep(0.2)


async def test_readyz_and_metrics_follow_postgresql_away_and_back(
    settings: Settings, fake_telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.metrics")
    postgres = await asyncio.to_thread(
        StoppablePostgres, Path(tempfile.mkdtemp(prefix="ngo-bridge-pg-stop-"))
    )
    try:
        name = f"t_{uuid.uuid4().hex[:12]}"
        url = await asyncio.to_thread(create_database, postgres.url("{database}"), name)
        await asyncio.to_thread(upgrade, url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        worker = settings.model_copy(
            update={
                "database_url": url,
                "webhook_url": f"{base}/hook",
                "webhook_secret": SecretStr("pg-away-secret"),
                "webhook_port": port,
                "webhook_host": "127.0.0.1",
                "lease_seconds": 3.0,
            }
        )
        async with running(worker, base):
            body = await _until(f"{base}/readyz", 200, leader=True)
            assert body["database"] == "ok" and body["scheduler"] == "running"
            _, metrics = await get(f"{base}/metrics")
            assert sample(metrics, "ngo_bridge_database_up") == 1
            assert sample(metrics, "ngo_bridge_scheduler_leader") == 1
            await asyncio.sleep(1)  # the scheduler's first sweep done (its outage is 23.1's)

            await asyncio.to_thread(postgres.stop)
            started = time.monotonic()
            status, body = await ready(f"{base}/readyz")
            assert time.monotonic() - started < CHECK_TIMEOUT + 1.5
            assert status == 503 and body["failing"][0] == "database", body
            assert await get(f"{base}/healthz") == (200, "ok")  # alive: nothing to restart
            for _ in range(3):
                _, metrics = await get(f"{base}/metrics")
                assert sample(metrics, "ngo_bridge_database_up") == 0
            assert sample(metrics, "ngo_bridge_database_errors_total", kind="connect") >= 1
            said = [r.getMessage() for r in caplog.records if r.name == "bot.metrics"]
            assert len(said) == 1 and said[0].startswith("metrics: the database did not answer")

            await asyncio.to_thread(postgres.start)
            body = await _until(f"{base}/readyz", 200)
            assert body["database"] == "ok"
            _, metrics = await get(f"{base}/metrics")
            assert sample(metrics, "ngo_bridge_database_up") == 1
            said = [r.getMessage() for r in caplog.records if r.name == "bot.metrics"]
            assert said[1:] == ["metrics: the database answers again"]
    finally:
        await asyncio.to_thread(postgres.close)
