"""How the bot connects to Redis (the FSM storage, update de-dup, shared pace, throttle).

redis-py's clients made by `from_url` retry nothing by default: after a Redis restart the
first command on each pooled connection meets the socket the restart cut ("Connection
closed by server") and fails, though Redis is back. Here a connection idle for longer
than HEALTH_CHECK_SECONDS is checked with a PING before it is used, and a command that
meets a connection error or timeout is tried again on a fresh connection, briefly (a
real outage still fails fast: the webhook answers 503, bot/webhook.py)."""

from __future__ import annotations

from typing import Any

from redis.asyncio import ConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

HEALTH_CHECK_SECONDS = 2.0  # a connection idle longer is PINGed before use
RETRIES = 2  # a failed command is tried again this many times, 50 ms then 100 ms later


def options() -> dict[str, Any]:
    """Connection options for every Redis client of the bot (fresh objects each call)."""
    return {
        "health_check_interval": HEALTH_CHECK_SECONDS,
        "retry": Retry(ExponentialBackoff(cap=0.5, base=0.05), RETRIES),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }


def client(url: str) -> Redis:
    """A client with the bot's connection options."""
    return Redis.from_url(url, **options())


def pool(url: str) -> ConnectionPool:
    """A connection pool with the bot's connection options."""
    return ConnectionPool.from_url(url, **options())
