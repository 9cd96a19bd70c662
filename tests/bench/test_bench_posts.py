"""bench/posts.py at a tiny size: calls matched to a small directory, then a call announced
by the bot's scheduler to a few chats, each once; the figures and the JSON written."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import posts
from bot import zones


def test_the_daytime_zone_is_daytime_at_every_hour() -> None:
    for hour in range(24):
        now = datetime(2026, 12, 7, hour, 30, tzinfo=UTC)
        zone = posts.daytime_zone(now)
        assert zones.outside_quiet_hours(now, zone) == now
        assert 12 <= now.astimezone(ZoneInfo(zone)).hour <= 14, zone


def test_the_bench_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "posts.json"
    status = posts.main(
        ["--orgs", "300", "--calls", "6", "--warmup", "1", "--queue-calls", "2",
         "--recipients", "12", "--rates", "50", "--json", str(out),
         "--db-dir", str(tmp_path)]
    )  # fmt: skip
    result = json.loads(out.read_text())
    assert status == 0, result["failures"]
    match = result["matching"]
    assert len(match["calls"]) == 6
    assert match["recipients"]["max"] > 0
    assert match["latency_ms"]["p95"] is not None
    assert match["queue"]["calls"] == 2
    (run,) = result["announcing"]
    assert run["queued"] == run["recipients"] == 12
    assert (run["duplicates"], run["lost"]) == (0, 0)
    assert run["achieved_per_s"] > 0
    assert 0 < run["busiest_second"] <= 12
