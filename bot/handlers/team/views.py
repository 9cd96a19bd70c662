"""The Team screen and the offer to join an organisation."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message

from bot import navigation, screens
from bot.delivery.notifier import Notifier
from bot.handlers.menu import views as menu_views
from bot.handlers.onboarding import flow
from bot.handlers.onboarding import texts as onboarding_texts
from bot.handlers.team import joining, keyboards, matching, membership, texts
from bot.handlers.team.callbacks import TeamAction, TeamPress
from bot.handlers.team.membership import InviteRefused, Member
from db.engine import Sessions

Screen = tuple[str, InlineKeyboardMarkup]


async def show_team(
    message: Message,
    sessions: Sessions,
    user_id: int,
    now: datetime,
    *,
    edit: bool,
    notice: str | None = None,
) -> bool:
    """The Team screen; False if the user belongs to no organisation."""
    shown = await membership.team(sessions, user_id, now)
    if shown is None:
        return False
    text = texts.team(shown)
    if notice:
        text = f"{notice}\n\n{text}"
    await screens.show(message, text, keyboards.team(shown), edit=edit)
    return True


async def offer_join(
    message: Message, sessions: Sessions, user_id: int, token: str, now: datetime, *, edit: bool
) -> None:
    """ "Join <organisation>, <city> as a member?", or why the invitation cannot be used."""
    try:
        found = await membership.look_up_invite(sessions, user_id, token, now)
    except InviteRefused as refused:
        text = texts.invite_problem(refused.problem, refused.name)
        await screens.show(message, text, navigation.back_to_menu(), edit=edit)
        return
    await screens.show(message, texts.join_offer(found), keyboards.join(token), edit=edit)


async def offer_existing(
    message: Message, sessions: Sessions, name: str, country: str, *, edit: bool
) -> bool:
    """At onboarding, after the name and the country: "<name>, <city> is already in NGO
    Bridge. Is it yours?" when a matching organisation exists; False when none does."""
    found = await matching.find_existing(sessions, name, country)
    if found is None:
        return False
    organisation_id, found_name, city = found
    text = texts.already_here(found_name, city)
    await screens.show(message, text, keyboards.already_here(organisation_id), edit=edit)
    return True


async def offer_waiting(message: Message, sessions: Sessions, user_id: int) -> bool:
    """/start while the user's join request waits: withdraw it or keep waiting. False when
    no request of theirs waits (or they belong to an organisation by now)."""
    found = await joining.waiting(sessions, user_id)
    if found is None:
        return False
    text = texts.join_pending(found.organisation)
    await screens.show(message, text, keyboards.waiting(found.request_id), edit=False)
    return True


def member_screen(action: TeamAction, shown: Member) -> Screen:
    """One member's screen (make an owner, remove), or, for REMOVE and OWNER, are you sure?"""
    if action is TeamAction.REMOVE:
        press = TeamPress(action=TeamAction.REMOVE_OK, user=shown.user_id)
        return texts.confirm_remove(shown), keyboards.confirm("remove_ok", press)
    if action is TeamAction.OWNER:
        press = TeamPress(action=TeamAction.OWNER_OK, user=shown.user_id)
        return texts.confirm_owner(shown), keyboards.confirm("owner_ok", press)
    return texts.member_screen(shown), keyboards.member(shown)


def leave_screen(others: int, name: str) -> Screen:
    """Before leaving: are you sure (and, for the only member, the organisation goes)?"""
    press = TeamPress(action=TeamAction.LEAVE_OK, keep=others > 0)
    markup = keyboards.confirm("leave_ok" if others else "delete_ok", press)
    return texts.confirm_leave(others, name), markup


