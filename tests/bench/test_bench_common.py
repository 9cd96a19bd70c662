"""bench/common.py: percentiles, latency summaries and the end of a run."""

from __future__ import annotations

import json
import math
from pathlib import Path

from bench.common import JSON, finish, is_noisy, latency_summary, machine_load, percentile


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 0) == 1.0
    assert math.isnan(percentile([], 50))


def test_latency_summary_in_milliseconds() -> None:
    assert latency_summary([0.002, 0.001, 0.003]) == {
        "p50": 2.0,
        "p95": 3.0,
        "p99": 3.0,
        "max": 3.0,
        "mean": 2.0,
    }
    assert latency_summary([]) == dict.fromkeys(("p50", "p95", "p99", "max", "mean"))


def test_machine_share_is_noisy_above_a_tenth() -> None:
    cpu = {"machine_steal_share": 0.05, "machine_busy_elsewhere_share": 0.06}
    assert is_noisy(cpu) and not is_noisy({"machine_steal_share": 0.1})
    assert machine_load(cpu) == "machine during the run: 5% stolen, 6% busy elsewhere"
    assert machine_load({}) is None


def test_finish_reports_writes_and_fails_on_failures(tmp_path: Path) -> None:
    seen: list[JSON] = []
    path = tmp_path / "out" / "result.json"
    assert finish({"x": 1}, {}, [], str(path), lambda result, _: seen.append(result)) == 0
    assert json.loads(path.read_text()) == {"x": 1, "ok": True, "failures": []}
    assert finish({}, {}, ["lost"], str(path), lambda *_: None) == 1
    assert json.loads(path.read_text()) == {"ok": False, "failures": ["lost"]}
    assert seen == [{"x": 1, "ok": True, "failures": []}]
