"""👥 Team: members and roles, invitations, removing, handing over, leaving; and joining
through an invitation (its link, `/start join_<token>`, is opened by start/: a new user
picks a language first)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link

from bot import navigation, screens
from bot.clock import Clock
from bot.delivery.notifier import Notifier
from bot.handlers.team import invitations, joining, keyboards, membership, texts, views
from bot.handlers.team.callbacks import (
    JoinAnswerPress,
    JoinAskPress,
    JoinPress,
    JoinWaitPress,
    TeamAction,
    TeamPress,
)
from bot.handlers.team.membership import InviteRefused, Refused
from bot.navigation import Pressed, PressOf, RefusalsAnswered, register_actions
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the Team screens and invitations."""
    router = Router(name="team")
    router.callback_query.filter(
        PressOf(TeamPress, JoinPress, JoinAskPress, JoinAnswerPress, JoinWaitPress), Pressed()
    )
    # A press the team's rules refuse (`Refused`, raised by the services before anything
    # changed) is answered with the reason, as an alert; the screen stays as it was.
    router.callback_query.middleware(RefusalsAnswered())
    router.callback_query.register(on_join, JoinPress.filter())
    router.callback_query.register(on_ask_join, JoinAskPress.filter())
    router.callback_query.register(on_answer_join, JoinAnswerPress.filter())
    router.callback_query.register(on_withdraw, JoinWaitPress.filter(F.withdraw))
    router.callback_query.register(on_keep_waiting, JoinWaitPress.filter(~F.withdraw))
    register_actions(
        router,
        TeamPress,
        {
            TeamAction.SHOW: on_show,
            TeamAction.INVITE: on_invite,
            TeamAction.REVOKE: on_revoke,
            TeamAction.MEMBER: on_member,
            TeamAction.REMOVE: on_member,
            TeamAction.REMOVE_OK: on_remove_ok,
            TeamAction.OWNER: on_member,
            TeamAction.OWNER_OK: on_owner_ok,
            TeamAction.LEAVE: on_leave,
            TeamAction.LEAVE_OK: on_leave_ok,
        },
    )
    return router


async def on_join(
    query: CallbackQuery,
    message: Message,
    callback_data: JoinPress,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Join: a member at once (an unfinished questionnaire is dropped), then the menu; the
    owners are told who joined, and through which link."""
    try:
        joined = await membership.join(sessions, user.id, callback_data.token, clock.now())
    except InviteRefused as refused:
        text = texts.invite_problem(refused.problem, refused.name)
        await query.answer(text, show_alert=True)
        await screens.show(message, text, navigation.back_to_menu(), edit=True)
        return
    await query.answer()
    await state.clear()
    await views.show_joined(message, bot, notifier, sessions, user.id, joined)


async def on_show(
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo, clock: Clock
) -> None:
    """The Team screen."""
    if not await views.show_team(message, sessions, user.id, clock.now(), edit=True):
        raise Refused(membership.Refusal.NOT_MEMBER)
    await query.answer()


async def on_invite(
    query: CallbackQuery,
    message: Message,
    bot: Bot,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """A new invitation link, with Share and the link as text."""
    token, name = await membership.create_invite(sessions, user.id, clock.now())
    await query.answer()
    link = await create_start_link(bot, invitations.link_payload(token))
    await screens.show(message, texts.invitation(link), keyboards.invitation(link, name), edit=True)


async def on_revoke(
    query: CallbackQuery,
    message: Message,
    callback_data: TeamPress,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Revoke one link."""
    await membership.revoke_invite(sessions, user.id, callback_data.link, clock.now())
    await query.answer(texts.invite_revoked())
    await views.show_team(
        message, sessions, user.id, clock.now(), edit=True, notice=texts.invite_revoked()
    )


async def on_member(
    query: CallbackQuery,
    message: Message,
    callback_data: TeamPress,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """One member: make an owner, remove; or, before removing or making an owner, are you
    sure?"""
    shown = await membership.member(sessions, user.id, callback_data.user)
    await query.answer()
    text, markup = views.member_screen(callback_data.action, shown)
    await screens.show(message, text, markup, edit=True)


async def on_remove_ok(
    query: CallbackQuery,
    message: Message,
    callback_data: TeamPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Remove a member; they are told."""
    shown = await membership.member(sessions, user.id, callback_data.user)
    removed = await membership.remove_member(sessions, user.id, callback_data.user)
    await query.answer()
    notice = texts.removed(shown.first_name)
    await views.show_team(message, sessions, user.id, clock.now(), edit=True, notice=notice)
    await views.tell_removed(bot, notifier, removed)


async def on_owner_ok(
    query: CallbackQuery,
    message: Message,
    callback_data: TeamPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Make a member an owner; they are told."""
    promoted = await membership.make_owner(sessions, user.id, callback_data.user)
    await query.answer()
    notice = texts.made_owner(promoted.member)
    await views.show_team(message, sessions, user.id, clock.now(), edit=True, notice=notice)
    await views.tell_promoted(bot, notifier, promoted)


async def on_leave(
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo
) -> None:
    """Before leaving: are you sure (and, for the only member, the organisation goes)?"""
    others, name = await membership.leaving(sessions, user.id)
    await query.answer()
    text, markup = views.leave_screen(others, name)
    await screens.show(message, text, markup, edit=True)


async def on_leave_ok(
    query: CallbackQuery,
    message: Message,
    callback_data: TeamPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
) -> None:
    """Leave (and delete the organisation, if the user was told it goes too); when an owner
    leaves, the owners who remain are told."""
    left = await membership.leave(sessions, user.id, expect_others=callback_data.keep)
    await query.answer()
    await views.show_left(message, bot, notifier, sessions, user.id, left, not callback_data.keep)


async def on_ask_join(
    query: CallbackQuery,
    message: Message,
    callback_data: JoinAskPress,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """ "Ask to join" at onboarding: the owners are asked; the questionnaire is left."""
    asked = await joining.ask(sessions, user.id, callback_data.org, clock.now())
    await query.answer()
    await state.clear()
    await views.show_asked(message, bot, notifier, sessions, asked)


async def on_answer_join(
    query: CallbackQuery,
    message: Message,
    callback_data: JoinAnswerPress,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """An owner accepts or declines a join request; every other copy of it is closed (the
    request's first line kept above what became of it); the person is told."""
    answered = await joining.decide(
        sessions,
        user.id,
        callback_data.request,
        accept=callback_data.accept,
        now=clock.now(),
        pressed=message.message_id,
    )
    await query.answer()
    by = query.from_user.first_name
    await views.show_answered(message, bot, notifier, answered, user.id, by)


async def on_withdraw(
    query: CallbackQuery,
    message: Message,
    callback_data: JoinWaitPress,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Withdraw the waiting join request; the owners' copies say so; the questionnaire
    starts (or goes on where it was)."""
    withdrawn = await joining.withdraw(sessions, user.id, callback_data.request, clock.now())
    await query.answer()
    await views.show_withdrawn(message, state, bot, notifier, withdrawn)


async def on_keep_waiting(
    query: CallbackQuery,
    message: Message,
    callback_data: JoinWaitPress,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """Keep waiting: nothing changes (a request no longer waiting is said so)."""
    found = await joining.waiting(sessions, user.id)
    if found is None or found.request_id != callback_data.request:
        raise Refused(membership.Refusal.ANSWERED)
    await query.answer()
    await screens.show(message, texts.join_still_waiting(found.organisation), None, edit=True)
