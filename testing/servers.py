"""The PostgreSQL and Redis servers tests and benchmarks run against, started here once.

PostgreSQL is the server TEST_POSTGRES_URL names (a base URL such as
postgresql+asyncpg://user@host/), else a private one started from the pgserver wheel
(PostgreSQL binaries from PyPI). Redis is the server TEST_REDIS_URL names, else a private
redis-server on 127.0.0.1 (Debian's package; :class:`ServerMissing` when it is not installed).

Used by tests/conftest.py (session fixtures) and bench/cluster.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url


class ServerMissing(RuntimeError):
    """The server cannot be started here (its binary is not installed)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- PostgreSQL ----------------------------------------------------------------------------------


@contextlib.contextmanager
def postgres_server(prefix: str = "ngo-bridge-pg-") -> Iterator[str]:
    """A PostgreSQL server: its base URL with a ``{database}`` placeholder."""
    given = os.environ.get("TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/") + "/{database}"
        return
    from pgserver import get_server  # type: ignore[attr-defined]  # dev: PostgreSQL wheel

    directory = Path(tempfile.mkdtemp(prefix=prefix))
    server = get_server(directory, cleanup_mode="delete")
    try:
        yield f"postgresql+asyncpg://postgres@/{{database}}?host={directory}"
    finally:
        server.cleanup()


def create_database(base: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` on the server of ``base`` (a copy of ``template`` when
    given: PostgreSQL copies its files, so a migrated template saves the migrations) and
    return its URL. Runs its own event loop: call it from a worker thread in async code."""
    url = base.format(database=name)
    admin = make_url(base.format(database="postgres")).set(drivername="postgresql")
    import asyncpg

    statement = f'CREATE DATABASE "{name}"'
    if template is not None:
        statement += f' TEMPLATE "{template}"'

    async def create() -> None:
        connection = await asyncpg.connect(
            user=admin.username or "postgres",
            host=admin.query.get("host") or admin.host,
            port=admin.port,
            password=admin.password,
            database="postgres",
        )
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(create())
    return url


# -- Redis ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def redis_server(prefix: str = "ngo-bridge-redis-") -> Iterator[str]:
    """A Redis server: its URL without a database number. Raises :class:`ServerMissing`
    when redis-server is not installed (and TEST_REDIS_URL is not set)."""
    given = os.environ.get("TEST_REDIS_URL")
    if given:
        yield given.rstrip("/")
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServerMissing("redis-server is not installed (or set TEST_REDIS_URL)")
    port = free_port()
    directory = tempfile.mkdtemp(prefix=prefix)
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", directory],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(directory, ignore_errors=True)


__all__ = ["ServerMissing", "create_database", "free_port", "postgres_server", "redis_server"]
