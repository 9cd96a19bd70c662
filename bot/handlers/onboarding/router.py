"""The questionnaire: answers typed or pressed, the summary, Confirm."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import shared_texts
from bot.handlers.menu import texts as menu_texts
from bot.handlers.onboarding import detour, flow, interrupted, profiles, texts, views
from bot.handlers.onboarding.callbacks import ReviewAction, ReviewPress, StepAction, StepPress
from bot.handlers.onboarding.handover import Handover
from bot.handlers.onboarding.questionnaire import (
    Step,
    changeable,
    first_unanswered,
    get_step,
    parse_text,
    pressed,
)
from bot.handlers.onboarding.states import Questionnaire
from bot.navigation import Pressed, RefusalsAnswered, Refused, register_actions
from bot.users import UserInfo
from bot.validation import AnswerError, Problem
from db.engine import Sessions

IN_FLOW = (Questionnaire.answering, Questionnaire.review)


def create_commands_router() -> Router:
    """/help and /cancel inside the questionnaire: tried before the menu's (which answers
    them anywhere else)."""
    router = Router(name="questionnaire_commands")
    router.message.register(on_help, Command("help"), StateFilter(Questionnaire))
    router.message.register(on_cancel, Command("cancel"), StateFilter(Questionnaire))
    return router


async def on_help(message: Message, state: FSMContext) -> None:
    """/help: the help, then the current question again."""
    await message.answer(menu_texts.help_text())
    await flow.reshow_current(message, state)


async def on_cancel(
    message: Message, state: FSMContext, sessions: Sessions, user: UserInfo
) -> None:
    """/cancel: leave the questionnaire (or a one-answer change) and go to the menu."""
    data = await state.get_data()
    await state.clear()
    await views.cancelled(message, data, sessions, user.id)


def create_router() -> Router:
    """Routes for everything said or pressed while the questionnaire is open."""
    router = Router(name="onboarding")
    router.callback_query.middleware(RefusalsAnswered())  # presses that do not fit: refused
    interrupted.register(router)  # presses on a questionnaire whose state was lost
    # The questions' presses, on the message a question is on (the catch-all below
    # answers any other press while the questionnaire is open).
    register_actions(
        router,
        StepPress,
        {
            StepAction.PICK: on_answer_press,
            StepAction.TOGGLE: on_answer_press,
            StepAction.DONE: on_answer_press,
            StepAction.YES: on_answer_press,
            StepAction.NO: on_answer_press,
            StepAction.BACK: on_back,
            StepAction.SKIP: on_answer_press,
            StepAction.KEEP: on_answer_press,
        },
        Questionnaire.answering,
        Pressed(),
    )
    router.callback_query.register(on_confirm, ReviewPress.filter(F.action == ReviewAction.CONFIRM))
    router.callback_query.register(on_fields, ReviewPress.filter(F.action == ReviewAction.FIELDS))
    router.callback_query.register(on_field, ReviewPress.filter(F.action == ReviewAction.FIELD))
    router.callback_query.register(on_summary, ReviewPress.filter(F.action == ReviewAction.SUMMARY))
    router.callback_query.register(
        on_continue, ReviewPress.filter(F.action == ReviewAction.CONTINUE)
    )
    router.callback_query.register(on_restart, ReviewPress.filter(F.action == ReviewAction.RESTART))
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


async def on_text(
    message: Message, state: FSMContext, sessions: Sessions, handover: Handover
) -> None:
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
    await flow.advance(message, state, answers, sessions, handover, edit=False)


async def on_not_text(message: Message, state: FSMContext) -> None:
    """A photo, sticker, voice message, location or file where an answer is expected."""
    step, _ = await _current(state)
    await flow.ask(message, state, edit=False, notice=views.not_text(step))


async def on_review_message(message: Message, state: FSMContext) -> None:
    """Anything typed while the summary waits for Confirm."""
    await views.review_waits(message, state)


async def on_stale_press(query: CallbackQuery) -> None:
    """A button of another screen pressed while the questionnaire is open."""
    raise Refused


async def _question(
    message: Message, callback_data: StepPress, state: FSMContext
) -> tuple[Step, dict[str, Any]]:
    """The current question's step and data; refused (out of date) for a press under any
    other question (whether this one has such a press is `pressed`'s to say)."""
    data = await state.get_data()
    step = get_step(data.get("step"))
    if (
        step is None
        or callback_data.step != step.code
        or message.message_id != data.get("qmid", message.message_id)
    ):
        raise Refused
    return step, data


def _refused(error: AnswerError) -> Refused:
    """A required choice left empty is explained; anything else is a stale button."""
    if error.problem is Problem.NEED_CHOICE:
        return Refused(lambda: shared_texts.problem(error))
    return Refused()


async def on_answer_press(
    query: CallbackQuery,
    message: Message,
    callback_data: StepPress,
    state: FSMContext,
    sessions: Sessions,
    handover: Handover,
) -> None:
    """An answer pressed under the current question: an option of a multiple choice ticked
    or unticked (the question stays), or an option of a single choice, Done under a
    multiple choice, Yes, No, Skip or Keep (stored, and on to the next question). A press
    the question does not have is refused as out of date; Done on a required multiple
    choice without a tick is explained."""
    step, data = await _question(message, callback_data, state)
    answers = dict(data.get("answers", {}))
    try:
        answers[step.code] = pressed(step, callback_data.action, callback_data.value, answers)
    except AnswerError as error:
        raise _refused(error) from error
    if callback_data.action is StepAction.TOGGLE:
        await state.update_data(answers=answers)
        await query.answer()
        await views.ticked(message, state, data, step, answers)
        return
    await query.answer()
    await flow.advance(message, state, answers, sessions, handover, edit=True)


async def on_back(
    query: CallbackQuery,
    message: Message,
    callback_data: StepPress,
    state: FSMContext,
    sessions: Sessions,
    handover: Handover,
) -> None:
    """The previous question."""
    await _question(message, callback_data, state)
    await query.answer()
    await flow.go_back(message, state, sessions, handover)


async def _in_flow(query: CallbackQuery, state: FSMContext) -> tuple[Message, bool]:
    """The message pressed on, and whether the summary is shown; refused (out of date)
    outside the questionnaire."""
    message = query.message
    await detour.resume(state)  # Continue under the reminder a detour command left
    current = await state.get_state()
    in_flow = current in {Questionnaire.answering.state, Questionnaire.review.state}
    if not isinstance(message, Message) or not in_flow:
        raise Refused
    return message, current == Questionnaire.review.state


async def _in_review(query: CallbackQuery, state: FSMContext) -> tuple[Message, dict[str, Any]]:
    """The message pressed on and the answers, while the summary waits for Confirm;
    refused (out of date) otherwise."""
    message, reviewing = await _in_flow(query, state)
    if not reviewing:
        raise Refused
    answers: dict[str, Any] = (await state.get_data()).get("answers", {})
    return message, answers


async def on_confirm(query: CallbackQuery, state: FSMContext, sessions: Sessions) -> None:
    """Confirm on the summary: the profile is saved, then the menu."""
    message, answers = await _in_review(query, state)
    if first_unanswered(answers) is not None:
        await query.answer()
        await flow.show_review(message, state, edit=True)
        return
    # None: the presser joined a team meanwhile, as a member (its profile stays).
    profile = await profiles.save_if_owner(sessions, message.chat.id, answers)
    await state.clear()
    await views.saved(query, message, profile, sessions)


async def on_fields(query: CallbackQuery, state: FSMContext) -> None:
    """The list of answers to change."""
    message, answers = await _in_review(query, state)
    await query.answer()
    await flow.show_fields(message, answers, from_profile=False)


async def on_field(query: CallbackQuery, callback_data: ReviewPress, state: FSMContext) -> None:
    """Change one answer, then back to the summary."""
    message, answers = await _in_review(query, state)
    step = changeable(callback_data.field, answers)  # else refused: out of date
    await query.answer()
    await flow.begin(message, state, edit=True, answers=answers, step=step.code, return_to="review")


async def on_summary(query: CallbackQuery, state: FSMContext) -> None:
    """Back from the list of answers to the summary."""
    message, _ = await _in_review(query, state)
    await query.answer()
    await flow.show_review(message, state, edit=True)


async def on_continue(query: CallbackQuery, state: FSMContext) -> None:
    """The resume prompt's Continue: the summary, or the current question."""
    message, reviewing = await _in_flow(query, state)
    await query.answer()
    await views.resumed(message, state, reviewing)


async def on_restart(query: CallbackQuery, state: FSMContext) -> None:
    """The resume prompt's Start over."""
    message, _ = await _in_flow(query, state)
    await query.answer()
    await flow.begin(message, state, edit=True)
