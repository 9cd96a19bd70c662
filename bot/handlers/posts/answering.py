"""Answering a post: "🙋 We're interested" under a partner call, "📝 Apply" under an
internship an organisation hosts. Each asks for a short message, which goes to every member
of the host organisation, followed by a contact request through contacts' introductions
(its inbox, every member's copy, the first answer deciding, contacts exchanged both ways on
Accept); the answer is recorded (bot/handlers/posts/answers.py). No contacts are shown
before the host accepts. An organisation connected to the host already needs no request:
the host's notice carries ✅ Accept / ✖ Decline of the answer itself (`on_decide`)."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens
from bot.clock import Clock
from bot.delivery.notifier import Notifier
from bot.handlers.contacts import asking
from bot.handlers.contacts import texts as contact_texts
from bot.handlers.events import attending
from bot.handlers.events import texts as event_texts
from bot.handlers.posts import (
    answer_keyboards,
    answer_texts,
    answers,
    call_texts,
    calls,
    closing,
    decisions,
    enrolling,
)
from bot.handlers.posts.answers import MESSAGE_MAX, Sent
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.handlers.posts.states import PostWizard
from bot.navigation import ApplyPress, Refused
from bot.scheduler import Planner
from bot.users import UserInfo
from db.engine import Sessions


async def _ask(message: Message, state: FSMContext, kind: str, post_id: int, text: str) -> None:
    """The question, with ✖ Cancel (its message is the `panel`: /cancel and the answer
    take its button away)."""
    asked = await message.answer(text, reply_markup=answer_keyboards.drop())
    await state.set_state(PostWizard.answering)
    await state.set_data({"kind": kind, "post": post_id, "panel": asked.message_id})


async def on_interest(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """🙋 We're interested, under an announced call: the message is asked for."""
    target = await answers.answerable(sessions, user.id, "call", callback_data.item, clock.now())
    call = await calls.load(sessions, target.id)
    assert call is not None
    await query.answer()
    await _ask(message, state, "call", call.id, call_texts.ask_interest(call))


async def on_apply(
    query: CallbackQuery,
    message: Message,
    callback_data: ApplyPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """📝 Apply, under an internship an organisation hosts: the motivation is asked for."""
    now = clock.now()
    target = await answers.answerable(sessions, user.id, "internship", callback_data.item, now)
    await query.answer()
    text = answer_texts.ask_apply(target.title, target.host, MESSAGE_MAX)
    await _ask(message, state, "internship", target.id, text)


async def on_drop(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """✖ Cancel under the question: nothing is sent (an old question's button: stale)."""
    data = await state.get_data()
    if await state.get_state() != PostWizard.answering.state or data.get("panel") != (
        message.message_id
    ):
        raise Refused()
    await state.clear()
    await query.answer()
    await screens.show(message, answer_texts.dropped(), None, edit=True)


def cleaned(raw: str) -> str:
    """The message as it is recorded: its whitespace folded."""
    return " ".join(raw.split())


def problem(text: str) -> str | None:
    """Why a (cleaned) message cannot go: empty or too long; None when it can."""
    if not text:
        return answer_texts.empty()
    if len(text) > MESSAGE_MAX:
        return call_texts.interest_too_long(MESSAGE_MAX, len(text))
    return None


async def deliver(bot: Bot, sessions: Sessions, notifier: Notifier, sent: Sent, text: str) -> str:
    """The Telegram side of a recorded answer, from the chat or the Mini App: the message
    to every member of the host, then the contact request; the answerer's confirmation."""
    target = sent.target

    def notice() -> str:
        return answer_texts.host_notice(target.kind, sent.sender, target.title, text)

    if sent.decidable is not None:  # connected already: the host decides on it here
        answer_id = sent.decidable
        copies = await notifier.post_to_each(
            bot,
            sent.members,
            lambda: (
                notice() + "\n\n" + answer_texts.to_decide(),
                answer_keyboards.decide(answer_id),
            ),
        )
        await decisions.record_copies(sessions, answer_id, copies)
        return answer_texts.already_connected(target.host)
    for member, language in sent.members:
        await notifier.send(bot, member, language, notice)
    if sent.intro is None:  # a request of ours to the host waits: it stands for this one
        return answer_texts.request_waiting(target.host)
    await asking.send_request(bot, sessions, notifier, sent.intro)
    return contact_texts.request_sent(sent.target.host)


async def on_answer_message(
    message: Message,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """The message typed: recorded, to every member of the host, then the contact request
    (a bad one is asked again)."""
    text = cleaned(message.text or "")
    wrong = problem(text)
    if wrong is not None:
        await message.answer(wrong)
        return
    data = await state.get_data()
    await screens.strip_keyboard(message, data.get("panel"))
    kind = str(data.get("kind") or "call")
    post_id = int(data.get("post") or data.get("call") or 0)  # "call": kept before answers
    try:
        sent = await answers.send(sessions, user.id, kind, post_id, text, clock.now())
    except Refused as refused:
        await state.clear()
        await message.answer(refused.text())
        return
    await state.clear()
    await message.answer(await deliver(bot, sessions, notifier, sent, text))


async def on_decide(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
    planner: Planner,
) -> None:
    """✅ Accept / ✖ Decline on the notice of an answer from an organisation connected
    already: the first member's press decides (re-checked in `decisions`), every other copy
    says who; the answerer is told, an accepted applicant takes part (the calendar file),
    and an internship whose places are now taken closes."""
    now = clock.now()
    accept = callback_data.action is PostAction.ACCEPT
    pressed = (user.id, message.message_id)
    done = await decisions.decide(
        sessions, user.id, callback_data.item, accept=accept, now=now, pressed=pressed
    )
    await query.answer()
    await screens.show(message, _decided_notice(done, None), None, edit=True)
    await after_decision(bot, sessions, notifier, planner, done, user.id, now)


def _decided_notice(done: decisions.Decision, by: str | None) -> str:
    head = answer_texts.host_notice(done.kind, done.sender, done.title, done.message)
    return head + "\n\n" + answer_texts.decided(done.accepted, by)


async def after_decision(
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    planner: Planner,
    done: decisions.Decision,
    user_id: int,
    now: datetime,
) -> None:
    """What follows a decision, pressed on a notice or on the post's page in 📬: the notice
    copies left (`done.others`) closed, saying who decided (the decider's own: "You …");
    the answerer told, an accepted applicant taking part (the internship closing when
    full)."""
    mine = [copy for copy in done.others if copy[0] == user_id]
    await notifier.close_copies(bot, mine, lambda: _decided_notice(done, None))
    theirs = [copy for copy in done.others if copy[0] != user_id]
    await notifier.close_copies(bot, theirs, lambda: _decided_notice(done, done.by))
    if done.participant is not None:
        planner.wake_at(await attending.next_due(sessions))
        await enrolling.welcome(bot, notifier, [done.participant], now)
        if await closing.close_if_full(sessions, done.post_id, now):
            await closing.tell_closed(bot, sessions, notifier, now)
        return
    await notifier.send(
        bot,
        done.answerer,
        done.language,
        lambda: answer_texts.decision_for_answerer(done.kind, done.accepted, done.title, done.host),
    )


async def on_not_text(message: Message) -> None:
    """A sticker, photo or file where the message is expected."""
    await message.answer(event_texts.text_expected())
