"""An approved partner call announced to the organisations it suits: those whose can-share
topics meet the call's topics, in the wanted countries, never the host, to each member with
"📣 Partner calls" on in /settings. The approval only marks the call; the scheduler queues
one notice row per recipient a batch of organisations at a time (audience.py), due at once
or, at night in their zone, when their quiet hours end (bot.zones, as events'
announcements), and sends the due ones, claimed in batches before they are sent, several
side by side at BROADCAST_RATE, so that each recipient gets it exactly once across
restarts and workers."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Final

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery.fanout import Outcomes, claim_size, fan_out, senders_for
from bot.handlers.posts import audience_queries, call_texts, calls, keyboards, queries
from bot.handlers.posts.audience_queries import Audience
from bot.handlers.posts.calls import CallInfo
from bot.scheduler import Runtime
from bot.taxonomy import TOPICS
from db.engine import Sessions, reading, writing

DEFAULT_RATE: Final = 25.0  # BROADCAST_RATE's default, when the runtime has no limiter
Outcome = tuple[int, int, str]  # call id, user id, sent | failed
Due = tuple[int, int, str | None, bool]  # call id, user id, language, not known blocked
_delivering = asyncio.Lock()  # one delivery per process; a wake-up meanwhile waits for it


def topics_mask(topics: tuple[str, ...]) -> int:
    """The topics as organisations' `share_mask` keeps them (bit = position in TOPICS)."""
    return sum(1 << TOPICS.codes.index(code) for code in topics)


async def queue(session: AsyncSession, call: CallInfo, now: datetime) -> int:
    """In the approval's transaction: the call marked for the scheduler to queue its
    audience, a batch of organisations at a time (bot/handlers/posts/audience.py; from
    the first organisation again after an edit, the notices queued before skipped); how
    many organisations it suits. No row per person here: a call may reach a hundred
    thousand people, and the approval would hold the database's write lock all along."""
    del now  # the notices' due times are worked out when their batch is queued
    draft = call.draft
    audience = Audience(call.host_id, topics_mask(draft.topics), list(draft.countries))
    await audience_queries.restart(session, call.id)
    return await audience_queries.count_organisations(session, audience)


Rendered = tuple[str, InlineKeyboardMarkup]


def _render(
    call: CallInfo, language: str | None, done: dict[tuple[int, str | None], Rendered]
) -> Rendered:
    """The call's announcement in the current locale (`language`'s), rendered once per
    language and call (a call may reach a hundred thousand people)."""
    key = (call.id, language)
    if key not in done:
        done[key] = call_texts.announcement(call), keyboards.announcement(call.id, call.host_id)
    return done[key]


async def _claim(sessions: Sessions, clock: Clock, size: int) -> tuple[bool, list[Due]]:
    """Up to `size` due notices claimed (pending → sending, one conditional UPDATE): whether
    any was due, and those this process claimed (another worker may have taken some)."""
    async with writing(sessions) as session:
        due = await queries.due_notices(session, clock.now(), size)
        keys = [(call_id, user_id) for call_id, user_id, _language, _active in due]
        mine = await queries.claim_notices(session, keys, clock.now())
    return bool(due), [notice for notice in due if notice[:2] in mine]


async def _claimed(
    sessions: Sessions, clock: Clock, size: int, loaded: dict[int, CallInfo | None]
) -> AsyncIterator[Due]:
    """The due notices, claimed a batch at a time, the next batch while this one is sent
    (the senders never wait for a claim); each call loaded once into `loaded`. A batch
    claimed ahead and never handed over (the sending stopped) is pending again."""
    ahead = asyncio.create_task(_claim(sessions, clock, size))
    try:
        while True:
            any_due, batch = await ahead
            if not any_due:
                return
            ahead = asyncio.create_task(_claim(sessions, clock, size))
            for call_id in {notice[0] for notice in batch} - loaded.keys():
                loaded[call_id] = await calls.load(sessions, call_id)
            for notice in batch:
                yield notice
    finally:
        await asyncio.shield(_unclaim(sessions, clock, ahead))


async def _unclaim(
    sessions: Sessions, clock: Clock, ahead: asyncio.Task[tuple[bool, list[Due]]]
) -> None:
    if not ahead.done():
        ahead.cancel()  # its transaction rolls back, or it claimed: then see below
    try:
        _any_due, batch = await ahead
    except (asyncio.CancelledError, Exception):
        return
    if batch:
        async with writing(sessions) as session:
            keys = [(call_id, user_id) for call_id, user_id, _language, _active in batch]
            await queries.unclaim_notices(session, keys, clock.now())


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
        rendered: dict[tuple[int, str | None], Rendered] = {}
        outcomes: Outcomes[Outcome] = Outcomes(functools.partial(_settle, sessions, clock))
        sent = 0

        async def send(notice: Due) -> None:
            nonlocal sent
            call_id, user_id, language, active = notice
            call = loaded[call_id]
            delivered = False  # the call is gone, or they blocked the bot: nothing sent
            if call is not None and active:
                render = functools.partial(_render, call, language, rendered)
                delivered = await runtime.notifier.send(
                    runtime.bot, user_id, language, render, active=True
                )
            sent += delivered
            await outcomes.add((call_id, user_id, "sent" if delivered else "failed"))

        claimed = _claimed(sessions, clock, claim_size(rate), loaded)
        try:
            await fan_out(claimed, send, senders_for(rate))
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
