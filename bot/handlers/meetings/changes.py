"""What follows a proposal, a pick, an answer, a move or a cancellation: who is told, in
their language and zone, and who gets which calendar file."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

from bot import screens
from bot.clock import Clock
from bot.delivery.courier import deliver
from bot.delivery.notifier import Notifier
from bot.handlers.meetings import calendar, keyboards, proposals, reminders, texts
from bot.handlers.meetings.proposals import Call, Person, Proposal
from bot.handlers.meetings.slots import Slot
from bot.scheduler import Planner
from bot.users import UserInfo
from db.engine import Sessions


def _proposal_screen(proposal: Proposal, zone: str) -> tuple[str, InlineKeyboardMarkup]:
    pair = proposal.pair
    text = texts.proposal(proposal.proposer, pair.mine, proposal.slots, pair.theirs, zone)
    return text, keyboards.proposal(proposal.meeting_id, proposal.slots, zone)


async def send_proposal(
    bot: Bot, sessions: Sessions, notifier: Notifier, proposal: Proposal
) -> None:
    """Every member of the other organisation gets the proposal in their language and
    zone; each copy is remembered, so that the first answer closes the others."""
    sent = []
    for person in proposal.pair.theirs.members:
        render = functools.partial(_proposal_screen, proposal, person.zone)
        message_id = await notifier.post(bot, person.user_id, person.language, render)
        if message_id is not None:
            sent.append((person.user_id, message_id))
    await proposals.record_copies(sessions, proposal.meeting_id, sent)


async def send_file(bot: Bot, user_id: int, call: Call, now: datetime) -> None:
    """The call's calendar file (a request, or a cancellation)."""
    data = calendar.ics(call, now)
    file = BufferedInputFile(data, filename=calendar.filename(call))
    await deliver(functools.partial(bot.send_document, user_id, file))


async def _tell(
    bot: Bot,
    notifier: Notifier,
    person: Person,
    render: Callable[[], str | tuple[str, InlineKeyboardMarkup | None]],
    call: Call,
    now: datetime,
) -> None:
    if await notifier.send(bot, person.user_id, person.language, render):
        await send_file(bot, person.user_id, call, now)


def _others(call: Call, actor: int) -> list[Person]:
    """The call's two people but the one acting (both, if a colleague acts)."""
    people = [call.proposer] + ([call.picker] if call.picker is not None else [])
    return [person for person in people if person.user_id != actor]


async def _close_copies(
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    call: Call,
    pressed: tuple[int, int],
    render: Callable[[Person], str],
) -> None:
    """The other members' copies of the proposal lose their buttons and say what happened,
    each in its reader's zone."""
    for user_id, message_id, language in await proposals.other_copies(
        sessions, call.meeting_id, pressed
    ):
        reader = call.invited.person(user_id)
        copy = [(user_id, message_id, language)]
        await notifier.close_copies(bot, copy, functools.partial(render, reader))


async def picked(
    message: Message, call: Call, bot: Bot, sessions: Sessions, notifier: Notifier,
    planner: Planner, user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """A slot picked: both people get the confirmation and the calendar file."""
    now = clock.now()
    me = call.invited.person(user.id)
    markup = keyboards.agreed(call.meeting_id)
    await screens.show(message, texts.agreed(call, user.id, me.zone), markup, edit=True)
    await send_file(bot, user.id, call, now)
    proposer = call.proposer

    def render() -> tuple[str, InlineKeyboardMarkup]:  # in the proposer's language
        return texts.agreed(call, proposer.user_id, proposer.zone), keyboards.agreed(
            call.meeting_id
        )

    await _tell(bot, notifier, proposer, render, call, now)
    planner.wake_at(await reminders.next_due(sessions))
    await _close_copies(
        bot, sessions, notifier, call, (user.id, message.message_id),
        lambda reader: texts.picked_by(call, reader.zone),
    )  # fmt: skip


async def declined(
    message: Message, call: Call, bot: Bot, sessions: Sessions, notifier: Notifier,
    user: UserInfo, *, swap: bool,
) -> None:  # fmt: skip
    """ "Not now" or "None of these fits": the proposer is told, the copies close."""
    name = call.invited.person(user.id).first_name
    await screens.show(message, texts.declined_by(call, name, swap=swap), None, edit=True)
    proposer, invited = call.proposer, call.invited.name

    def render() -> str:
        if swap:
            return texts.swapped_for_proposer(invited, name)
        return texts.declined_for_proposer(invited)

    await notifier.send(bot, proposer.user_id, proposer.language, render)
    await _close_copies(
        bot, sessions, notifier, call, (user.id, message.message_id),
        lambda _reader: texts.declined_by(call, name, swap=swap),
    )  # fmt: skip


async def move(
    message: Message, meeting_id: int, slot: Slot, bot: Bot, sessions: Sessions,
    notifier: Notifier, planner: Planner, user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Move an agreed call: the other side is told at once, both get the updated file."""
    now = clock.now()
    call = await proposals.move(sessions, user.id, meeting_id, slot, now)
    me = call.side_of(user.id)[0].person(user.id)
    markup = keyboards.agreed(call.meeting_id)
    text = texts.moved(call, me.first_name, user.id, me.zone)
    await screens.show(message, text, markup, edit=True)
    await send_file(bot, user.id, call, now)
    for person in _others(call, user.id):
        render = functools.partial(_moved, call, me.first_name, person)
        await _tell(bot, notifier, person, render, call, now)
    planner.wake_at(await reminders.next_due(sessions))


def _moved(call: Call, by: str, person: Person) -> tuple[str, InlineKeyboardMarkup]:
    """In the reader's language: the buttons too."""
    return texts.moved(call, by, person.user_id, person.zone), keyboards.agreed(call.meeting_id)


async def cancel(
    message: Message, meeting_id: int, bot: Bot, sessions: Sessions, notifier: Notifier,
    user: UserInfo, clock: Clock,
) -> None:  # fmt: skip
    """Cancel an agreed call: the other side is told at once; both get a cancellation
    (METHOD:CANCEL, the same UID) for their calendars."""
    now = clock.now()
    call = await proposals.cancel(sessions, user.id, meeting_id, now)
    me = call.side_of(user.id)[0].person(user.id)
    text = texts.cancelled(call, me.first_name, user.id, me.zone)
    await screens.show(message, text, None, edit=True)
    await send_file(bot, user.id, call, now)
    for person in _others(call, user.id):
        render = functools.partial(
            texts.cancelled, call, me.first_name, person.user_id, person.zone
        )
        await _tell(bot, notifier, person, render, call, now)
