"""The main menu, settings, /help and /cancel."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot import navigation, screens, shared_texts
from bot.handlers.menu import texts, views
from bot.handlers.onboarding import detour, flow
from bot.handlers.onboarding import texts as onboarding_texts
from bot.handlers.onboarding.questionnaire import get_step
from bot.handlers.onboarding.states import Questionnaire
from bot.handlers.profile import profiles
from bot.handlers.profile import views as profile_views
from bot.handlers.settings import views as settings_views
from bot.navigation import MenuAction, MenuPress, PressOf
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the menu screens; /help and /cancel work everywhere."""
    router = Router(name="menu")
    router.callback_query.filter(PressOf(MenuPress))
    router.message.register(on_help, Command("help"))
    router.message.register(on_cancel, Command("cancel"))
    router.message.register(on_menu, Command("menu"), StateFilter(None))
    router.callback_query.register(
        on_field, MenuPress.filter(F.action == MenuAction.FIELD), StateFilter(None)
    )
    router.callback_query.register(
        on_home, MenuPress.filter(F.action == MenuAction.HOME), StateFilter(None)
    )
    router.callback_query.register(
        on_profile, MenuPress.filter(F.action == MenuAction.PROFILE), StateFilter(None)
    )
    router.callback_query.register(
        on_edit, MenuPress.filter(F.action == MenuAction.EDIT), StateFilter(None)
    )
    router.callback_query.register(
        on_settings, MenuPress.filter(F.action == MenuAction.SETTINGS), StateFilter(None)
    )
    router.callback_query.register(
        on_help_press, MenuPress.filter(F.action == MenuAction.HELP), StateFilter(None)
    )
    router.callback_query.register(
        on_onboard, MenuPress.filter(F.action == MenuAction.ONBOARD), StateFilter(None)
    )
    return router


async def on_help(message: Message, state: FSMContext) -> None:
    """/help; inside the questionnaire the current question follows."""
    current = await state.get_state()
    if current is None:
        await message.answer(texts.help_text(), reply_markup=navigation.back_to_menu())
        return
    if current not in Questionnaire:  # an admin's wizard or setup: its buttons stay above
        await message.answer(texts.help_text())
        return
    await message.answer(texts.help_text())
    await flow.reshow_current(message, state)


async def on_cancel(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    left_prompt: bool = False,
) -> None:
    """/cancel: leave the questionnaire (or a one-answer change, or a prompt for typed
    words) and go to the menu."""
    if left_prompt:  # the prompt state was cleared on the way in; filters stay
        await message.answer(texts.cancelled_prompt())
        await views.show_menu(message, sessions, user.id, edit=False)
        return
    data = await state.get_data()
    current = await state.get_state()
    await state.clear()
    await screens.strip_keyboard(message, data.get("qmid") or data.get("panel"))
    if current is None:
        await message.answer(texts.nothing_to_cancel())
    elif current not in Questionnaire:  # e.g. preparing a broadcast
        await message.answer(texts.cancelled_prompt())
    elif data.get("return_to") == "profile":
        await message.answer(onboarding_texts.cancelled_edit())
    else:
        await message.answer(onboarding_texts.cancelled_questionnaire())
    await views.show_menu(message, sessions, user.id, edit=False)


async def on_menu(message: Message, sessions: Sessions, user: UserInfo) -> None:
    """/menu."""
    await views.show_menu(message, sessions, user.id, edit=False)


async def _answered(query: CallbackQuery) -> Message | None:
    """The message pressed on, the press answered; None for a message Telegram no longer
    sends (the presser was told the button is out of date)."""
    message = await screens.pressed_message(query)
    if message is not None:
        await query.answer()
    return message


async def on_field(
    query: CallbackQuery,
    callback_data: MenuPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """Change one answer of the profile card."""
    message = await screens.pressed_message(query)
    if message is None:
        return
    profile = await profiles.load_profile(sessions, user.id)
    step = get_step(callback_data.field)
    if profile is None or step is None or not step.applies_to(profile.answers):
        await query.answer(shared_texts.stale_button(), show_alert=True)
        return
    if not profile.owner:
        await query.answer(shared_texts.owners_only(), show_alert=True)
        return
    await query.answer()
    await flow.begin(
        message, state, edit=True, answers=profile.answers, step=step.code, return_to="profile"
    )


async def on_home(query: CallbackQuery, sessions: Sessions, user: UserInfo) -> None:
    """The main menu."""
    message = await _answered(query)
    if message is None:
        return
    await views.show_menu(message, sessions, user.id, edit=True)


async def on_profile(query: CallbackQuery, sessions: Sessions, user: UserInfo) -> None:
    """The profile card."""
    message = await _answered(query)
    if message is None:
        return
    await profile_views.show_profile(message, sessions, user.id, edit=True)


async def on_edit(query: CallbackQuery, sessions: Sessions, user: UserInfo) -> None:
    """The list of answers to change (the card again if there is no profile; owners only)."""
    message = await screens.pressed_message(query)
    if message is None:
        return
    profile = await profiles.load_profile(sessions, user.id)
    if profile is not None and not profile.owner:
        await query.answer(shared_texts.owners_only(), show_alert=True)
        return
    await query.answer()
    if profile is None:
        await profile_views.show_profile(message, sessions, user.id, edit=True)
    else:
        await flow.show_fields(message, profile.answers, from_profile=True)


async def on_settings(query: CallbackQuery, sessions: Sessions, user: UserInfo, i18n: I18n) -> None:
    """The settings screen."""
    message = await _answered(query)
    if message is None:
        return
    await settings_views.show_settings(message, sessions, user.id, i18n, edit=True)


async def on_help_press(query: CallbackQuery) -> None:
    """The help screen."""
    message = await _answered(query)
    if message is None:
        return
    await screens.show(message, texts.help_text(), navigation.back_to_menu(), edit=True)


async def on_onboard(
    query: CallbackQuery, state: FSMContext, sessions: Sessions, user: UserInfo
) -> None:
    """The questionnaire where it was paused, or from the start (the card, if the profile
    was saved meanwhile)."""
    message = await _answered(query)
    if message is None:
        return
    if await profiles.has_profile(sessions, user.id):
        await profile_views.show_profile(message, sessions, user.id, edit=True)
    elif await detour.resume(state):
        await flow.reshow_current(message, state)
    else:
        await flow.begin(message, state, edit=False)
