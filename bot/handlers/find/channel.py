"""The optional public channel (CHANNEL_ID): approved partner calls and hosted events and
internships are posted there in CHANNEL_LANGUAGE, each with a button that opens it in the
bot (`?start=call_<id>` / `event_<id>`); once one closes or is cancelled, its post is edited
to say so. A scheduler duty reading the database: what is open now against what the
channel shows (`channel_posts`), so closing done anywhere needs no call here and a restart
loses nothing. Each send or edit is claimed first. A channel that refuses the bot (not its
administrator, not found) is one WARNING line and one notice to the admins per outage; its
posts wait and are sent once it accepts them."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot import users
from bot.delivery.limiter import background
from bot.handlers.events import drafts
from bot.handlers.events import texts as events_texts
from bot.handlers.find import offers, queries, texts
from bot.handlers.posts import call_texts, calls
from bot.scheduler import Runtime
from db.engine import reading, writing

log = logging.getLogger(__name__)

STALE: Final = timedelta(minutes=15)  # a claim older than this was left by a stopped process
GONE_EDITS: Final = ("message to edit not found", "message is not modified", "can't be edited")


class Refusal(Exception):
    """The channel refused the bot (Telegram's words in `args[0]`)."""


@dataclass(frozen=True)
class Channel:
    """Where and in what language the channel is written, and who is told it refuses."""

    chat: int | str
    language: str
    admins: frozenset[int]

    async def __call__(self, runtime: Runtime) -> int:
        """The scheduler's duty: post what opened, edit what closed; how many changed."""
        return await publish(runtime, self)


async def _open_now(runtime: Runtime) -> tuple[set[int], set[int]]:
    """The ids of the open partner calls and hosted events, with a row for each new one."""
    now = runtime.clock.now()
    async with writing(runtime.sessions) as session:
        call_ids = {
            row.id
            for row in await queries.open_calls(session, now.date() - timedelta(days=1))
            if offers.call_is_open(row, now)
        }
        event_ids = {
            row.id
            for row in await queries.open_events(session, now)
            if offers.event_is_open(row, now)
        }
        for kind, ids in (("call", call_ids), ("event", event_ids)):
            new = await queries.without_channel_post(session, kind, sorted(ids))
            queries.add_channel_posts(session, kind, new, now)
    return call_ids, event_ids


async def _card(runtime: Runtime, kind: str, post_id: int) -> Callable[[], str] | None:
    """How to write the post's card, as the channel shows it (dates in the post's own
    zone); None if the post is gone."""
    if kind == "call":
        call = await calls.load(runtime.sessions, post_id)
        return None if call is None else functools.partial(call_texts.announcement, call)
    event = await drafts.load(runtime.sessions, post_id)
    if event is None:
        return None
    return functools.partial(events_texts.card, event, event.draft.time_zone)


async def _move(
    runtime: Runtime,
    kind: str,
    post_id: int,
    before: str,
    after: str,
    message_id: int | None = None,
) -> bool:
    async with writing(runtime.sessions) as session:
        return await queries.move_channel_post(
            session, kind, post_id, before, after, runtime.clock.now(), message_id
        )


async def _call_telegram(call: Callable[[], Awaitable[object]]) -> object:
    """One request to the channel, paced as background work; a refusal raised as
    `Refusal`, anything else (flood control, the network) as it came."""
    token = background.set(True)
    try:
        return await call()
    except (TelegramForbiddenError, TelegramBadRequest) as exc:
        raise Refusal(exc.message) from exc
    finally:
        background.reset(token)


async def _post(runtime: Runtime, channel: Channel, kind: str, post_id: int) -> int | None:
    """Post the card with the button that opens it in the bot; the message's id (None:
    the post is gone). Raises Refusal."""
    card = await _card(runtime, kind, post_id)
    if card is None:
        return None
    me = await runtime.bot.me()
    url = f"https://t.me/{me.username}?start={kind}_{post_id}"
    text, _none = runtime.notifier.render(channel.language, card)
    label, _none = runtime.notifier.render(channel.language, texts.open_in_bot)
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=label, url=url)]])
    sent = await _call_telegram(
        functools.partial(runtime.bot.send_message, channel.chat, text, reply_markup=markup)
    )
    return int(getattr(sent, "message_id", 0))


