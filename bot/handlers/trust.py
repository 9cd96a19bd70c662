"""The organisation's own trust badge request and its choice of who may find it."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.handlers import flow
from bot.services import trust
from bot.services.users import UserInfo
from bot.services.validation import AnswerError, Problem, normalise_url
from bot.states import Trust
from bot.ui import texts
from bot.ui import trust_keyboards as tk
from bot.ui import trust_texts as tt
from bot.ui.callbacks import TrustAction, TrustPress


def create_router() -> Router:
    """Routes for the badge and visibility screens and the badge questions."""
    router = Router(name="trust")
    router.callback_query.register(on_press, TrustPress.filter())
    router.message.register(on_registration, Trust.registration, F.text)
    router.message.register(on_website, Trust.website, F.text)
    router.message.register(on_not_text, Trust.registration)
    router.message.register(on_not_text, Trust.website)
    return router


async def _show_visibility(message: Message, current: str) -> None:
    await flow.show(message, tt.visibility(current), tk.visibility(current), edit=True)


async def _finish(
    message: Message,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
    website: str | None,
) -> None:
    registration = (await state.get_data()).get("registration")
    await state.set_state(None)
    if not isinstance(registration, str):  # lost state: start again
        await flow.show_profile(message, sessions, user.id, edit=False)
        return
    sent = await trust.request_verification(sessions, user.id, registration, website, clock.now())
    text = tt.verification_sent() if sent else tt.verification_exists()
    await message.answer(text, reply_markup=tk.to_profile())


async def on_press(
    query: CallbackQuery,
    callback_data: TrustPress,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
) -> None:
    """The badge and visibility buttons."""
    message = query.message
    standing = await trust.standing(sessions, user.id, clock.now())
    if standing is None or not isinstance(message, Message):
        await query.answer(texts.stale_button(), show_alert=True)
        return
    action = callback_data.action
    if action is TrustAction.BADGE:
        await query.answer()
        text = tt.badge_status(standing.valid_until, standing.pending, standing.lapsed_on)
        await flow.show(message, text, tk.badge(not standing.pending), edit=True)
    elif action is TrustAction.APPLY and not standing.pending:
        await query.answer()
        await state.set_state(Trust.registration)
        await flow.show(
            message,
            tt.ask_registration(),
            tk.to_profile(),
            edit=True,
        )
    elif action in {TrustAction.KEEP_WEBSITE, TrustAction.SKIP_WEBSITE} and (
        await state.get_state() == Trust.website.state
    ):
        await query.answer()
        await flow.strip_keyboard(message, message.message_id)
        website = standing.website if action is TrustAction.KEEP_WEBSITE else None
        await _finish(message, state, sessions, user, clock, website)
    elif action is TrustAction.VISIBILITY:
        await query.answer()
        await _show_visibility(message, standing.audience)
    elif action is TrustAction.AUDIENCE and callback_data.value in trust.AUDIENCE_CHOICES:
        await trust.set_audience(sessions, user.id, callback_data.value)
        await query.answer(tt.visibility_saved(callback_data.value))
        await _show_visibility(message, callback_data.value)
    else:
        await query.answer(texts.stale_button(), show_alert=True)


async def on_registration(
    message: Message,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
) -> None:
    """The registration number, then the website question."""
    try:
        registration = trust.clean_registration(message.text or "")
    except AnswerError as error:
        await message.answer(texts.problem(error) + "\n\n" + tt.ask_registration())
        return
    standing = await trust.standing(sessions, user.id, clock.now())
    current = standing.website if standing is not None else None
    await state.update_data(registration=registration)
    await state.set_state(Trust.website)
    await message.answer(tt.ask_website(current), reply_markup=tk.website(current))


async def on_website(
    message: Message,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
) -> None:
    """The website to check; then the request goes to the admins' queue."""
    try:
        website = normalise_url(message.text or "")
    except AnswerError as error:
        standing = await trust.standing(sessions, user.id, clock.now())
        current = standing.website if standing is not None else None
        await message.answer(texts.problem(error), reply_markup=tk.website(current))
        return
    await _finish(message, state, sessions, user, clock, website)


async def on_not_text(message: Message) -> None:
    """A photo or sticker where text was expected."""
    await message.answer(texts.problem(AnswerError(Problem.NEED_TEXT)))
