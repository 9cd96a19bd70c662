"""Periodic work: follow-ups two weeks after introductions and badge reminders.

The database says what is due, so the sweep can run at any interval and after any
restart; each item is marked before it is sent, so nothing is sent twice."""

from __future__ import annotations

import functools
import logging

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.notifier import Notifier
from bot.services import followups, trust
from bot.ui import directory_keyboards as dk
from bot.ui import directory_texts as dt
from bot.ui import trust_texts as tt

log = logging.getLogger(__name__)
SWEEP_MINUTES = 10


def _followup(partner: str, request_id: int) -> tuple[str, InlineKeyboardMarkup]:
    return dt.followup_question(partner), dk.followup(request_id)


async def sweep(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], notifier: Notifier, clock: Clock
) -> int:
    """Send what is due now; returns how many messages were attempted."""
    now = clock.now()
    sent = 0
    for question in await followups.claim_due(sessions, now):
        render = functools.partial(_followup, question.partner_name, question.request_id)
        await notifier.send(bot, question.user_id, question.language, render)
        sent += 1
    for owner, until in await trust.due_badge_reminders(sessions, now):
        render_reminder = functools.partial(tt.badge_reminder, until)
        await notifier.send(bot, owner.user_id, owner.language, render_reminder)
        sent += 1
    return sent


def create_scheduler(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], notifier: Notifier, clock: Clock
) -> AsyncIOScheduler:
    """A scheduler running `sweep` every few minutes (and once at start)."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        sweep,
        "interval",
        minutes=SWEEP_MINUTES,
        args=(bot, sessions, notifier, clock),
        id="sweep",
        max_instances=1,
        coalesce=True,
        next_run_time=clock.now(),
    )
    return scheduler
