"""/mydata: what is stored about the user, a copy as a file, and deleting it all."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot import screens
from bot.clock import Clock
from bot.delivery.notifier import Notifier
from bot.handlers.onboarding import detour
from bot.handlers.posts import leaving
from bot.handlers.privacy import keyboards, stored, texts
from bot.handlers.privacy.callbacks import DataAction, DataPress
from bot.navigation import Pressed, PressOf, register_actions
from bot.users import KnownUsers, UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the "Your data" screens; they act on the presser's own data only."""
    router = Router(name="privacy")
    router.callback_query.filter(PressOf(DataPress), Pressed())
    router.message.register(on_my_data, Command("mydata"))
    register_actions(
        router,
        DataPress,
        {
            DataAction.SHOW: on_show,
            DataAction.EXPORT: on_export,
            DataAction.ERASE: on_erase,
            DataAction.CONFIRM: on_confirm,
        },
    )
    return router


async def _show(message: Message, sessions: Sessions, user_id: int, *, edit: bool) -> None:
    found = await stored.stored(sessions, user_id)
    await screens.show(message, texts.summary(found), keyboards.summary(), edit=edit)


async def on_my_data(message: Message, sessions: Sessions, user: UserInfo) -> None:
    """/mydata, from anywhere (a questionnaire in progress stays where it is)."""
    await _show(message, sessions, user.id, edit=False)


async def on_show(
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo
) -> None:
    """Back to the summary of what is stored."""
    await _show(message, sessions, user.id, edit=True)
    await query.answer()


async def on_export(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
    clock: Clock,
) -> None:
    """A copy of everything stored, as a file (an unfinished questionnaire included)."""
    in_flow = await state.get_state() or await detour.paused_state(state)
    questionnaire = await state.get_data() if in_flow else None
    document = await stored.export(sessions, user.id, questionnaire, clock.now())
    if document is None:
        await query.answer(texts.nothing_stored(), show_alert=True)
        return
    await message.answer_document(
        BufferedInputFile(document, filename=f"ngo_bridge_{user.id}.json"),
        caption=texts.export_caption(),
    )
    await query.answer()


async def on_erase(
    query: CallbackQuery, message: Message, sessions: Sessions, user: UserInfo
) -> None:
    """Ask to confirm deleting everything (saying whether the organisation goes too)."""
    found = await stored.stored(sessions, user.id)
    await screens.show(message, texts.confirm_erase(found), keyboards.confirm(), edit=True)
    await query.answer()


async def on_confirm(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    notifier: Notifier,
    users: KnownUsers,
    user: UserInfo,
) -> None:
    """Delete everything stored about the presser; a member made owner is told."""
    await state.clear()
    await detour.discard(state)  # an admin's questionnaire parked by an admin command
    await leaving.discard(state)  # a post's draft left midway
    _, handover = await stored.erase(sessions, users, user.id)
    await screens.show(message, texts.erased(), None, edit=True)
    await query.answer()
    if handover is not None:
        heir = handover
        await notifier.send(
            bot,
            heir.user_id,
            heir.language,
            lambda: texts.now_owner(heir.organisation, heir.former),
        )
