"""Admin commands. The admin filter is on the router; callbacks re-check it too."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram import Router
from aiogram.filters import BaseFilter, Command, StateFilter
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Message,
    TelegramObject,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.handlers import flow
from bot.services import stats
from bot.services.users import UserInfo
from bot.ui import stats_chart
from bot.ui import stats_keyboards as sk
from bot.ui import stats_texts as st
from bot.ui.callbacks import StatsAction, StatsPress


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
    router.callback_query.register(on_stats_press, StatsPress.filter())
    return router


async def on_stats(message: Message, sessions: async_sessionmaker[AsyncSession]) -> None:
    """/stats: the study's indicators, with a chart and a table a press away."""
    overview = await stats.overview(sessions)
    await message.answer(st.overview(overview), reply_markup=sk.overview())


async def on_stats_press(
    query: CallbackQuery, callback_data: StatsPress, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The chart (PNG) or the table (CSV) of today's figures, sent as new messages."""
    message = await flow.pressed_message(query)
    if message is None:
        return
    await query.answer()
    overview = await stats.overview(sessions)
    if callback_data.action is StatsAction.CHART:
        title, labels, series = st.chart(overview)
        png = await asyncio.to_thread(stats_chart.supply_and_demand, title, labels, series)
        await message.answer_photo(
            BufferedInputFile(png, filename="ngo_bridge_topics.png"), caption=title
        )
    else:
        await message.answer_document(
            BufferedInputFile(st.table(overview), filename="ngo_bridge_stats.csv"),
            caption=st.table_caption(),
        )
