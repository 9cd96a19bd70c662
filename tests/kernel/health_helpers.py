"""Reading the operator's routes of a bot started with `bot.runner.run` in this process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator, Mapping
from typing import Any

import aiohttp

from bot.config import Settings
from bot.runner import run


@contextlib.asynccontextmanager
async def running(settings: Settings, base: str) -> AsyncIterator[None]:
    """`run(settings)` in the background until its server at `base` answers /healthz."""
    server = asyncio.create_task(run(settings))
    try:
        async with aiohttp.ClientSession() as client:
            for _ in range(400):
                if server.done():
                    server.result()
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with client.get(f"{base}/healthz") as answer:
                        if answer.status == 200:
                            break
                await asyncio.sleep(0.05)
            else:
                raise TimeoutError(f"nothing answers at {base}/healthz")
        yield
    finally:
        await _stop(server)


async def _stop(server: asyncio.Task[None]) -> None:
    """Stop as systemd does (SIGTERM, which the bot's loop handles: polling ends cleanly,
    where a cancelled getUpdates would log an error), or cancel it if nothing listens."""
    handler = signal.getsignal(signal.SIGTERM)
    if not server.done() and getattr(handler, "__name__", "") == "_sighandler_noop":
        os.kill(os.getpid(), signal.SIGTERM)  # the event loop's handler, not the default
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(server), 10)
    server.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await server


async def get(url: str, headers: Mapping[str, str] | None = None) -> tuple[int, str]:
    """GET `url`: the status and the body."""
    async with aiohttp.ClientSession() as client, client.get(url, headers=headers) as answer:
        return answer.status, await answer.text()


async def ready(url: str) -> tuple[int, dict[str, Any]]:
    """GET /readyz: the status and the JSON body."""
    async with aiohttp.ClientSession() as client, client.get(url) as answer:
        return answer.status, await answer.json()


def sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    wanted = name + (
        "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}" if labels else ""
    )
    for line in metrics.splitlines():
        if line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        if key == wanted:
            return float(value)
    return 0.0
