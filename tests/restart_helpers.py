"""PostgreSQL and Redis servers of a test's own, which it may restart or take away and
bring back (the session's servers are shared by every test, so they stay up). Loopback
and Unix sockets only; every wait is bounded."""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from testing import servers

PG_CTL_TIMEOUT = 30  # seconds for pg_ctl to stop or start the server


@dataclass
class OwnPostgres:
    """A pgserver instance (PostgreSQL binaries from PyPI) on a Unix socket in `directory`."""

    directory: Path
    system_user: str | None

    @property
    def base(self) -> str:
        """The URL to add a database name to, as testing.servers gives it."""
        return f"postgresql+asyncpg://postgres@/{{database}}?host={self.directory}"

    def _pg_ctl(self, *args: str) -> None:
        from pgserver._commands import pg_ctl  # type: ignore[attr-defined]  # dev wheel

        pg_ctl(list(args), pgdata=self.directory, user=self.system_user, timeout=PG_CTL_TIMEOUT)

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every connection is cut, the server is back at once."""
        self._pg_ctl("-w", "-m", "fast", "restart")

    def stop(self) -> None:
        """`pg_ctl stop -m fast`: connections cut, nothing listens any more."""
        self._pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        """Start it again as pgserver did (no TCP, the socket in the data directory)."""
        options = f'-h "" -k {self.directory}'
        self._pg_ctl("-w", "-o", options, "-l", str(self.directory / "log"), "start")


@contextlib.contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    """A private PostgreSQL server, stopped and deleted on the way out."""
    from pgserver import get_server  # type: ignore[attr-defined]  # dev: PostgreSQL wheel

    directory = Path(tempfile.mkdtemp(prefix="ngo-bridge-pg-own-"))
    server = get_server(directory, cleanup_mode="delete")
    own = OwnPostgres(directory, server.system_user)
    try:
        yield own
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # left stopped by a failure
            own._pg_ctl("-w", "-m", "immediate", "stop")
        server._postmaster_info = None  # stopped above: pgserver knew only the first postmaster
        server.cleanup()
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class OwnRedis:
    """A private redis-server on 127.0.0.1 with its append-only file (persistence on)."""

    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise servers.ServerMissing("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory),
             "--save", "", "--appendonly", "yes", "--appendfsync", "always"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM, as `systemctl restart redis` does; bounded wait."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@contextlib.contextmanager
def own_redis() -> Iterator[OwnRedis]:
    """A private Redis with persistence, stopped and deleted on the way out."""
    own = OwnRedis(servers.free_port(), Path(tempfile.mkdtemp(prefix="ngo-bridge-redis-own-")))
    own.start()
    try:
        yield own
    finally:
        own.stop()
        shutil.rmtree(own.directory, ignore_errors=True)


async def off_the_loop(function: object, *args: object) -> None:
    """Run a blocking server action (pg_ctl, Redis's stop) without stopping the test's loop."""
    assert callable(function)
    await asyncio.to_thread(function, *args)


_LINE = re.compile(r"^\S+ \S+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) ", re.MULTILINE)


def log_levels(text: str) -> dict[str, list[str]]:
    """A worker's log lines by level (bot/__main__.py's format), and its tracebacks."""
    found: dict[str, list[str]] = {"Traceback": [], "WARNING": [], "ERROR": [], "CRITICAL": []}
    for line in text.splitlines():
        match = _LINE.match(line)
        if match and match.group(1) in found:
            found[match.group(1)].append(line)
        elif line.startswith("Traceback"):
            found["Traceback"].append(line)
    return found
