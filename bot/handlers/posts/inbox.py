"""📬 Answers to our posts (from "📣 Offer or seek"): the organisation's posts with counts,
one post with its answers (a waiting one from an organisation connected already decided
there too), ⛔ Close, and the poster's answer to "Was a partner found?"."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import CallbackQuery, Message

from bot import screens, users
from bot.clock import Clock
from bot.delivery.notifier import Notifier
from bot.handlers.posts import answer_keyboards, answer_texts, answering, board, closing, decisions
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.scheduler import Planner
from bot.users import UserInfo
from db.engine import Sessions


async def on_answers(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """A page of our posts, with their answers counted."""
    found = await board.our_posts(sessions, user.id, callback_data.item, clock.now())
    lines = [
        (
            answer_texts.post_label(entry.kind, entry.event_kind),
            entry.title,
            entry.answers,
            entry.accepted,
            entry.state,
            entry.takes_answers,
        )
        for entry in found.entries
    ]
    posts = [(entry.kind, entry.id) for entry in found.entries]
    await screens.show(
        message,
        answer_texts.answers_page(lines, found.total),
        answer_keyboards.answers_list(posts, found.page, found.has_next),
        edit=True,
    )
    await query.answer()


async def _show_post(
    message: Message, sessions: Sessions, user: UserInfo, kind: str, post_id: int, clock: Clock
) -> bool:
    """One of our posts and its answers; whether its places were found taken (closed)."""
    found = await board.our_post(sessions, user.id, kind, post_id, clock.now())
    entry = found.entry
    text = answer_texts.post_page(
        answer_texts.post_label(entry.kind, entry.event_kind),
        entry.title,
        entry.state,
        found.answers,
        entry.answers,
        entry.accepted,
        await users.zone_of(sessions, user.id),
    )
    editable = entry.state in ("open", "published")  # a closed post is not edited
    markup = answer_keyboards.post(kind, post_id, found.can_close, editable, found.decidable)
    await screens.show(message, text, markup, edit=True)
    return found.closed_now


async def on_post(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    planner: Planner,
    user: UserInfo,
    clock: Clock,
) -> None:
    """A post's number: its answers (an internship whose places are taken closes; the
    scheduler, woken, edits the public channel's post)."""
    kind = "call" if callback_data.kind == "call" else ""
    closed = await _show_post(message, sessions, user, kind, callback_data.item, clock)
    await query.answer()
    if closed:
        await closing.tell_closed(bot, sessions, notifier, clock.now())
        planner.wake_at(clock.now())


async def on_decide_here(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    planner: Planner,
    user: UserInfo,
    clock: Clock,
) -> None:
    """✅ / ✖️ beside a waiting answer on its post's page: decided as on its notice (the
    same service and re-checks); every notice copy then says who decided, the answerer is
    told, and the page is drawn again."""
    now = clock.now()
    accept = callback_data.action is PostAction.ACCEPT_HERE
    done = await decisions.decide(sessions, user.id, callback_data.item, accept=accept, now=now)
    await query.answer()
    await answering.after_decision(bot, sessions, notifier, planner, done, user.id, now)
    page_kind = "call" if done.kind == "call" else ""
    await _show_post(message, sessions, user, page_kind, done.post_id, clock)


async def on_close(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    planner: Planner,
    user: UserInfo,
    clock: Clock,
) -> None:
    """⛔ Close (the poster or an owner, re-checked): no more answers; those not accepted
    are told; the scheduler, woken, edits the public channel's post."""
    kind = "call" if callback_data.kind == "call" else "internship"
    now = clock.now()
    post = await closing.close_by_poster(sessions, user.id, kind, callback_data.item, now)
    await query.answer(answer_texts.closed_by_you(post.title))
    await _show_post(message, sessions, user, callback_data.kind, callback_data.item, clock)
    await closing.tell_closed(bot, sessions, notifier, now)
    planner.wake_at(now)


async def on_found(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """Yes or No to "Was a partner found?" (the poster or an owner, once)."""
    found = callback_data.action is PostAction.FOUND
    await closing.answer_found(sessions, user.id, callback_data.item, found)
    await query.answer()
    await screens.show(message, answer_texts.found_thanks(found), None, edit=True)