async def _close(
    runtime: Runtime, channel: Channel, kind: str, post_id: int, message_id: int | None
) -> None:
    """Edit the post to say it is closed, its button removed (raises Refusal, except for
    a message already gone or already edited)."""
    card = await _card(runtime, kind, post_id)
    if card is None or message_id is None:
        return
    text, _none = runtime.notifier.render(
        channel.language, lambda: texts.closed_head() + "\n\n" + card()
    )
    edit = functools.partial(
        runtime.bot.edit_message_text,
        text,
        chat_id=channel.chat,
        message_id=message_id,
        reply_markup=None,
    )
    try:
        await _call_telegram(edit)
    except Refusal as refusal:
        if not any(words in str(refusal) for words in GONE_EDITS):
            raise


async def _refused(runtime: Runtime, channel: Channel, refusal: Refusal) -> None:
    """The first refusal of an outage: one WARNING line, one notice to each admin."""
    async with writing(runtime.sessions) as session:
        first = await queries.note_refusal(session, runtime.clock.now())
    if not first:
        return
    log.warning("the channel %s refuses the bot's posts: %s", channel.chat, refusal)
    languages = await users.languages(runtime.sessions, channel.admins, runtime.default_language)
    for admin in sorted(channel.admins):
        await runtime.notifier.send(
            runtime.bot,
            admin,
            languages.get(admin),
            functools.partial(texts.channel_refused, str(channel.chat)),
        )


async def _accepted(runtime: Runtime) -> None:
    async with writing(runtime.sessions) as session:
        await queries.forget_refusal(session)


async def publish(runtime: Runtime, channel: Channel) -> int:
    """Post each post that opened, edit each that closed; how many changed. Stops at the
    first refusal (the rest wait for the next sweep)."""
    call_ids, event_ids = await _open_now(runtime)
    is_open = {"call": call_ids, "event": event_ids}
    stale_before = runtime.clock.now() - STALE
    async with reading(runtime.sessions) as session:
        rows = await queries.channel_posts(
            session, ("new", "refused", "open"), ("posting", "closing"), stale_before
        )
    changed = 0
    try:
        for kind, post_id, message_id, shown in rows:
            opened = post_id in is_open[kind]
            if shown in ("new", "refused", "posting") and not opened:
                await _move(runtime, kind, post_id, shown, "closed")  # closed before posted
            elif shown in ("new", "refused", "posting"):
                if not await _move(runtime, kind, post_id, shown, "posting"):
                    continue  # another worker claimed it
                try:
                    sent = await _post(runtime, channel, kind, post_id)
                except Refusal:
                    await _move(runtime, kind, post_id, "posting", "refused")
                    raise
                except TelegramAPIError:
                    await _move(runtime, kind, post_id, "posting", "new")  # later
                    raise
                await _move(runtime, kind, post_id, "posting", "open", sent)
                changed += 1
            elif shown in ("open", "closing") and not opened:
                if not await _move(runtime, kind, post_id, shown, "closing"):
                    continue
                try:
                    await _close(runtime, channel, kind, post_id, message_id)
                except (Refusal, TelegramAPIError):
                    await _move(runtime, kind, post_id, "closing", "open")  # again later
                    raise
                await _move(runtime, kind, post_id, "closing", "closed")
                changed += 1
    except Refusal as refusal:
        await _refused(runtime, channel, refusal)
        return changed
    except TelegramAPIError as exc:  # flood control or the network: the next sweep
        log.warning("the channel %s: %s; trying again later", channel.chat, exc)
        return changed
    if changed:
        await _accepted(runtime)
    return changed
