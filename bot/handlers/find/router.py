"""Routes of calls and offers: 📣 Calls and offers in the main menu, its filters and pages,
a post's card; and the links that open one post (`/start call_<id>`, `/start event_<id>`)
from the channel or the Mini App."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Final

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens
from bot.clock import Clock
from bot.handlers.find import texts, views
from bot.handlers.find.callbacks import FindAction, FindPress
from bot.handlers.find.offers import Filters
from bot.navigation import (
    MenuAction,
    MenuPress,
    Pressed,
    PressOf,
    RefusalsAnswered,
    Refused,
    register_actions,
)
from bot.users import UserInfo, has_profile
from db.engine import Sessions

# Any `call_…` or `event_…` (a link mistyped or cut short is said to lead nowhere, not
# silently answered by the plain /start's menu); the post's id is ITEM.
DEEP_LINK: Final = re.compile(r"^(call|event)_(\S{0,64})$")
ITEM: Final = re.compile(r"^[0-9]{1,9}$")

# The main menu, given by the composition root (the menu's feature links to the Mini App,
# whose tab uses this one: importing it here would close a cycle).
ShowMenu = Callable[..., Awaitable[None]]


def create_router(show_menu: ShowMenu) -> Router:
    """The links first (before the plain /start), then the list's presses."""
    router = Router(name="find")
    router.callback_query.filter(PressOf(FindPress, MenuPress), Pressed())
    router.callback_query.middleware(RefusalsAnswered())  # forged filters: out of date
    router.message.register(
        partial(on_link, show_menu=show_menu),
        CommandStart(deep_link=True, magic=F.args.regexp(DEEP_LINK)),
    )
    router.callback_query.register(on_menu, MenuPress.filter(F.action == MenuAction.FIND))
    register_actions(
        router,
        FindPress,
        {FindAction.LIST: on_list, FindAction.CHOOSE: on_choose, FindAction.OPEN: on_open},
    )
    return router


def _filters(press: FindPress) -> Filters:
    try:
        return Filters.checked(press.kind, press.topic, press.country)
    except ValueError as exc:
        raise Refused() from exc


async def on_menu(
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo, clock: Clock
) -> None:
    """📣 Calls and offers: everything open, newest first."""
    await views.show_list(message, sessions, user.id, clock.now(), Filters(), 0, edit=True)
    await query.answer()


async def on_list(
    query: CallbackQuery,
    message: Message,
    callback_data: FindPress,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """A page, with the filters the press carries (a value picked, paging, back)."""
    filters = _filters(callback_data)
    now = clock.now()
    await views.show_list(message, sessions, user.id, now, filters, callback_data.page, edit=True)
    await query.answer()


async def on_choose(query: CallbackQuery, message: Message, callback_data: FindPress) -> None:
    """A filter's button: its values."""
    filters = _filters(callback_data)
    if callback_data.name not in ("kind", "topic", "country"):
        raise Refused()
    await views.show_options(message, callback_data.name, filters)
    await query.answer()


async def on_open(
    query: CallbackQuery,
    message: Message,
    callback_data: FindPress,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """A number: the post's card below the list, with the buttons to answer it."""
    if callback_data.post not in ("call", "event"):
        raise Refused()
    shown = await views.show_post(
        message, sessions, user.id, clock.now(), callback_data.post, callback_data.item
    )
    if not shown:
        raise Refused(texts.gone)
    await query.answer()


async def on_link(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
    show_menu: ShowMenu,
) -> None:
    """`/start call_<id>` or `/start event_<id>`: the post's card with its buttons (for
    someone without a profile yet, the menu follows, with the questionnaire); a closed or
    unknown or garbled one (`event_abc`) is said so, then the menu."""
    match = DEEP_LINK.match(command.args or "")
    assert match is not None  # the filter checked it
    if await state.get_state() is not None:
        await state.set_state(None)
    item = int(match[2]) if ITEM.match(match[2]) else None
    now = clock.now()
    if item is not None and await views.show_post(message, sessions, user.id, now, match[1], item):
        if not await has_profile(sessions, user.id):  # from the channel, new here: a way in
            await show_menu(message, sessions, user.id, edit=False, has_profile=False)
        return
    await screens.show(message, texts.gone(), None, edit=False)
    await show_menu(message, sessions, user.id, edit=False)
