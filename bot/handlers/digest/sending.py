"""Sending the weekly digests that are due."""

from __future__ import annotations

import functools

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.digest import texts, weekly
from bot.handlers.events import listings
from bot.handlers.find import offers
from bot.scheduler import Runtime


def _digest(found: weekly.Digest) -> tuple[str, InlineKeyboardMarkup]:
    return texts.digest(found), texts.keyboard(found)


async def deliver_digests(runtime: Runtime) -> int:
    """Weekly digests due now (Monday morning in each user's zone): composed, the week
    claimed, then sent; one with nothing new is claimed but not sent. Returns how many
    were sent."""
    sessions, now = runtime.sessions, runtime.clock.now()
    due = await weekly.recipients(sessions, now, runtime.default_language)
    if not due:
        return 0
    recent = await listings.recent(sessions, now - weekly.WEEK, now, runtime.default_language)
    calls = await offers.recent_calls(sessions, now - weekly.WEEK, now)
    sent = 0
    for recipient in due:
        found = await weekly.compose(sessions, recipient, recent, now, calls)
        if not await weekly.claim(sessions, recipient) or found.empty:
            continue
        render = functools.partial(_digest, found)
        sent += await runtime.notifier.send(
            runtime.bot, recipient.user_id, recipient.language, render
        )
    return sent
