"""A member writes an event their organisation hosts: 📣 Offer or seek → 🎓 An event we
host → the admins' event wizard's steps (bot/handlers/events: its steps, parsing, prompts
and keyboards, through their public names) → a preview with "Hosted by" → Submit.

The answers live in the FSM data, in the database: a restart loses nothing."""

from __future__ import annotations

from datetime import datetime
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
from bot.handlers.events import wizard, wizard_steps
from bot.handlers.events.drafts import Draft, EventInfo
from bot.handlers.events.wizard_steps import EventError
from bot.handlers.posts import keyboards, posting, texts
from bot.handlers.posts.callbacks import PostPress, PostStepPress
from bot.handlers.posts.posting import KINDS
from bot.handlers.posts.reviewing import send_for_review
from bot.handlers.posts.states import PostWizard
from bot.navigation import Refused
from bot.scheduler import Planner
from bot.steps import Kind, Step, position, toggled
from bot.users import UserInfo
from db.engine import Sessions


async def ask(message: Message, state: FSMContext, *, edit: bool, notice: str = "") -> None:
    """Show the current step (after `notice`), or the preview."""
    data = await state.get_data()
    answers: dict[str, Any] = data.get("answers", {})
    code: str = data.get("step", wizard_steps.FIRST_STEP)
    zone: str = data["zone"]
    markup: InlineKeyboardMarkup
    if code == wizard.PREVIEW:
        await state.update_data(complete=True)
        host = data.get("host") or ""
        event = EventInfo(0, "draft", Draft.load(answers), host=host)
        text = texts.preview_head() + "\n\n" + event_texts.card(event, zone)
        await screens.show(
            message, _with(notice, text), keyboards.preview(data["host_id"]), edit=edit
        )
        return
    step = wizard_steps.get_step(code) or wizard_steps.STEPS[0]
    number, total = position(wizard_steps.STEPS, step.code, answers)
    text = event_texts.step_prompt(step.code, number, total, zone)
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
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo, clock: Clock
) -> None:
    """📣 Offer or seek, from the main menu."""
    await posting.poster_of(sessions, user.id, clock.now())
    await query.answer()
    await screens.show(message, texts.offer(), keyboards.offer(), edit=True)


async def _open_wizard(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    poster: posting.Poster,
    *,
    answers: dict[str, Any],
    step: str,
    editing: int | None,
) -> None:
    zone = await users.zone_of(sessions, poster.user_id)
    answers.setdefault("time_zone", zone)
    await state.set_state(PostWizard.writing)
    await state.set_data(
        {
            "step": step,
            "answers": answers,
            "editing": editing,
            "zone": zone,
            "complete": step == wizard.PREVIEW,
            "host": poster.name,
            "host_id": poster.organisation_id,
        }
    )


