"""bench/posts.py at a tiny size: calls approved against a small directory and the
audience of some queued a batch at a time (every person once), then a call announced by
the bot's scheduler to a few chats, each once; the figures and the JSON written."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bench import posts
from bot import zones
from bot.handlers.posts import audience


def test_the_daytime_zone_is_daytime_at_every_hour() -> None:
    for hour in range(24):
        now = datetime(2026, 12, 7, hour, 30, tzinfo=UTC)
        zone = posts.daytime_zone(now)
        assert zones.outside_quiet_hours(now, zone) == now
        assert 12 <= now.astimezone(ZoneInfo(zone)).hour <= 14, zone


def test_the_bench_runs_at_a_tiny_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audience, "BATCH", 20)  # several batches even for 300 organisations
    out = tmp_path / "posts.json"
    status = posts.main(
        ["--orgs", "300", "--calls", "6", "--warmup", "1", "--expand-calls", "2",
         "--recipients", "12", "--rates", "50", "--json", str(out),
         "--db-dir", str(tmp_path)]
    )  # fmt: skip
    result = json.loads(out.read_text())
    assert status == 0, result["failures"]
    match = result["matching"]
    assert len(match["calls"]) == 6
    assert match["organisations"]["max"] > 0
    assert match["latency_ms"]["p95"] is not None
    grown = match["expansion"]
    assert grown["calls"] in (2, 3)  # the first two, and the widest if it is not one of them
    assert grown["batch_organisations"] == 20 and grown["widest"]["batches"] > 1
    assert grown["widest"]["notices"] == grown["widest"]["people"] > 0
    (run,) = result["announcing"]
    assert run["queued"] == run["recipients"] == 12
    assert (run["duplicates"], run["lost"]) == (0, 0)
    assert run["achieved_per_s"] > 0
    assert 0 < run["busiest_second"] <= 12
