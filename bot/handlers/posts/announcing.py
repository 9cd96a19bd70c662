"""An approved partner call announced to the organisations it suits: those whose can-share
topics meet the call's topics, in the wanted countries, never the host, to each member with
"📣 Partner calls" on in /settings. The approval only marks the call; the scheduler queues
one notice row per recipient a batch of organisations at a time (audience.py), due at once
or, at night in their zone, when their quiet hours end (bot.zones, as events'
announcements), and sends the due ones, each claimed before its send, so that each
recipient gets it exactly once across restarts and workers."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Final

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.posts import audience_queries, call_texts, calls, keyboards, queries
from bot.handlers.posts.audience_queries import Audience
from bot.handlers.posts.calls import CallInfo
from bot.scheduler import Runtime
from bot.taxonomy import TOPICS
from db.engine import Sessions, reading, writing

BATCH: Final = 50  # due notices read at a time (each is still claimed on its own)


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


def _render(call: CallInfo) -> tuple[str, InlineKeyboardMarkup]:
    return call_texts.announcement(call), keyboards.announcement(call.id, call.host_id)


async def _move(
    sessions: Sessions, call_id: int, user_id: int, before: str, after: str, now: datetime
) -> bool:
    async with writing(sessions) as session:
        return await queries.move_notice(session, call_id, user_id, before, after, now)


async def deliver_due(runtime: Runtime) -> int:
    """The scheduler's duty: send every call notice due now, each claimed ("sending")
    just before its send and paced by the Notifier; how many were delivered."""
    sessions, clock = runtime.sessions, runtime.clock
    loaded: dict[int, CallInfo | None] = {}
    sent = 0
    while True:
        async with reading(sessions) as session:
            due = await queries.due_notices(session, clock.now(), BATCH)
        claimed = 0
        for call_id, user_id, language in due:
            if not await _move(sessions, call_id, user_id, "pending", "sending", clock.now()):
                continue  # another worker claimed it
            claimed += 1
            if call_id not in loaded:
                loaded[call_id] = await calls.load(sessions, call_id)
            call = loaded[call_id]
            delivered = call is not None and await runtime.notifier.send(
                runtime.bot,
                user_id,
                language,
                functools.partial(_render, call),
            )
            state = "sent" if delivered else "failed"
            await _move(sessions, call_id, user_id, "sending", state, clock.now())
            sent += delivered
        if not claimed:
            return sent


async def next_due(sessions: Sessions) -> datetime | None:
    """When the earliest pending call notice falls due."""
    async with reading(sessions) as session:
        return await queries.earliest_notice(session)


async def give_up_interrupted(sessions: Sessions, now: datetime) -> int:
    """At start: notices a stopped process had claimed are given up, never sent twice."""
    async with writing(sessions) as session:
        return await queries.give_up_sending(session, now)
