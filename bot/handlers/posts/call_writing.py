"""A member writes a partner call: 📣 Offer or seek → 🤝 We seek a partner → the project,
what the partner brings, countries, the deadline, the grant or programme, the working
languages → a preview with "Hosted by" → Submit. Back, Skip and progress as the event
wizard has them; the answers live in the FSM data, in the database (a restart loses
nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot import screens, shared_texts, users
from bot.clock import Clock
from bot.config import Settings
from bot.delivery.notifier import Notifier
from bot.handlers.events import texts as event_texts
from bot.handlers.posts import call_texts, calls, keyboards, posting, texts
from bot.handlers.posts.callbacks import PostStepPress
from bot.handlers.posts.calls import CallDraft, CallError
from bot.handlers.posts.reviewing import send_for_review
from bot.handlers.posts.states import PostWizard
from bot.navigation import Refused
from bot.steps import Kind, Step, position, toggled
from bot.users import UserInfo
from db.engine import Sessions


async def ask(message: Message, state: FSMContext, *, edit: bool, notice: str = "") -> None:
    """Show the current step (after `notice`), or the preview."""
    data = await state.get_data()
    answers: dict[str, Any] = data.get("answers", {})
    code: str = data.get("step", calls.FIRST_STEP)
    markup: InlineKeyboardMarkup
    if code == calls.PREVIEW:
        draft = CallDraft.load(answers)
        text = texts.preview_head() + "\n\n" + call_texts.card(draft, data.get("host") or "")
        await screens.show(
            message, _with(notice, text), keyboards.preview(data["host_id"]), edit=edit
        )
        return
    step = calls.get_step(code) or calls.STEPS[0]
    number, total = position(calls.STEPS, step.code, answers)
    text = call_texts.step_prompt(step.code, number, total, data["zone"])
    if step.kind is Kind.MULTI:
        markup = keyboards.ticks(step, answers.get(step.answer_key, []))
    else:
        markup = keyboards.step(back=number > 1, skip=step.optional_for(answers))
    await screens.show(message, _with(notice, text), markup, edit=edit)


def _with(notice: str, text: str) -> str:
    return f"{notice}\n\n{text}" if notice else text


async def on_call(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """🤝 We seek a partner: the first step (unless too many posts wait for review)."""
    poster = await posting.poster_of(sessions, user.id, clock.now())
    await posting.check_room(sessions, poster)
    await query.answer()
    zone = await users.zone_of(sessions, user.id)
    await state.set_state(PostWizard.calling)
    await state.set_data(
        {
            "step": calls.FIRST_STEP,
            "answers": {},
            "zone": zone,
            "host": poster.name,
            "host_id": poster.organisation_id,
        }
    )
    await ask(message, state, edit=True)


async def on_answer(message: Message, state: FSMContext, clock: Clock) -> None:
    """A typed answer to the current step."""
    data = await state.get_data()
    code, answers = data.get("step", calls.FIRST_STEP), data.get("answers", {})
    step = calls.get_step(code)
    if step is None or not step.kind.typed:
        await ask(message, state, edit=False, notice=shared_texts.not_understood())
        return
    try:
        answers = calls.take(step, message.text or "", answers, data["zone"], clock.now())
    except CallError as error:
        await ask(message, state, edit=False, notice=call_texts.problem(error))
        return
    await state.update_data(answers=answers, step=calls.after(answers, code))
    shown = ""
    if step.code == "deadline":
        shown = call_texts.taken(date.fromisoformat(answers["deadline"]))
    await ask(message, state, edit=False, notice=shown)


async def on_not_text(message: Message, state: FSMContext) -> None:
    """A sticker, photo or file where the wizard expects text or a press."""
    await ask(message, state, edit=False, notice=event_texts.text_expected())


async def _current(
    state: FSMContext, kind: Kind | None = None, value: str = ""
) -> tuple[dict[str, Any], Step]:
    """The wizard's data and its current step, if it fits the press (else refused)."""
    data = await state.get_data()
    step = calls.get_step(data.get("step"))
    if step is None or (kind is not None and step.kind is not kind):
        raise Refused()
    if value and (step.vocabulary is None or value not in step.vocabulary.codes):
        raise Refused()
    return data, step


async def _go_on(
    query: CallbackQuery, message: Message, state: FSMContext, step: Step, answers: dict[str, Any]
) -> None:
    await state.update_data(answers=answers, step=calls.after(answers, step.code))
    await ask(message, state, edit=True)
    await query.answer()


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
    """✔ Done on a multi-select step (none ticked: any)."""
    data, step = await _current(state, Kind.MULTI)
    answers = dict(data.get("answers", {}))
    answers.setdefault(step.answer_key, [])
    await _go_on(query, message, state, step, answers)


async def on_skip(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """Skip, where the current step is optional (the grant or programme)."""
    data, step = await _current(state)
    answers = dict(data.get("answers", {}))
    if not step.optional_for(answers):
        raise Refused()
    await _go_on(query, message, state, step, {**answers, step.answer_key: None})


async def on_back(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """« Back, from a step or the preview."""
    data = await state.get_data()
    await state.update_data(step=calls.previous(data.get("step", calls.FIRST_STEP)))
    await ask(message, state, edit=True)
    await query.answer()


async def on_submit(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    settings: Settings,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """📨 Submit, under the preview: to every admin."""
    data = await state.get_data()
    if data.get("step") != calls.PREVIEW:
        raise Refused()
    call = await calls.submit(
        sessions, user.id, data.get("answers", {}), data["zone"], clock.now()
    )  # refused: the wizard stays, to stop or try again
    await state.clear()
    await query.answer()
    await screens.show(message, texts.submitted(call), None, edit=True)
    await send_for_review(bot, sessions, settings, notifier, call)
