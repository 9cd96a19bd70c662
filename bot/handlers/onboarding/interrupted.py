"""Presses on a questionnaire the bot no longer has: its state was lost (Redis restarted
without persistence, see README's "Dependency restarts"). The person is told it was
interrupted and offered to start again, instead of only "this button is out of date"."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens, shared_texts
from bot.handlers.onboarding import detour, flow, profiles, texts
from bot.handlers.onboarding.callbacks import ReviewAction, ReviewPress, StepPress
from bot.users import UserInfo
from db.engine import Sessions


def register(router: Router) -> None:
    """On `router` before the questionnaire's own presses: only when the chat has no
    questionnaire at all (none open, none paused by a detour command)."""
    nothing = _nothing_open
    restart = ReviewPress.filter(F.action == ReviewAction.RESTART)
    router.callback_query.register(on_start_again, restart, nothing)
    router.callback_query.register(on_lost_question, StepPress.filter(), nothing)
    router.callback_query.register(on_lost_question, ReviewPress.filter(), nothing)


async def _nothing_open(_query: CallbackQuery, state: FSMContext) -> bool:
    return await state.get_state() is None and await detour.paused_state(state) is None


async def _onboarding_lost(query: CallbackQuery, sessions: Sessions, user: UserInfo) -> bool:
    """Whether the press is on a questionnaire that was never finished (no profile yet):
    one who finished it and presses an old question only meets an old button."""
    if await profiles.load_profile(sessions, user.id) is None:
        return True
    await query.answer(shared_texts.stale_button(), show_alert=True)
    return False


async def on_lost_question(
    query: CallbackQuery, state: FSMContext, sessions: Sessions, user: UserInfo
) -> None:
    """A question's (or the summary's) button while no questionnaire is open."""
    if not await _onboarding_lost(query, sessions, user):
        return
    await query.answer(texts.interrupted(), show_alert=True)
    message = query.message
    if isinstance(message, Message):
        await screens.strip_keyboard(message, message.message_id)
        markup = screens.column(("restart", ReviewPress(action=ReviewAction.RESTART)))
        await message.answer(texts.interrupted_offer(), reply_markup=markup)


async def on_start_again(
    query: CallbackQuery, state: FSMContext, sessions: Sessions, user: UserInfo
) -> None:
    """ "Start over" under that offer (or an old resume prompt): the questionnaire anew."""
    if not await _onboarding_lost(query, sessions, user):
        return
    await query.answer()
    if isinstance(query.message, Message):
        await flow.begin(query.message, state, edit=True)