async def show_answered(
    message: Message,
    bot: Bot,
    notifier: Notifier,
    answered: joining.Answered,
    owner_id: int,
    by: str,
) -> None:
    """A join request an owner (`owner_id`, named `by`) answered: the pressed copy and every
    other one say what became of it (the request's first line kept above); the person is
    told, unless the request closed because they are elsewhere or here already."""

    def head() -> str:
        return texts.join_request_head(
            answered.first_name, answered.username, answered.organisation
        )

    if answered.outcome in (joining.Outcome.ELSEWHERE, joining.Outcome.HERE):
        here = answered.outcome is joining.Outcome.HERE

        def closed() -> str:
            return texts.closed_copy(head(), texts.join_closed(answered.first_name, here))

        await screens.show(message, closed(), None, edit=True)
        await notifier.close_copies(bot, answered.others, closed)
        return  # the person is where they chose to be: nothing to tell them
    accepted = answered.accepted
    text = texts.closed_copy(head(), texts.join_decided(answered.first_name, accepted))
    await screens.show(message, text, None, edit=True)
    mine = [copy for copy in answered.others if copy[0] == owner_id]
    theirs = [copy for copy in answered.others if copy[0] != owner_id]
    await notifier.close_copies(
        bot, mine, lambda: texts.closed_copy(head(), texts.join_answered_by_you(accepted))
    )
    await notifier.close_copies(
        bot, theirs, lambda: texts.closed_copy(head(), texts.join_answered_by(by, accepted))
    )
    organisation = answered.organisation

    def render() -> str | Screen:
        if accepted:  # a member now: the main menu at hand
            menu, buttons = menu_views.screen(has_profile=True)
            return texts.join_accepted(organisation) + "\n\n" + menu, buttons
        return texts.join_declined(organisation)

    await notifier.send(bot, answered.user_id, answered.language, render)


async def show_withdrawn(
    message: Message,
    state: FSMContext,
    bot: Bot,
    notifier: Notifier,
    withdrawn: joining.Withdrawn,
) -> None:
    """A join request its author withdrew: said so, the owners' copies too; the
    questionnaire starts (or goes on where it was)."""
    await screens.show(message, texts.join_withdrawn(withdrawn.organisation), None, edit=True)

    def closed() -> str:
        head = texts.join_request_head(
            withdrawn.first_name, withdrawn.username, withdrawn.organisation
        )
        return texts.closed_copy(head, texts.join_withdrawn_copy(withdrawn.first_name))

    await notifier.close_copies(bot, withdrawn.copies, closed)
    if await state.get_state() is not None:
        await flow.reshow_current(message, state)
        return
    await message.answer(onboarding_texts.welcome(flow.total_steps({})))
    await flow.begin(message, state, edit=False)


async def show_joined(
    message: Message,
    bot: Bot,
    notifier: Notifier,
    sessions: Sessions,
    user_id: int,
    joined: membership.Joined,
) -> None:
    """Joined by an invitation: said so, then the menu; the owners are told who joined."""
    await screens.show(message, texts.joined(joined.organisation), None, edit=True)
    await menu_views.show_menu(message, sessions, user_id, edit=False, has_profile=True)
    await notifier.post_to_each(bot, joined.owners, lambda: texts.member_joined(joined))


async def tell_removed(bot: Bot, notifier: Notifier, removed: membership.Removed) -> None:
    """The member removed is told, in their language."""
    await notifier.send(
        bot, removed.user_id, removed.language, lambda: texts.you_were_removed(removed.organisation)
    )


async def tell_promoted(bot: Bot, notifier: Notifier, promoted: membership.Promoted) -> None:
    """The member made an owner is told (by whom), in their language."""
    await notifier.send(
        bot,
        promoted.member.user_id,
        promoted.language,
        lambda: texts.made_owner_for_them(promoted.organisation, promoted.by),
    )


async def show_left(
    message: Message,
    bot: Bot,
    notifier: Notifier,
    sessions: Sessions,
    user_id: int,
    left: membership.Left,
    deleted: bool,
) -> None:
    """Left (and the organisation `deleted`): said so, then the menu; the owners who remain
    are told."""
    await screens.show(message, texts.left(left.organisation, deleted), None, edit=True)
    await menu_views.show_menu(message, sessions, user_id, edit=False, has_profile=False)
    only = len(left.owners) == 1
    await notifier.post_to_each(
        bot, left.owners, lambda: texts.owner_left(left.first_name, left.organisation, only)
    )


async def show_asked(
    message: Message, bot: Bot, notifier: Notifier, sessions: Sessions, asked: joining.Asked
) -> None:
    """A join request sent: the person waits; each owner gets a copy to answer, and the
    copies are recorded (to close them once it is answered)."""
    name = asked.organisation.name
    await screens.show(message, texts.join_waiting(name), None, edit=True)
    copies = await notifier.post_to_each(
        bot,
        asked.owners,
        lambda: (
            texts.join_request(asked.first_name, asked.username, name),
            keyboards.answer_join(asked.request_id),
        ),
    )
    await joining.record_copies(sessions, asked.request_id, copies)