async def on_event(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """🎓 An event we host: the wizard's first step (unless too many wait for review)."""
    poster = await posting.poster_of(sessions, user.id, clock.now())
    await posting.check_room(sessions, poster)
    await query.answer()
    await _open_wizard(
        message, state, sessions, poster, answers={}, step=wizard_steps.FIRST_STEP, editing=None
    )
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
    """✏️ Edit and submit again, under a rejection: the post's preview."""
    now = clock.now()
    event = await posting.editable(sessions, user.id, callback_data.item, now)
    poster = await posting.poster_of(sessions, user.id, now)
    await query.answer()
    await _open_wizard(
        message,
        state,
        sessions,
        poster,
        answers=event.draft.dump(),
        step=wizard.PREVIEW,
        editing=event.id,
    )
    await ask(message, state, edit=False)


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
    code, answers, zone = (
        data.get("step", wizard_steps.FIRST_STEP),
        data.get("answers", {}),
        data["zone"],
    )
    step = wizard_steps.get_step(code)
    if step is None or not step.kind.typed:
        await ask(message, state, edit=False, notice=shared_texts.not_understood())
        return
    try:
        answers = wizard_steps.take(step, message.text or "", answers, zone, clock.now())
    except EventError as error:
        await ask(message, state, edit=False, notice=event_texts.problem(error))
        return
    await state.update_data(answers=answers, step=wizard.after(data, answers, code))
    shown = ""
    if step.kind is Kind.MOMENT:
        shown = event_texts.taken(datetime.fromisoformat(answers[step.answer_key]), zone)
    await ask(message, state, edit=False, notice=shown)


async def on_not_text(message: Message, state: FSMContext) -> None:
    """A sticker, photo or file where the wizard expects text or a press."""
    await ask(message, state, edit=False, notice=event_texts.text_expected())


async def _current(
    state: FSMContext, kind: Kind | None = None, value: str = ""
) -> tuple[dict[str, Any], Step]:
    """The wizard's data and its current step, if it fits the press (else refused)."""
    data = await state.get_data()
    step = wizard_steps.get_step(data.get("step"))
    if step is None or (kind is not None and step.kind is not kind):
        raise Refused()
    if value and (step.vocabulary is None or value not in step.vocabulary):
        raise Refused()
    return data, step


async def _go_on(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    data: dict[str, Any],
    step: Step,
    answers: dict[str, Any],
) -> None:
    await state.update_data(answers=answers, step=wizard.after(data, answers, step.code))
    await ask(message, state, edit=True)
    await query.answer()


async def on_kind(
    query: CallbackQuery, message: Message, callback_data: PostStepPress, state: FSMContext
) -> None:
    """A kind of event, on the first step (not an internship, for now)."""
    data, step = await _current(state, Kind.CHOICE, callback_data.code)
    if callback_data.code not in KINDS:
        raise Refused()
    answers = {**data.get("answers", {}), step.answer_key: callback_data.code}
    await _go_on(query, message, state, data, step, answers)


async def on_tick(
    query: CallbackQuery, message: Message, callback_data: PostStepPress, state: FSMContext
) -> None:
    """Tick or untick a value of a multi-select step."""
    data, step = await _current(state, Kind.MULTI, callback_data.code)
    answers = dict(data.get("answers", {}))
    answers[step.answer_key] = toggled(step, answers.get(step.answer_key, []), callback_data.code)
    await state.update_data(answers=answers)
    await ask(message, state, edit=True)
    await query.answer()


async def on_done(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """✔ Done on a multi-select step (none ticked: everyone)."""
    data, step = await _current(state, Kind.MULTI)
    answers = dict(data.get("answers", {}))
    answers.setdefault(step.answer_key, [])
    await _go_on(query, message, state, data, step, answers)


async def on_skip(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """Skip, where the current step is optional."""
    data, step = await _current(state)
    answers = dict(data.get("answers", {}))
    if not step.optional_for(answers):
        raise Refused()
    await _go_on(query, message, state, data, step, {**answers, step.answer_key: None})


async def on_back(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """« Back, from a step or the preview."""
    data = await state.get_data()
    code = data.get("step", wizard_steps.FIRST_STEP)
    await state.update_data(step=wizard.previous(data.get("answers", {}), code))
    await ask(message, state, edit=True)
    await query.answer()


async def on_abort(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """✖ Stop: nothing is saved."""
    await state.clear()
    await screens.show(message, texts.stopped(), None, edit=True)
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
    organisation when POST_REVIEW=unverified)."""
    data = await state.get_data()
    if data.get("step") != wizard.PREVIEW:
        raise Refused()
    now = clock.now()
    done = await posting.submit(
        sessions,
        user.id,
        data.get("answers", {}),
        now,
        editing=data.get("editing"),
        review_mode=settings.post_review,
        default_language=settings.default_language,
    )  # refused: the wizard stays, to stop or try again
    await state.clear()
    await query.answer()
    if done.direct:
        planner.wake_at(now)
        await screens.show(message, texts.published_directly(done.event), None, edit=True)
        return
    await screens.show(message, texts.submitted(done.event), None, edit=True)
    await send_for_review(bot, sessions, settings, notifier, done.event)
