"""/mydata: what is stored about the user, a copy as a file, and deleting it all."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.handlers import flow
from bot.services import privacy
from bot.services.users import UserDirectory, UserInfo
from bot.ui import privacy_keyboards as pk
from bot.ui import privacy_texts as pt
from bot.ui.callbacks import DataAction, DataPress


def create_router() -> Router:
    """Routes for the "Your data" screens; they act on the presser's own data only."""
    router = Router(name="privacy")
    router.message.register(on_my_data, Command("mydata"))
    router.callback_query.register(on_data_press, DataPress.filter())
    return router


async def _show(
    message: Message, sessions: async_sessionmaker[AsyncSession], user_id: int, *, edit: bool
) -> None:
    stored = await privacy.stored(sessions, user_id)
    await flow.show(message, pt.summary(stored), pk.summary(), edit=edit)


async def on_my_data(
    message: Message, sessions: async_sessionmaker[AsyncSession], user: UserInfo
) -> None:
    """/mydata, from anywhere (a questionnaire in progress stays where it is)."""
    await _show(message, sessions, user.id, edit=False)


async def on_data_press(
    query: CallbackQuery,
    callback_data: DataPress,
    state: FSMContext,
    sessions: async_sessionmaker[AsyncSession],
    users: UserDirectory,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Show, download, ask to delete, delete."""
    message = await flow.pressed_message(query)
    if message is None:
        return
    action = callback_data.action
    if action is DataAction.SHOW:
        await _show(message, sessions, user.id, edit=True)
    elif action is DataAction.EXPORT:
        questionnaire = await state.get_data() if await state.get_state() else None
        document = await privacy.export(sessions, user.id, questionnaire, clock.now())
        if document is None:
            await query.answer(pt.nothing_stored(), show_alert=True)
            return
        await message.answer_document(
            BufferedInputFile(document, filename=f"ngo_bridge_{user.id}.json"),
            caption=pt.export_caption(),
        )
    elif action is DataAction.ERASE:
        await flow.show(message, pt.confirm_erase(), pk.confirm(), edit=True)
    else:
        await state.clear()
        await privacy.erase(sessions, users, user.id)
        await flow.show(message, pt.erased(), None, edit=True)
    await query.answer()
