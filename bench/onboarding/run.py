"""The onboarding bench's runs: the bot, its echo baseline and the solo users, on one database."""

from __future__ import annotations

import argparse
from pathlib import Path

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.common import (
    JSON,
    CpuMeter,
    SqlCounter,
    current_rss_mb,
    latency_summary,
    peak_rss_mb,
)
from bench.onboarding.local_api import BOT_TOKEN, LocalSession
from bench.onboarding.measurements import Sampler, run_summary
from bench.onboarding.users import ONBOARDING_UPDATES, Feeder, echo_script, onboard, run_users
from bot.app import create_bot, create_dispatcher
from bot.config import Settings, load_settings
from db.engine import create_engine, create_session_maker
from db.models import Membership, Organisation

USER_ID_BASE = 700_000_000
WARMUP_ID_BASE = 600_000_000
TARGETS = {"updates_per_s": 500.0, "p95_ms": 10.0, "peak_rss_mb": 150.0}
# -- the benchmark -------------------------------------------------------------------------------


def make_settings(directory: Path) -> Settings:
    """Settings for a fresh SQLite file in `directory`."""
    return load_settings(
        _env_file=None,
        bot_token=BOT_TOKEN,
        database_url=f"sqlite+aiosqlite:///{directory / 'bench.db'}",
        default_language="ru",
    )


def make_echo() -> tuple[Dispatcher, Bot, LocalSession]:
    """A bare aiogram echo bot on its own local session."""
    router = Router(name="echo")

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dp = Dispatcher()
    dp.include_router(router)
    session = LocalSession()
    return dp, Bot(token=BOT_TOKEN, session=session), session


async def count_organisations(engine: AsyncEngine, lo: int, hi: int) -> tuple[int, int]:
    """Organisations owned by ids in [lo, hi), and in total."""
    async with engine.connect() as connection:
        ours = await connection.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.role == "owner", Membership.user_id >= lo, Membership.user_id < hi)
        )
        total = await connection.scalar(select(func.count()).select_from(Organisation))
    return int(ours or 0), int(total or 0)


async def benchmark(args: argparse.Namespace, settings: Settings) -> JSON:
    """Warm up, measure the bot, measure the echo bot, measure solo latency, check the DB."""
    engine = create_engine(settings.database_url)
    sessions = create_session_maker(engine)
    bot = create_bot(settings)
    session = LocalSession()
    bot.session = session  # create_bot's own session is unused: no API base is configured
    dp = create_dispatcher(settings, sessions)
    await dp.emit_startup(bot=bot, dispatcher=dp, bots=[bot], **dp.workflow_data)
    echo_dp, echo_bot, echo_session = make_echo()

    try:
        if args.warmup:
            await run_users(
                Feeder(dp, bot, session),
                onboard,
                users=args.warmup,
                concurrency=args.concurrency,
                id_base=WARMUP_ID_BASE,
            )
            await run_users(
                Feeder(echo_dp, echo_bot, echo_session),
                echo_script(ONBOARDING_UPDATES),
                users=args.warmup,
                concurrency=args.concurrency,
                id_base=WARMUP_ID_BASE,
            )
        rss_before = peak_rss_mb()

        session.calls.clear()
        session.errors.clear()
        session.alerts = 0
        feeder = Feeder(dp, bot, session)
        profiler = Sampler() if args.profile else None
        with SqlCounter(engine) as sql, CpuMeter() as cpu:
            if profiler is not None:
                profiler.start()
            wall, users_done = await run_users(
                feeder,
                onboard,
                users=args.users,
                concurrency=args.concurrency,
                id_base=USER_ID_BASE,
                time_limit=args.time_limit,
            )
            if profiler is not None:
                profiler.stop()
        bot_result = {"users": users_done, **run_summary(feeder, wall)}
        bot_result["cpu"] = cpu.summary(bot_result["updates"])
        bot_result["latency_by_kind_ms"] = feeder.latency_by_kind()
        updates = max(1, bot_result["updates"])
        bot_result["sql_per_update"] = {
            "statements": round(sql.statements / updates, 2),
            "transactions": round(sql.begins / updates, 2),
            "begin_immediate": round(sql.immediate / updates, 2),
        }
        rss_after_bot = peak_rss_mb()
        rss_now_after_bot = current_rss_mb()

        per_user = max(1, len(feeder.latencies) // max(1, users_done))
        echo_session.calls.clear()
        echo_feeder = Feeder(echo_dp, echo_bot, echo_session)
        with CpuMeter() as echo_cpu:
            echo_wall, echo_users = await run_users(
                echo_feeder,
                echo_script(per_user),
                users=users_done,
                concurrency=args.concurrency,
                id_base=USER_ID_BASE,
            )
        echo_result = {"users": echo_users, **run_summary(echo_feeder, echo_wall)}
        echo_result["cpu"] = echo_cpu.summary(echo_result["updates"])

        solo: JSON = {}
        if args.solo_users:
            solo_bot = Feeder(dp, bot, session)
            await run_users(
                solo_bot,
                onboard,
                users=args.solo_users,
                concurrency=1,
                id_base=USER_ID_BASE + args.users,
            )
            solo_echo = Feeder(echo_dp, echo_bot, echo_session)
            await run_users(
                solo_echo,
                echo_script(per_user),
                users=args.solo_users,
                concurrency=1,
                id_base=USER_ID_BASE + args.users,
            )
            solo = {
                "users": args.solo_users,
                "bot_latency_ms": latency_summary(solo_bot.latencies),
                "bot_latency_by_kind_ms": solo_bot.latency_by_kind(),
                "echo_latency_ms": latency_summary(solo_echo.latencies),
                "script_errors": len(solo_bot.script_errors),
            }

        expected = users_done + args.solo_users
        ours, total = await count_organisations(
            engine, USER_ID_BASE, USER_ID_BASE + args.users + args.solo_users
        )
    finally:
        await dp.emit_shutdown(bot=bot, dispatcher=dp, bots=[bot], **dp.workflow_data)
        await dp.storage.close()
        await engine.dispose()

    bot_ups = bot_result["updates_per_s"]
    result: JSON = {
        "bot": bot_result,
        "echo": echo_result,
        "ratio_bot_to_echo_updates_per_s": round(bot_ups / echo_result["updates_per_s"], 4),
        "solo": solo,
        "rss_mb": {
            "peak_before_measuring": rss_before,
            "peak_after_bot": rss_after_bot,
            "current_after_bot": rss_now_after_bot,
            "peak_at_end": peak_rss_mb(),
        },
        "database": {
            "organisations_expected": expected,
            "organisations_found": ours,
            "organisations_total": total,
            "ok": ours == expected,
        },
        "bot_script_errors_sample": feeder.script_errors[:5],
    }
    result["targets"] = {
        "updates_per_s": {
            "target": TARGETS["updates_per_s"],
            "met": bot_ups >= TARGETS["updates_per_s"],
        },
        "p95_ms": {
            "target": TARGETS["p95_ms"],
            "met": bot_result["latency_ms"]["p95"] < TARGETS["p95_ms"],
        },
        "peak_rss_mb": {
            "target": TARGETS["peak_rss_mb"],
            "met": rss_after_bot < TARGETS["peak_rss_mb"],
        },
    }
    if profiler is not None:
        result["profile"] = profiler.summary(args.profile_top, Path(args.json))
    return result
