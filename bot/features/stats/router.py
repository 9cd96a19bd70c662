"""/stats for admins: the study's indicators, a chart and a CSV table."""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Message,
)

from bot import screens
from bot.features.stats import chart, indicators, keyboards, texts
from bot.features.stats.callbacks import StatsAction, StatsPress
from bot.filters import IsAdmin
from db.engine import Sessions


def create_router() -> Router:
    """Routes for admin commands; non-admins fall through to the catch-all."""
    router = Router(name="admin")
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())
    router.message.register(on_stats, Command("stats"), StateFilter(None))
    router.callback_query.register(on_stats_press, StatsPress.filter())
    return router


async def on_stats(message: Message, sessions: Sessions) -> None:
    """/stats: the study's indicators, with a chart and a table a press away."""
    overview = await indicators.overview(sessions)
    await message.answer(texts.overview(overview), reply_markup=keyboards.overview())


async def on_stats_press(
    query: CallbackQuery, callback_data: StatsPress, sessions: Sessions
) -> None:
    """The chart (PNG) or the table (CSV) of today's figures, sent as new messages."""
    message = await screens.pressed_message(query)
    if message is None:
        return
    await query.answer()
    overview = await indicators.overview(sessions)
    if callback_data.action is StatsAction.CHART:
        title, labels, series = texts.chart(overview)
        png = await asyncio.to_thread(chart.supply_and_demand, title, labels, series)
        await message.answer_photo(
            BufferedInputFile(png, filename="ngo_bridge_topics.png"), caption=title
        )
    else:
        await message.answer_document(
            BufferedInputFile(texts.table(overview), filename="ngo_bridge_stats.csv"),
            caption=texts.table_caption(),
        )
