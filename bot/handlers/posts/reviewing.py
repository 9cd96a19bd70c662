"""Admins review posts: each new post goes to every admin in their language with Approve
and Reject; /review lists those waiting. Reject asks for a reason and an optional comment.
The first decision counts: the other copies say who decided, the host's members are told
in their languages, and an approved post is published as admins' events are."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import datetime
from typing import Any, Final

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot import screens, users
from bot.clock import Clock
from bot.config import Settings
from bot.delivery.courier import deliver
from bot.delivery.notifier import Notifier
from bot.handlers.events import drafts, publishing
from bot.handlers.events.drafts import EventInfo
from bot.handlers.posts import keyboards, review, texts
from bot.handlers.posts.callbacks import ReviewPress
from bot.handlers.posts.review import Decision, Post
from bot.handlers.posts.states import ReviewNote
from bot.navigation import Refused
from bot.scheduler import Planner
from bot.users import UserInfo
from db.engine import Sessions

LIST_SLOT: Final = "review_list"  # the FSM destiny an admin's last /review list id is kept in


async def send_for_review(
    bot: Bot, sessions: Sessions, settings: Settings, notifier: Notifier, event: Post
) -> None:
    """Every admin gets the post (an event or a partner call), in their language, with
    Approve and Reject; each copy is remembered so that the first decision can close the
    others."""
    admins = sorted(settings.admin_ids)
    languages = await users.languages(sessions, admins, settings.default_language)
    kind = review.kind_of(event)
    copies = await notifier.post_to_each(
        bot,
        [(admin, languages[admin]) for admin in admins],
        lambda: (texts.review_card(event), keyboards.decide(event.id, event.host_id, kind)),
    )
    await review.record_copies(sessions, event.id, copies, kind, fresh=True)


def _waiting_list(found: list[Post], total: int) -> tuple[str, InlineKeyboardMarkup]:
    posts = [(post.id, review.kind_of(post)) for post in found]
    return texts.waiting(found, total), keyboards.waiting(posts)


def _list_slot(state: FSMContext, admin: int) -> FSMContext:
    """Where an admin's last /review list message is remembered (its id), to redraw it."""
    key = replace(state.key, chat_id=admin, user_id=admin, thread_id=None, destiny=LIST_SLOT)
    return FSMContext(storage=state.storage, key=key)


async def on_review(message: Message, state: FSMContext, sessions: Sessions) -> None:
    """/review (admins only: the router's filter): the posts waiting (the list's message
    remembered: a decision redraws it)."""
    found, total = await review.waiting(sessions)
    text, markup = _waiting_list(found, total)
    sent = await message.answer(text, reply_markup=markup)
    await _list_slot(state, message.chat.id).set_data({"message": sent.message_id})


async def _redraw_lists(
    bot: Bot, sessions: Sessions, settings: Settings, notifier: Notifier, state: FSMContext
) -> None:
    """Each admin's last /review list drawn again after a decision (its 🤝 #n gone), in
    their language."""
    admins = sorted(settings.admin_ids)
    languages = await users.languages(sessions, admins, settings.default_language)
    found, total = await review.waiting(sessions)
    for admin in admins:
        message_id = (await _list_slot(state, admin).get_data()).get("message")
        if not isinstance(message_id, int):
            continue
        text, markup = notifier.render(languages[admin], lambda: _waiting_list(found, total))
        edit = functools.partial(
            bot.edit_message_text, text, chat_id=admin, message_id=message_id,
            reply_markup=markup,
        )  # fmt: skip
        await deliver(edit)


async def _to_review(
    query: CallbackQuery,
    callback_data: ReviewPress,
    sessions: Sessions,
    settings: Settings,
    user: UserInfo,
) -> Post:
    """The post a review press is about, still waiting (else refused), the press answered."""
    item, kind = callback_data.item, callback_data.kind
    event = await review.to_review(sessions, settings.admin_ids, user.id, item, kind)
    await query.answer()
    return event


async def on_open(
    query: CallbackQuery,
    message: Message,
    callback_data: ReviewPress,
    sessions: Sessions,
    settings: Settings,
    user: UserInfo,
) -> None:
    """A post's number under /review: the post with Approve and Reject (a copy closed with
    the others)."""
    event = await _to_review(query, callback_data, sessions, settings, user)
    kind = callback_data.kind
    sent = await message.answer(
        texts.review_card(event), reply_markup=keyboards.decide(event.id, event.host_id, kind)
    )
    await review.record_copies(sessions, event.id, [(user.id, sent.message_id)], kind)


async def on_reject(
    query: CallbackQuery,
    message: Message,
    callback_data: ReviewPress,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    user: UserInfo,
) -> None:
    """❌ Reject: the reasons to pick from (and back from the comment to them)."""
    event = await _to_review(query, callback_data, sessions, settings, user)
    if await state.get_state() == ReviewNote.writing.state:
        await state.clear()
    markup = keyboards.reasons(event.id, callback_data.kind)
    await screens.show(message, texts.ask_reason(event), markup, edit=True)


async def on_back(
    query: CallbackQuery,
    message: Message,
    callback_data: ReviewPress,
    sessions: Sessions,
    settings: Settings,
    user: UserInfo,
) -> None:
    """« Back from the reasons: Approve and Reject again."""
    event = await _to_review(query, callback_data, sessions, settings, user)
    markup = keyboards.decide(event.id, event.host_id, callback_data.kind)
    await screens.show(message, texts.review_card(event), markup, edit=True)


