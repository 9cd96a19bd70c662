"""/stats latency: the overview, every kind of view, the exports and the charts over the
directory bench's 100,000 synthetic organisations in SQLite on disk.

    python -m bench.stats [--orgs 100000] [--requests 50000] [--calls 30] [--charts 5]
                          [--seed 1] [--json bench/results/stats.json] [--db-dir DIR]

The fixture is `bench.directory.build_fixture` (organisations with their tags and masks,
a share of them hidden or banned), plus `--requests` contact requests between random
organisations over the last 16 weeks (three in five answered, within 48 hours). Each
screen is timed as its handler computes it: the grouped queries in their own read
transaction, then the text (in Russian), after one unmeasured call; screens take turns so
that noise spreads evenly. The charts are timed from the figures to the PNG bytes, with
matplotlib already imported (the bot imports it on the first chart), and the CSV and the
workbook likewise. Targets: every screen < 300 ms at p95, the chart < 1.5 s. Each screen
also prints its process CPU time per call (every thread, SQLite's too): on a machine shared
with other work the wall clock waits for the CPU, this does not.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from sqlalchemy import insert

from bench.common import (
    JSON,
    RESULTS,
    CpuMeter,
    argument_parser,
    environment,
    finish,
    is_noisy,
    latency_summary,
    peak_rss_mb,
)
from bench.directory import build_fixture, database_size
from bot.handlers.stats import chart, exports, indicators, texts, workbook
from bot.i18n import create_i18n
from bot.runner import run_event_loop
from db.engine import Sessions, create_engine, create_session_maker
from db.migrate import upgrade
from db.models import ContactRequest

SCREEN_TARGET_MS: Final = 300.0
CHART_TARGET_MS: Final = 1500.0
LANGUAGE: Final = "ru"


async def add_requests(sessions: Sessions, organisations: int, count: int, seed: int,
                       now: datetime) -> None:  # fmt: skip
    """`count` contact requests between random organisations over the last 16 weeks."""
    rng = random.Random(seed)
    rows: list[JSON] = []
    for _ in range(count):
        sender, recipient = rng.sample(range(1, organisations + 1), 2)
        created = now - timedelta(days=rng.uniform(0, 112))
        status = rng.choices(("accepted", "declined", "pending"), (2, 1, 2))[0]
        decided = created + timedelta(hours=rng.uniform(0.1, 48)) if status != "pending" else None
        rows.append({"sender_id": sender, "recipient_id": recipient, "status": status,
                     "created_at": created, "decided_at": decided})  # fmt: skip
    async with sessions() as session, session.begin():
        await session.execute(insert(ContactRequest), rows)


def screens(sessions: Sessions, now: datetime) -> dict[str, Callable[[], Awaitable[object]]]:
    """What each screen's handler computes: its figures, then its text."""

    async def overview() -> object:
        return texts.overview(await indicators.overview(sessions))

    def view(code: str) -> Callable[[], Awaitable[object]]:
        async def compute() -> object:
            return texts.view(await indicators.overview(sessions), code)

        return compute

    async def countries() -> object:
        return (await indicators.overview(sessions)).countries()

    async def network() -> object:
        return texts.network(await indicators.network(sessions, now))

    return {
        "overview (/stats)": overview,
        "group: Russia": view("ru"),
        "group: KZ, AM, KG": view("kam"),
        "group: other CIS": view("cis"),
        "country: Kazakhstan": view("KZ"),
        "country picker": countries,
        "the network at work": network,
    }


