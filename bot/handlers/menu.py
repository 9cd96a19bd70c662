"""The main menu, settings, /help and /cancel."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.handlers import flow
from bot.services import profiles
from bot.services.questionnaire import get_step
from bot.services.users import UserInfo
from bot.states import Questionnaire
from bot.ui import keyboards, texts
from bot.ui.callbacks import MenuAction, MenuPress


def create_router() -> Router:
    """Routes for the menu screens; /help and /cancel work everywhere."""
    router = Router(name="menu")
    router.message.register(on_help, Command("help"))
    router.message.register(on_cancel, Command("cancel"))
    router.message.register(on_menu, Command("menu"), StateFilter(None))
    router.message.register(on_settings, Command("settings"), StateFilter(None))
    router.callback_query.register(on_menu_press, MenuPress.filter(), StateFilter(None))
    return router


async def on_help(message: Message, state: FSMContext) -> None:
    """/help; inside the questionnaire the current question follows."""
    current = await state.get_state()
    if current is None:
        await message.answer(texts.help_text(), reply_markup=keyboards.back_to_menu())
        return
    if current not in Questionnaire:  # an admin's wizard or setup: its buttons stay above
        await message.answer(texts.help_text())
        return
    await message.answer(texts.help_text())
    await flow.reshow_current(message, state)


async def on_cancel(
    message: Message,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    left_prompt: bool = False,
) -> None:
    """/cancel: leave the questionnaire (or a one-answer change, or a prompt for typed
    words) and go to the menu."""
    if left_prompt:  # the prompt state was cleared on the way in; filters stay
        await message.answer(texts.cancelled_prompt())
        await flow.show_menu(message, sessions, user.id, edit=False)
        return
    data = await state.get_data()
    current = await state.get_state()
    await state.clear()
    await flow.strip_keyboard(message, data.get("qmid") or data.get("panel"))
    if current is None:
        await message.answer(texts.nothing_to_cancel())
    elif current not in Questionnaire:  # e.g. preparing a broadcast
        await message.answer(texts.cancelled_prompt())
    elif data.get("return_to") == "profile":
        await message.answer(texts.cancelled_edit())
    else:
        await message.answer(texts.cancelled_questionnaire())
    await flow.show_menu(message, sessions, user.id, edit=False)


async def on_menu(
    message: Message, sessions: async_sessionmaker[AsyncSession], user: UserInfo
) -> None:
    """/menu."""
    await flow.show_menu(message, sessions, user.id, edit=False)


async def on_settings(
    message: Message,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    i18n: I18n,
) -> None:
    """/settings."""
    await flow.show_settings(message, sessions, user.id, i18n, edit=False)


async def on_menu_press(
    query: CallbackQuery,
    callback_data: MenuPress,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    i18n: I18n,
) -> None:
    """Any button of the menu, the profile card or settings."""
    message = await flow.pressed_message(query)
    if message is None:
        return
    action = callback_data.action
    if action is MenuAction.FIELD:
        profile = await profiles.load_profile(sessions, user.id)
        step = get_step(callback_data.field)
        if profile is None or step is None or not step.applies_to(profile.answers):
            await query.answer(texts.stale_button(), show_alert=True)
            return
        await query.answer()
        await flow.begin(
            message, state, edit=True, answers=profile.answers, step=step.code, return_to="profile"
        )
        return
    await query.answer()
    if action is MenuAction.HOME:
        await flow.show_menu(message, sessions, user.id, edit=True)
    elif action is MenuAction.PROFILE:
        await flow.show_profile(message, sessions, user.id, edit=True)
    elif action is MenuAction.EDIT:
        profile = await profiles.load_profile(sessions, user.id)
        if profile is None:
            await flow.show_profile(message, sessions, user.id, edit=True)
        else:
            await flow.show_fields(message, profile.answers, from_profile=True)
    elif action is MenuAction.SETTINGS:
        await flow.show_settings(message, sessions, user.id, i18n, edit=True)
    elif action is MenuAction.LANGUAGE:
        picker = keyboards.language_picker(i18n.current_locale)
        await flow.show(message, texts.language_prompt(), picker, edit=True)
    elif action is MenuAction.HELP:
        await flow.show(message, texts.help_text(), keyboards.back_to_menu(), edit=True)
    elif action is MenuAction.ONBOARD:
        if await profiles.has_profile(sessions, user.id):
            await flow.show_profile(message, sessions, user.id, edit=True)
        else:
            await flow.begin(message, state, edit=False)
