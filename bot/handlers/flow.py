"""Moving through the questionnaire and showing its screens; shared by the routers."""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import current_locale
from bot.services import events, profiles
from bot.services.questionnaire import (
    FIRST_STEP,
    asked_steps,
    first_unanswered,
    get_step,
    next_step,
    previous_step,
    without_stale,
)
from bot.states import Questionnaire
from bot.ui import event_keyboards as ek
from bot.ui import event_texts as et
from bot.ui import keyboards, texts
from bot.ui import privacy_keyboards as pk


async def show(
    message: Message, text: str, markup: InlineKeyboardMarkup | None, *, edit: bool
) -> Message:
    """Edit `message` into a screen, or send the screen as a new message.
    Editing falls back to sending when the message is gone or too old to edit."""
    if edit and message.from_user is not None and message.from_user.is_bot:
        try:
            edited = await message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return message
        else:
            return edited if isinstance(edited, Message) else message
    return await message.answer(text, reply_markup=markup)


async def pressed_message(query: CallbackQuery) -> Message | None:
    """The message a button was pressed on; None (the presser is told the button is out
    of date) when Telegram no longer sends it, as for very old messages."""
    if isinstance(query.message, Message):
        return query.message
    await query.answer(texts.stale_button(), show_alert=True)
    return None


async def strip_keyboard(message: Message, message_id: int | None) -> None:
    """Remove the buttons of an earlier question, so that only the current one has any."""
    if message_id is None or message.bot is None:
        return
    with contextlib.suppress(TelegramBadRequest):  # already gone or already bare
        await message.bot.edit_message_reply_markup(
            chat_id=message.chat.id, message_id=message_id, reply_markup=None
        )


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
    sessions: async_sessionmaker[AsyncSession],
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
        await ask(message, state, edit=edit)
    elif return_to == "profile":
        await save_and_show_profile(message, state, answers, sessions, edit=edit)
    else:
        await state.set_state(Questionnaire.review)
        await state.update_data(answers=answers, step=None, return_to=None)
        await show_review(message, state, edit=edit)


async def go_back(
    message: Message,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
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
        await show_profile(message, sessions, message.chat.id, edit=True)
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


async def show_profile(
    message: Message,
    sessions: async_sessionmaker[AsyncSession],
    owner_id: int,
    *,
    edit: bool,
    notice: str | None = None,
) -> None:
    """The saved card with its buttons, or an invitation to onboard."""
    profile = await profiles.load_profile(sessions, owner_id)
    if profile is None:
        await show(message, texts.no_profile(), keyboards.onboard(), edit=edit)
        return
    text = texts.card(profile.answers, since=profile.created_at)
    if notice:
        text = f"{notice}\n\n{text}"
    await show(message, text, keyboards.profile(), edit=edit)


async def save_and_show_profile(
    message: Message,
    state: FSMContext,
    answers: dict[str, Any],
    sessions: async_sessionmaker[AsyncSession],
    *,
    edit: bool,
) -> None:
    """Store a changed answer and show the card again."""
    await profiles.save_profile(sessions, message.chat.id, answers)
    await state.clear()
    await show_profile(message, sessions, message.chat.id, edit=edit, notice=texts.field_saved())


async def show_menu(
    message: Message,
    sessions: async_sessionmaker[AsyncSession],
    user_id: int,
    *,
    edit: bool,
    has_profile: bool | None = None,
) -> None:
    """The main menu; its first button depends on whether the profile exists
    (looked up unless the caller already knows)."""
    if has_profile is None:
        has_profile = await profiles.has_profile(sessions, user_id)
    await show(message, texts.main_menu(has_profile), keyboards.main_menu(has_profile), edit=edit)


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


async def zone_of(sessions: async_sessionmaker[AsyncSession], user_id: int) -> str:
    """The time zone dates are shown in to this user (chosen, else their country's)."""
    return (await events.settings_of(sessions, user_id, current_locale())).zone


async def show_settings(
    message: Message,
    sessions: async_sessionmaker[AsyncSession],
    user_id: int,
    i18n: I18n,
    *,
    edit: bool,
) -> None:
    """The settings screen: language, and the event announcements."""
    mine = await events.settings_of(sessions, user_id, current_locale())
    text = (
        texts.settings(i18n.current_locale)
        + "\n\n"
        + et.settings_block(mine.on, mine.kinds, mine.topics, mine.zone)
    )
    rows = [
        *ek.settings(mine.on, mine.digest).inline_keyboard,
        pk.entry(),
        *keyboards.settings().inline_keyboard,
    ]
    await show(message, text, InlineKeyboardMarkup(inline_keyboard=rows), edit=edit)
