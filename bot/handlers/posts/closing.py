"""Closing calls and internships (issue 21): at the deadline (a partner call after its last
day in its zone, an internship at its deadline's moment), once an internship's places are
taken (accepted answers ≥ places), or by the poster (or an owner). Those who answered and
were not accepted are told once, in their language (`told_at` claimed before the send). A
week after a call closes its poster is asked whether a partner was found (once,
`found_asked_at`; the answer in `partner_found`).

The deadlines, the telling and the question are a scheduler duty (`run_duty`), run by the
holder of the scheduler's lease; every step is a conditional UPDATE, so it happens exactly
once across restarts, workers and overlapping runs."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.notifier import Notifier
from bot.handlers.posts import (
    answer_keyboards,
    answer_queries,
    answer_texts,
    enrolling,
    queries,
)
from bot.handlers.posts.posting import PostRefusal, PostRefused
from bot.scheduler import Runtime
from db.engine import Sessions, reading, writing
from db.models import Event, PartnerCall

FOUND_AFTER: Final = timedelta(days=7)  # "Was a partner found?", a week after closing
BATCH: Final = 50


async def close_if_full(sessions: Sessions, event_id: int, now: datetime) -> bool:
    """Close the internship if its places are taken; whether this call closed it."""
    async with writing(sessions) as session:
        if event_id not in await answer_queries.full_internships(session, event_id):
            return False
        return await answer_queries.close_internship(session, event_id, "full", now)


async def close_due(sessions: Sessions, now: datetime) -> int:
    """Close what reached its deadline, and the internships whose places are taken."""
    closed = 0
    async with writing(sessions) as session:
        for event_id in await answer_queries.internships_past_deadline(session, now):
            closed += await answer_queries.close_internship(session, event_id, "deadline", now)
        for event_id in await answer_queries.full_internships(session):
            closed += await answer_queries.close_internship(session, event_id, "full", now)
        for call_id, deadline, zone in await answer_queries.open_calls_due_by(
            session, (now + timedelta(days=1)).date()
        ):
            if deadline < now.astimezone(ZoneInfo(zone)).date():
                closed += await answer_queries.close_call(session, call_id, "deadline", now)
    return closed


def call_closes_at(deadline: date, zone: str) -> datetime:
    """The moment a call whose last day is `deadline` closes: that day's end in `zone`."""
    return datetime.combine(deadline + timedelta(days=1), time(), ZoneInfo(zone))


async def next_due(sessions: Sessions) -> datetime | None:
    """The earliest deadline of an open post, or when a poster is next asked."""
    async with reading(sessions) as session:
        moments = [await answer_queries.earliest_internship_deadline(session)]
        first = await answer_queries.earliest_call_deadline(session)
        if first is not None:
            for _, deadline, zone in await answer_queries.open_calls_due_by(
                session, first + timedelta(days=2)
            ):
                moments.append(call_closes_at(deadline, zone))
        closed = await answer_queries.earliest_found_question(session)
        moments.append(closed + FOUND_AFTER if closed is not None else None)
    found = [moment for moment in moments if moment is not None]
    return min(found) if found else None


@dataclass(frozen=True)
class Post:
    """What the texts name: a call or an internship, its title and host."""

    kind: str
    id: int
    title: str
    host: str
    posted_by: int | None
    host_id: int


async def _post(session: AsyncSession, kind: str, post_id: int) -> Post | None:
    row: Event | PartnerCall | None
    row = await session.get(PartnerCall if kind == "call" else Event, post_id)
    if row is None or row.host_organisation_id is None:
        return None
    host = await queries.organisation_name(session, row.host_organisation_id) or ""
    return Post(kind, post_id, row.title, host, row.posted_by, row.host_organisation_id)


async def tell_closed(bot: Bot, sessions: Sessions, notifier: Notifier, now: datetime) -> int:
    """Tell each member whose answer to a closed post was not accepted, once."""
    posts: dict[tuple[str, int], Post | None] = {}
    told = 0
    while True:
        async with reading(sessions) as session:
            waiting = await answer_queries.untold(session, BATCH)
        claimed = 0
        for answer_id, user_id, kind, post_id in waiting:
            async with writing(sessions) as session:
                if not await answer_queries.claim_telling(session, answer_id, now):
                    continue  # another run told them
                claimed += 1
                if (kind, post_id) not in posts:
                    posts[kind, post_id] = await _post(session, kind, post_id)
                language = await answer_queries.user_language(session, user_id)
            post = posts[kind, post_id]
            if post is not None:
                render = functools.partial(
                    answer_texts.closed_notice, post.kind, post.title, post.host
                )
                told += await notifier.send(bot, user_id, language, render)
        if not claimed:
            return told


def _found_question(post: Post) -> tuple[str, InlineKeyboardMarkup]:
    return answer_texts.found_question(post.title), answer_keyboards.found(post.id)


async def ask_found(bot: Bot, sessions: Sessions, notifier: Notifier, now: datetime) -> int:
    """A week after a call closed: its poster is asked whether a partner was found."""
    asked = 0
    async with reading(sessions) as session:
        due = await answer_queries.calls_to_ask_found(session, now, FOUND_AFTER)
    for call_id in due:
        async with writing(sessions) as session:
            if not await answer_queries.claim_found_question(session, call_id, now):
                continue
            post = await _post(session, "call", call_id)
            if post is None or post.posted_by is None:
                continue
            language = await answer_queries.user_language(session, post.posted_by)
        render = functools.partial(_found_question, post)
        asked += await notifier.send(bot, post.posted_by, language, render)
    return asked


async def run_duty(runtime: Runtime) -> int:
    """The scheduler's duty: make accepted applicants the hook missed participants, close
    what is due, tell those not accepted, ask posters a week after; how many messages
    went."""
    sessions, now = runtime.sessions, runtime.clock.now()
    joined = await enrolling.enrol(sessions, now)
    sent = await enrolling.welcome(runtime.bot, runtime.notifier, joined, now)
    await close_due(sessions, now)
    sent += await tell_closed(runtime.bot, sessions, runtime.notifier, now)
    return sent + await ask_found(runtime.bot, sessions, runtime.notifier, now)


async def _may_manage(session: AsyncSession, user_id: int, post: Post) -> None:
    """The poster or an owner of the host organisation (raises PostRefused)."""
    role = await answer_queries.member_role(session, user_id, post.host_id)
    if role is None or (post.posted_by != user_id and role != "owner"):
        raise PostRefused(PostRefusal.NOT_POSTER)


async def close_by_poster(
    sessions: Sessions, user_id: int, kind: str, post_id: int, now: datetime
) -> Post:
    """⛔ Close, re-checked on the press: the poster or an owner, an open post."""
    async with writing(sessions) as session:
        post = await _post(session, kind, post_id) if kind in ("call", "internship") else None
        if post is None:
            raise PostRefused(PostRefusal.GONE)
        await _may_manage(session, user_id, post)
        if kind == "call":
            closed = await answer_queries.close_call(session, post_id, "poster", now)
        else:
            closed = await answer_queries.close_internship(session, post_id, "poster", now)
        if not closed:
            raise PostRefused(PostRefusal.CLOSED)
        return post


async def answer_found(sessions: Sessions, user_id: int, call_id: int, found: bool) -> Post:
    """The poster's (or an owner's) Yes or No, once."""
    async with writing(sessions) as session:
        post = await _post(session, "call", call_id)
        if post is None:
            raise PostRefused(PostRefusal.GONE)
        await _may_manage(session, user_id, post)
        if not await answer_queries.store_found(session, call_id, found):
            raise PostRefused(PostRefusal.ANSWERED)
        return post
