"""An applicant accepted takes part (issue 21): when the host of an internship accepts the
contact request an application became, the member who applied is recorded as attending
it (events' attendance row, with the reminders a day and an hour before) and gets the
calendar file, in their language. Contacts' Accept knows nothing of posts: it fires
`bot.hooks`' "request accepted", which the composition root points here
(`on_request_accepted`); the scheduler duty (`closing.run_duty`) catches up on any the
hook missed (a process stopped between the two). Each answer is claimed (`pending` →
`accepted`, a conditional UPDATE) in the transaction that records the attendance, so it
happens once, whoever comes first; a second Accept press is refused by contacts and
changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiogram import Bot

from bot.delivery.notifier import Notifier
from bot.handlers.events import attending, rsvps
from bot.handlers.events.drafts import EventInfo
from bot.handlers.posts import answer_queries
from bot.hooks import RequestAccepted
from db.engine import Sessions, reading, writing


@dataclass(frozen=True)
class Participant:
    """A member now taking part in an internship, to welcome."""

    user_id: int
    language: str | None
    event: EventInfo


async def enrol(
    sessions: Sessions, now: datetime, request_id: int | None = None
) -> list[Participant]:
    """Make the applicants whose application's request was accepted (that request's, or
    any's) participants, each once."""
    async with reading(sessions) as session:
        due = await answer_queries.accepted_applications(session, request_id)
    joined = []
    for answer_id, user_id, event_id in due:
        async with writing(sessions) as session:
            if not await answer_queries.claim_accepted(session, answer_id, now):
                continue  # another run (or worker) made them a participant
            event = await rsvps.enrol(session, event_id, user_id, now)
            language = await answer_queries.user_language(session, user_id)
        if event is not None:
            joined.append(Participant(user_id, language, event))
    return joined


async def welcome(
    bot: Bot, notifier: Notifier, participants: list[Participant], now: datetime
) -> int:
    """The calendar file to each new participant; how many it reached."""
    sent = 0
    for one in participants:
        sent += await attending.welcome(bot, notifier, one.user_id, one.language, one.event, now)
    return sent


async def on_request_accepted(event: RequestAccepted) -> None:
    """`bot.hooks`' listener: the request's applicants take part at once, the scheduler
    wakes for their reminders."""
    joined = await enrol(event.sessions, event.now, event.request_id)
    if joined:
        event.planner.wake_at(await attending.next_due(event.sessions))
        await welcome(event.bot, event.notifier, joined, event.now)
