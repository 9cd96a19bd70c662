"""What the benchmarks share: paths, arguments, the machine and code measured, percentiles,
CPU, SQL and memory meters, and the end of a run (report, JSON file, exit status).

Imports neither `bot` nor aiogram, so that a bench loads only what it measures.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

psutil: Any
try:
    psutil = importlib.import_module("psutil")
except ImportError:  # optional: ru_maxrss is enough for the peak
    psutil = None

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"  # where the JSON goes unless --json says otherwise
NOISY_SHARE = 0.1  # above this share of the machine's time elsewhere, figures are noisy

JSON = dict[str, Any]
FAKE_TOKEN = "424242:" + "B" * 35  # a well-formed token for a bot that meets no real Telegram


# -- running a bench -----------------------------------------------------------------------------


def argument_parser(doc: str | None) -> argparse.ArgumentParser:
    """A parser described by the first paragraph of a bench's docstring."""
    return argparse.ArgumentParser(description=doc.split("\n\n")[0] if doc else None)


def environment(**versions: str) -> JSON:
    """The machine and the software measured, for a bench's config: CPUs, Python, then
    `versions` (of what the bench measures besides Python), SQLAlchemy, platform, code."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        **versions,
        "sqlalchemy": sqlalchemy.__version__,
        "platform": platform.platform(),
        "code": code_version(),
    }


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def code_version() -> str | None:
    """The commit measured, marked dirty when bot/ or db/ have uncommitted changes."""
    try:
        dirty = _git("status", "--porcelain", "--", "bot", "db")
        return _git("rev-parse", "--short", "HEAD") + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def print_failures(result: JSON) -> None:
    """The reasons a run was wrong, on stderr, when it was."""
    if not result["ok"]:
        print("\nFAILED: " + "; ".join(result["failures"]), file=sys.stderr)


def finish(
    result: JSON,
    config: JSON,
    failures: list[str],
    json_path: str,
    report: Callable[[JSON, JSON], None],
) -> int:
    """Print the report, write the JSON, and exit 1 when the run itself was wrong."""
    result["ok"], result["failures"] = not failures, failures
    report(result, config)
    path = Path(json_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten: {path}")
    return 0 if not failures else 1


# -- latency -------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def latency_summary(latencies: list[float]) -> JSON:
    """p50/p95/p99/max/mean in milliseconds."""
    if not latencies:
        return dict.fromkeys(("p50", "p95", "p99", "max", "mean"))
    values = sorted(latencies)
    ms = {f"p{p}": percentile(values, p) * 1000 for p in (50, 95, 99)}
    ms["max"] = values[-1] * 1000
    ms["mean"] = sum(values) / len(values) * 1000
    return {key: round(value, 3) for key, value in ms.items()}


# -- CPU -----------------------------------------------------------------------------------------


class CpuMeter:
    """Process CPU time (all threads) over a run, and on Linux how much of the machine went
    to other processes or to the hypervisor (steal), which makes wall-clock figures noisy."""

    def __enter__(self) -> CpuMeter:
        self._start = (self._process(), self._machine())
        return self

    def __exit__(self, *_exc: object) -> None:
        self._end = (self._process(), self._machine())

    @staticmethod
    def _process() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    @staticmethod
    def _machine() -> list[int] | None:
        try:
            with open("/proc/stat") as stat:
                return [int(field) for field in stat.readline().split()[1:9]]
        except OSError:
            return None

    def summary(self, updates: int) -> JSON:
        """CPU seconds, CPU ms per update, and shares of the machine's time elsewhere."""
        cpu = self._end[0] - self._start[0]
        result: JSON = {
            "process_cpu_s": round(cpu, 3),
            "process_cpu_ms_per_update": round(cpu / max(1, updates) * 1000, 3),
        }
        if self._start[1] is not None and self._end[1] is not None:
            ticks = [end - start for start, end in zip(self._start[1], self._end[1], strict=True)]
            total = sum(ticks) or 1
            user, nice, system, _idle, _iowait, irq, softirq, steal = ticks
            ours = cpu * os.sysconf("SC_CLK_TCK")
            others = max(0.0, user + nice + system + irq + softirq - ours)
            result["machine_steal_share"] = round(steal / total, 3)
            result["machine_busy_elsewhere_share"] = round(others / total, 3)
        return result


def is_noisy(cpu: JSON) -> bool:
    """Whether the machine was busy elsewhere during a run measured by `CpuMeter`."""
    elsewhere = cpu.get("machine_steal_share", 0) + cpu.get("machine_busy_elsewhere_share", 0)
    return bool(elsewhere > NOISY_SHARE)


def machine_load(cpu: JSON) -> str | None:
    """What the rest of the machine did during a run measured by `CpuMeter` (not on Linux:
    None)."""
    if "machine_steal_share" not in cpu:
        return None
    return (
        f"machine during the run: {cpu['machine_steal_share']:.0%} stolen, "
        f"{cpu['machine_busy_elsewhere_share']:.0%} busy elsewhere"
    )


# -- SQL -----------------------------------------------------------------------------------------


class SqlCounter:
    """Counts statements and transactions sent to the database; on SQLite, transactions
    that take the write lock up front (BEGIN IMMEDIATE) are counted apart."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.sync_engine
        self.statements = 0
        self.begins = 0
        self.immediate = 0

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements += 1
        if statement.startswith("BEGIN"):
            self.begins += 1
            self.immediate += statement == "BEGIN IMMEDIATE"

    def __enter__(self) -> SqlCounter:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)


# -- memory --------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def current_rss_mb() -> float | None:
    """Current resident set size, if psutil is installed."""
    if psutil is None:
        return None
    return round(float(psutil.Process().memory_info().rss) / 2**20, 1)
