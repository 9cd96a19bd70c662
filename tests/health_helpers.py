"""Reading the operator's routes of a bot started with `bot.runner.run` in this process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
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


class StoppablePostgres:
    """A PostgreSQL server of this test's own (pgserver), which the test may stop and start
    again (`pg_ctl stop -m fast`, then `start` with the options pgserver used)."""

    def __init__(self, directory: Path) -> None:
        from pgserver import get_server  # type: ignore[attr-defined]

        self.directory = directory
        self.server = get_server(directory, cleanup_mode="delete")
        uri = self.server.get_uri()
        self.socket_dir = uri.split("host=")[1].split("&")[0]
        self.running = True

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://postgres@/{database}?host={self.socket_dir}"

    def _pg_ctl(self, *args: str) -> None:
        from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

        pg_ctl(list(args), pgdata=self.directory, user=self.server.system_user, timeout=30)

    def stop(self) -> None:
        self._pg_ctl("-w", "-m", "fast", "stop")
        self.running = False

    def start(self) -> None:
        log = str(self.directory / "log")
        self._pg_ctl("-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", log, "start")
        self.running = True

    def close(self) -> None:
        """Stop the server and delete its files."""
        with contextlib.suppress(Exception):
            if self.running:
                self.stop()
        # pgserver would stop the process it started (gone if the test restarted it): it is
        # stopped already, so only the files are left for it to delete.
        self.server._postmaster_info = None
        with contextlib.suppress(Exception):
            self.server.cleanup()
