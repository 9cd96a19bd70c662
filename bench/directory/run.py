"""The directory bench's run: build the fixture, measure every shape, read the plans."""

from __future__ import annotations

import argparse
import gc
import random
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy

from bench.common import (
    JSON,
    is_noisy,
)
from bench.directory.fixture import CHUNK, build_fixture, database_size
from bench.directory.measure import measure
from bench.directory.plans import query_plans
from bench.directory.queries import SHAPES, QueryMaker
from db.engine import create_engine, create_session_maker

# -- the benchmark -------------------------------------------------------------------------------


async def benchmark(args: argparse.Namespace, url: str, path: Path) -> JSON:
    """Build the fixture, measure every shape, read the query plans."""
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    now = datetime.now(UTC)
    try:
        fixture = await build_fixture(engine, args.orgs, args.seed, now)
        size = database_size(path)
        async with engine.connect() as connection:
            page_size = await connection.scalar(sqlalchemy.text("PRAGMA page_size"))
            pages = await connection.scalar(sqlalchemy.text("PRAGMA page_count"))
        size["pages_bytes"] = int(page_size or 0) * int(pages or 0)
        analyze_s = None
        if args.analyze:  # planner statistics (sqlite_stat1), which the bot does not gather
            began = time.perf_counter()
            async with engine.begin() as connection:
                await connection.exec_driver_sql("ANALYZE")
            analyze_s = round(time.perf_counter() - began, 2)
        maker = QueryMaker(random.Random(args.seed + 1), fixture.viewers)
        gc.collect()
        gc.freeze()  # as `python -m bot` does after its imports
        stats, cpu = await measure(engine, sessions, maker, args, now)
        plans = await query_plans(engine, sessions, maker, now)
    finally:
        await engine.dispose()
    return {
        "fixture": {
            "organisations": args.orgs,
            "rows": fixture.rows,
            "build_s": round(fixture.build_s, 2),
            "insert_s": round(fixture.insert_s, 2),
            "organisations_per_transaction": CHUNK,
            "analyze_s": analyze_s,
            "database": size,
        },
        "shapes": {shape: {"label": SHAPES[shape], **s.summary()} for shape, s in stats.items()},
        "no_profile_viewers": sum(s.no_profile for s in stats.values()),
        "cpu": cpu,
        "noisy": is_noisy(cpu),
        "query_plans": plans,
    }
