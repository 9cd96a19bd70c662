"""/profile: the organisation's card and its buttons: the card from the main menu, the
list of answers to change, one answer changed (through the questionnaire), and the
questionnaire itself from the main menu (the card, once there is a profile)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import shared_texts, users
from bot.handlers.onboarding import detour, flow, profiles
from bot.handlers.onboarding.questionnaire import get_step
from bot.handlers.profile import views
from bot.navigation import (
    MenuAction,
    MenuPress,
    Pressed,
    PressOf,
    ProfileAction,
    ProfilePress,
    RefusalsAnswered,
    Refused,
    register_actions,
)
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the profile card."""
    router = Router(name="profile")
    router.callback_query.filter(PressOf(MenuPress, ProfilePress), StateFilter(None), Pressed())
    router.callback_query.middleware(RefusalsAnswered())  # an answer that is not asked: stale
    router.message.register(on_profile, Command("profile"), StateFilter(None))
    register_actions(
        router, ProfilePress, {ProfileAction.FIELD: on_field, ProfileAction.EDIT: on_edit}
    )
    register_actions(
        router, MenuPress, {MenuAction.PROFILE: on_profile_press, MenuAction.ONBOARD: on_onboard}
    )
    return router


async def on_profile(message: Message, sessions: Sessions, user: UserInfo) -> None:
    """/profile: the saved card with Change an answer, or an invitation to onboard."""
    await views.show_profile(message, sessions, user.id, edit=False)


async def on_field(
    query: CallbackQuery,
    message: Message,
    callback_data: ProfilePress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """Change one answer of the profile card."""
    profile = await profiles.load_profile(sessions, user.id)
    step = get_step(callback_data.field)
    if profile is None or step is None or not step.applies_to(profile.answers):
        raise Refused
    if not profile.owner:
        await query.answer(shared_texts.owners_only(), show_alert=True)
        return
    await query.answer()
    await flow.begin(
        message, state, edit=True, answers=profile.answers, step=step.code, return_to="profile"
    )


async def on_profile_press(
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo
) -> None:
    """The profile card."""
    await query.answer()
    await views.show_profile(message, sessions, user.id, edit=True)


async def on_edit(
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo
) -> None:
    """The list of answers to change (the card again if there is no profile; owners only)."""
    profile = await profiles.load_profile(sessions, user.id)
    if profile is not None and not profile.owner:
        await query.answer(shared_texts.owners_only(), show_alert=True)
        return
    await query.answer()
    if profile is None:
        await views.show_profile(message, sessions, user.id, edit=True)
    else:
        await flow.show_fields(message, profile.answers, from_profile=True)


async def on_onboard(
    query: CallbackQuery, message: Message, state: FSMContext, sessions: Sessions, user: UserInfo
) -> None:
    """The questionnaire where it was paused, or from the start (the card, if the profile
    was saved meanwhile)."""
    await query.answer()
    if await users.has_profile(sessions, user.id):
        await views.show_profile(message, sessions, user.id, edit=True)
    elif await detour.resume(state):
        await flow.reshow_current(message, state)
    else:
        await flow.begin(message, state, edit=False)
