"""Scheduler rebuild at start: 10,000 events and 200,000 pending reminder rows.

    python -m bench.scheduler [--events 10000] [--notices 200000] [--per-row-jobs]
                              [--json bench/results/scheduler.json]

Fills a fresh SQLite file (published events, users, pending reminders due over the coming
weeks, a few claimed by a "crashed" process), then times what `python -m bot` does at start:
`bot.scheduler.Planner.start` gives up the interrupted rows, adds the sweep job, starts the
`AsyncIOScheduler` and asks the database for the earliest due row. Memory is the process's
RSS before and after. `--per-row-jobs` also measures the design not taken (one APScheduler
job per row) for comparison. Exit status 1 when the rebuild was wrong (no wake-up planned,
or the interrupted rows not given up), not when a target is missed.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import func, insert, select

from bench.common import (
    FAKE_TOKEN,
    JSON,
    RESULTS,
    argument_parser,
    code_version,
    current_rss_mb,
    finish,
)
from bot.app import create_bot, create_dispatcher, scheduler_duties
from bot.clock import Clock
from bot.config import load_settings
from bot.scheduler import DUE_JOB, Planner, Runtime
from db.engine import create_engine, create_session_maker, writing
from db.migrate import upgrade
from db.models import Event, Notice, User

TARGETS = {"rebuild_s": 2.0, "extra_rss_mb": 100.0}
USERS = 20_000
INTERRUPTED = 25


async def _noop() -> None:
    """What each per-row job would call (the design not taken)."""


async def fill(url: str, events: int, notices: int, now: datetime) -> None:
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    rng = random.Random(7)
    async with writing(create_session_maker(engine)) as session:
        await session.execute(
            insert(User),
            [{"id": i, "first_name": f"U{i}", "language": "ru", "is_active": True,
              "created_at": now, "updated_at": now} for i in range(1, USERS + 1)],
        )  # fmt: skip
        starts = [now + timedelta(hours=rng.randint(30, 24 * 60)) for _ in range(events)]
        await session.execute(
            insert(Event),
            [{"id": i + 1, "kind": "webinar", "title": f"Event {i}", "description": "…",
              "starts_at": s, "ends_at": s + timedelta(hours=2), "time_zone": "UTC",
              "topics": [], "countries": [], "languages": [], "status": "published",
              "created_by": 1, "created_at": now, "published_at": now}
             for i, s in enumerate(starts)],
        )  # fmt: skip
        rows = []
        for n in range(notices):  # two reminders per RSVP: (event, user) pairs are distinct
            rsvp = n // 2
            event, user = rsvp % events, 1 + (rsvp // events) % USERS
            kind = "day" if n % 2 else "hour"
            due = starts[event] - (timedelta(hours=24) if kind == "day" else timedelta(hours=1))
            state = "sending" if n < INTERRUPTED else "pending"
            rows.append({"event_id": event + 1, "user_id": user, "kind": kind, "due_at": due,
                         "state": state})  # fmt: skip
        for start in range(0, len(rows), 20_000):
            await session.execute(insert(Notice), rows[start : start + 20_000])
    await engine.dispose()


async def measure(url: str, per_row_jobs: bool) -> JSON:
    settings = load_settings(
        _env_file=None, bot_token=FAKE_TOKEN, database_url=url,
        telegram_api_base="http://127.0.0.1:9",  # never called: nothing is due
    )  # fmt: skip
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions)
    planner: Planner = dp["planner"]
    runtime = Runtime(bot, sessions, dp["notifier"], Clock(), settings.default_language)
    before = current_rss_mb() or 0.0
    started = time.perf_counter()
    first = await planner.start(runtime, scheduler_duties())
    seconds = time.perf_counter() - started
    after = current_rss_mb() or 0.0
    job = planner.scheduler.get_job(DUE_JOB)
    await asyncio.sleep(0.5)  # let the sweep that starts with the scheduler finish
    async with sessions() as session:
        interrupted = await session.scalar(
            select(func.count()).select_from(Notice).where(Notice.state == "interrupted")
        )
        pending = await session.scalar(
            select(func.count()).select_from(Notice).where(Notice.state == "pending")
        )
    planner.stop()
    result: JSON = {
        "rebuild_s": round(seconds, 4),
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "extra_rss_mb": round(after - before, 1),
        "pending_rows": pending,
        "interrupted_given_up": interrupted,
        "first_wake_up": first.isoformat() if first else None,
        "due_job_planned": job is not None,
        "scheduler_jobs": 2 if job is not None else 1,
    }
    if per_row_jobs:
        result["per_row_jobs"] = await per_row(sessions)
    await bot.session.close()
    await engine.dispose()
    return result


async def per_row(sessions: Any) -> JSON:
    """The design not taken: one date job per pending row."""
    async with sessions() as session:
        rows = (
            await session.execute(select(Notice.id, Notice.due_at).where(Notice.state == "pending"))
        ).all()
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.start(paused=True)
    before = current_rss_mb() or 0.0
    started = time.perf_counter()
    for notice_id, due in rows:
        scheduler.add_job("bench.scheduler:_noop", "date", run_date=due, id=f"n{notice_id}")
    seconds = time.perf_counter() - started
    after = current_rss_mb() or 0.0
    scheduler.shutdown(wait=False)
    return {
        "jobs": len(rows),
        "seconds": round(seconds, 2),
        "extra_rss_mb": round(after - before, 1),
    }


def print_report(result: JSON, config: JSON) -> None:
    run = result["run"]
    print(
        f"scheduler rebuild ({config['code']}): {config['events']} events, {config['notices']} rows"
    )
    print(
        f"  rebuild {run['rebuild_s'] * 1000:.1f} ms (target < {TARGETS['rebuild_s']} s), "
        f"extra RSS {run['extra_rss_mb']} MB (target < {TARGETS['extra_rss_mb']} MB); "
        f"{run['pending_rows']} pending rows, {run['interrupted_given_up']} interrupted given up, "
        f"first wake-up {run['first_wake_up']}"
    )
    if "per_row_jobs" in run:
        alt = run["per_row_jobs"]
        extra = alt["extra_rss_mb"]
        print(f"  one job per row instead: {alt['jobs']} jobs in {alt['seconds']} s, +{extra} MB")
    print(f"  filling the database took {result['fill_s']} s")


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--notices", type=int, default=200_000)
    parser.add_argument("--per-row-jobs", action="store_true")
    parser.add_argument("--json", default=str(RESULTS / "scheduler.json"))
    args = parser.parse_args(argv)
    config: JSON = {"code": code_version(), "events": args.events, "notices": args.notices,
                    "targets": TARGETS}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-scheduler-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'scheduler.db'}"
        now = datetime.now(UTC)
        started = time.perf_counter()
        asyncio.run(fill(url, args.events, args.notices, now))
        fill_s = round(time.perf_counter() - started, 1)
        run = asyncio.run(measure(url, args.per_row_jobs))
    failures = []
    if not run["due_job_planned"]:
        failures.append("no wake-up planned")
    if run["interrupted_given_up"] != INTERRUPTED:
        failures.append(
            f"{run['interrupted_given_up']} interrupted rows given up, not {INTERRUPTED}"
        )
    return finish(
        {"config": config, "run": run, "fill_s": fill_s}, config, failures, args.json, print_report
    )


if __name__ == "__main__":
    sys.exit(main())
