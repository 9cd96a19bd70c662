"""Sending one message that nobody is waiting for (a broadcast copy, a notification) and
saying what became of it. Flood control is handled below, by the Bot's pacing."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from bot.delivery.limiter import background

log = logging.getLogger(__name__)
ATTEMPTS = 4  # network errors and Telegram's 5xx: tried this many times in all
BACKOFF_FIRST = 0.5  # seconds before the second try; doubles each time
BACKOFF_MAX = 8.0
ERROR_MAX = 200  # characters of Telegram's error kept with a delivery


class DeliveryOutcome(StrEnum):
    """What became of one message."""

    SENT = "sent"
    BLOCKED = "blocked"  # blocked the bot or deleted the account: inactive from now on
    FAILED = "failed"  # chat not found, bad request, or still failing after the retries
    LATER = "later"  # flood control longer than worth waiting for now: try again later


@dataclass(frozen=True)
class Result:
    """An outcome and Telegram's words for it."""

    outcome: DeliveryOutcome
    error: str | None = None


async def deliver(send: Callable[[], Awaitable[object]]) -> Result:
    """Run `send` as background work (paced per chat), retrying network trouble."""
    token = background.set(True)
    try:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(ATTEMPTS),
            wait=wait_exponential(multiplier=BACKOFF_FIRST, max=BACKOFF_MAX),
            retry=retry_if_exception_type((TelegramNetworkError, TelegramServerError)),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                await send()
    except TelegramForbiddenError as exc:
        return Result(DeliveryOutcome.BLOCKED, exc.message[:ERROR_MAX])
    except TelegramRetryAfter as exc:
        return Result(DeliveryOutcome.LATER, f"retry after {exc.retry_after} s")
    except TelegramAPIError as exc:  # 400 chat not found, or still failing after the retries
        log.warning("message not delivered: %s", exc)
        return Result(DeliveryOutcome.FAILED, str(exc.message or exc)[:ERROR_MAX])
    finally:
        background.reset(token)
    return Result(DeliveryOutcome.SENT)
