"""The questionnaire: answers typed or pressed, the summary, Confirm."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens, shared_texts
from bot.features.menu import views as menu_views
from bot.features.onboarding import flow, keyboards, texts
from bot.features.onboarding.callbacks import ReviewAction, ReviewPress, StepAction, StepPress
from bot.features.onboarding.questionnaire import (
    Kind,
    Step,
    choose,
    finish_multi,
    first_unanswered,
    get_step,
    parse_text,
    toggle,
)
from bot.features.onboarding.states import Questionnaire
from bot.features.profile import profiles
from bot.validation import AnswerError, Problem
from db.engine import Sessions

IN_FLOW = (Questionnaire.answering, Questionnaire.review)


def create_router() -> Router:
    """Routes for everything said or pressed while the questionnaire is open."""
    router = Router(name="onboarding")
    router.callback_query.register(on_step_press, Questionnaire.answering, StepPress.filter())
    router.callback_query.register(on_review_press, ReviewPress.filter())
    router.message.register(on_command, StateFilter(*IN_FLOW), F.text.startswith("/"))
    router.message.register(on_text, Questionnaire.answering, F.text)
    router.message.register(on_not_text, Questionnaire.answering)
    router.message.register(on_review_message, Questionnaire.review)
    router.callback_query.register(on_stale_press, StateFilter(*IN_FLOW))
    return router


async def _current(state: FSMContext) -> tuple[Step | None, dict[str, Any]]:
    data = await state.get_data()
    return get_step(data.get("step")), dict(data.get("answers", {}))


async def on_command(message: Message, state: FSMContext) -> None:
    """A command that is not available inside the questionnaire."""
    await flow.reshow_current(message, state, notice=texts.command_in_questionnaire())


async def on_text(message: Message, state: FSMContext, sessions: Sessions) -> None:
    """A typed answer: validated, stored, and on to the next question."""
    step, answers = await _current(state)
    if step is None:
        await flow.begin(message, state, edit=False)
        return
    try:
        answers[step.code] = parse_text(step, message.text or "")
    except AnswerError as error:
        await flow.ask(message, state, edit=False, notice=shared_texts.problem(error))
        return
    await flow.advance(message, state, answers, sessions, edit=False)


async def on_not_text(message: Message, state: FSMContext) -> None:
    """A photo, sticker, voice message, location or file where an answer is expected."""
    step, _ = await _current(state)
    problem = (
        Problem.NEED_TEXT if step is not None and step.kind is Kind.TEXT else Problem.NEED_BUTTON
    )
    await flow.ask(message, state, edit=False, notice=shared_texts.problem(AnswerError(problem)))


async def on_review_message(message: Message, state: FSMContext) -> None:
    """Anything typed while the summary waits for Confirm."""
    await message.answer(shared_texts.problem(AnswerError(Problem.NEED_BUTTON)))
    await flow.show_review(message, state, edit=False)


async def on_stale_press(query: CallbackQuery) -> None:
    """A button of another screen pressed while the questionnaire is open."""
    await query.answer(shared_texts.stale_button(), show_alert=True)


async def on_step_press(
    query: CallbackQuery,
    callback_data: StepPress,
    state: FSMContext,
    sessions: Sessions,
) -> None:
    """A button under the current question."""
    message = query.message
    data = await state.get_data()
    step = get_step(data.get("step"))
    if (
        step is None
        or not isinstance(message, Message)
        or callback_data.step != step.code
        or message.message_id != data.get("qmid", message.message_id)
    ):
        await query.answer(shared_texts.stale_button(), show_alert=True)
        return
    answers: dict[str, Any] = dict(data.get("answers", {}))
    action = callback_data.action
    try:
        if action is StepAction.BACK:
            await query.answer()
            await flow.go_back(message, state, sessions)
            return
        if action is StepAction.TOGGLE and step.kind is Kind.MULTI:
            answers[step.code] = toggle(step, answers.get(step.code) or [], callback_data.value)
            await state.update_data(answers=answers)
            await query.answer()
            await message.edit_reply_markup(
                reply_markup=keyboards.question(
                    step, answers, can_go_back=flow.can_go_back(data, step.code, answers)
                )
            )
            return
        if action is StepAction.DONE and step.kind is Kind.MULTI:
            answers[step.code] = finish_multi(step, answers.get(step.code) or [])
        elif action is StepAction.PICK and step.kind is Kind.CHOICE:
            answers[step.code] = choose(step, callback_data.value)
        elif action in {StepAction.YES, StepAction.NO} and step.kind is Kind.YES_NO:
            answers[step.code] = action is StepAction.YES
        elif action is StepAction.SKIP and step.optional:
            answers[step.code] = [] if step.kind is Kind.MULTI else None
        elif not (action is StepAction.KEEP and answers.get(step.code)):
            raise AnswerError(Problem.NEED_BUTTON)
    except AnswerError as error:
        text = (
            shared_texts.problem(error)
            if error.problem is Problem.NEED_CHOICE
            else shared_texts.stale_button()
        )
        await query.answer(text, show_alert=True)
        return
    await query.answer()
    await flow.advance(message, state, answers, sessions, edit=True)


async def on_review_press(
    query: CallbackQuery,
    callback_data: ReviewPress,
    state: FSMContext,
    sessions: Sessions,
) -> None:
    """Confirm, change an answer, or the resume prompt's Continue / Start over."""
    message = query.message
    current = await state.get_state()
    in_flow = current in {Questionnaire.answering.state, Questionnaire.review.state}
    if not isinstance(message, Message) or not in_flow:
        await query.answer(shared_texts.stale_button(), show_alert=True)
        return
    action = callback_data.action
    if action is ReviewAction.CONTINUE:
        await query.answer()
        if current == Questionnaire.review.state:
            await flow.show_review(message, state, edit=True)
        else:
            await flow.ask(message, state, edit=True)
        return
    if action is ReviewAction.RESTART:
        await query.answer()
        await flow.begin(message, state, edit=True)
        return
    if current != Questionnaire.review.state:
        await query.answer(shared_texts.stale_button(), show_alert=True)
        return
    answers: dict[str, Any] = (await state.get_data()).get("answers", {})
    if action is ReviewAction.CONFIRM:
        if first_unanswered(answers) is not None:
            await query.answer()
            await flow.show_review(message, state, edit=True)
            return
        profile = await profiles.save_profile(sessions, message.chat.id, answers)
        await state.clear()
        await query.answer(texts.saved_profile())
        await screens.show(message, texts.card(profile.answers), None, edit=True)
        await message.answer(texts.saved_profile())
        await menu_views.show_menu(message, sessions, message.chat.id, edit=False, has_profile=True)
    elif action is ReviewAction.FIELDS:
        await query.answer()
        await flow.show_fields(message, answers, from_profile=False)
    elif action is ReviewAction.SUMMARY:
        await query.answer()
        await flow.show_review(message, state, edit=True)
    elif action is ReviewAction.FIELD:
        step = get_step(callback_data.field)
        if step is None or not step.applies_to(answers):
            await query.answer(shared_texts.stale_button(), show_alert=True)
            return
        await query.answer()
        await flow.begin(
            message, state, edit=True, answers=answers, step=step.code, return_to="review"
        )
