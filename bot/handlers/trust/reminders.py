"""Reminding an organisation a month before its trust badge lapses."""

from __future__ import annotations

import functools

from bot.handlers.trust import badges, texts
from bot.scheduler import Runtime


async def send_badge_reminders(runtime: Runtime) -> int:
    """Badge reminders due now; returns how many were attempted."""
    sent = 0
    for owner, until in await badges.due_badge_reminders(runtime.sessions, runtime.clock.now()):
        render = functools.partial(texts.badge_reminder, until)
        await runtime.notifier.send(runtime.bot, owner.user_id, owner.language, render)
        sent += 1
    return sent
