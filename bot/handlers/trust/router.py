"""The organisation's own trust badge request and its choice of who may find it."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens, shared_texts
from bot.clock import Clock
from bot.handlers.profile import views as profile_views
from bot.handlers.profile.callbacks import TrustAction, TrustPress
from bot.handlers.trust import badges, keyboards, texts, visibility
from bot.handlers.trust.states import Trust
from bot.handlers.trust.visibility import Standing
from bot.navigation import Pressed, PressOf, RefusalsAnswered, Refused, register_actions
from bot.users import UserInfo
from bot.validation import AnswerError, Problem, normalise_url
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the badge and visibility screens and the badge questions."""
    router = Router(name="trust")
    router.callback_query.filter(PressOf(TrustPress), Pressed())
    router.callback_query.middleware(RefusalsAnswered())
    register_actions(
        router,
        TrustPress,
        {
            TrustAction.BADGE: on_badge,
            TrustAction.APPLY: on_apply,
            TrustAction.KEEP_WEBSITE: on_keep_website,
            TrustAction.SKIP_WEBSITE: on_skip_website,
            TrustAction.VISIBILITY: on_visibility,
            TrustAction.AUDIENCE: on_audience,
        },
    )
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
    try:
        sent = await badges.request_verification(
            sessions, user.id, registration, website, clock.now()
        )
    except badges.TakenRegistration as taken:
        await message.answer(
            texts.registration_taken(taken.name), reply_markup=keyboards.to_profile()
        )
        return
    text = texts.verification_sent() if sent else texts.verification_exists()
    await message.answer(text, reply_markup=keyboards.to_profile())


async def _standing(sessions: Sessions, user: UserInfo, clock: Clock) -> Standing:
    """The organisation's standing; refused (the button is out of date) before onboarding,
    and for a member who is not an owner."""
    standing = await visibility.standing(sessions, user.id, clock.now())
    if standing is None:
        raise Refused
    if not standing.owner:
        raise Refused(shared_texts.owners_only)
    return standing


async def on_badge(
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo, clock: Clock
) -> None:
    """The badge's status, with Apply when no request is waiting."""
    standing = await _standing(sessions, user, clock)
    await query.answer()
    text = texts.badge_status(standing.valid_until, standing.pending, standing.lapsed_on)
    await screens.show(message, text, keyboards.badge(not standing.pending), edit=True)


async def on_apply(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Apply for the badge: the registration number first (one request at a time)."""
    standing = await _standing(sessions, user, clock)
    if standing.pending:
        raise Refused
    await query.answer()
    await state.set_state(Trust.registration)
    await screens.show(
        message,
        texts.ask_registration(),
        keyboards.to_profile(),
        edit=True,
    )


async def on_keep_website(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """The website on the card is the one to check."""
    standing = await _standing(sessions, user, clock)
    await _website_chosen(query, message, state, sessions, user, clock, standing.website)


async def on_skip_website(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """No website to check."""
    await _standing(sessions, user, clock)  # refused unless the presser is an owner
    await _website_chosen(query, message, state, sessions, user, clock, None)


async def _website_chosen(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
    website: str | None,
) -> None:
    """The website question answered by a button: the request goes to the admins."""
    if await state.get_state() != Trust.website.state:
        raise Refused
    await query.answer()
    await screens.strip_keyboard(message, message.message_id)
    await _finish(message, state, sessions, user, clock, website)


async def on_visibility(
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo, clock: Clock
) -> None:
    """Who may find the organisation: the choices, the current one ticked."""
    standing = await _standing(sessions, user, clock)
    await query.answer()
    await _show_visibility(message, standing.audience)


async def on_audience(
    query: CallbackQuery,
    message: Message,
    callback_data: TrustPress,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """One of the visibility choices."""
    await _standing(sessions, user, clock)  # refused unless the presser is an owner
    if callback_data.value not in visibility.AUDIENCE_CHOICES:
        raise Refused
    await visibility.set_audience(sessions, user.id, callback_data.value)
    await query.answer(texts.visibility_saved(callback_data.value))
    await _show_visibility(message, callback_data.value)


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
    holder = await badges.registration_holder(sessions, user.id, registration)
    if holder is not None:  # the question stays: another number can be typed
        await message.answer(texts.registration_taken(holder), reply_markup=keyboards.to_profile())
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
