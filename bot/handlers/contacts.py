"""Cards opened from links, contact requests and their answers, reports, follow-ups."""

from __future__ import annotations

import re

from aiogram import Bot, F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.handlers import flow
from bot.handlers.search import show_card
from bot.notifier import Notifier
from bot.services import contacts, directory, followups, trust
from bot.services.contacts import Refused
from bot.services.users import UserInfo
from bot.ui import directory_keyboards as dk
from bot.ui import directory_texts as dt
from bot.ui import keyboards, texts
from bot.ui.callbacks import ContactAction, ContactPress, FollowUpPress, ReportPress

DEEP_LINK = re.compile(r"^org_(\d{1,9})$")


def create_router() -> Router:
    """Routes for deep links (before the plain /start), introductions and reports."""
    router = Router(name="contacts")
    router.message.register(
        on_card_link, CommandStart(deep_link=True, magic=F.args.regexp(DEEP_LINK))
    )
    router.callback_query.register(on_contact_press, ContactPress.filter())
    router.callback_query.register(on_report_press, ReportPress.filter())
    router.callback_query.register(on_followup_press, FollowUpPress.filter())
    return router


async def on_card_link(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
) -> None:
    """`/start org_<id>`: the card, for anyone allowed to see it, in their language."""
    match = DEEP_LINK.match(command.args or "")
    assert match is not None  # the filter checked it
    if await state.get_state() is not None:
        await state.set_state(None)
    if not await show_card(message, bot, sessions, user, clock, int(match[1]), edit=False):
        await message.answer(dt.card_gone(), reply_markup=keyboards.back_to_menu())


async def on_contact_press(
    query: CallbackQuery,
    callback_data: ContactPress,
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Request a card's contacts, or accept / decline a request addressed to us."""
    message = query.message
    now = clock.now()
    if callback_data.action is ContactAction.INBOX:
        await query.answer()
        if isinstance(message, Message):
            await show_inbox(message, sessions, user, clock)
        return
    try:
        if callback_data.action is ContactAction.REQUEST:
            intro = await contacts.request_contact(sessions, user.id, callback_data.org, now)
        elif callback_data.action in {ContactAction.ACCEPT, ContactAction.DECLINE}:
            accept = callback_data.action is ContactAction.ACCEPT
            intro = await contacts.decide(
                sessions, user.id, callback_data.request, accept=accept, now=now
            )
        else:
            raise AssertionError(callback_data.action)
    except Refused as refused:
        await query.answer(dt.refusal(refused.reason, refused.retry_at), show_alert=True)
        return
    sender, recipient = intro.sender, intro.recipient
    if callback_data.action is ContactAction.REQUEST:
        await query.answer(dt.request_sent(recipient.card.name), show_alert=True)
        await notifier.send(
            bot,
            recipient.owner_id,
            recipient.language,
            lambda: (dt.incoming_request(sender.card), dk.answer_request(intro.request_id)),
        )
        return
    await query.answer()
    accepted = intro.status == "accepted"
    mine = dt.accepted_for_recipient(sender) if accepted else dt.declined_for_recipient()
    if isinstance(message, Message):
        await flow.show(message, mine, None, edit=True)

    def render() -> str:
        if accepted:
            return dt.accepted_for_sender(recipient)
        return dt.declined_for_sender(recipient.card)

    await notifier.send(bot, sender.owner_id, sender.language, render)


async def show_inbox(
    message: Message, sessions: async_sessionmaker[AsyncSession], user: UserInfo, clock: Clock
) -> None:
    """The oldest request waiting for our answer, with Accept / Decline."""
    found = await contacts.next_incoming(sessions, user.id, clock.now())
    if found is None:
        await flow.show(message, dt.inbox_empty(), keyboards.back_to_menu(), edit=True)
        return
    intro, waiting = found
    markup = dk.answer_request(intro.request_id, with_menu=True)
    await flow.show(message, dt.inbox(intro.sender.card, waiting), markup, edit=True)


async def on_report_press(
    query: CallbackQuery,
    callback_data: ReportPress,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
) -> None:
    """Report a card: first the reasons, then the report itself."""
    message = query.message
    now = clock.now()
    shown = await directory.card(sessions, user.id, callback_data.org, now)
    if shown is None or not isinstance(message, Message):
        await query.answer(dt.card_gone(), show_alert=True)
        return
    if shown.own:
        await query.answer(dt.refusal(contacts.Refusal.SELF), show_alert=True)
        return
    card = shown.card
    if not callback_data.reason:
        await query.answer()
        await flow.show(message, dt.report_prompt(), dk.report_reasons(card.id), edit=True)
        return
    if callback_data.reason not in trust.REPORT_REASONS:
        await query.answer(texts.stale_button(), show_alert=True)
        return
    new = await trust.report(sessions, user.id, card.id, callback_data.reason, now)
    await query.answer(dt.reported(new), show_alert=True)
    await flow.show(message, dt.reported(new), keyboards.back_to_menu(), edit=True)


async def on_followup_press(
    query: CallbackQuery,
    callback_data: FollowUpPress,
    sessions: async_sessionmaker[AsyncSession],
    user: UserInfo,
    clock: Clock,
) -> None:
    """An answer to "what came of it": taken once."""
    message = query.message
    stored = await followups.answer(
        sessions, user.id, callback_data.request, callback_data.outcome, clock.now()
    )
    if not stored or not isinstance(message, Message):
        await query.answer(texts.stale_button(), show_alert=True)
        return
    await query.answer()
    await flow.show(message, dt.followup_thanks(callback_data.outcome), None, edit=True)
