"""What "I'll attend" does in the chat: the calendar file, and the reminders planned; the
same for an applicant whose application to an internship was accepted (posts)."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot
from aiogram.types import BufferedInputFile

from bot.delivery.notifier import Notifier
from bot.handlers.events import announcer, calendar, texts
from bot.handlers.events.drafts import EventInfo
from bot.scheduler import Planner
from db.engine import Sessions


async def confirm_going(
    bot: Bot, chat_id: int, sessions: Sessions, planner: Planner, event: EventInfo, now: datetime
) -> None:
    """After an RSVP recorded as going (the chat's button and the Mini App's both end
    here): the scheduler wakes for the new reminders, the .ics goes to the chat."""
    planner.wake_at(await announcer.next_due(sessions))
    ics = BufferedInputFile(calendar.ics(event, now), filename=calendar.filename(event))
    await bot.send_document(chat_id, ics, caption=texts.going(event))


async def welcome(
    bot: Bot,
    notifier: Notifier,
    user_id: int,
    language: str | None,
    event: EventInfo,
    now: datetime,
) -> bool:
    """To an applicant now taking part (`rsvps.enrol`), in their language: the calendar
    file, saying the application was accepted; whether it reached them. The caller wakes
    the scheduler for the reminders (`announcer.next_due`)."""
    ics = BufferedInputFile(calendar.ics(event, now), filename=calendar.filename(event))
    return await notifier.send_file(bot, user_id, language, ics, lambda: texts.accepted(event))


async def next_due(sessions: Sessions) -> datetime | None:
    """When the scheduler should next wake for events' notices."""
    return await announcer.next_due(sessions)
