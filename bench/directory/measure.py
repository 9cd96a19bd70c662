"""The directory bench's measurement: latency, SQL, CPU, GC and organisations loaded per shape."""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bench.common import (
    JSON,
    CpuMeter,
    SqlCounter,
    latency_summary,
)
from bench.directory.queries import SHAPES, Query, QueryMaker, filters_json
from bot.handlers.directory import search
from bot.handlers.directory.search import Page
from db import directory
from db.engine import Sessions
from db.models import (
    Organisation,
)

TARGET_P95_MS: Final = 20.0


@dataclass
class ShapeStats:
    """What one shape's measured calls gave."""

    latencies: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # process CPU time (both threads) per call
    cards: int = 0
    empty: int = 0
    moved: int = 0
    statements: int = 0
    loaded_max: int = 0
    no_profile: int = 0
    slowest: tuple[float, JSON] = (0.0, {})

    def summary(self) -> JSON:
        calls = max(1, len(self.latencies))
        ms = latency_summary(self.latencies)
        return {
            "n": len(self.latencies),
            "latency_ms": ms,
            "cpu_ms": latency_summary(self.cpu),
            "target_p95_ms": TARGET_P95_MS,
            "met": ms["p95"] is not None and ms["p95"] < TARGET_P95_MS,
            "mean_cards": round(self.cards / calls, 2),
            "empty_pages": self.empty,
            "moved_pages": self.moved,
            "sql_statements_per_call": round(self.statements / calls, 2),
            "max_organisations_loaded_per_call": self.loaded_max,
            "slowest": {"ms": round(self.slowest[0] * 1000, 3), **self.slowest[1]},
        }


class GcMeter:
    """Pauses of Python's cyclic garbage collector, per generation (a full collection
    over many objects shows as a latency outlier)."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._start = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses[info["generation"]].append(time.perf_counter() - self._start)

    def __enter__(self) -> GcMeter:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def summary(self) -> JSON:
        return {
            f"gen{generation}": {
                "collections": len(pauses),
                "max_ms": round(max(pauses, default=0.0) * 1000, 3),
            }
            for generation, pauses in self.pauses.items()
        }


class LoadCounter:
    """Counts organisations built in Python: Organisation objects made from rows (ORM load
    events) and the listings `db.directory.load` reads for cards."""

    def __init__(self) -> None:
        self.loaded = 0
        self._load = directory.load

    def _count(self, _target: Any, _context: Any) -> None:
        self.loaded += 1

    async def _listings(self, session: AsyncSession, ids: Sequence[int]) -> list[directory.Listing]:
        found = await self._load(session, ids)
        self.loaded += len(found)
        return found

    def __enter__(self) -> LoadCounter:
        event.listen(Organisation, "load", self._count)
        directory.load = self._listings
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(Organisation, "load", self._count)
        directory.load = self._load


async def run_query(
    sessions: Sessions, query: Query, now: datetime
) -> tuple[float, float, Page | None]:
    """Wall and process CPU time of the service call of one query; no page when the viewer
    has no profile. CPU time (the loop's and aiosqlite's threads) hardly depends on what
    else the machine runs, so it shows the cost when wall-clock figures are noisy."""
    # The handler looks the viewer up first, then asks for the page: both are timed.
    start, cpu = time.perf_counter(), time.process_time()
    mine = await search.me(sessions, query.user_id, now)
    if query.filters is None:
        if mine is None:
            return 0.0, 0.0, None
        page = await search.suggest(sessions, mine, query.number, now)
    else:
        page = await search.find(sessions, mine, query.filters, query.number, now)
    return time.perf_counter() - start, time.process_time() - cpu, page


async def measure(
    engine: AsyncEngine,
    sessions: Sessions,
    maker: QueryMaker,
    args: argparse.Namespace,
    now: datetime,
) -> tuple[dict[str, ShapeStats], JSON]:
    """Warm up, then run every shape `args.queries` times, shapes taking turns."""
    for _ in range(args.warmup):
        for shape in SHAPES:
            await run_query(sessions, maker.make(shape), now)
    stats = {shape: ShapeStats() for shape in SHAPES}
    with SqlCounter(engine) as sql, LoadCounter() as loads, CpuMeter() as cpu, GcMeter() as gcm:
        for _ in range(args.queries):
            for shape in SHAPES:
                query = maker.make(shape)
                statements, loaded = sql.statements, loads.loaded
                latency, cpu_time, page = await run_query(sessions, query, now)
                shape_stats = stats[shape]
                if page is None:
                    shape_stats.no_profile += 1
                    continue
                shape_stats.latencies.append(latency)
                shape_stats.cpu.append(cpu_time)
                if latency > shape_stats.slowest[0]:
                    shape_stats.slowest = (latency, filters_json(query))
                shape_stats.statements += sql.statements - statements
                shape_stats.loaded_max = max(shape_stats.loaded_max, loads.loaded - loaded)
                shape_stats.cards += len(page.cards)
                shape_stats.empty += not page.cards
                shape_stats.moved += page.moved
    calls = sum(len(s.latencies) for s in stats.values())
    return stats, {**cpu.summary(calls), "gc": gcm.summary()}
