"""/stats for admins: the study's indicators overall, per group and per country, a chart
and a CSV table of the chosen view."""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot import screens
from bot.clock import Clock
from bot.filters import IsAdmin
from bot.handlers.stats import chart, exports, indicators, keyboards, texts, workbook
from bot.handlers.stats.callbacks import StatsAction, StatsPress
from bot.handlers.stats.indicators import ALL, Overview
from bot.navigation import Pressed, PressOf, RefusalsAnswered, Refused, register_actions
from db.engine import Sessions


def create_router() -> Router:
    """Routes for admin commands; non-admins fall through to the catch-all."""
    router = Router(name="admin")
    router.callback_query.filter(PressOf(StatsPress), Pressed())
    router.callback_query.middleware(RefusalsAnswered())  # forged views: out of date
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())
    router.message.register(on_stats, Command("stats"), StateFilter(None))
    register_actions(
        router,
        StatsPress,
        {
            StatsAction.VIEW: on_view,
            StatsAction.COUNTRIES: on_countries,
            StatsAction.NETWORK: on_network,
            StatsAction.WEEKLY: on_weekly,
            StatsAction.CHART: on_chart,
            StatsAction.TABLE: on_table,
            StatsAction.WORKBOOK: on_workbook,
        },
    )
    return router


async def on_stats(message: Message, sessions: Sessions) -> None:
    """/stats: the overview, with the groups, the countries, a chart and a table a press
    away."""
    overview = await indicators.overview(sessions)
    await message.answer(texts.overview(overview), reply_markup=keyboards.overview())


async def _overview(query: CallbackQuery, data: StatsPress, sessions: Sessions) -> Overview:
    """Today's figures (the press answered); refused when the view is not one /stats knows
    (forged data)."""
    if not indicators.is_view(data.view):
        raise Refused
    await query.answer()
    return await indicators.overview(sessions)


async def on_view(
    query: CallbackQuery, message: Message, callback_data: StatsPress, sessions: Sessions
) -> None:
    """The overview, a group or a country, edited in place."""
    overview = await _overview(query, callback_data, sessions)
    if callback_data.view == ALL:
        await screens.show(message, texts.overview(overview), keyboards.overview(), edit=True)
        return
    text = texts.view(overview, callback_data.view)
    await screens.show(message, text, keyboards.view(callback_data.view), edit=True)


async def on_countries(
    query: CallbackQuery, message: Message, callback_data: StatsPress, sessions: Sessions
) -> None:
    """The country picker, edited in place."""
    overview = await _overview(query, callback_data, sessions)
    present = [code for code, _count in overview.countries()]
    await screens.show(message, texts.pick_country(), keyboards.countries(present), edit=True)


async def on_chart(
    query: CallbackQuery, message: Message, callback_data: StatsPress, sessions: Sessions
) -> None:
    """The chart of the view's figures (PNG), sent as a new message."""
    overview = await _overview(query, callback_data, sessions)
    title, labels, series = texts.chart(overview, callback_data.view)
    png = await asyncio.to_thread(chart.supply_and_demand, title, labels, series)
    await message.answer_photo(
        BufferedInputFile(png, filename="ngo_bridge_topics.png"), caption=title
    )


async def on_table(
    query: CallbackQuery,
    message: Message,
    callback_data: StatsPress,
    sessions: Sessions,
    clock: Clock,
) -> None:
    """The table of every figure, every view and the network (CSV), sent as a new
    message."""
    overview = await _overview(query, callback_data, sessions)
    network = await indicators.network(sessions, clock.now())
    await message.answer_document(
        BufferedInputFile(exports.table(overview, network), filename="ngo_bridge_stats.csv"),
        caption=exports.table_caption(),
    )


async def on_workbook(
    query: CallbackQuery,
    message: Message,
    callback_data: StatsPress,
    sessions: Sessions,
    clock: Clock,
) -> None:
    """Every figure as an Excel workbook, one sheet per view and one for the network,
    sent as a new message."""
    overview = await _overview(query, callback_data, sessions)
    network = await indicators.network(sessions, clock.now())
    data = await asyncio.to_thread(workbook.workbook, exports.sheets(overview, network))
    await message.answer_document(
        BufferedInputFile(data, filename="ngo_bridge_stats.xlsx"),
        caption=exports.workbook_caption(),
    )


async def _network(
    query: CallbackQuery, data: StatsPress, sessions: Sessions, clock: Clock
) -> indicators.Network:
    if data.view != ALL:  # these screens have no view: anything else is forged
        raise Refused
    await query.answer()
    return await indicators.network(sessions, clock.now())


async def on_network(
    query: CallbackQuery,
    message: Message,
    callback_data: StatsPress,
    sessions: Sessions,
    clock: Clock,
) -> None:
    """The network at work, edited in place."""
    network = await _network(query, callback_data, sessions, clock)
    await screens.show(message, texts.network(network), keyboards.network(), edit=True)


async def on_weekly(
    query: CallbackQuery,
    message: Message,
    callback_data: StatsPress,
    sessions: Sessions,
    clock: Clock,
) -> None:
    """The last 12 weeks as a chart (PNG), sent as a new message."""
    network = await _network(query, callback_data, sessions, clock)
    title, labels, series = texts.weekly_chart(network)
    png = await asyncio.to_thread(chart.supply_and_demand, title, labels, series)
    await message.answer_photo(
        BufferedInputFile(png, filename="ngo_bridge_weeks.png"), caption=title
    )
