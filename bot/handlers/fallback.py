"""The catch-all, registered last: nothing the user sends goes unanswered."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.handlers import flow
from bot.services.users import UserInfo
from bot.ui import texts
from bot.ui import trust_texts as tt
from bot.ui.callbacks import AdminPress, BroadcastPress, EventAdminPress, StatsPress


def create_router() -> Router:
    """Routes for whatever no other router took."""
    router = Router(name="fallback")
    router.message.register(on_anything)
    router.callback_query.register(on_not_admin, AdminPress.filter())
    router.callback_query.register(on_not_admin, BroadcastPress.filter())
    router.callback_query.register(on_not_admin, EventAdminPress.filter())
    router.callback_query.register(on_not_admin, StatsPress.filter())
    router.callback_query.register(on_unknown_press)
    return router


async def on_anything(
    message: Message, sessions: async_sessionmaker[AsyncSession], user: UserInfo
) -> None:
    """An unknown command, stray text, a sticker…: say so, and offer the menu."""
    await message.answer(texts.not_understood())
    await flow.show_menu(message, sessions, user.id, edit=False)


async def on_not_admin(query: CallbackQuery) -> None:
    """An admin button pressed by someone who is not (or no longer) an admin."""
    await query.answer(tt.admins_only(), show_alert=True)


async def on_unknown_press(query: CallbackQuery) -> None:
    """An old, forged or foreign button."""
    await query.answer(texts.stale_button(), show_alert=True)