async def on_reason(
    query: CallbackQuery,
    message: Message,
    callback_data: ReviewPress,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    user: UserInfo,
) -> None:
    """A reason picked: a comment may be typed, or the post rejected without one."""
    if callback_data.reason not in review.REASONS:
        raise Refused()
    event = await _to_review(query, callback_data, sessions, settings, user)
    kind = callback_data.kind
    await state.set_state(ReviewNote.writing)
    reason, panel = callback_data.reason, message.message_id
    await state.set_data({"post": event.id, "reason": reason, "panel": panel, "kind": kind})
    text = texts.ask_note(event, callback_data.reason, review.NOTE_MAX)
    await screens.show(message, text, keyboards.note(event.id, kind), edit=True)


async def on_approve(
    query: CallbackQuery,
    message: Message,
    callback_data: ReviewPress,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    settings: Settings,
    notifier: Notifier,
    planner: Planner,
    user: UserInfo,
    clock: Clock,
) -> None:
    """✅ Approve: published, and everyone told; the scheduler, woken now, sends the
    announcements (a partner call's, and an edited event's held while it was in review):
    the press does not wait for them."""
    now = clock.now()
    decision = await review.decide(
        sessions, settings.admin_ids, user.id, callback_data.item, now,
        approve=True, kind=callback_data.kind,
    )  # fmt: skip
    await query.answer()
    await _decided(bot, sessions, notifier, decision, user, message)
    await _redraw_lists(bot, sessions, settings, notifier, state)
    if isinstance(decision.event, EventInfo) and not await _published(
        sessions, decision, now, settings.default_language
    ):
        await message.answer(texts.not_published(decision.event))
    planner.wake_at(now)


async def _published(
    sessions: Sessions, decision: Decision, now: datetime, default_language: str
) -> bool:
    """An approved event published now (an edit approved again is published already, or
    the scheduler was quicker: then fine); False if it could not be (it started)."""
    event_id = decision.event.id
    if await publishing.publish(sessions, event_id, now, default_language, by=decision.poster_id):
        return True
    now_is = await drafts.load(sessions, event_id)
    return now_is is not None and now_is.status == "published"


async def on_bare(
    query: CallbackQuery,
    message: Message,
    callback_data: ReviewPress,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    settings: Settings,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Reject without a comment (the reason picked is in the FSM data)."""
    data = await state.get_data()
    if (
        await state.get_state() != ReviewNote.writing.state
        or data.get("post") != callback_data.item
        or data.get("kind", "") != callback_data.kind
    ):
        raise Refused()
    decision = await _reject(sessions, settings, user, data, clock.now(), None)
    await state.clear()
    await query.answer()
    await _decided(bot, sessions, notifier, decision, user, message)
    await _redraw_lists(bot, sessions, settings, notifier, state)


async def on_note(
    message: Message,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    settings: Settings,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """A typed comment: the post is rejected with it."""
    data = await state.get_data()
    note = " ".join((message.text or "").split())
    if len(note) > review.NOTE_MAX:
        await message.answer(texts.note_too_long(review.NOTE_MAX))
        return
    await state.clear()
    try:
        decision = await _reject(sessions, settings, user, data, clock.now(), note or None)
    except Refused as refused:
        await message.answer(refused.text())
        return
    # Every copy closes, the one the reason was picked on too.
    await _decided(bot, sessions, notifier, decision, user, None)
    await message.answer(texts.decided_by_you(decision.event, False))
    await _redraw_lists(bot, sessions, settings, notifier, state)


async def _reject(
    sessions: Sessions,
    settings: Settings,
    user: UserInfo,
    data: dict[str, Any],
    now: datetime,
    note: str | None,
) -> Decision:
    """Reject the post the FSM `data` holds, with the reason picked (and `note`)."""
    return await review.decide(
        sessions, settings.admin_ids, user.id, int(data.get("post") or 0), now,
        approve=False, reason=data.get("reason"), note=note, kind=str(data.get("kind") or ""),
    )  # fmt: skip


async def _decided(
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    decision: Decision,
    user: UserInfo,
    pressed: Message | None,
) -> None:
    """Close every copy (the decider's own ones too; the one `pressed` says what you
    decided) and tell the host's members."""
    event, approved = decision.event, decision.approved
    kind = review.kind_of(event)
    mine = None if pressed is None else (user.id, pressed.message_id)
    copies = await review.other_copies(sessions, event.id, mine, kind)
    if pressed is not None:
        text = texts.decided_by_you(event, approved, decision.organisations)
        await screens.show(pressed, text, None, edit=True)
    await notifier.close_copies(
        bot,
        [copy for copy in copies if copy[0] == user.id],
        lambda: texts.decided_by_you(event, approved, decision.organisations),
    )
    await notifier.close_copies(
        bot,
        [copy for copy in copies if copy[0] != user.id],
        lambda: texts.decided_by(event, decision.admin_name, approved, decision.reason),
    )
    for member, language in decision.members:
        if approved:
            await notifier.send(
                bot, member, language, lambda: texts.approved_notice(event, decision.organisations)
            )
        else:
            await notifier.send(
                bot,
                member,
                language,
                lambda: (
                    texts.rejected_notice(event, decision.reason, decision.note),
                    keyboards.edit(event.id, kind),
                ),
            )
