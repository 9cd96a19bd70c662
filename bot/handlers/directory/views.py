"""The search's screens: the filters, a page of results or suggestions, a card."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.deep_linking import create_start_link

from bot import navigation, screens
from bot.clock import Clock
from bot.handlers.directory import keyboards, search, texts
from bot.handlers.directory.search import Filters
from bot.users import UserInfo
from db.engine import Sessions


async def current_filters(state: FSMContext) -> Filters:
    """The user's filters (validated: stored data can be old)."""
    return Filters.load((await state.get_data()).get("filters"))


async def show_filters(message: Message, state: FSMContext, *, edit: bool) -> None:
    """The filter screen."""
    filters = await current_filters(state)
    await screens.show(
        message, texts.filters_screen(filters), keyboards.filters(filters), edit=edit
    )


async def show_results(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
    number: int,
    *,
    edit: bool,
) -> None:
    """A page of results, or "nothing found" with the filters worth removing."""
    filters = await current_filters(state)
    now = clock.now()
    mine = await search.me(sessions, user.id, now)
    if mine is not None and mine.banned:
        await screens.show(message, texts.banned(), navigation.back_to_menu(), edit=edit)
        return
    page = await search.find(sessions, mine, filters, number, now)
    if not page.cards:
        relax = await search.relaxations(sessions, mine, filters, now)
        await screens.show(
            message, texts.nothing_found(filters), keyboards.nothing_found(relax), edit=edit
        )
        return
    await screens.show(
        message,
        texts.results(page, suggestions=False),
        keyboards.results(page, suggestions=False),
        edit=edit,
    )


async def show_suggestions(
    message: Message,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
    number: int,
    *,
    edit: bool,
) -> None:
    """A page of "suggested for you"."""
    now = clock.now()
    mine = await search.me(sessions, user.id, now)
    if mine is None:
        await screens.show(
            message, texts.suggestions_need_profile(), navigation.onboard(), edit=edit
        )
        return
    if mine.banned:
        await screens.show(message, texts.banned(), navigation.back_to_menu(), edit=edit)
        return
    page = await search.suggest(sessions, mine, number, now)
    if not page.cards:
        await screens.show(message, texts.no_suggestions(), keyboards.back_to_search(), edit=edit)
        return
    await screens.show(
        message,
        texts.results(page, suggestions=True),
        keyboards.results(page, suggestions=True),
        edit=edit,
    )


async def show_card(
    message: Message,
    bot: Bot,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
    org: int,
    *,
    mode: str = "",
    page: int = 0,
    edit: bool,
) -> bool:
    """An organisation's card with its actions; False if the user may not see it."""
    shown = await search.card(sessions, user.id, org, clock.now())
    if shown is None:
        return False
    card = shown.card
    link = await create_start_link(bot, f"org_{card.id}")
    markup = keyboards.card(
        card.id, mode=mode, page=page, share_link=link, name=card.name, own=shown.own
    )
    await screens.show(message, texts.card(card), markup, edit=edit)
    return True
