"""/start, the language picker and /language."""

from __future__ import annotations

from functools import lru_cache

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n

from bot import screens
from bot.clock import Clock
from bot.commands import set_chat_commands
from bot.handlers.menu import views as menu_views
from bot.handlers.onboarding import detour, flow
from bot.handlers.onboarding import keyboards as onboarding_keyboards
from bot.handlers.onboarding import texts as onboarding_texts
from bot.handlers.onboarding.questionnaire import position
from bot.handlers.onboarding.states import Questionnaire
from bot.handlers.start import texts
from bot.handlers.start.callbacks import LanguagePick
from bot.handlers.team import views as team_views
from bot.handlers.team.invitations import JOIN_LINK, PendingInvitation
from bot.languages import LANGUAGES
from bot.miniapp import set_chat_menu_button
from bot.navigation import MenuAction, MenuPress, Pressed, PressOf, RefusalsAnswered, Refused
from bot.screens import callback_button, keyboard_of
from bot.users import KnownUsers, UserInfo, has_profile
from db.engine import Sessions


def create_router() -> Router:
    """Routes for starting (an invitation's deep link before the plain /start), resuming
    and choosing the language."""
    router = Router(name="start")
    router.callback_query.filter(PressOf(LanguagePick, MenuPress))
    router.callback_query.middleware(RefusalsAnswered())  # a forged language: out of date
    router.message.register(
        on_join_link, CommandStart(deep_link=True, magic=F.args.regexp(JOIN_LINK))
    )
    router.message.register(on_start, CommandStart())
    router.message.register(on_language_command, Command("language"))
    router.callback_query.register(on_language_pick, LanguagePick.filter())
    # The settings screen's Language button (a main-menu press: bot/navigation.py).
    router.callback_query.register(
        on_language_press,
        MenuPress.filter(F.action == MenuAction.LANGUAGE),
        StateFilter(None),
        Pressed(),
    )
    return router


async def on_join_link(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    user: UserInfo,
    i18n: I18n,
    sessions: Sessions,
    clock: Clock,
) -> None:
    """An invitation opened: a new user picks a language first, then sees the offer."""
    match = JOIN_LINK.match(command.args or "")
    assert match is not None  # the filter checked it
    token = match[1]
    if user.language is None:
        await PendingInvitation(token).keep(state)
        await message.answer(
            texts.language_prompt(), reply_markup=language_picker(i18n.current_locale)
        )
        return
    await team_views.offer_join(message, sessions, user.id, token, clock.now(), edit=False)


async def on_start(
    message: Message,
    state: FSMContext,
    user: UserInfo,
    i18n: I18n,
    sessions: Sessions,
    bot: Bot,
) -> None:
    """New users pick a language; others continue, or see the menu (or, while their
    request to join an organisation waits, may withdraw it first); then the chat's menu
    button in their language."""
    await _start(message, state, user, i18n, sessions)
    if user.language is not None:
        await set_chat_menu_button(bot, i18n, message.chat.id, user.language)


async def _start(
    message: Message,
    state: FSMContext,
    user: UserInfo,
    i18n: I18n,
    sessions: Sessions,
) -> None:
    """The start itself (a waiting request to join an organisation comes first: it may be
    withdrawn before anything else)."""
    if user.language is not None and await team_views.offer_waiting(message, sessions, user.id):
        return
    current = await state.get_state() or await detour.paused_state(state)
    if current in {Questionnaire.answering.state, Questionnaire.review.state}:
        data = await state.get_data()
        answers = data.get("answers", {})
        step = data.get("step") or ""
        index, total = position(step, answers)
        if current == Questionnaire.review.state:
            index = total
        await message.answer(
            onboarding_texts.resume_prompt(index, total), reply_markup=onboarding_keyboards.resume()
        )
        return
    if user.language is None:
        await message.answer(
            texts.language_prompt(), reply_markup=language_picker(i18n.current_locale)
        )
        return
    if await has_profile(sessions, user.id):
        await menu_views.show_menu(message, sessions, user.id, edit=False, has_profile=True)
        return
    await message.answer(onboarding_texts.welcome(flow.total_steps({})))
    await flow.begin(message, state, edit=False)


async def on_language_command(message: Message, i18n: I18n) -> None:
    """/language: the picker, the current language ticked."""
    await message.answer(texts.language_prompt(), reply_markup=language_picker(i18n.current_locale))


async def on_language_press(query: CallbackQuery, message: Message, i18n: I18n) -> None:
    """The language picker, the current language ticked."""
    await query.answer()
    picker = language_picker(i18n.current_locale)
    await screens.show(message, texts.language_prompt(), picker, edit=True)


async def on_language_pick(
    query: CallbackQuery,
    callback_data: LanguagePick,
    state: FSMContext,
    user: UserInfo,
    i18n: I18n,
    bot: Bot,
    sessions: Sessions,
    users: KnownUsers,
    clock: Clock,
) -> None:
    """Store the language, then carry on in it wherever the user was (an invitation
    opened first is shown now)."""
    message = query.message
    if callback_data.code not in LANGUAGES or not isinstance(message, Message):
        raise Refused
    code = callback_data.code
    await users.set_language(user.id, code)
    with i18n.use_locale(code):
        await query.answer(texts.language_set(code))
        await set_chat_commands(bot, i18n, message.chat.id, code, admin=user.is_admin)
        await set_chat_menu_button(bot, i18n, message.chat.id, code)
        current = await state.get_state()
        invitation = await PendingInvitation.take(state)
        if invitation is not None:  # opened before the language was chosen
            await team_views.offer_join(
                message, sessions, user.id, invitation.token, clock.now(), edit=True
            )
        elif current is not None:
            await screens.show(message, texts.language_set(code), None, edit=True)
            await flow.reshow_current(message, state)
        elif await has_profile(sessions, user.id):
            await menu_views.show_menu(message, sessions, user.id, edit=True, has_profile=True)
        else:
            await screens.show(
                message, onboarding_texts.welcome(flow.total_steps({})), None, edit=True
            )
            await flow.begin(message, state, edit=False)


def language_picker(selected: str) -> InlineKeyboardMarkup:
    """The five interface languages, the current or guessed one ticked."""
    return _language_picker(selected)


@lru_cache(maxsize=16)
def _language_picker(selected: str) -> InlineKeyboardMarkup:
    buttons = [
        callback_button(("✓ " if code == selected else "") + name, LanguagePick(code=code))
        for code, name in LANGUAGES.items()
    ]
    return keyboard_of([buttons[0:2], buttons[2:4], buttons[4:]])
