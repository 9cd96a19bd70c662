"""/stats for admins: the study's indicators, a chart and a CSV table."""

from __future__ import annotations

import asyncio

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Message,
)

from bot import screens
from bot.features.stats import chart, indicators, keyboards, texts
from bot.features.stats.callbacks import StatsAction, StatsPress
from bot.features.stats.indicators import Overview
from bot.filters import IsAdmin
from bot.navigation import PressOf
from db.engine import Sessions


def create_router() -> Router:
    """Routes for admin commands; non-admins fall through to the catch-all."""
    router = Router(name="admin")
    router.callback_query.filter(PressOf(StatsPress))
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())
    router.message.register(on_stats, Command("stats"), StateFilter(None))
    router.callback_query.register(on_chart, StatsPress.filter(F.action == StatsAction.CHART))
    router.callback_query.register(on_table, StatsPress.filter(F.action == StatsAction.TABLE))
    return router


async def on_stats(message: Message, sessions: Sessions) -> None:
    """/stats: the study's indicators, with a chart and a table a press away."""
    overview = await indicators.overview(sessions)
    await message.answer(texts.overview(overview), reply_markup=keyboards.overview())


async def _pressed(query: CallbackQuery, sessions: Sessions) -> tuple[Message, Overview] | None:
    """The message pressed on (the press answered) and today's figures."""
    message = await screens.pressed_message(query)
    if message is None:
        return None
    await query.answer()
    return message, await indicators.overview(sessions)


async def on_chart(query: CallbackQuery, sessions: Sessions) -> None:
    """The chart of today's figures (PNG), sent as a new message."""
    pressed = await _pressed(query, sessions)
    if pressed is None:
        return
    message, overview = pressed
    title, labels, series = texts.chart(overview)
    png = await asyncio.to_thread(chart.supply_and_demand, title, labels, series)
    await message.answer_photo(
        BufferedInputFile(png, filename="ngo_bridge_topics.png"), caption=title
    )


async def on_table(query: CallbackQuery, sessions: Sessions) -> None:
    """The table of today's figures (CSV), sent as a new message."""
    pressed = await _pressed(query, sessions)
    if pressed is None:
        return
    message, overview = pressed
    await message.answer_document(
        BufferedInputFile(texts.table(overview), filename="ngo_bridge_stats.csv"),
        caption=texts.table_caption(),
    )
