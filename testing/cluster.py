"""Several `python -m bot` workers in webhook mode against the fake Bot API, one
PostgreSQL database and one Redis, and a relay that plays Telegram's part of webhooks:
it POSTs the fake server's updates to the workers in turn, one chat's updates one after
another (each waits for the answer to the one before), and delivers an update again, to
the next worker, when a worker does not answer it with 200."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import socket
import sys
import time
from collections import Counter, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from testing import TEST_BOT_TOKEN
from testing.fake_bot_api import JSON, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent

SECRET = "cluster-secret_for-tests"
STARTUP_TIMEOUT = 90.0
RETRY_PAUSE = 0.2  # seconds before delivering again after a refusal (Telegram waits longer)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Worker:
    """One `python -m bot` process listening for the webhook on its own port."""

    index: int
    port: int
    process: asyncio.subprocess.Process
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def kill(self) -> None:
        """kill -9, and wait for the process to be gone."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(self.process.wait(), 10)


async def start_worker(
    fake: FakeTelegram, index: int, workdir: Path, env: dict[str, str]
) -> Worker:
    """Start one worker (it is listening once `wait_listening` returns)."""
    port = free_port()
    log = workdir / f"worker-{index}-{port}.log"
    environment = {
        **env,
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_HOST": "127.0.0.1",
    }
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=workdir, env=environment,
            stdout=asyncio.subprocess.DEVNULL, stderr=sink,
        )  # fmt: skip
    return Worker(index, port, process, log)


async def wait_listening(worker: Worker, timeout: float = STARTUP_TIMEOUT) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while True:
        if not worker.alive:
            raise AssertionError(f"worker {worker.index} ended: {worker.log.read_text()[-2000:]}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", worker.port)
            writer.close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"worker {worker.index} is not listening") from None
            await asyncio.sleep(0.1)


def worker_env(
    fake: FakeTelegram, database_url: str, redis_url: str, **settings: str
) -> dict[str, str]:
    """The environment every worker shares (more `settings` as variables)."""
    kept = ("BOT_", "DATABASE_", "ADMIN_", "REDIS_", "WEBHOOK_", "LEASE_", "BROADCAST_", "THROTTLE")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(kept)},
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TEST_BOT_TOKEN,
        "TELEGRAM_API_BASE": fake.base_url,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "WEBHOOK_SECRET": SECRET,
        "THROTTLE": "1000/second",  # tests type faster than people
        "HEALTH_PORT": "0",  # the routes are on each worker's webhook port
        **{name.upper(): value for name, value in settings.items()},
    }


def _chat_of(update: JSON) -> int:
    for kind in ("message", "callback_query", "edited_message"):
        event = update.get(kind)
        if isinstance(event, dict) and isinstance(event.get("from"), dict):
            return int(event["from"]["id"])
    return -int(update["update_id"])


@dataclass
class Relay:
    """Telegram's side of webhooks for the fake server's updates (see the module)."""

    fake: FakeTelegram
    workers: list[Worker]
    connections: int = 40
    answered: Counter[int] = field(default_factory=Counter)
    """200 answers per update id."""
    attempts: list[tuple[int, int, int]] = field(default_factory=list)
    """(update id, worker index, HTTP status or -1 for no answer) of every delivery."""
    trying: dict[int, int] = field(default_factory=dict)
    """The worker index each update was last handed to."""
    latencies: list[float] = field(default_factory=list)
    """Seconds from an update's arrival at the relay to its 200."""
    _queues: dict[int, deque[tuple[JSON, float]]] = field(default_factory=dict)
    _open: set[int] = field(default_factory=set)
    _highest: int = 0
    _turn: itertools.count[int] = field(default_factory=itertools.count)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def __aenter__(self) -> Relay:
        timeout = aiohttp.ClientTimeout(total=60, sock_connect=2)
        self._client = aiohttp.ClientSession(timeout=timeout)
        self._slots = asyncio.Semaphore(self.connections)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for task in [self._reader, *self._tasks]:
            while not task.done():  # again: Python 3.11's wait_for can swallow a cancel
                task.cancel()
                await asyncio.wait({task}, timeout=0.1)
        await self._client.close()

    async def _read(self) -> None:
        cursor = 0
        while True:
            if len(self.fake.pushed_updates) <= cursor:
                await asyncio.sleep(0.005)  # polled: a wait_for here could swallow a cancel
                continue
            for update in self.fake.pushed_updates[cursor:]:
                chat = _chat_of(update)
                self._open.add(int(update["update_id"]))
                self._highest = max(self._highest, int(update["update_id"]))
                queue = self._queues.get(chat)
                if queue is None:
                    queue = self._queues[chat] = deque()
                    task = asyncio.create_task(self._chat(chat, queue))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                queue.append((update, time.monotonic()))
            cursor = len(self.fake.pushed_updates)

    async def _chat(self, chat: int, queue: deque[tuple[JSON, float]]) -> None:
        while queue:
            update, arrived = queue[0]
            async with self._slots:
                await self._deliver(update)
            queue.popleft()
            self.latencies.append(time.monotonic() - arrived)
        del self._queues[chat]

    async def _deliver(self, update: JSON) -> None:
        update_id = int(update["update_id"])
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        while True:
            worker = self.workers[next(self._turn) % len(self.workers)]
            if not worker.alive and any(w.alive for w in self.workers):
                continue  # known dead (a proxy's health check); its port may be reused
            status = -1
            self.trying[update_id] = worker.index
            with contextlib.suppress(aiohttp.ClientError, asyncio.TimeoutError):
                async with self._client.post(worker.url, json=update, headers=headers) as answer:
                    status = answer.status
                    await answer.read()
            self.attempts.append((update_id, worker.index, status))
            if status == 200:
                break
            # Refused (busy elsewhere): again a little later; no answer: the next at once.
            await asyncio.sleep(RETRY_PAUSE if status != -1 else 0.02)
        self.answered[update_id] += 1
        self._open.discard(update_id)
        self.fake.confirmed_offset = min(self._open) if self._open else self._highest + 1
        self.fake._changed()  # wakes Conversation's wait for the update to be handled


@asynccontextmanager
async def cluster(
    fake: FakeTelegram,
    database_url: str,
    redis_url: str,
    workdir: Path,
    *,
    count: int = 3,
    **settings: str,
) -> AsyncIterator[tuple[list[Worker], Relay]]:
    """`count` workers sharing the database and Redis, and the relay in front of them;
    every worker still running is killed on the way out."""
    env = worker_env(fake, database_url, redis_url, **settings)
    workers = [await start_worker(fake, i, workdir, env) for i in range(count)]
    try:
        await asyncio.gather(*(wait_listening(w) for w in workers))
        async with Relay(fake, workers) as relay:
            yield workers, relay
    finally:
        for worker in workers:
            await worker.kill()


def busiest_second(times: list[float]) -> int:
    """The most sends within any one second (a sliding window over the send times)."""
    ordered = sorted(times)
    most, start = 0, 0
    for end, moment in enumerate(ordered):
        while ordered[start] <= moment - 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


def holder_pid(holder: str) -> int:
    """The process id in a worker's name (host:pid:tag, bot/cluster.py)."""
    return int(holder.split(":")[-2])


__all__: list[Any] = ["Relay", "Worker", "busiest_second", "cluster", "holder_pid"]
