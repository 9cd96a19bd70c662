"""The directory bench's SQLite query plans of each shape's main statement."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bench.common import (
    JSON,
)
from bench.directory.measure import run_query
from bench.directory.queries import SHAPES, QueryMaker, filters_json
from db.engine import Sessions

# The covering indexes "suggested for you" may read (never the table's wide rows); the last
# is the primary key of `mask_values`, the small table of mask values present.
COVERING_INDEXES: Final = (
    "ix_organisations_by_share",
    "ix_organisations_by_learn",
    "sqlite_autoindex_mask_values_1",
)
# -- query plans ---------------------------------------------------------------------------------


@contextlib.contextmanager
def captured(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and their parameters) sent to the database inside the block."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)


def plan_tree(rows: list[Any]) -> list[str]:
    """EXPLAIN QUERY PLAN rows (id, parent, notused, detail) as indented lines."""
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


async def explain(connection: AsyncConnection, statement: str, parameters: Any) -> list[str]:
    """The SQLite query plan of one captured statement."""
    result = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    return plan_tree(list(result))


async def query_plans(
    engine: AsyncEngine,
    sessions: Sessions,
    maker: QueryMaker,
    now: datetime,
) -> JSON:
    """For one query of each shape: the SQL of its ids query (and count) and their plans."""
    plans: JSON = {}
    for shape in SHAPES:
        query = maker.make(shape)
        with captured(engine) as statements:
            await run_query(sessions, query, now)
        main = [
            (sql, params)
            for sql, params in statements
            if "ORDER BY" in sql or "count(*)" in sql.lower()
        ]
        shown: list[JSON] = []
        async with engine.connect() as connection:
            for sql, params in main:
                shown.append(
                    {
                        "sql": " ".join(sql.split()),
                        "parameters": list(params),
                        "plan": await explain(connection, sql, params),
                    }
                )
        plans[shape] = {"filters": filters_json(query), "statements": shown}
    suggestion = plans["suggested"]["statements"]
    lines = [line for statement in suggestion for line in statement["plan"]]
    # Every step of the suggestion must read a covering index: no wide rows, no profiles.
    reads = [line for line in lines if line.lstrip().startswith(("SEARCH", "SCAN"))]
    plans["suggested_uses_covering_index"] = bool(reads) and all(
        any(f"COVERING INDEX {name} " in line for name in COVERING_INDEXES) for line in reads
    )
    return plans
