"""The questionnaire's screens after a handler's work: a multiple choice's ticks again,
leaving by /cancel, the profile saved (or not, for a member) by Confirm, what a message
that is no answer is told, and the resume prompt's Continue."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens, shared_texts
from bot.handlers.menu import views as menu_views
from bot.handlers.onboarding import flow, keyboards, texts
from bot.handlers.onboarding.profiles import Profile
from bot.handlers.onboarding.questionnaire import Kind, Step
from bot.validation import AnswerError, Problem
from db.engine import Sessions


async def ticked(
    message: Message, state: FSMContext, data: dict[str, Any], step: Step, answers: dict[str, Any]
) -> None:
    """A multiple choice's buttons with its ticks now (the question stays); the question
    sent again if its message was deleted."""
    markup = keyboards.question(
        step, answers, can_go_back=flow.can_go_back(data, step.code, answers)
    )
    if not await screens.update_buttons(message, markup):  # the question was deleted
        await flow.ask(message, state, edit=False)


async def cancelled(
    message: Message, data: dict[str, Any], sessions: Sessions, user_id: int
) -> None:
    """/cancel: the question's (or panel's) buttons gone, what was left said (a one-answer
    change, or the questionnaire), then the menu."""
    await screens.strip_keyboard(message, data.get("qmid") or data.get("panel"))
    if data.get("return_to") == "profile":
        await message.answer(texts.cancelled_edit())
    else:
        await message.answer(texts.cancelled_questionnaire())
    await menu_views.show_menu(message, sessions, user_id, edit=False)


async def saved(
    query: CallbackQuery, message: Message, profile: Profile | None, sessions: Sessions
) -> None:
    """The profile saved by Confirm: said, the summary becomes the card, said again under
    it, then the menu (with the profile). Not saved (`profile` None: the presser joined a
    team meanwhile, as a member, and its profile stays): said as an alert, then the menu in
    place of the summary."""
    if profile is None:
        await query.answer(shared_texts.owners_only(), show_alert=True)
        await menu_views.show_menu(message, sessions, message.chat.id, edit=True)
        return
    await query.answer(texts.saved_profile())
    await screens.show(message, texts.card(profile.answers), None, edit=True)
    await message.answer(texts.saved_profile())
    await menu_views.show_menu(message, sessions, message.chat.id, edit=False, has_profile=True)


def not_text(step: Step | None) -> str:
    """What a photo, sticker or file where an answer is expected is told: to type it (a
    text question), else to press a button."""
    text_wanted = step is not None and step.kind is Kind.TEXT
    problem = Problem.NEED_TEXT if text_wanted else Problem.NEED_BUTTON
    return shared_texts.problem(AnswerError(problem))


async def review_waits(message: Message, state: FSMContext) -> None:
    """Anything typed while the summary waits for Confirm: to press a button, and the
    summary again."""
    await message.answer(shared_texts.problem(AnswerError(Problem.NEED_BUTTON)))
    await flow.show_review(message, state, edit=False)


async def resumed(message: Message, state: FSMContext, reviewing: bool) -> None:
    """The resume prompt's Continue: the summary (`reviewing`), or the current question."""
    if reviewing:
        await flow.show_review(message, state, edit=True)
    else:
        await flow.ask(message, state, edit=True)
