"""Partner search: filters, free text, results, suggestions and cards."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens
from bot.clock import Clock
from bot.handlers.directory import keyboards, search, texts
from bot.handlers.directory.callbacks import SearchAction, SearchPress
from bot.handlers.directory.search import Filters, TextError
from bot.handlers.directory.states import Search
from bot.handlers.directory.views import (
    current_filters,
    show_card,
    show_filters,
    show_results,
    show_suggestions,
)
from bot.navigation import Pressed, PressOf, RefusalsAnswered, Refused, register_actions
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the search screens and the words prompt."""
    router = Router(name="search")
    router.callback_query.filter(PressOf(SearchPress), StateFilter(None, Search.text), Pressed())
    router.callback_query.middleware(RefusalsAnswered())  # forged values: out of date
    register_actions(
        router,
        SearchPress,
        {
            SearchAction.CHOOSE: on_choose,
            SearchAction.SET: on_set,
            SearchAction.VERIFIED: on_verified,
            SearchAction.CLEAR: on_clear,
            SearchAction.FILTERS: on_filters,
            SearchAction.TEXT: on_text,
            SearchAction.UNSET: on_unset,
            SearchAction.RESULTS: on_results,
            SearchAction.SUGGEST: on_suggest,
            SearchAction.CARD: on_card,
        },
    )
    router.message.register(on_words, Search.text, F.text)
    router.message.register(on_not_words, Search.text)
    return router


async def on_filters(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """The filter screen."""
    await state.set_state(None)  # any press ends the wait for typed words
    await query.answer()
    await show_filters(message, state, edit=True)


async def on_choose(
    query: CallbackQuery, message: Message, callback_data: SearchPress, state: FSMContext
) -> None:
    """The options of one filter."""
    await state.set_state(None)  # any press ends the wait for typed words
    name = callback_data.name
    if name not in texts.FILTER_VOCABULARIES:
        raise Refused
    filters = await current_filters(state)
    await query.answer()
    await screens.show(
        message, texts.choose_filter(name), keyboards.options(name, filters), edit=True
    )


async def on_set(
    query: CallbackQuery, message: Message, callback_data: SearchPress, state: FSMContext
) -> None:
    """One option of a filter chosen ("" = any), then the filter screen."""
    await state.set_state(None)  # any press ends the wait for typed words
    name, value = callback_data.name, callback_data.value
    vocabulary = texts.FILTER_VOCABULARIES.get(name)
    if vocabulary is None or not (value == "" or value in vocabulary):
        raise Refused
    filters = await current_filters(state)
    await query.answer()
    await state.update_data(filters=Filters.load({**filters.dump(), name: value}).dump())
    await show_filters(message, state, edit=True)


async def on_unset(
    query: CallbackQuery,
    message: Message,
    callback_data: SearchPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """One filter removed from "nothing found", then the results again."""
    await state.set_state(None)  # any press ends the wait for typed words
    name = callback_data.name
    if name not in texts.FILTER_NAMES:
        raise Refused
    filters = await current_filters(state)
    await query.answer()
    await state.update_data(filters=filters.without(name).dump())
    await show_results(message, state, sessions, user, clock, 0, edit=True)


async def on_verified(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """The "verified only" filter on or off."""
    await state.set_state(None)  # any press ends the wait for typed words
    filters = await current_filters(state)
    await query.answer()
    data = {**filters.dump(), "verified_only": not filters.verified_only}
    await state.update_data(filters=Filters.load(data).dump())
    await show_filters(message, state, edit=True)


async def on_text(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """Ask for words to search for."""
    await state.set_state(None)  # any press ends the wait for typed words
    await query.answer()
    await state.set_state(Search.text)
    await screens.show(message, texts.ask_text(), keyboards.text_prompt(), edit=True)


async def on_clear(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """Every filter removed."""
    await state.set_state(None)  # any press ends the wait for typed words
    await query.answer()
    await state.update_data(filters={})
    await show_filters(message, state, edit=True)


async def on_results(
    query: CallbackQuery,
    message: Message,
    callback_data: SearchPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """A page of results."""
    await state.set_state(None)  # any press ends the wait for typed words
    await query.answer()
    await show_results(message, state, sessions, user, clock, callback_data.page, edit=True)


async def on_suggest(
    query: CallbackQuery,
    message: Message,
    callback_data: SearchPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """A page of suggestions."""
    await state.set_state(None)  # any press ends the wait for typed words
    await query.answer()
    await show_suggestions(message, sessions, user, clock, callback_data.page, edit=True)


async def on_card(
    query: CallbackQuery,
    message: Message,
    callback_data: SearchPress,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """One organisation's card, with the way back to the list it was opened from."""
    await state.set_state(None)  # any press ends the wait for typed words
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
    await (query.answer() if shown else query.answer(texts.card_gone(), show_alert=True))


async def on_words(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """The words of a free-text search: stored with the filters, then the results."""
    raw = message.text or ""
    try:
        words = search.parse_text(raw)
    except TextError as error:
        await message.answer(
            texts.text_problem(error.problem, len(raw)), reply_markup=keyboards.text_prompt()
        )
        return
    filters = await current_filters(state)
    await state.set_state(None)
    await state.update_data(filters={**filters.dump(), "text": words})
    await show_results(message, state, sessions, user, clock, 0, edit=False)


async def on_not_words(message: Message) -> None:
    """A sticker, photo or voice where words were expected."""
    await message.answer(texts.need_text(), reply_markup=keyboards.text_prompt())
