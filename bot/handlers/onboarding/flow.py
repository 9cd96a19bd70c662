"""Moving through the questionnaire and showing its screens."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.handlers.onboarding import keyboards, texts
from bot.handlers.onboarding.handover import Handover
from bot.handlers.onboarding.questionnaire import (
    FIRST_STEP,
    asked_steps,
    first_unanswered,
    get_step,
    next_step,
    previous_step,
    without_stale,
)
from bot.handlers.onboarding.states import Questionnaire
from bot.screens import show, strip_keyboard
from db.engine import Sessions


async def ask(
    message: Message, state: FSMContext, *, edit: bool, notice: str | None = None
) -> None:
    """Show the current question (after `notice`, if any) with its buttons."""
    data = await state.get_data()
    step = get_step(data.get("step")) or get_step(FIRST_STEP)
    assert step is not None
    answers: dict[str, Any] = data.get("answers", {})
    text = texts.question(step, answers)
    if notice:
        text = f"{notice}\n\n{text}"
    markup = keyboards.question(step, answers, can_go_back=can_go_back(data, step.code, answers))
    if not edit:
        await strip_keyboard(message, data.get("qmid"))
    sent = await show(message, text, markup, edit=edit)
    # Only a question with buttons is remembered: there is nothing to strip or press otherwise.
    qmid = sent.message_id if markup.inline_keyboard else None
    if qmid != data.get("qmid"):
        await state.update_data(qmid=qmid)


def can_go_back(data: dict[str, Any], step: str, answers: dict[str, Any]) -> bool:
    """Back exists except on the first question of onboarding."""
    return data.get("return_to") is not None or previous_step(step, answers) is not None


async def begin(
    message: Message,
    state: FSMContext,
    *,
    edit: bool,
    answers: dict[str, Any] | None = None,
    step: str = FIRST_STEP,
    return_to: str | None = None,
) -> None:
    """Start answering at `step`: the whole questionnaire, or one answer to change."""
    answers = answers or {}
    await state.set_state(Questionnaire.answering)
    await state.set_data(
        {
            "step": step,
            "answers": answers,
            "return_to": return_to,
            "field": step,
            "originals": {step: answers.get(step)},
        }
    )
    await ask(message, state, edit=edit)


async def advance(
    message: Message,
    state: FSMContext,
    answers: dict[str, Any],
    sessions: Sessions,
    handover: Handover,
    *,
    edit: bool,
) -> None:
    """Record `answers` and move on: the next question, the summary, or back to the profile."""
    data = await state.get_data()
    answers = without_stale(answers)
    return_to = data.get("return_to")
    upcoming = next_step(data["step"], answers) if return_to is None else first_unanswered(answers)
    if upcoming is not None:
        originals = {upcoming: answers.get(upcoming), **data.get("originals", {})}
        await state.update_data(step=upcoming, answers=answers, originals=originals)
        # "Already here?" after the name and the country: the next question waits behind it.
        if (
            return_to is None
            and data["step"] == "country"
            and "name" in answers
            and await handover.offer_existing(
                message, sessions, answers["name"], answers["country"], edit=edit
            )
        ):
            return
        await ask(message, state, edit=edit)
    elif return_to == "profile":
        await handover.save_and_show_profile(message, state, answers, sessions, edit=edit)
    else:
        await state.set_state(Questionnaire.review)
        await state.update_data(answers=answers, step=None, return_to=None)
        await show_review(message, state, edit=edit)


async def go_back(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    handover: Handover,
) -> None:
    """Back: the previous question, or out of a one-answer change with nothing changed."""
    data = await state.get_data()
    answers: dict[str, Any] = dict(data.get("answers", {}))
    return_to = data.get("return_to")
    if return_to is None:
        previous = previous_step(data["step"], answers)
        if previous is not None:
            await state.update_data(step=previous)
        await ask(message, state, edit=True)
        return
    if data["step"] != data.get("field", data["step"]):
        # A follow-up question (e.g. which countries, after "yes"): back to the one before.
        await state.update_data(step=previous_step(data["step"], answers) or data["field"])
        await ask(message, state, edit=True)
        return
    for step, original in data.get("originals", {}).items():  # nothing changed after all
        if original is None:
            answers.pop(step, None)
        else:
            answers[step] = original
    if return_to == "profile":
        await state.clear()
        await handover.show_profile(message, sessions, message.chat.id, edit=True)
        return
    await state.set_state(Questionnaire.review)
    await state.update_data(answers=without_stale(answers), step=None, return_to=None)
    await show_review(message, state, edit=True)


async def show_review(message: Message, state: FSMContext, *, edit: bool) -> None:
    """The summary card with Confirm / change an answer."""
    data = await state.get_data()
    answers = data.get("answers", {})
    unanswered = first_unanswered(answers)
    if unanswered is not None:  # an old summary, or answers lost in a crash: ask what is missing
        await state.set_state(Questionnaire.answering)
        await state.update_data(
            step=unanswered, return_to="review", field=unanswered, originals={unanswered: None}
        )
        await ask(message, state, edit=edit)
        return
    text = f"{texts.summary_intro()}\n\n{texts.card(answers)}"
    await show(message, text, keyboards.review(), edit=edit)


async def show_fields(message: Message, answers: dict[str, Any], *, from_profile: bool) -> None:
    """The list of answers that can be changed, in place of the card's buttons."""
    markup = keyboards.fields(answers, from_profile=from_profile)
    await show(message, texts.choose_field(), markup, edit=True)


async def reshow_current(message: Message, state: FSMContext, *, notice: str | None = None) -> None:
    """Repeat whatever the flow is waiting for, as a new message."""
    if await state.get_state() == Questionnaire.review.state:
        if notice:
            await message.answer(notice)
        await show_review(message, state, edit=False)
    else:
        await ask(message, state, edit=False, notice=notice)


def total_steps(answers: dict[str, Any]) -> int:
    """How many questions are asked, given the answers so far."""
    return len(asked_steps(answers))
