"""The one posts wizard: 📣 Offer or seek → 🎓 An event we host, 🧑‍🎓 An internship we host
or 🤝 We seek a partner → that kind's steps (kinds.py describes each) → a preview with
"Hosted by" → Submit. A rejected post, or a published one, opens at its preview for
editing (PostPress EDIT).

The answers live in the FSM data, in the database: a restart loses nothing. Data:
`kind` (a code of `kinds.KINDS`), `step`, `answers`, `zone`, `complete` (the preview was
reached), `host`, `host_id`, `editing` (the post's id, or None), `notice` (the rejection
notice it was opened from: its button goes once it is submitted again)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot import screens, shared_texts, users
from bot.clock import Clock
from bot.config import Settings
from bot.delivery.notifier import Notifier
from bot.handlers.directory.views import show_card
from bot.handlers.events import texts as event_texts
from bot.handlers.posts import calls, keyboards, leaving, posting, texts
from bot.handlers.posts.callbacks import PostAction, PostPress, PostStepPress
from bot.handlers.posts.kinds import KINDS, PREVIEW, NotTaken, PostKind, Submission
from bot.handlers.posts.review import CALL
from bot.handlers.posts.reviewing import send_for_review
from bot.handlers.posts.states import PostWizard
from bot.navigation import Refused
from bot.scheduler import Planner
from bot.steps import Kind, Step, position, toggled
from bot.users import UserInfo
from db.engine import Sessions

# What each offer button writes.
OFFERED = {PostAction.EVENT: "event", PostAction.INTERNSHIP: "internship", PostAction.CALL: CALL}


async def _kind(state: FSMContext, data: dict[str, Any]) -> PostKind:
    """The kind being written (a call's draft from before one wizard served them all is in
    the state `calling`)."""
    code = data.get("kind")
    if code is None:
        code = CALL if await state.get_state() == PostWizard.calling.state else "event"
    found = KINDS.get(str(code))
    if found is None:
        raise Refused()
    return found


async def ask(message: Message, state: FSMContext, *, edit: bool, notice: str = "") -> None:
    """Show the current step (after `notice`), or the preview."""
    data = await state.get_data()
    kind = await _kind(state, data)
    answers: dict[str, Any] = data.get("answers", {})
    code: str = data.get("step", kind.first)
    markup: InlineKeyboardMarkup
    if code == PREVIEW:
        await state.update_data(complete=True)
        text = kind.preview(answers, data.get("host") or "", data["zone"])
        await screens.show(
            message, _with(notice, text), keyboards.preview(data["host_id"]), edit=edit
        )
        return
    step = kind.step(code) or kind.steps[0]
    number, total = position(kind.steps, step.code, answers)
    text = kind.prompt(step.code, number, total, data["zone"])
    if step.kind is Kind.CHOICE:
        markup = keyboards.kinds()
    elif step.kind is Kind.MULTI:
        markup = keyboards.ticks(step, answers.get(step.answer_key, []))
    else:
        markup = keyboards.step(back=True, skip=step.optional_for(answers))
    await screens.show(message, _with(notice, text), markup, edit=edit)


def _with(notice: str, text: str) -> str:
    return f"{notice}\n\n{text}" if notice else text


async def on_offer(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """📣 Offer or seek, from the main menu (with a draft left midway: Continue)."""
    await posting.poster_of(sessions, user.id, clock.now())
    await query.answer()
    draft = await leaving.parked(state)
    text = texts.offer()
    if draft is not None:
        title = (draft.get("answers") or {}).get("title")
        text += "\n\n" + texts.draft_kept(str(title) if title else None)
    await screens.show(message, text, keyboards.offer(draft is not None), edit=True)


async def on_resume(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """✏️ Continue the draft: back at the step it was left (gone, or continued already
    elsewhere: refused)."""
    await posting.poster_of(sessions, user.id, clock.now())
    writing_now = await state.get_state() in leaving.WIZARD  # an older offer's button
    if not writing_now and not await leaving.resume(state):
        raise Refused()
    await query.answer()
    await ask(message, state, edit=True)


async def _open_wizard(
    state: FSMContext,
    sessions: Sessions,
    poster: posting.Poster,
    kind: PostKind,
    *,
    answers: dict[str, Any],
    step: str,
    editing: int | None,
) -> None:
    zone = await users.zone_of(sessions, poster.user_id)
    await leaving.discard(state)  # another post replaces a draft left midway
    if kind.code != CALL:
        answers.setdefault("time_zone", zone)
    await state.set_state(PostWizard.writing)
    await state.set_data(
        {
            "kind": kind.code,
            "step": step,
            "answers": {**dict(kind.opening), **answers},
            "editing": editing,
            "zone": zone,
            "complete": step == PREVIEW,
            "host": poster.name,
            "host_id": poster.organisation_id,
        }
    )


async def on_new(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """🎓 An event, 🧑‍🎓 an internship we host, 🤝 we seek a partner: the first step
    (unless a limit of the organisation's is reached)."""
    kind = KINDS[OFFERED[callback_data.action]]
    now = clock.now()
    poster = await posting.poster_of(sessions, user.id, now)
    await posting.check_room(sessions, poster)
    if kind.code == CALL:
        await calls.check_open(sessions, poster, now)
    await query.answer()
    await _open_wizard(state, sessions, poster, kind, answers={}, step=kind.first, editing=None)
    await ask(message, state, edit=True)


async def on_edit(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """✏️ Edit: a rejected post (from its rejection notice), or a published one (by its
    poster or the organisation's owners), at its preview."""
    now = clock.now()
    if callback_data.kind == CALL:
        call = await calls.editable(sessions, user.id, callback_data.item, now)
        answers, kind = calls.dump(call.draft), KINDS[CALL]
    elif callback_data.kind == "":
        event = await posting.editable(sessions, user.id, callback_data.item, now)
        answers = event.draft.dump()
        kind = KINDS["internship" if event.draft.kind == "internship" else "event"]
    else:
        raise Refused()
    poster = await posting.poster_of(sessions, user.id, now)
    await query.answer()
    await _open_wizard(
        state, sessions, poster, kind, answers=answers, step=PREVIEW, editing=callback_data.item
    )
    await ask(message, state, edit=False)


async def on_redo(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """✏️ Edit under a rejection notice: the post opens at its preview while it is still
    rejected; once sent for review again or published, an alert says so and the notice
    loses its button (the published post is edited from 📬 Answers to our posts)."""
    kind, item = callback_data.kind, callback_data.item
    fate = await posting.since_rejection(sessions, user.id, kind, item, clock.now())
    if fate != "rejected":
        await query.answer(texts.notice_outdated(fate), show_alert=True)
        await screens.strip_keyboard(message, message.message_id)
        return
    await on_edit(query, message, callback_data, state, sessions, user, clock)
    await state.update_data(notice=message.message_id)  # its button goes on Submit


async def on_card(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    bot: Bot,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """🏢 The host's card, sent below (the preview or the post to review stays)."""
    if not await show_card(message, bot, sessions, user, clock, callback_data.item, edit=False):
        raise Refused()
    await query.answer()


async def on_answer(message: Message, state: FSMContext, clock: Clock) -> None:
    """A typed answer to the current step."""
    data = await state.get_data()
    kind = await _kind(state, data)
    code, answers = data.get("step", kind.first), data.get("answers", {})
    step = kind.step(code)
    if step is None or not step.kind.typed:
        await ask(message, state, edit=False, notice=shared_texts.not_understood())
        return
    try:
        answers, shown = kind.take(step, message.text or "", answers, data["zone"], clock.now())
    except NotTaken as refused:
        await ask(message, state, edit=False, notice=refused.notice)
        return
    await state.update_data(answers=answers, step=kind.after(answers, code))
    await ask(message, state, edit=False, notice=shown)


async def on_not_text(message: Message, state: FSMContext) -> None:
    """A sticker, photo or file where the wizard expects text or a press."""
    await ask(message, state, edit=False, notice=event_texts.text_expected())


async def _current(
    state: FSMContext, kind: Kind | None = None, value: str = ""
) -> tuple[dict[str, Any], PostKind, Step]:
    """The wizard's data, kind and current step, if it fits the press (else refused)."""
    data = await state.get_data()
    post_kind = await _kind(state, data)
    step = post_kind.step(data.get("step"))
    if step is None or (kind is not None and step.kind is not kind):
        raise Refused()
    if value and (step.vocabulary is None or value not in step.vocabulary):
        raise Refused()
    return data, post_kind, step


async def _go_on(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    post_kind: PostKind,
    step: Step,
    answers: dict[str, Any],
) -> None:
    await state.update_data(answers=answers, step=post_kind.after(answers, step.code))
    await ask(message, state, edit=True)
    await query.answer()


async def on_kind(
    query: CallbackQuery, message: Message, callback_data: PostStepPress, state: FSMContext
) -> None:
    """A kind of event, on an event's first step (an internship has its own button)."""
    data, post_kind, step = await _current(state, Kind.CHOICE, callback_data.code)
    if callback_data.code not in posting.KINDS:
        raise Refused()
    answers = {**data.get("answers", {}), step.answer_key: callback_data.code}
    await _go_on(query, message, state, post_kind, step, answers)


async def on_tick(
    query: CallbackQuery, message: Message, callback_data: PostStepPress, state: FSMContext
) -> None:
    """Tick or untick a value of a multi-select step."""
    data, _, step = await _current(state, Kind.MULTI, callback_data.code)
    answers = dict(data.get("answers", {}))
    answers[step.answer_key] = toggled(step, answers.get(step.answer_key, []), callback_data.code)
    await state.update_data(answers=answers)
    await ask(message, state, edit=True)
    await query.answer()


async def on_done(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """✔ Done on a multi-select step (none ticked: everyone)."""
    data, post_kind, step = await _current(state, Kind.MULTI)
    answers = dict(data.get("answers", {}))
    answers.setdefault(step.answer_key, [])
    await _go_on(query, message, state, post_kind, step, answers)


async def on_skip(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """Skip, where the current step is optional."""
    data, post_kind, step = await _current(state)
    answers = dict(data.get("answers", {}))
    if not step.optional_for(answers):
        raise Refused()
    await _go_on(query, message, state, post_kind, step, {**answers, step.answer_key: None})


async def on_back(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """« Back, from a step or the preview; from the first step, back to 📣 Offer or seek:
    the draft parked as when leaving midway (✏️ Continue offered), or forgotten when
    nothing was written yet (as ✖ Stop)."""
    data = await state.get_data()
    kind = await _kind(state, data)
    code = data.get("step", kind.first)
    answers: dict[str, Any] = data.get("answers", {})
    if code != PREVIEW and kind.previous(answers, code) == code:
        await query.answer()
        await _back_to_offer(message, state, kind, answers)
        return
    await state.update_data(step=kind.previous(answers, code))
    await ask(message, state, edit=True)
    await query.answer()


async def _back_to_offer(
    message: Message, state: FSMContext, kind: PostKind, answers: dict[str, Any]
) -> None:
    given = {key for key in answers if key not in dict(kind.opening) and key != "time_zone"}
    if not given:
        await state.clear()
        await screens.show(message, texts.offer(), keyboards.offer(), edit=True)
        return
    await leaving.park(state)
    title = answers.get("title")
    text = _with(texts.offer(), texts.draft_kept(str(title) if title else None))
    await screens.show(message, text, keyboards.offer(True), edit=True)


async def on_abort(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """✖ Stop: nothing is saved; 📣 Offer or seek again (its 🏠 Main menu included), so that
    a member who stopped is not left with a message without a button."""
    await state.clear()
    text = _with(texts.stopped(), texts.offer())
    await screens.show(message, text, keyboards.offer(), edit=True)
    await query.answer()


async def on_submit(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    settings: Settings,
    notifier: Notifier,
    planner: Planner,
    user: UserInfo,
    clock: Clock,
) -> None:
    """📨 Submit, under the preview: to every admin (or published, for a verified
    organisation when POST_REVIEW=unverified; or, a published post's time, link or place
    changed, kept published and those attending told)."""
    data = await state.get_data()
    kind = await _kind(state, data)
    if data.get("step") != PREVIEW:
        raise Refused()
    now = clock.now()
    answers, zone, editing = data.get("answers", {}), data["zone"], data.get("editing")
    # Refused: the wizard stays, to stop or try again.
    done = await kind.submit(Submission(sessions, user.id, answers, zone, now, editing, settings))
    await state.clear()
    await screens.strip_keyboard(message, data.get("notice"))  # the notice it was edited from
    await query.answer()
    if done.how != "review":
        planner.wake_at(now)
        direct = done.how == "direct"
        text = texts.published_directly(done.post) if direct else texts.kept(done.post)
        await screens.show(message, text, None, edit=True)
        return
    await screens.show(message, texts.submitted(done.post), None, edit=True)
    await send_for_review(bot, sessions, settings, notifier, done.post)
