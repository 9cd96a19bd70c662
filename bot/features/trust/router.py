"""The organisation's own trust badge request and its choice of who may find it."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens, shared_texts
from bot.clock import Clock
from bot.features.profile import views as profile_views
from bot.features.trust import badges, keyboards, texts, visibility
from bot.features.trust.callbacks import TrustAction, TrustPress
from bot.features.trust.states import Trust
from bot.users import UserInfo
from bot.validation import AnswerError, Problem, normalise_url
from db.engine import Sessions


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
    await screens.show(message, texts.visibility(current), keyboards.visibility(current), edit=True)


async def _finish(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
    website: str | None,
) -> None:
    registration = (await state.get_data()).get("registration")
    await state.set_state(None)
    if not isinstance(registration, str):  # lost state: start again
        await profile_views.show_profile(message, sessions, user.id, edit=False)
        return
    sent = await badges.request_verification(sessions, user.id, registration, website, clock.now())
    text = texts.verification_sent() if sent else texts.verification_exists()
    await message.answer(text, reply_markup=keyboards.to_profile())


async def on_press(
    query: CallbackQuery,
    callback_data: TrustPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """The badge and visibility buttons."""
    message = query.message
    standing = await visibility.standing(sessions, user.id, clock.now())
    if standing is None or not isinstance(message, Message):
        await query.answer(shared_texts.stale_button(), show_alert=True)
        return
    action = callback_data.action
    if action is TrustAction.BADGE:
        await query.answer()
        text = texts.badge_status(standing.valid_until, standing.pending, standing.lapsed_on)
        await screens.show(message, text, keyboards.badge(not standing.pending), edit=True)
    elif action is TrustAction.APPLY and not standing.pending:
        await query.answer()
        await state.set_state(Trust.registration)
        await screens.show(
            message,
            texts.ask_registration(),
            keyboards.to_profile(),
            edit=True,
        )
    elif action in {TrustAction.KEEP_WEBSITE, TrustAction.SKIP_WEBSITE} and (
        await state.get_state() == Trust.website.state
    ):
        await query.answer()
        await screens.strip_keyboard(message, message.message_id)
        website = standing.website if action is TrustAction.KEEP_WEBSITE else None
        await _finish(message, state, sessions, user, clock, website)
    elif action is TrustAction.VISIBILITY:
        await query.answer()
        await _show_visibility(message, standing.audience)
    elif action is TrustAction.AUDIENCE and callback_data.value in visibility.AUDIENCE_CHOICES:
        await visibility.set_audience(sessions, user.id, callback_data.value)
        await query.answer(texts.visibility_saved(callback_data.value))
        await _show_visibility(message, callback_data.value)
    else:
        await query.answer(shared_texts.stale_button(), show_alert=True)


async def on_registration(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """The registration number, then the website question."""
    try:
        registration = badges.clean_registration(message.text or "")
    except AnswerError as error:
        await message.answer(shared_texts.problem(error) + "\n\n" + texts.ask_registration())
        return
    standing = await visibility.standing(sessions, user.id, clock.now())
    current = standing.website if standing is not None else None
    await state.update_data(registration=registration)
    await state.set_state(Trust.website)
    await message.answer(texts.ask_website(current), reply_markup=keyboards.website(current))


async def on_website(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """The website to check; then the request goes to the admins' queue."""
    try:
        website = normalise_url(message.text or "")
    except AnswerError as error:
        standing = await visibility.standing(sessions, user.id, clock.now())
        current = standing.website if standing is not None else None
        await message.answer(shared_texts.problem(error), reply_markup=keyboards.website(current))
        return
    await _finish(message, state, sessions, user, clock, website)


async def on_not_text(message: Message) -> None:
    """A photo or sticker where text was expected."""
    await message.answer(shared_texts.problem(AnswerError(Problem.NEED_TEXT)))
