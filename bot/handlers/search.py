"""Partner search: filters, free text, results, suggestions and cards."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.handlers import flow
from bot.services import directory
from bot.services.directory import Filters, TextError
from bot.services.users import UserInfo
from bot.states import Search
from bot.ui import directory_keyboards as dk
from bot.ui import directory_texts as dt
from bot.ui import keyboards, texts
from bot.ui.callbacks import SearchAction, SearchPress


def create_router() -> Router:
    """Routes for the search screens and the words prompt."""
    router = Router(name="search")
    router.callback_query.register(on_press, SearchPress.filter(), StateFilter(None, Search.text))
    router.message.register(on_words, Search.text, F.text)
    router.message.register(on_not_words, Search.text)
    return router


async def current_filters(state: FSMContext) -> Filters:
    """The user's filters (validated: stored data can be old)."""
    return Filters.load((await state.get_data()).get("filters"))


async def show_filters(message: Message, state: FSMContext, *, edit: bool) -> None:
    """The filter screen."""
    filters = await current_filters(state)
    await flow.show(message, dt.filters_screen(filters), dk.filters(filters), edit=edit)


async def show_results(
    message: Message,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
    number: int,
    *,
    edit: bool,
) -> None:
    """A page of results, or "nothing found" with the filters worth removing."""
    filters = await current_filters(state)
    now = clock.now()
    mine = await directory.me(sessions, user.id, now)
    if mine is not None and mine.banned:
        await flow.show(message, dt.banned(), keyboards.back_to_menu(), edit=edit)
        return
    page = await directory.find(sessions, mine, filters, number, now)
    if not page.cards:
        relax = await directory.relaxations(sessions, mine, filters, now)
        await flow.show(message, dt.nothing_found(filters), dk.nothing_found(relax), edit=edit)
        return
    await flow.show(
        message, dt.results(page, suggestions=False), dk.results(page, suggestions=False), edit=edit
    )


async def show_suggestions(
    message: Message,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
    number: int,
    *,
    edit: bool,
) -> None:
    """A page of "suggested for you"."""
    now = clock.now()
    mine = await directory.me(sessions, user.id, now)
    if mine is None:
        await flow.show(message, dt.suggestions_need_profile(), keyboards.onboard(), edit=edit)
        return
    if mine.banned:
        await flow.show(message, dt.banned(), keyboards.back_to_menu(), edit=edit)
        return
    page = await directory.suggest(sessions, mine, number, now)
    if not page.cards:
        await flow.show(message, dt.no_suggestions(), dk.back_to_search(), edit=edit)
        return
    await flow.show(
        message, dt.results(page, suggestions=True), dk.results(page, suggestions=True), edit=edit
    )


async def show_card(
    message: Message,
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
    org: int,
    *,
    mode: str = "",
    page: int = 0,
    edit: bool,
) -> bool:
    """An organisation's card with its actions; False if the user may not see it."""
    shown = await directory.card(sessions, user.id, org, clock.now())
    if shown is None:
        return False
    card = shown.card
    link = await create_start_link(bot, f"org_{card.id}")
    markup = dk.card(card.id, mode=mode, page=page, share_link=link, name=card.name, own=shown.own)
    await flow.show(message, dt.card(card), markup, edit=edit)
    return True


async def on_press(
    query: CallbackQuery,
    callback_data: SearchPress,
    state: FSMContext,
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
) -> None:
    """Every button of the search screens; values are checked, data can be forged."""
    message = await flow.pressed_message(query)
    if message is None:
        return
    action, name, value = callback_data.action, callback_data.name, callback_data.value
    await state.set_state(None)
    filters = await current_filters(state)
    if action is SearchAction.CHOOSE and name in dt.FILTER_VOCABULARIES:
        await query.answer()
        await flow.show(message, dt.choose_filter(name), dk.options(name, filters), edit=True)
    elif (
        action is SearchAction.SET
        and name in dt.FILTER_VOCABULARIES
        and (value == "" or value in dt.FILTER_VOCABULARIES[name])
    ):
        await query.answer()
        await state.update_data(filters=Filters.load({**filters.dump(), name: value}).dump())
        await show_filters(message, state, edit=True)
    elif action is SearchAction.VERIFIED:
        await query.answer()
        data = {**filters.dump(), "verified_only": not filters.verified_only}
        await state.update_data(filters=Filters.load(data).dump())
        await show_filters(message, state, edit=True)
    elif action is SearchAction.CLEAR:
        await query.answer()
        await state.update_data(filters={})
        await show_filters(message, state, edit=True)
    elif action is SearchAction.FILTERS:
        await query.answer()
        await show_filters(message, state, edit=True)
    elif action is SearchAction.TEXT:
        await query.answer()
        await state.set_state(Search.text)
        await flow.show(message, dt.ask_text(), dk.text_prompt(), edit=True)
    elif action is SearchAction.UNSET and name in dt.FILTER_NAMES:
        await query.answer()
        await state.update_data(filters=filters.without(name).dump())
        await show_results(message, state, sessions, user, clock, 0, edit=True)
    elif action is SearchAction.RESULTS:
        await query.answer()
        await show_results(message, state, sessions, user, clock, callback_data.page, edit=True)
    elif action is SearchAction.SUGGEST:
        await query.answer()
        await show_suggestions(message, sessions, user, clock, callback_data.page, edit=True)
    elif action is SearchAction.CARD:
        mode = callback_data.mode if callback_data.mode in {"r", "g"} else ""
        shown = await show_card(
            message,
            bot,
            sessions,
            user,
            clock,
            callback_data.org,
            mode=mode,
            page=callback_data.page,
            edit=True,
        )
        await (query.answer() if shown else query.answer(dt.card_gone(), show_alert=True))
    else:
        await query.answer(texts.stale_button(), show_alert=True)


async def on_words(
    message: Message,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
) -> None:
    """The words of a free-text search: stored with the filters, then the results."""
    raw = message.text or ""
    try:
        words = directory.parse_text(raw)
    except TextError as error:
        await message.answer(
            dt.text_problem(error.problem, len(raw)), reply_markup=dk.text_prompt()
        )
        return
    filters = await current_filters(state)
    await state.set_state(None)
    await state.update_data(filters={**filters.dump(), "text": words})
    await show_results(message, state, sessions, user, clock, 0, edit=False)


async def on_not_words(message: Message) -> None:
    """A sticker, photo or voice where words were expected."""
    await message.answer(dt.need_text(), reply_markup=dk.text_prompt())
