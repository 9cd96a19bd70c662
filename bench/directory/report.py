"""The directory bench's printed report."""

from __future__ import annotations

from bench.common import (
    JSON,
    machine_load,
    print_failures,
)
from bench.directory.measure import TARGET_P95_MS


def print_report(result: JSON, config: JSON) -> None:
    """A readable table of the figures and the plan of "suggested for you"."""
    fixture = result["fixture"]
    size = fixture["database"]
    print(
        f"\nDirectory benchmark: {fixture['organisations']} organisations, "
        f"{config['queries']} queries per shape, {config['cpus']} CPUs, "
        f"Python {config['python']}, SQLite {config['sqlite']}, code {config['code']}"
    )
    rows = fixture["rows"]
    print(
        f"fixture: built in {fixture['build_s']:.1f} s ({fixture['insert_s']:.1f} s in the "
        f"database): {rows['users']} users, {rows['organisations']} organisations, "
        f"{rows['organisation_tags']} tags, {rows['organisation_words']} words"
    )
    if fixture["analyze_s"] is not None:
        print(f"ANALYZE after the build: {fixture['analyze_s']:.2f} s")
    print(
        f"database: {size['total_mb']} MB on disk (db {size['db_bytes'] / 2**20:.1f} MB + "
        f"WAL {size['wal_bytes'] / 2**20:.1f} MB; pages in use {size['pages_bytes'] / 2**20:.1f}"
        " MB)"
    )
    header = f"{'shape':<38}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'cpu p50':>8}"
    print("\n" + header + f"{'SQL':>5}{'loaded':>7}  target p95 < {TARGET_P95_MS:g} ms")
    for shape in result["shapes"].values():
        ms = shape["latency_ms"]
        print(
            f"{shape['label']:<38}{ms['p50']:>8.2f}{ms['p95']:>8.2f}{ms['max']:>8.2f}"
            f"{shape['cpu_ms']['p50']:>8.2f}{shape['sql_statements_per_call']:>5.1f}"
            f"{shape['max_organisations_loaded_per_call']:>7}  "
            + ("met" if shape["met"] else "MISSED")
        )
    print(
        "(cpu: process CPU time per call; SQL: statements "
        "per call, BEGIN included; loaded: most organisations built in Python by one call)"
    )
    cpu = result["cpu"]
    load = machine_load(cpu)
    if load:
        print(load + ("  WARNING: figures are noisy" if result["noisy"] else ""))
    full = cpu["gc"]["gen2"]
    print(
        f"full garbage collections during the run: {full['collections']}, the longest "
        f"{full['max_ms']:.0f} ms (they make the max column)"
    )
    plans = result["query_plans"]
    print('\nquery plan of "suggested for you" (page 0):')
    for statement in plans["suggested"]["statements"]:
        print("  " + statement["sql"])
        for line in statement["plan"]:
            print("    " + line)
    print(f"every step reads a covering index: {plans['suggested_uses_covering_index']}")
    print_failures(result)
