"""An approved partner call announced to the organisations it suits: those whose can-share
topics meet the call's topics, in the wanted countries, never the host, to each member with
"📣 Partner calls" on in /settings. One notice row per recipient, claimed before the send,
so that each gets it exactly once across restarts and workers."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot

from bot.clock import Clock
from bot.delivery.notifier import Notifier
from bot.handlers.posts import call_texts, calls, keyboards, queries
from bot.handlers.posts.calls import CallInfo
from bot.scheduler import Runtime
from bot.taxonomy import TOPICS
from db.engine import Sessions, reading, writing


def topics_mask(topics: tuple[str, ...]) -> int:
    """The topics as organisations' `share_mask` keeps them (bit = position in TOPICS)."""
    return sum(1 << TOPICS.codes.index(code) for code in topics)


async def plan(
    sessions: Sessions, call: CallInfo, *, audience: bool = True
) -> list[tuple[int, str | None]]:
    """A pending notice for each recipient who has none yet (unless `audience` is False:
    resuming); `(user id, language)` of those not sent yet."""
    draft = call.draft
    if audience:
        async with writing(sessions) as session:
            found = await queries.call_audience(
                session, call.host_id, topics_mask(draft.topics), list(draft.countries)
            )
            await queries.add_notices(session, call.id, found)
    async with reading(sessions) as session:
        return await queries.pending_notices(session, call.id)


async def _move(
    sessions: Sessions, call_id: int, user_id: int, before: str, after: str, now: datetime
) -> bool:
    async with writing(sessions) as session:
        return await queries.move_notice(session, call_id, user_id, before, after, now)


async def announce_call(
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    clock: Clock,
    call: CallInfo,
    *,
    resuming: bool = False,
) -> int:
    """Send the call to each recipient not reached yet; how many got it."""
    sent = 0
    for user_id, language in await plan(sessions, call, audience=not resuming):
        if not await _move(sessions, call.id, user_id, "pending", "sending", clock.now()):
            continue  # another worker claimed it
        delivered = await notifier.send(
            bot,
            user_id,
            language,
            lambda: (call_texts.announcement(call), keyboards.announcement(call.id, call.host_id)),
        )
        state = "sent" if delivered else "failed"
        await _move(sessions, call.id, user_id, "sending", state, clock.now())
        sent += delivered
    return sent


async def give_up_interrupted(sessions: Sessions, now: datetime) -> int:
    """At start: notices a stopped process had claimed are given up, never sent twice."""
    async with writing(sessions) as session:
        return await queries.give_up_sending(session, now)


async def resume_announcements(runtime: Runtime) -> int:
    """On every sweep: finish announcements a stopped process left (their pending rows;
    each is claimed before its send, so a running approval is not sent twice)."""
    async with reading(runtime.sessions) as session:
        pending = await queries.calls_with_pending_notices(session)
    sent = 0
    for call_id in pending:
        call = await calls.load(runtime.sessions, call_id)
        if call is not None:
            sent += await announce_call(
                runtime.bot,
                runtime.sessions,
                runtime.notifier,
                runtime.clock,
                call,
                resuming=True,
            )
    return sent
