"""`python -m bench.directory`: arguments, the temporary database, exit status."""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
import tempfile
from pathlib import Path

import bench.directory
from bench.common import (
    JSON,
    RESULTS,
    argument_parser,
    environment,
    finish,
    peak_rss_mb,
)
from bench.directory.report import print_report
from bench.directory.run import benchmark
from bot.handlers.directory.search import PAGE_SIZE
from bot.runner import run_event_loop
from db.migrate import upgrade


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser(bench.directory.__doc__)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="measured calls per shape")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured calls per shape")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default=str(RESULTS / "search.json"))
    parser.add_argument("--db-dir", default=None, help="where the temporary SQLite file goes")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE after the build, to see plans with statistics (the bot runs none)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database file (its path is printed)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Create the schema (before the event loop, as `python -m bot` does), run, report."""
    args = parse_args(argv)
    config: JSON = {
        "organisations": args.orgs,
        "queries": args.queries,
        "warmup": args.warmup,
        "seed": args.seed,
        "analyze": args.analyze,
        "page_size": PAGE_SIZE,
        **environment(sqlite=sqlite3.sqlite_version),
    }
    with contextlib.ExitStack() as stack:
        if args.keep:
            directory_path = Path(tempfile.mkdtemp(prefix="ngo-bench-", dir=args.db_dir))
        else:
            directory_path = Path(
                stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="ngo-bench-", dir=args.db_dir)
                )
            )
        path = directory_path / "search.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        result = run_event_loop(benchmark(args, url, path))
        if args.keep:
            print(f"database kept: {path}")

    failures = []
    for name, shape in result["shapes"].items():
        if shape["max_organisations_loaded_per_call"] > PAGE_SIZE + 1:  # the page and `me`
            failures.append(f"{name} loaded {shape['max_organisations_loaded_per_call']}")
    if result["no_profile_viewers"]:
        failures.append(f"{result['no_profile_viewers']} viewers without a profile")
    result["peak_rss_mb"] = peak_rss_mb()
    result = {"config": config, **result}
    return finish(result, config, failures, args.json, print_report)


if __name__ == "__main__":
    sys.exit(main())
