"""Sending due event notices: announcements, reminders, changes and cancellations."""

from __future__ import annotations

import asyncio
import functools

from aiogram.types import InlineKeyboardMarkup

from bot.delivery.courier import DeliveryOutcome
from bot.delivery.limiter import background, prepaid
from bot.handlers.events import keyboards, notices, publishing, texts
from bot.handlers.events.notices import Due
from bot.scheduler import Runtime

_delivering = asyncio.Lock()  # one sender of notices per process; wake-ups wait for it


def _render(due: Due) -> tuple[str, InlineKeyboardMarkup | None]:
    if due.kind == "announce":
        return texts.card(due.event, due.zone), keyboards.announcement(due.event)
    if due.kind == "cancelled":
        return texts.cancelled_notice(due.event, due.zone), None
    if due.kind == "changed":
        return texts.changed_notice(due.event, due.zone), keyboards.announcement(due.event)
    return texts.reminder(due.kind, due.event, due.zone), None


async def deliver_due(runtime: Runtime) -> int:
    """Publish scheduled events whose time has come and send every notice due now, each
    claimed just before its send; returns how many were sent."""
    async with _delivering:
        sessions, clock, limiter = runtime.sessions, runtime.clock, runtime.limiter
        await publishing.publish_scheduled(sessions, clock.now(), runtime.default_language)
        sent = 0
        while True:
            if limiter is not None:  # wait for the slot first: claim, then send at once
                token = background.set(True)
                try:
                    await limiter.acquire(None)
                finally:
                    background.reset(token)
            due = await notices.claim_next(sessions, clock.now(), runtime.default_language)
            if due is None:
                return sent
            token = prepaid.set(limiter is not None)
            try:
                outcome = await runtime.notifier.deliver(
                    runtime.bot, due.user_id, due.language, functools.partial(_render, due)
                )
            finally:
                prepaid.reset(token)
            state = outcome.value if outcome is not DeliveryOutcome.LATER else "failed"
            await notices.settle(sessions, due.notice_id, state, clock.now())
            sent += outcome is DeliveryOutcome.SENT
