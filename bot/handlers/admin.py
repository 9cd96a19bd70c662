"""Admin commands. The admin filter is on the router; callbacks re-check it too."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters import BaseFilter, Command, StateFilter
from aiogram.types import Message, TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services import stats
from bot.services.users import UserInfo
from bot.ui import keyboards, texts


class IsAdmin(BaseFilter):
    """Passes only for users listed in ADMIN_IDS (checked on every event)."""

    async def __call__(self, event: TelegramObject, user: UserInfo | None = None, **_: Any) -> bool:
        return user is not None and user.is_admin


def create_router() -> Router:
    """Routes for admin commands; non-admins fall through to the catch-all."""
    router = Router(name="admin")
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())
    router.message.register(on_stats, Command("stats"), StateFilter(None))
    return router


async def on_stats(message: Message, sessions: async_sessionmaker[AsyncSession]) -> None:
    """/stats: users and organisations, per country."""
    overview = await stats.overview(sessions)
    await message.answer(texts.stats(overview), reply_markup=keyboards.back_to_menu())
