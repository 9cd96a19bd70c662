"""Checks before the bot starts: the database can be migrated and Redis answers. Each
problem is one line naming the variable and what is wrong, never a traceback."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from sqlalchemy.engine import make_url

REDIS_TIMEOUT = 3.0  # seconds to wait for Redis at start


def _sqlite_folder_problem(url: str) -> str | None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    path = Path(database)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"DATABASE_URL cannot be used: cannot create the folder {folder} ({exc.strerror})"
    target = path if path.exists() else folder
    if not os.access(target, os.W_OK):
        return f"DATABASE_URL cannot be used: {target} is not writable"
    return None


def _one_line(exc: BaseException) -> str:
    """The first line of an error, without SQLAlchemy's "Background on this error" link."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__
    return text.split(" (Background on this error")[0]


def check_database(url: str) -> str | None:
    """Apply pending migrations; a problem (unreachable, unwritable) as one line, else None."""
    if url.startswith("sqlite"):
        problem = _sqlite_folder_problem(url)
        if problem is not None:
            return problem
    from db.migrate import upgrade

    try:
        upgrade(url)
    except Exception as exc:  # anything the database says: shown, in one line
        return f"DATABASE_URL cannot be used: {_one_line(exc)}"
    return None


def check_redis(url: str | None) -> str | None:
    """Whether Redis at `url` answers a PING within a few seconds; a problem as one line."""
    if url is None:
        return None
    from redis.asyncio import Redis
    from redis.exceptions import RedisError

    async def ping() -> None:
        client = Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT)
        try:
            await asyncio.wait_for(client.ping(), REDIS_TIMEOUT)
        finally:
            await client.aclose()

    try:
        asyncio.run(ping())
    except (RedisError, OSError, TimeoutError) as exc:
        return f"REDIS_URL cannot be used: {_one_line(exc) or 'no answer'}"
    return None
