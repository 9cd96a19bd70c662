"""What "I'll attend" does in the chat: the calendar file, and the reminders planned."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot
from aiogram.types import BufferedInputFile

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
