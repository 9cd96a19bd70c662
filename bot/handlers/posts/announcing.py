"""An approved partner call announced to the organisations it suits: those whose can-share
topics meet the call's topics, in the wanted countries, never the host, to each member with
"📣 Partner calls" on in /settings. The approval only queues one notice row per recipient,
due at once or, at night in their zone, when their quiet hours end (bot.zones, as events'
announcements); the scheduler sends the due ones, claimed in batches before they are
sent, so that each recipient gets it exactly once across restarts and workers, several
side by side at BROADCAST_RATE."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Final

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot import zones
from bot.clock import Clock
from bot.delivery.fanout import Outcomes, claim_size, fan_out, senders_for
from bot.handlers.posts import call_texts, calls, keyboards, queries
from bot.handlers.posts.calls import CallInfo
from bot.scheduler import Runtime
from bot.taxonomy import TOPICS
from db.engine import Sessions, reading, writing

DEFAULT_RATE: Final = 25.0  # BROADCAST_RATE's default, when the runtime has no limiter
Outcome = tuple[int, int, str]  # call id, user id, sent | failed
_delivering = asyncio.Lock()  # one delivery per process; a wake-up meanwhile waits for it


def topics_mask(topics: tuple[str, ...]) -> int:
    """The topics as organisations' `share_mask` keeps them (bit = position in TOPICS)."""
    return sum(1 << TOPICS.codes.index(code) for code in topics)


async def queue(session: AsyncSession, call: CallInfo, now: datetime) -> int:
    """In the approval's transaction: a pending notice for each recipient who has none yet,
    due now or at the end of their quiet hours; how many recipients there are. The
    audience is counted per time zone, each zone's due time worked out once here, and the
    rows written by the database in one statement (never a row per person through Python:
    a call may reach a hundred thousand people)."""
    draft = call.draft
    audience = (call.host_id, topics_mask(draft.topics), list(draft.countries))
    found = await queries.audience_zones(session, *audience)
    due = {zone: zones.outside_quiet_hours(now, zone) for zone, _people in found}
    later = {zone: moment for zone, moment in due.items() if moment != now}
    await queries.add_audience_notices(session, call.id, audience, later, now)
    return sum(people for _zone, people in found)


def _render(call: CallInfo) -> tuple[str, InlineKeyboardMarkup]:
    return call_texts.announcement(call), keyboards.announcement(call.id, call.host_id)


async def _claimed(
    sessions: Sessions, clock: Clock, size: int, loaded: dict[int, CallInfo | None]
) -> AsyncIterator[tuple[int, int, str | None]]:
    """The due notices, claimed a batch at a time (pending → sending, one UPDATE), each
    call loaded once into `loaded`; until none is due."""
    while True:
        async with writing(sessions) as session:
            due = await queries.due_notices(session, clock.now(), size)
            keys = [(call_id, user_id) for call_id, user_id, _language in due]
            mine = await queries.claim_notices(session, keys, clock.now())
        if not due:
            return
        for call_id in {call_id for call_id, _user_id in mine} - loaded.keys():
            loaded[call_id] = await calls.load(sessions, call_id)
        for call_id, user_id, language in due:
            if (call_id, user_id) in mine:  # else another worker claimed it
                yield call_id, user_id, language


async def _settle(sessions: Sessions, clock: Clock, outcomes: Sequence[Outcome]) -> None:
    async with writing(sessions) as session:
        await queries.settle_notices(session, outcomes, clock.now())


async def deliver_due(runtime: Runtime) -> int:
    """The scheduler's duty: send every call notice due now; how many were delivered.

    The notices are claimed ("sending") a batch at a time by one conditional UPDATE, then
    sent by a few senders side by side (bot/delivery/fanout.py, as broadcasts are), each
    send waiting for its slot in the Bot's pacing, so together they keep BROADCAST_RATE;
    outcomes (sent, or failed: blocked, chat gone) are written in batches. A process
    stopped meanwhile leaves what it claimed and had not recorded "sending": given up at
    the next start (`give_up_interrupted`), never sent twice."""
    async with _delivering:
        sessions, clock, limiter = runtime.sessions, runtime.clock, runtime.limiter
        rate = limiter.rate if limiter is not None else DEFAULT_RATE
        loaded: dict[int, CallInfo | None] = {}
        outcomes: Outcomes[Outcome] = Outcomes(functools.partial(_settle, sessions, clock))
        sent = 0

        async def send(notice: tuple[int, int, str | None]) -> None:
            nonlocal sent
            call_id, user_id, language = notice
            call = loaded[call_id]
            delivered = call is not None and await runtime.notifier.send(
                runtime.bot, user_id, language, functools.partial(_render, call)
            )
            sent += delivered
            await outcomes.add((call_id, user_id, "sent" if delivered else "failed"))

        claimed = _claimed(sessions, clock, claim_size(rate), loaded)
        try:
            await fan_out(claimed, send, senders_for(rate), between=outcomes.tick)
        finally:
            await asyncio.shield(outcomes.flush())  # stopped: what was sent is recorded
        return sent


async def next_due(sessions: Sessions) -> datetime | None:
    """When the earliest pending call notice falls due."""
    async with reading(sessions) as session:
        return await queries.earliest_notice(session)


async def give_up_interrupted(sessions: Sessions, now: datetime) -> int:
    """At start: notices a stopped process had claimed are given up, never sent twice."""
    async with writing(sessions) as session:
        return await queries.give_up_sending(session, now)
