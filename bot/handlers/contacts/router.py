"""Cards opened from links, contact requests and their answers, reports, follow-ups."""

from __future__ import annotations

import re

from aiogram import Bot, F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot import navigation, screens
from bot.clock import Clock
from bot.delivery.notifier import Notifier
from bot.handlers.contacts import asking, followups, introductions, keyboards, texts
from bot.handlers.contacts.callbacks import FollowUpPress
from bot.handlers.directory import texts as directory_texts
from bot.handlers.directory.callbacks import ContactAction, ContactPress
from bot.handlers.directory.views import show_card
from bot.hooks import Hooks, RequestAccepted
from bot.navigation import PressOf, RefusalsAnswered, Refused, register_actions
from bot.scheduler import Planner
from bot.users import UserInfo
from db.engine import Sessions

DEEP_LINK = re.compile(r"^org_(\d{1,9})$")


def create_router() -> Router:
    """Routes for deep links (before the plain /start) and introductions."""
    router = Router(name="contacts")
    router.callback_query.filter(PressOf(ContactPress, FollowUpPress))
    # A refused request or answer (`RequestRefused`, raised before anything changed) is
    # answered with the reason, as an alert.
    router.callback_query.middleware(RefusalsAnswered())
    router.message.register(
        on_card_link, CommandStart(deep_link=True, magic=F.args.regexp(DEEP_LINK))
    )
    register_actions(
        router,
        ContactPress,
        {
            ContactAction.INBOX: on_inbox,
            ContactAction.REQUEST: on_request,
            ContactAction.ACCEPT: on_accept,
            ContactAction.DECLINE: on_decline,
        },
    )
    router.callback_query.register(on_followup_press, FollowUpPress.filter())
    return router


async def on_card_link(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """`/start org_<id>`: the card, for anyone allowed to see it, in their language."""
    match = DEEP_LINK.match(command.args or "")
    assert match is not None  # the filter checked it
    if await state.get_state() is not None:
        await state.set_state(None)
    if not await show_card(message, bot, sessions, user, clock, int(match[1]), edit=False):
        await message.answer(directory_texts.card_gone(), reply_markup=navigation.back_to_menu())


async def on_inbox(query: CallbackQuery, sessions: Sessions, user: UserInfo, clock: Clock) -> None:
    """The oldest request waiting for our answer."""
    await query.answer()
    if isinstance(query.message, Message):
        await show_inbox(query.message, sessions, user, clock)


async def on_request(
    query: CallbackQuery,
    callback_data: ContactPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Request a card's contacts: every member of the card's organisation is asked, each in
    their language; the first to answer decides."""
    intro = await introductions.request_contact(sessions, user.id, callback_data.org, clock.now())
    await query.answer(texts.request_sent_alert(intro.recipient.card.name), show_alert=True)
    await asking.send_request(bot, sessions, notifier, intro)


async def on_accept(
    query: CallbackQuery,
    callback_data: ContactPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
    planner: Planner,
    hooks: Hooks,
) -> None:
    """Accept a request addressed to us: both sides get the other's contacts; then what
    other features do with an accepted request (`hooks`: an internship's applicant takes
    part), which contacts knows nothing of."""
    request_id = await _decide(
        query, callback_data, bot, sessions, notifier, user, clock, accept=True
    )
    accepted = RequestAccepted(request_id, clock.now(), bot, sessions, notifier, planner)
    await hooks.fire_request_accepted(accepted)


async def on_decline(
    query: CallbackQuery,
    callback_data: ContactPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Decline a request addressed to us: the sender is told."""
    await _decide(query, callback_data, bot, sessions, notifier, user, clock, accept=False)


async def _decide(
    query: CallbackQuery,
    callback_data: ContactPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
    *,
    accept: bool,
) -> int:
    """Store the answer to a request, show it here and tell the sender; every other copy
    closes, the answerer's own too (they may have answered from 📨). The request's id."""
    message = query.message
    pressed = (user.id, message.message_id) if isinstance(message, Message) else None
    intro = await introductions.decide(
        sessions, user.id, callback_data.request, accept=accept, now=clock.now(), pressed=pressed
    )
    sender, recipient = intro.sender, intro.recipient
    await query.answer()
    accepted = intro.status == "accepted"
    if accepted:
        mine = texts.accepted_for_recipient(sender)
    else:
        mine = texts.declined_for_recipient(sender.name)
    if isinstance(message, Message):
        markup = keyboards.arrange_call(intro.request_id) if accepted else None
        await screens.show(message, mine, markup, edit=True)

    def render() -> tuple[str, InlineKeyboardMarkup | None]:
        if accepted:
            return texts.accepted_for_sender(recipient), keyboards.arrange_call(intro.request_id)
        return texts.declined_for_sender(recipient.name), None

    await notifier.send(bot, sender.user_id, sender.language, render)
    await notifier.close_copies(
        bot,
        [copy for copy in intro.others if copy[0] == user.id],
        lambda: texts.answered_by_you(sender.name, accepted),
    )
    await notifier.close_copies(
        bot,
        [copy for copy in intro.others if copy[0] != user.id],
        lambda: texts.answered_by(sender.name, recipient.first_name, accepted),
    )
    return intro.request_id


async def show_inbox(message: Message, sessions: Sessions, user: UserInfo, clock: Clock) -> None:
    """The oldest request waiting for our answer, with Accept / Decline; then the latest
    introductions with their contacts, for every member of the organisation."""
    found = await introductions.next_incoming(sessions, user.id, clock.now())
    parties = await introductions.connections(sessions, user.id)
    made = texts.connections(parties)
    if found is None:
        text = texts.inbox_empty() + (f"\n\n{made}" if made else "")
        rows = keyboards.connections(parties)
        markup = InlineKeyboardMarkup(inline_keyboard=[*rows, [navigation.menu_button()]])
        await screens.show(message, text, markup, edit=True)
        return
    intro, waiting = found
    answer = keyboards.answer_request(intro.request_id).inline_keyboard
    rows = keyboards.connections(parties, [list(row) for row in answer])
    markup = InlineKeyboardMarkup(inline_keyboard=[*rows, [navigation.menu_button()]])
    text = texts.inbox(intro.sender.card, waiting, intro.answers)
    text += f"\n\n{made}" if made else ""
    await screens.show(message, text, markup, edit=True)


async def on_followup_press(
    query: CallbackQuery,
    callback_data: FollowUpPress,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """An answer to "what came of it": taken once."""
    message = query.message
    stored = await followups.answer(
        sessions, user.id, callback_data.request, callback_data.outcome, clock.now()
    )
    if not stored or not isinstance(message, Message):
        kept = await followups.kept_answer(sessions, user.id, callback_data.request)
        if kept is None or not isinstance(message, Message):
            raise Refused
        await query.answer(texts.followup_kept(kept), show_alert=True)
        await screens.show(message, texts.followup_kept(kept), None, edit=True)
        return
    await query.answer()
    await screens.show(message, texts.followup_thanks(callback_data.outcome), None, edit=True)
