"""The questionnaire: answers typed or pressed, the summary, Confirm."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens, shared_texts
from bot.handlers.menu import texts as menu_texts
from bot.handlers.menu import views as menu_views
from bot.handlers.onboarding import detour, flow, keyboards, profiles, texts
from bot.handlers.onboarding.callbacks import ReviewAction, ReviewPress, StepAction, StepPress
from bot.handlers.onboarding.handover import Handover
from bot.handlers.onboarding.questionnaire import (
    Kind,
    Step,
    choose,
    finish_multi,
    first_unanswered,
    get_step,
    parse_text,
    toggle,
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
    await screens.strip_keyboard(message, data.get("qmid") or data.get("panel"))
    if data.get("return_to") == "profile":
        await message.answer(texts.cancelled_edit())
    else:
        await message.answer(texts.cancelled_questionnaire())
    await menu_views.show_menu(message, sessions, user.id, edit=False)


def create_router() -> Router:
    """Routes for everything said or pressed while the questionnaire is open."""
    router = Router(name="onboarding")
    router.callback_query.middleware(RefusalsAnswered())  # presses that do not fit: refused
    # The questions' presses, on the message a question is on (the catch-all below
    # answers any other press while the questionnaire is open).
    register_actions(
        router,
        StepPress,
        {
            StepAction.PICK: on_pick,
            StepAction.TOGGLE: on_toggle,
            StepAction.DONE: on_done,
            StepAction.YES: on_yes,
            StepAction.NO: on_no,
            StepAction.BACK: on_back,
            StepAction.SKIP: on_skip,
            StepAction.KEEP: on_keep,
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
    raise Refused


async def _question(
    message: Message,
    callback_data: StepPress,
    state: FSMContext,
    accepts: Callable[[Step], bool] = lambda step: True,
) -> tuple[Step, dict[str, Any]]:
    """The current question's step and data; refused (out of date) for a press under any
    other question, or one the question does not `accepts`."""
    data = await state.get_data()
    step = get_step(data.get("step"))
    if (
        step is None
        or callback_data.step != step.code
        or message.message_id != data.get("qmid", message.message_id)
        or not accepts(step)
    ):
        raise Refused
    return step, data


def _is(kind: Kind) -> Callable[[Step], bool]:
    """A press that only a question of this kind has."""
    return lambda step: step.kind is kind


def _answers(data: dict[str, Any]) -> dict[str, Any]:
    return dict(data.get("answers", {}))


def _refused(error: AnswerError) -> Refused:
    """A required choice left empty is explained; anything else is a stale button."""
    if error.problem is Problem.NEED_CHOICE:
        return Refused(lambda: shared_texts.problem(error))
    return Refused()


async def _advance(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    answers: dict[str, Any],
    sessions: Sessions,
    handover: Handover,
) -> None:
    await query.answer()
    await flow.advance(message, state, answers, sessions, handover, edit=True)


async def on_pick(
    query: CallbackQuery,
    message: Message,
    callback_data: StepPress,
    state: FSMContext,
    sessions: Sessions,
    handover: Handover,
) -> None:
    """One option of a single choice."""
    step, data = await _question(message, callback_data, state, _is(Kind.CHOICE))
    answers = _answers(data)
    try:
        answers[step.code] = choose(step, callback_data.value)
    except AnswerError as error:
        raise _refused(error) from error
    await _advance(query, message, state, answers, sessions, handover)


async def on_toggle(
    query: CallbackQuery, message: Message, callback_data: StepPress, state: FSMContext
) -> None:
    """One option of a multiple choice ticked or unticked; the question stays."""
    step, data = await _question(message, callback_data, state, _is(Kind.MULTI))
    answers = _answers(data)
    try:
        answers[step.code] = toggle(step, answers.get(step.code) or [], callback_data.value)
    except AnswerError as error:
        raise _refused(error) from error
    await state.update_data(answers=answers)
    await query.answer()
    markup = keyboards.question(
        step, answers, can_go_back=flow.can_go_back(data, step.code, answers)
    )
    if not await screens.update_buttons(message, markup):  # the question was deleted
        await flow.ask(message, state, edit=False)


async def on_done(
    query: CallbackQuery,
    message: Message,
    callback_data: StepPress,
    state: FSMContext,
    sessions: Sessions,
    handover: Handover,
) -> None:
    """Done under a multiple choice: a required one needs a tick."""
    step, data = await _question(message, callback_data, state, _is(Kind.MULTI))
    answers = _answers(data)
    try:
        answers[step.code] = finish_multi(step, answers.get(step.code) or [])
    except AnswerError as error:
        raise _refused(error) from error
    await _advance(query, message, state, answers, sessions, handover)


async def on_yes(
    query: CallbackQuery,
    message: Message,
    callback_data: StepPress,
    state: FSMContext,
    sessions: Sessions,
    handover: Handover,
) -> None:
    """Yes to a yes-or-no question."""
    await _yes_no(query, message, callback_data, state, sessions, handover, answer=True)


async def on_no(
    query: CallbackQuery,
    message: Message,
    callback_data: StepPress,
    state: FSMContext,
    sessions: Sessions,
    handover: Handover,
) -> None:
    """No to a yes-or-no question."""
    await _yes_no(query, message, callback_data, state, sessions, handover, answer=False)


async def _yes_no(
    query: CallbackQuery,
    message: Message,
    callback_data: StepPress,
    state: FSMContext,
    sessions: Sessions,
    handover: Handover,
    *,
    answer: bool,
) -> None:
    step, data = await _question(message, callback_data, state, _is(Kind.YES_NO))
    answers = _answers(data)
    answers[step.code] = answer
    await _advance(query, message, state, answers, sessions, handover)


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


async def on_skip(
    query: CallbackQuery,
    message: Message,
    callback_data: StepPress,
    state: FSMContext,
    sessions: Sessions,
    handover: Handover,
) -> None:
    """Skip an optional question: no answer."""
    step, data = await _question(message, callback_data, state, lambda s: s.optional)
    answers = _answers(data)
    answers[step.code] = [] if step.kind is Kind.MULTI else None
    await _advance(query, message, state, answers, sessions, handover)


async def on_keep(
    query: CallbackQuery,
    message: Message,
    callback_data: StepPress,
    state: FSMContext,
    sessions: Sessions,
    handover: Handover,
) -> None:
    """Keep the answer already given (changing one answer of a saved profile)."""
    step, data = await _question(message, callback_data, state)
    answers = _answers(data)
    if not answers.get(step.code):
        raise Refused
    await _advance(query, message, state, answers, sessions, handover)


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
    try:
        profile = await profiles.save_profile(sessions, message.chat.id, answers)
    except profiles.NotOwner:  # joined a team meanwhile, as a member: its profile stays
        await state.clear()
        await query.answer(shared_texts.owners_only(), show_alert=True)
        await menu_views.show_menu(message, sessions, message.chat.id, edit=True)
        return
    await state.clear()
    await query.answer(texts.saved_profile())
    await screens.show(message, texts.card(profile.answers), None, edit=True)
    await message.answer(texts.saved_profile())
    await menu_views.show_menu(message, sessions, message.chat.id, edit=False, has_profile=True)


async def on_fields(query: CallbackQuery, state: FSMContext) -> None:
    """The list of answers to change."""
    message, answers = await _in_review(query, state)
    await query.answer()
    await flow.show_fields(message, answers, from_profile=False)


async def on_field(query: CallbackQuery, callback_data: ReviewPress, state: FSMContext) -> None:
    """Change one answer, then back to the summary."""
    message, answers = await _in_review(query, state)
    step = get_step(callback_data.field)
    if step is None or not step.applies_to(answers):
        raise Refused
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
    if reviewing:
        await flow.show_review(message, state, edit=True)
    else:
        await flow.ask(message, state, edit=True)


async def on_restart(query: CallbackQuery, state: FSMContext) -> None:
    """The resume prompt's Start over."""
    message, _ = await _in_flow(query, state)
    await query.answer()
    await flow.begin(message, state, edit=True)