async def benchmark(args: argparse.Namespace, url: str, path: Path) -> JSON:
    """Build the fixture, time every screen, the exports and the charts."""
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    now = datetime.now(UTC)
    i18n = create_i18n("en")
    try:
        fixture = await build_fixture(engine, args.orgs, args.seed, now)
        began = time.perf_counter()
        await add_requests(sessions, args.orgs, args.requests, args.seed + 2, now)
        requests_s = time.perf_counter() - began
        size = database_size(path)
        gc.collect()
        gc.freeze()  # as `python -m bot` does after its imports
        with i18n.context(), i18n.use_locale(LANGUAGE):
            shown = screens(sessions, now)
            timings: dict[str, list[float]] = {name: [] for name in shown}
            cpu_times: dict[str, list[float]] = {name: [] for name in shown}
            for compute in shown.values():  # warm-up: statements compiled and cached
                await compute()
            with CpuMeter() as cpu_meter:
                for _ in range(args.calls):
                    for name, compute in shown.items():
                        began, used = time.perf_counter(), time.process_time()
                        await compute()
                        timings[name].append(time.perf_counter() - began)
                        cpu_times[name].append(time.process_time() - used)
            cpu = cpu_meter.summary(args.calls * len(shown))
            overview = await indicators.overview(sessions)
            network = await indicators.network(sessions, now)
            chart.supply_and_demand(*texts.chart(overview, "all"))  # imports matplotlib
            workbook.workbook(exports.sheets(overview, network))  # imports openpyxl
            made: dict[str, Callable[[], object]] = {
                "chart: supply and demand (all)": lambda: chart.supply_and_demand(
                    *texts.chart(overview, "all")
                ),
                "chart: supply and demand (a group)": lambda: chart.supply_and_demand(
                    *texts.chart(overview, "kam")
                ),
                "chart: week by week": lambda: chart.supply_and_demand(
                    *texts.weekly_chart(network)
                ),
                "table (CSV)": lambda: exports.table(overview, network),
                "workbook (xlsx)": lambda: workbook.workbook(exports.sheets(overview, network)),
            }
            export_timings: dict[str, list[float]] = {name: [] for name in made}
            for _ in range(args.charts):
                for name, make in made.items():
                    began = time.perf_counter()
                    make()
                    export_timings[name].append(time.perf_counter() - began)
            figures = {
                "organisations counted": overview.view("all").organisations,
                "requests": sum(network.requests.values()),
            }
    finally:
        await engine.dispose()
    return {
        "fixture": {
            "organisations": args.orgs,
            "rows": {**fixture.rows, "contact_requests": args.requests},
            "build_s": round(fixture.build_s + requests_s, 2),
            "database": size,
        },
        "figures": figures,
        "screens": {name: latency_summary(values) for name, values in timings.items()},
        # CPU time of the process (every thread: SQLite's too) per call: what the other
        # engineers' load on a shared machine changes least
        "screens_cpu": {name: latency_summary(values) for name, values in cpu_times.items()},
        "exports": {name: latency_summary(values) for name, values in export_timings.items()},
        "cpu": cpu,
        "noisy": is_noisy(cpu),
    }


def print_report(result: JSON, config: JSON) -> None:
    """A readable table of the figures."""
    fixture = result["fixture"]
    print(
        f"\n/stats benchmark: {fixture['organisations']} organisations, "
        f"{config['requests']} contact requests, {config['calls']} calls per screen, "
        f"{config['cpus']} CPUs, Python {config['python']}, SQLite {config['sqlite']}, "
        f"code {config['code']}; fixture built in {fixture['build_s']} s, "
        f"{fixture['database']['total_mb']} MB"
    )
    print(f"\n{'screen':<32} {'p50 ms':>9} {'p95 ms':>9}  target p95  {'CPU p50 ms':>10}")
    for name, summary in result["screens"].items():
        mark = "✓" if summary["p95"] < SCREEN_TARGET_MS else "✗"
        cpu = result["screens_cpu"][name]["p50"]
        print(
            f"{name:<32} {summary['p50']:>9.1f} {summary['p95']:>9.1f}  < 300 {mark}     "
            f"{cpu:>10.1f}"
        )
    print(f"\n{'export':<36} {'p50 ms':>9} {'max ms':>9}  target max")
    for name, summary in result["exports"].items():
        target = ""
        if name.startswith("chart"):
            target = "< 1500 " + ("✓" if summary["max"] < CHART_TARGET_MS else "✗")
        print(f"{name:<36} {summary['p50']:>9.1f} {summary['max']:>9.1f}  {target}")
    if result["noisy"]:
        print("\nthe machine was busy with other work: the figures are noisy")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser(__doc__)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--calls", type=int, default=30, help="measured calls per screen")
    parser.add_argument("--charts", type=int, default=5, help="measured charts and exports")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default=str(RESULTS / "stats.json"))
    parser.add_argument("--db-dir", default=None, help="where the temporary SQLite file goes")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Create the schema (before the event loop, as `python -m bot` does), run, report."""
    args = parse_args(argv)
    config: JSON = {
        "organisations": args.orgs,
        "requests": args.requests,
        "calls": args.calls,
        "charts": args.charts,
        "seed": args.seed,
        **environment(sqlite=sqlite3.sqlite_version),
    }
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(
            tempfile.TemporaryDirectory(prefix="ngo-bench-", dir=args.db_dir)
        )
        path = Path(folder) / "stats.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        result: dict[str, Any] = run_event_loop(benchmark(args, url, path))
    failures: list[str] = []  # the run was wrong (a missed target is not a failure)
    if not result["figures"]["organisations counted"]:
        failures.append("no organisation counted")
    result["peak_rss_mb"] = peak_rss_mb()
    result = {"config": config, **result}
    return finish(result, config, failures, args.json, print_report)


if __name__ == "__main__":
    sys.exit(main())
