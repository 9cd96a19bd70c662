"""The main menu, help, /cancel (inside the questionnaire, onboarding answers /help and
/cancel: its router for them goes just before this one)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import navigation, screens
from bot.handlers.menu import texts, views
from bot.navigation import MenuAction, MenuPress, Pressed, PressOf, register_actions
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the menu screens; /help and /cancel work everywhere."""
    router = Router(name="menu")
    router.callback_query.filter(PressOf(MenuPress), StateFilter(None), Pressed())
    router.message.register(on_help, Command("help"))
    router.message.register(on_cancel, Command("cancel"))
    router.message.register(on_menu, Command("menu"), StateFilter(None))
    register_actions(router, MenuPress, {MenuAction.HOME: on_home, MenuAction.HELP: on_help_press})
    return router


async def on_help(message: Message, state: FSMContext) -> None:
    """/help (inside the questionnaire, onboarding's router answers it first)."""
    if await state.get_state() is None:
        await message.answer(texts.help_text(), reply_markup=navigation.back_to_menu())
        return
    await message.answer(texts.help_text())  # an admin's wizard or setup: its buttons stay above


async def on_cancel(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    left_prompt: bool = False,
) -> None:
    """/cancel: leave a prompt for typed words (or any flow but the questionnaire, whose
    own router answers it first) and go to the menu."""
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
    else:  # e.g. preparing a broadcast
        await message.answer(texts.cancelled_prompt())
    await views.show_menu(message, sessions, user.id, edit=False)


async def on_menu(message: Message, sessions: Sessions, user: UserInfo) -> None:
    """/menu."""
    await views.show_menu(message, sessions, user.id, edit=False)


async def on_home(
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo
) -> None:
    """The main menu."""
    await query.answer()
    await views.show_menu(message, sessions, user.id, edit=True)


async def on_help_press(query: CallbackQuery, message: Message) -> None:
    """The help screen."""
    await query.answer()
    await screens.show(message, texts.help_text(), navigation.back_to_menu(), edit=True)
