"""Screens of calls and offers: the list, a filter's options, one post's card."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardMarkup, Message

from bot import screens, users
from bot.handlers.events import views as events_views
from bot.handlers.find import keyboards, offers, texts
from bot.handlers.find.offers import Filters
from bot.handlers.posts import call_texts
from bot.handlers.posts import keyboards as posts_keyboards
from db.engine import Sessions


async def show_list(
    message: Message,
    sessions: Sessions,
    user_id: int,
    now: datetime,
    filters: Filters,
    page: int,
    *,
    edit: bool,
) -> None:
    found = await offers.find(sessions, user_id, filters, now, page)
    text = texts.listing(found, filters, offers.PAGE_SIZE)
    await screens.show(
        message, text, keyboards.listing(found, filters, offers.PAGE_SIZE), edit=edit
    )


async def show_options(message: Message, name: str, filters: Filters) -> None:
    await screens.show(message, texts.choose(name), keyboards.options(name, filters), edit=True)


async def show_post(
    message: Message, sessions: Sessions, user_id: int, now: datetime, post: str, item: int
) -> bool:
    """The post's card, sent, with its answering buttons (none for the reader's own
    organisation's); False if it is not open."""
    markup: InlineKeyboardMarkup | None
    if post == "call":
        call = await offers.open_call(sessions, item, now)
        if call is None:
            return False
        text, host_id = call_texts.announcement(call), call.host_id
        markup = posts_keyboards.announcement(call.id, call.host_id)
    else:
        event = await offers.open_event(sessions, item, now)
        if event is None:
            return False
        zone = await users.zone_of(sessions, user_id)
        text, markup = await events_views.card_for(sessions, user_id, event, zone)
        host_id = event.host_id or 0
    if await offers.is_mine(sessions, user_id, host_id):
        text, markup = text + "\n\n" + texts.yours(), None
    await message.answer(text, reply_markup=markup)
    return True
