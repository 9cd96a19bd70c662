"""Periodic work: follow-ups two weeks after introductions and badge reminders.

The database says what is due, so the sweep can run at any interval and after any
restart; each item is marked before it is sent, so nothing is sent twice."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.utils.i18n import I18n
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.handlers import notify
from bot.services import followups, trust
from bot.services.users import UserDirectory
from bot.ui import directory_keyboards as dk
from bot.ui import directory_texts as dt
from bot.ui import trust_texts as tt

log = logging.getLogger(__name__)
SWEEP_MINUTES = 10


async def sweep(
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    users: UserDirectory,
    i18n: I18n,
    clock: Clock,
    default_language: str,
) -> int:
    """Send what is due now; returns how many messages were attempted."""
    now = clock.now()
    sent = 0
    for question in await followups.claim_due(sessions, now):
        with i18n.context(), i18n.use_locale(question.language or default_language):
            await notify.send(
                bot,
                users,
                question.user_id,
                dt.followup_question(question.partner_name),
                dk.followup(question.request_id),
            )
        sent += 1
    for owner, until in await trust.due_badge_reminders(sessions, now):
        with i18n.context(), i18n.use_locale(owner.language or default_language):
            await notify.send(bot, users, owner.user_id, tt.badge_reminder(until))
        sent += 1
    return sent


def create_scheduler(
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    users: UserDirectory,
    i18n: I18n,
    clock: Clock,
    default_language: str,
) -> AsyncIOScheduler:
    """A scheduler running `sweep` every few minutes (and once at start)."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        sweep,
        "interval",
        minutes=SWEEP_MINUTES,
        args=(bot, sessions, users, i18n, clock, default_language),
        id="sweep",
        max_instances=1,
        coalesce=True,
        next_run_time=clock.now(),
    )
    return scheduler
