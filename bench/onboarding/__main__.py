"""`python -m bench.onboarding`: arguments, the database set up first, exit status."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import cast

import aiogram
import sqlalchemy

import bench.onboarding
from bench.common import (
    JSON,
    RESULTS,
    argument_parser,
    environment,
    finish,
    is_noisy,
    peak_rss_mb,
)
from bench.onboarding.measurements import ErrorCounter
from bench.onboarding.report import print_report
from bench.onboarding.run import benchmark, make_settings
from bench.onboarding.users import ONBOARDING_UPDATES
from bot.runner import run_event_loop
from db.migrate import upgrade


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser(bench.onboarding.__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50, help="users in flight")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured users first")
    parser.add_argument("--solo-users", type=int, default=20, help="users run one at a time")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=240,
        help="seconds after which no new user starts in the bot run (0: none); keeps a slow "
        "bot's run bounded, the figures then cover the users that ran",
    )
    parser.add_argument("--json", default=str(RESULTS / "onboarding.json"))
    parser.add_argument("--db-dir", default=None, help="where the temporary SQLite file goes")
    parser.add_argument(
        "--log-info",
        action="store_true",
        help="log at INFO to /dev/null, as `python -m bot` logs (one line per update)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the main thread during the bot run (adds a few per cent)",
    )
    parser.add_argument("--profile-top", type=int, default=10)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Set up the database (before the event loop, as `python -m bot` does), run, report."""
    args = parse_args(argv)
    rss_after_imports = peak_rss_mb()
    errors = ErrorCounter()
    logging.basicConfig(
        level=logging.INFO if args.log_info else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[logging.StreamHandler(open(os.devnull, "w") if args.log_info else sys.stderr)],  # noqa: SIM115
    )
    logging.getLogger().addHandler(errors)
    config: JSON = {
        "users": args.users,
        "concurrency": args.concurrency,
        "warmup_users": args.warmup,
        "solo_users": args.solo_users,
        "time_limit_s": args.time_limit,
        "updates_per_onboarding": ONBOARDING_UPDATES,
        "log_info": args.log_info,
        "profiled": args.profile,
        **environment(aiogram=aiogram.__version__),
    }
    with tempfile.TemporaryDirectory(prefix="ngo-bench-", dir=args.db_dir) as directory:
        settings = make_settings(Path(directory))
        upgrade(settings.database_url)
        result = run_event_loop(benchmark(args, settings))  # as `python -m bot` runs
        database = Path(cast(str, sqlalchemy.make_url(settings.database_url).database))
        result["database"]["file_bytes"] = database.stat().st_size  # WAL checkpointed on close

    failures = []
    if not result["database"]["ok"]:
        database = result["database"]
        failures.append(
            f"{database['organisations_found']} organisations saved, "
            f"expected {database['organisations_expected']}"
        )
    if errors.count:
        failures.append(f"{errors.count} errors logged")
    for name in ("bot", "echo"):
        if result[name]["script_errors"]:
            failures.append(f"{result[name]['script_errors']} {name} presses found no button")
        if result[name]["unhandled"]:
            failures.append(f"{result[name]['unhandled']} {name} updates unhandled")
    if result["solo"].get("script_errors"):
        failures.append(f"{result['solo']['script_errors']} solo presses found no button")
    if result["bot"]["alerts"]:
        failures.append(f"{result['bot']['alerts']} stale-button alerts")
    result["rss_mb"] = {"after_imports": rss_after_imports, **result["rss_mb"]}
    result["noisy"] = is_noisy(result["bot"]["cpu"])
    result = {"config": config, **result, "errors_logged": errors.count}
    return finish(result, config, failures, args.json, print_report)


if __name__ == "__main__":
    sys.exit(main())
