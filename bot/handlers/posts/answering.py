"""Answering a partner call: "🙋 We're interested" asks for a short message, which goes to
every member of the host organisation, followed by a contact request through contacts'
introductions (its inbox, every member's copy, the first answer deciding, contacts
exchanged both ways on Accept). No contacts are shown before the host accepts."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.delivery.notifier import Notifier
from bot.handlers.contacts import asking, introductions
from bot.handlers.contacts import texts as contact_texts
from bot.handlers.events import texts as event_texts
from bot.handlers.posts import call_texts, calls
from bot.handlers.posts.callbacks import PostPress
from bot.handlers.posts.states import PostWizard
from bot.navigation import Refused
from bot.users import UserInfo
from db.engine import Sessions


async def on_interest(
    query: CallbackQuery,
    message: Message,
    callback_data: PostPress,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """🙋 We're interested, under an announced call: the message is asked for."""
    call = await calls.answerable(sessions, user.id, callback_data.item, clock.now())
    await state.set_state(PostWizard.answering)
    await state.set_data({"call": call.id})
    await query.answer()
    await message.answer(call_texts.ask_interest(call))


async def on_interest_message(
    message: Message,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """The message typed: to every member of the host, then the contact request."""
    text = " ".join((message.text or "").split())
    if not text or len(text) > calls.INTEREST_MAX:
        await message.answer(call_texts.interest_too_long(calls.INTEREST_MAX, len(text)))
        return
    data = await state.get_data()
    now = clock.now()
    try:
        call = await calls.answerable(sessions, user.id, int(data.get("call") or 0), now)
        intro = await introductions.request_contact(sessions, user.id, call.host_id, now)
    except Refused as refused:
        await state.clear()
        await message.answer(refused.text())
        return
    await state.clear()
    sender = intro.sender.card.name
    for member, language in intro.recipient.members:
        await notifier.send(bot, member, language, lambda: call_texts.interest(sender, call, text))
    await asking.send_request(bot, sessions, notifier, intro)
    await message.answer(contact_texts.request_sent(call.host))


async def on_not_text(message: Message) -> None:
    """A sticker, photo or file where the message is expected."""
    await message.answer(event_texts.text_expected())
