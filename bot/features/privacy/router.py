"""/mydata: what is stored about the user, a copy as a file, and deleting it all."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot import screens
from bot.clock import Clock
from bot.features.privacy import keyboards, stored, texts
from bot.features.privacy.callbacks import DataAction, DataPress
from bot.users import UserDirectory, UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the "Your data" screens; they act on the presser's own data only."""
    router = Router(name="privacy")
    router.message.register(on_my_data, Command("mydata"))
    router.callback_query.register(on_data_press, DataPress.filter())
    return router


async def _show(message: Message, sessions: Sessions, user_id: int, *, edit: bool) -> None:
    found = await stored.stored(sessions, user_id)
    await screens.show(message, texts.summary(found), keyboards.summary(), edit=edit)


async def on_my_data(message: Message, sessions: Sessions, user: UserInfo) -> None:
    """/mydata, from anywhere (a questionnaire in progress stays where it is)."""
    await _show(message, sessions, user.id, edit=False)


async def on_data_press(
    query: CallbackQuery,
    callback_data: DataPress,
    state: FSMContext,
    sessions: Sessions,
    users: UserDirectory,
    user: UserInfo,
    clock: Clock,
) -> None:
    """Show, download, ask to delete, delete."""
    message = await screens.pressed_message(query)
    if message is None:
        return
    action = callback_data.action
    if action is DataAction.SHOW:
        await _show(message, sessions, user.id, edit=True)
    elif action is DataAction.EXPORT:
        questionnaire = await state.get_data() if await state.get_state() else None
        document = await stored.export(sessions, user.id, questionnaire, clock.now())
        if document is None:
            await query.answer(texts.nothing_stored(), show_alert=True)
            return
        await message.answer_document(
            BufferedInputFile(document, filename=f"ngo_bridge_{user.id}.json"),
            caption=texts.export_caption(),
        )
    elif action is DataAction.ERASE:
        await screens.show(message, texts.confirm_erase(), keyboards.confirm(), edit=True)
    else:
        await state.clear()
        await stored.erase(sessions, users, user.id)
        await screens.show(message, texts.erased(), None, edit=True)
    await query.answer()
