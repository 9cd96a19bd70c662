"""Admins: the verification queue (/verify) and reports (/reports); and users reporting a
card (its Report button, then a reason).

The admin filter sits on the admins' router, so every command and every press of theirs is
checked against ADMIN_IDS again; a non-admin's press falls through to `on_not_admin` in
the catch-all."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import navigation, screens, shared_texts
from bot.clock import Clock
from bot.delivery.notifier import Notifier
from bot.filters import IsAdmin
from bot.handlers.contacts import texts as contacts_texts
from bot.handlers.contacts.introductions import RequestRefusal
from bot.handlers.directory import search
from bot.handlers.directory import texts as directory_texts
from bot.handlers.directory.callbacks import ReportPress
from bot.handlers.moderation import keyboards, reports, texts
from bot.handlers.moderation.callbacks import AdminAction, AdminPress
from bot.handlers.moderation.reports import Moderation
from bot.handlers.moderation.states import AdminNote
from bot.handlers.trust import badges
from bot.navigation import PressOf, RefusalsAnswered, Refused
from bot.users import UserInfo
from bot.validation import AnswerError, Problem
from db.engine import Sessions

MODERATION = {
    AdminAction.DISMISS: Moderation.DISMISS,
    AdminAction.HIDE: Moderation.HIDE,
    AdminAction.BAN: Moderation.BAN,
}


def create_router() -> Router:
    """The admins' routes, then the users' (reports)."""
    router = Router(name="moderation")
    router.include_routers(_admins_router(), _users_router())
    return router


def _users_router() -> Router:
    """A user reporting a card."""
    router = Router(name="reports")
    router.callback_query.filter(PressOf(ReportPress))
    router.callback_query.middleware(RefusalsAnswered())  # a forged reason: out of date
    router.callback_query.register(on_report_press, ReportPress.filter())
    return router


def _admins_router() -> Router:
    """Admin-only routes."""
    router = Router(name="moderation_admins")
    router.callback_query.filter(PressOf(AdminPress))
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())
    router.message.register(on_verify, Command("verify"))
    router.message.register(on_reports, Command("reports"))
    router.callback_query.register(on_approve, AdminPress.filter(F.action == AdminAction.APPROVE))
    router.callback_query.register(on_reject, AdminPress.filter(F.action == AdminAction.REJECT))
    router.callback_query.register(on_decision, AdminPress.filter(F.action.in_(MODERATION)))
    router.message.register(on_note, AdminNote.note, F.text)
    router.message.register(on_not_note, AdminNote.note)
    return router


async def show_next_verification(
    message: Message, sessions: Sessions, clock: Clock, *, edit: bool
) -> None:
    """The oldest waiting verification request, or "none waiting"."""
    item = await badges.next_pending(sessions, clock.now())
    if item is None:
        await screens.show(message, texts.queue_empty(), navigation.back_to_menu(), edit=edit)
        return
    await screens.show(
        message, texts.pending(item), keyboards.verification_decision(item.id), edit=edit
    )


async def show_next_report(
    message: Message, sessions: Sessions, clock: Clock, *, edit: bool
) -> None:
    """The oldest open report, or "none open"."""
    item = await reports.next_report(sessions, clock.now())
    if item is None:
        await screens.show(message, texts.reports_empty(), navigation.back_to_menu(), edit=edit)
        return
    await screens.show(
        message, texts.open_report(item), keyboards.report_decision(item.id), edit=edit
    )


async def on_verify(message: Message, sessions: Sessions, clock: Clock) -> None:
    """/verify."""
    await show_next_verification(message, sessions, clock, edit=False)


async def on_reports(message: Message, sessions: Sessions, clock: Clock) -> None:
    """/reports."""
    await show_next_report(message, sessions, clock, edit=False)


async def _pressed(query: CallbackQuery) -> Message | None:
    """The message pressed on; None (the press answered) when Telegram no longer sends it."""
    if isinstance(query.message, Message):
        return query.message
    await query.answer()
    return None


async def on_approve(query: CallbackQuery, callback_data: AdminPress, state: FSMContext) -> None:
    """Approve a verification: the note for the organisation first."""
    await _ask_note(query, callback_data, state, approve=True)


async def on_reject(query: CallbackQuery, callback_data: AdminPress, state: FSMContext) -> None:
    """Reject a verification: the reason for the organisation first."""
    await _ask_note(query, callback_data, state, approve=False)


async def _ask_note(
    query: CallbackQuery, callback_data: AdminPress, state: FSMContext, *, approve: bool
) -> None:
    message = await _pressed(query)
    if message is None:
        return
    await query.answer()
    await state.set_state(AdminNote.note)
    await state.update_data(verification=callback_data.item, approve=approve)
    await screens.strip_keyboard(message, message.message_id)
    await message.answer(texts.ask_note(approve))


async def on_decision(
    query: CallbackQuery,
    callback_data: AdminPress,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Dismiss, hide or ban: a report decision takes effect at once, then the next report."""
    message = await _pressed(query)
    if message is None:
        return
    action = callback_data.action
    done = await reports.moderate(
        sessions, user.id, callback_data.item, MODERATION[action], clock.now()
    )
    await query.answer(texts.moderated(action.value) if done else texts.already_decided())
    await show_next_report(message, sessions, clock, edit=True)


async def on_not_note(message: Message) -> None:
    """A photo or sticker where the note was expected: the note is still awaited."""
    await message.answer(shared_texts.problem(AnswerError(Problem.NEED_TEXT)))


async def on_note(
    message: Message,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    user: UserInfo,
    clock: Clock,
) -> None:
    """The admin's note: the decision is stored and the organisation told."""
    data = await state.get_data()
    await state.set_state(None)
    item, approve = data.get("verification"), data.get("approve")
    if not isinstance(item, int) or not isinstance(approve, bool):
        await show_next_verification(message, sessions, clock, edit=False)
        return
    note = " ".join((message.text or "").split())[: badges.NOTE_MAX]
    decision = await badges.decide_verification(
        sessions, user.id, item, approve=approve, note=note, now=clock.now()
    )
    if decision is None:
        await message.answer(texts.already_decided())
    else:
        await message.answer(texts.decision_saved(approve))
        until = decision.valid_until if decision.approved else None

        def render() -> str:
            return texts.badge_approved(until) if until is not None else texts.badge_rejected(note)

        for owner in decision.owners:
            await notifier.send(bot, owner.user_id, owner.language, render)
    await show_next_verification(message, sessions, clock, edit=False)


async def on_report_press(
    query: CallbackQuery,
    callback_data: ReportPress,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Report a card: first the reasons, then the report itself."""
    message = query.message
    now = clock.now()
    shown = await search.card(sessions, user.id, callback_data.org, now)
    if shown is None or not isinstance(message, Message):
        await query.answer(directory_texts.card_gone(), show_alert=True)
        return
    if shown.own:
        await query.answer(contacts_texts.refusal(RequestRefusal.SELF), show_alert=True)
        return
    card = shown.card
    if not callback_data.reason:
        await query.answer()
        await screens.show(
            message,
            texts.report_prompt(),
            keyboards.report_reasons(card.id),
            edit=True,
        )
        return
    if callback_data.reason not in reports.REPORT_REASONS:
        raise Refused
    new = await reports.report(sessions, user.id, card.id, callback_data.reason, now)
    await query.answer(texts.reported(new), show_alert=True)
    await screens.show(message, texts.reported(new), navigation.back_to_menu(), edit=True)
