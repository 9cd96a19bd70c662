"""Pytest fixtures and helpers for running an aiogram bot against :class:`FakeTelegram`.

The ``fake_telegram`` fixture itself lives in ``tests/conftest.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from tests.fake_telegram import FakeTelegram

TEST_TOKEN = "42:TEST"


def make_bot(fake: FakeTelegram, token: str = TEST_TOKEN, **kwargs: Any) -> Bot:
    """A Bot talking to ``fake`` over HTTP with HTML parse mode by default."""
    kwargs.setdefault("default", DefaultBotProperties(parse_mode="HTML"))
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))
    return Bot(token=token, session=session, **kwargs)


class HandlerErrors(logging.Handler):
    """Collects the "Cause exception while process update" records aiogram logs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def report(self) -> str:
        formatter = logging.Formatter()
        return "\n\n".join(formatter.format(record) for record in self.records)


@contextlib.asynccontextmanager
async def polling(
    dp: Dispatcher,
    bot: Bot,
    fake: FakeTelegram,
    *,
    wait: float = 10.0,
    raise_handler_errors: bool = True,
    **kwargs: Any,
) -> AsyncIterator[asyncio.Task[None]]:
    """Run ``dp.start_polling`` in the background for the duration of the block.

    Updates are handled one by one (``handle_as_tasks=False`` unless overridden), so
    :meth:`FakeTelegram.wait_handled` means "fully handled".  Entering waits for the first
    getUpdates (startup errors are raised); leaving stops polling and closes the bot session.
    ``wait`` bounds start-up and shutdown.  Exceptions escaping handlers (which aiogram only
    logs) fail the block on exit unless ``raise_handler_errors=False``.  Extra kwargs go to
    ``start_polling`` (e.g. workflow data for handlers).
    """
    options: dict[str, Any] = {
        "handle_as_tasks": False,
        "polling_timeout": 1,
        "handle_signals": False,
        **kwargs,
    }
    errors = HandlerErrors()
    event_logger = logging.getLogger("aiogram.event")
    event_logger.addHandler(errors)
    polls = fake.poll_count
    task = asyncio.create_task(dp.start_polling(bot, **options))
    try:
        started = asyncio.create_task(fake.wait_polling(wait, after=polls))
        await asyncio.wait({task, started}, return_when=asyncio.FIRST_COMPLETED)
        if not started.done():
            started.cancel()
            await asyncio.gather(started, return_exceptions=True)
            task.result()  # polling ended before it polled: raise its error
            raise RuntimeError("polling stopped before the first getUpdates")
        started.result()
        yield task
    finally:
        try:
            if not task.done():
                with contextlib.suppress(RuntimeError):  # "Polling is not started" race
                    await asyncio.wait_for(dp.stop_polling(), wait)
            await asyncio.wait_for(task, wait)
        finally:
            event_logger.removeHandler(errors)
    if raise_handler_errors and errors.records:
        raise AssertionError(f"bot handlers raised while polling:\n{errors.report()}")


__all__ = ["TEST_TOKEN", "HandlerErrors", "make_bot", "polling"]
