"""Partner calls: matching a call to the directory bench's 100,000 organisations, and the
rate at which the scheduler announces a call through the fake Bot API.

    python -m bench.posts [--orgs 100000] [--calls 50] [--warmup 5] [--queue-calls 10]
                          [--seed 1] [--recipients 2000] [--rates 25,300]
                          [--json bench/results/posts.json] [--db-dir DIR]

Matching: the directory bench's fixture (`bench.directory.build_fixture`: organisations
with their can-share masks, countries and 1 to 5 members, a share hidden or banned, SQLite
on disk), then `--calls` varied calls (1 to 3 topics; all countries or 1 to 3 of them; a
random active host) matched as the approval matches them (`announcing.queue` up to its
insert): `posts.queries.audience_zones` (the people reached, counted per time zone) in its
own read transaction, then each zone's due time out of its quiet hours; `--warmup`
unmeasured calls first.
Target p95 < 200 ms. Timed apart, for `--queue-calls` of them (not a target): the whole
`announcing.queue` of the approval, its INSERT … SELECT of the notice rows included,
rolled back.

Announcing: `--recipients` organisations (one member each, five languages) whose can-share
topics meet an approved call's, queued by `announcing.queue` as the approval does; then
`python -m bot` (HEALTH_PORT=0, BROADCAST_RATE = L) against a fake Bot API that answers 429
above L messages a second: its scheduler's sweep sends them at start, paced by the bot.
Rate: first to last accepted notice, (n - 1) / span, against L (target >= 0.9), for each L
of `--rates`; duplicates and lost recipients from the messages the fake server holds. The
recipients' zones are ones where it is daytime now, so that quiet hours hold nothing back.
Exit status 1 when a run was wrong (no recipient matched, duplicates, lost notices), not
when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Final

from sqlalchemy import insert, select

from bench.common import (
    FAKE_TOKEN,
    JSON,
    RESULTS,
    ROOT,
    CpuMeter,
    argument_parser,
    environment,
    finish,
    is_noisy,
    latency_summary,
    machine_load,
    peak_rss_mb,
    print_failures,
)
from bench.directory import build_fixture, database_size
from bot import zones
from bot.handlers.posts import announcing, calls, queries
from bot.handlers.posts.calls import CallDraft, CallInfo
from bot.indexing import masks_of
from bot.runner import run_event_loop
from bot.taxonomy import COUNTRIES, TOPICS
from db.engine import Sessions, create_engine, create_session_maker, reading, writing
from db.migrate import upgrade
from db.models import Membership, Organisation, PartnerCall, User
from testing.fake_bot_api import FakeTelegram

MATCH_TARGET_MS: Final = 200.0
RATE_TARGET: Final = 0.9
FIRST_RECIPIENT: Final = 500_000_000  # user ids of the announcing run's recipients
HOST_USER: Final = 400_000_000
TOPIC: Final = "fundraising"  # what the announcing run's call asks for
LANGUAGES: Final = ("ru", "kk", "hy", "ky", "en")
RATE_COUNTRIES: Final = ("RU", "KZ", "AM", "KG")


# -- matching ------------------------------------------------------------------------------------


def varied_calls(rng: random.Random, hosts: list[int], count: int) -> list[CallInfo]:
    """`count` calls: 1 to 3 topics, all countries (one in five) or 1 to 3, a random host."""
    made = []
    for number in range(count):
        topics = tuple(sorted(rng.sample(TOPICS.codes, rng.randint(1, 3))))
        wanted = rng.sample(COUNTRIES.codes, rng.randint(1, 3))
        countries = () if rng.random() < 0.2 else tuple(wanted)
        draft = CallDraft(f"Call {number}", "A joint project", date(2027, 3, 1), topics, countries)
        made.append(CallInfo(1, draft, "Host", rng.choice(hosts), "approved"))
    return made


async def audience(sessions: Sessions, call: CallInfo, now: datetime) -> int:
    """What the approval computes before it writes: the call's audience counted per time
    zone, and when each zone's notices are due; how many people it reaches."""
    draft = call.draft
    mask = announcing.topics_mask(draft.topics)
    async with reading(sessions) as session:
        found = await queries.audience_zones(session, call.host_id, mask, list(draft.countries))
    due = {zone: zones.outside_quiet_hours(now, zone) for zone, _people in found}
    assert len(due) == len(found)
    return sum(people for _zone, people in found)


async def queued(sessions: Sessions, call: CallInfo, now: datetime) -> tuple[float, int]:
    """The approval's whole `announcing.queue` (notice rows flushed), rolled back."""
    async with sessions() as session:
        transaction = await session.begin()
        began = time.perf_counter()
        count = await announcing.queue(session, call, now)
        await session.flush()
        spent = time.perf_counter() - began
        await transaction.rollback()
    return spent, count


async def add_call(sessions: Sessions, host_id: int, topics: list[str], now: datetime) -> int:
    """An approved partner call of `host_id` (the row the notices point to)."""
    async with writing(sessions) as session:
        row = PartnerCall(
            host_organisation_id=host_id, posted_by=HOST_USER, title="Partner for a grant",
            description="A joint project on fundraising", topics=topics, countries=[],
            languages=[], deadline=(now + timedelta(days=60)).date(), time_zone="UTC",
            programme=None, review="approved", reviewed_at=now, created_at=now,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        return row.id


async def matching(args: argparse.Namespace, url: str, path: Path) -> JSON:
    """Build the fixture, then time the matching of varied calls."""
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    now = datetime.now(UTC)
    try:
        fixture = await build_fixture(engine, args.orgs, args.seed, now)
        async with reading(sessions) as session:
            active = select(Organisation.id).where(Organisation.status == "active")
            hosts = [int(org_id) for org_id in await session.scalars(active)]
        call_id = await add_call(sessions, hosts[0], [TOPIC], now)
        rng = random.Random(args.seed + 3)
        made = varied_calls(rng, hosts, args.warmup + args.calls)
        made = [CallInfo(call_id, c.draft, c.host, c.host_id, c.review) for c in made]
        gc.collect()
        gc.freeze()  # as `python -m bot` does after its imports
        for call in made[: args.warmup]:
            await audience(sessions, call, now)
        latencies: list[float] = []
        cpu_times: list[float] = []
        per_call: list[JSON] = []
        with CpuMeter() as cpu_meter:
            for call in made[args.warmup :]:
                began, cpu_began = time.perf_counter(), time.process_time()
                found = await audience(sessions, call, now)
                latencies.append(time.perf_counter() - began)
                cpu_times.append(time.process_time() - cpu_began)
                per_call.append({"topics": list(call.draft.topics),
                                 "countries": list(call.draft.countries), "recipients": found,
                                 "ms": round(latencies[-1] * 1000, 1),
                                 "cpu_ms": round(cpu_times[-1] * 1000, 1)})  # fmt: skip
        queue_times: list[float] = []
        queue_counts: list[int] = []
        for call in made[args.warmup : args.warmup + args.queue_calls]:
            spent, count = await queued(sessions, call, now)
            queue_times.append(spent)
            queue_counts.append(count)
        size = database_size(path)
    finally:
        await engine.dispose()
    cpu = cpu_meter.summary(len(latencies))
    ordered = sorted(call["recipients"] for call in per_call)
    spread = {"min": ordered[0], "median": ordered[len(ordered) // 2], "max": ordered[-1]}
    return {
        "fixture": {
            "organisations": args.orgs,
            "rows": fixture.rows,
            "build_s": round(fixture.build_s, 2),
            "database": size,
        },
        "latency_ms": latency_summary(latencies),
        "met": latency_summary(latencies)["p95"] < MATCH_TARGET_MS if latencies else False,
        "recipients": spread,
        "cpu_ms": latency_summary(cpu_times),
        "per_1000_recipients_ms": round(sum(latencies) * 1000 / max(1, sum(ordered)) * 1000, 2),
        "slowest": max(per_call, key=lambda call: call["ms"]),
        "calls": per_call,
        "queue": {
            "calls": len(queue_times),
            "latency_ms": latency_summary(queue_times),
            "recipients_max": max(queue_counts, default=0),
        },
        "cpu": cpu,
        "noisy": is_noisy(cpu),
    }


# -- announcing ----------------------------------------------------------------------------------


def daytime_zone(now: datetime) -> str:
    """A fixed-offset zone where it is about 13:00 now (Etc/GMT-5 is UTC+5)."""
    offset = (13 - now.hour) % 24
    offset = offset - 24 if offset > 14 else offset
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


async def seed_recipients(url: str, count: int, now: datetime) -> int:
    """A host and `count` organisations of one member each whose can-share topics include
    TOPIC, in four countries and five languages; the id of the host's approved call,
    queued for them as the approval queues it."""
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    zone = daytime_zone(now)
    users, organisations, members = [], [], []
    for index in range(count + 1):  # the host first
        user_id = HOST_USER if index == 0 else FIRST_RECIPIENT + index
        language = LANGUAGES[index % len(LANGUAGES)]
        share = [TOPIC, TOPICS.codes[index % len(TOPICS.codes)]]
        users.append({"id": user_id, "first_name": f"U{index}", "language": language,
                      "is_active": True, "time_zone": zone, "created_at": now,
                      "updated_at": now})  # fmt: skip
        organisations.append({
            "id": index + 1, "name": f"NGO {index}", "country": RATE_COUNTRIES[index % 4],
            "city": "City", "description": "…", "contact": f"@ngo_{index}", "status": "active",
            **masks_of({"can_share": share}), "created_at": now, "updated_at": now,
        })  # fmt: skip
        members.append({"user_id": user_id, "organisation_id": index + 1, "role": "owner",
                        "joined_at": now})  # fmt: skip
    async with writing(sessions) as session:
        for table, rows in ((User, users), (Organisation, organisations), (Membership, members)):
            for start in range(0, len(rows), 5000):
                await session.execute(insert(table), rows[start : start + 5000])
    call_id = await add_call(sessions, 1, [TOPIC], now)
    call = await calls.load(sessions, call_id)
    assert call is not None
    async with writing(sessions) as session:
        queued_count = await announcing.queue(session, call, now)
    await engine.dispose()
    return queued_count


async def announce(recipients: int, rate: int, workdir: Path) -> JSON:
    """Queue a call for `recipients`, start the bot at BROADCAST_RATE `rate` and wait until
    its scheduler has announced it to every one."""
    url = f"sqlite+aiosqlite:///{workdir / f'announce-{rate}.db'}"
    queued_count = await seed_recipients(url, recipients, datetime.now(UTC))
    ids = range(FIRST_RECIPIENT + 1, FIRST_RECIPIENT + recipients + 1)
    async with FakeTelegram() as fake:
        fake.limit(rate)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))},
            "PYTHONPATH": str(ROOT), "BOT_TOKEN": FAKE_TOKEN, "TELEGRAM_API_BASE": fake.base_url,
            "DATABASE_URL": url, "BROADCAST_RATE": str(rate), "HEALTH_PORT": "0",
        }  # fmt: skip
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=workdir, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip

        looked = [0, 0]  # accepted sends looked at, and how many went to a recipient

        def delivered() -> int:  # counted as they come: the fake's own process stays light
            sends = fake.accepted_sends
            looked[1] += sum(1 for _t, chat in sends[looked[0] :] if chat in ids)
            looked[0] = len(sends)
            return looked[1]

        try:
            seen, within = -1, 60.0  # the bot's start, then as long as notices keep coming
            while seen < (seen := delivered()) < recipients:
                with contextlib.suppress(TimeoutError):
                    await fake.wait_for(lambda: delivered() >= recipients, within)
                within = 15.0
            await asyncio.sleep(1)  # a duplicate would come now
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
        sent = [t for t, chat in fake.accepted_sends if chat in ids]
        copies = [len(fake.chat_messages(chat)) for chat in ids]
        floods = fake.flood_errors
    span = sent[-1] - sent[0] if len(sent) > 1 else 0.0
    achieved = (len(sent) - 1) / span if span else 0.0
    first = 0  # the most notices the fake server accepted within one second
    busiest = 0
    for last, moment in enumerate(sent):
        while sent[first] <= moment - 1.0:
            first += 1
        busiest = max(busiest, last - first + 1)
    return {
        "recipients": recipients,
        "queued": queued_count,
        "broadcast_rate": rate,
        "seconds": round(span, 2),
        "achieved_per_s": round(achieved, 1),
        "rate_ratio": round(achieved / rate, 3),
        "met": achieved / rate >= RATE_TARGET,
        "http_429": floods,
        "busiest_second": busiest,
        "duplicates": sum(max(0, c - 1) for c in copies),
        "lost": sum(1 for c in copies if c == 0),
    }


async def announcing_runs(args: argparse.Namespace, workdir: Path) -> list[JSON]:
    return [await announce(args.recipients, rate, workdir) for rate in args.rates]


# -- the run -------------------------------------------------------------------------------------


def print_report(result: JSON, config: JSON) -> None:
    """A readable summary of both measurements."""
    match = result["matching"]
    fixture = match["fixture"]
    ms = match["latency_ms"]
    print(
        f"\nPartner calls benchmark: {fixture['organisations']} organisations "
        f"({fixture['rows']['users']} people), {config['calls']} calls, {config['cpus']} CPUs, "
        f"Python {config['python']}, SQLite {config['sqlite']}, code {config['code']}; fixture "
        f"built in {fixture['build_s']} s, {fixture['database']['total_mb']} MB"
    )
    people = match["recipients"]
    print(
        f"matching a call: p50 {ms['p50']:.1f} ms, p95 {ms['p95']:.1f} ms, max {ms['max']:.1f} ms"
        f" (target p95 < {MATCH_TARGET_MS:g} ms: {'met' if match['met'] else 'MISSED'}); "
        f"recipients per call {people.get('min')} / {people.get('median')} / {people.get('max')}"
        " (min / median / max)"
    )
    cpu = match["cpu_ms"]
    print(
        f"  process CPU per call: p50 {cpu['p50']:.1f} ms, p95 {cpu['p95']:.1f} ms; "
        f"{match['per_1000_recipients_ms']} ms per 1,000 people reached"
    )
    print(f"  slowest: {match['slowest']}")
    queue = match["queue"]
    if queue["calls"]:
        q = queue["latency_ms"]
        print(
            f"the approval's whole queue (notice rows included, rolled back), {queue['calls']} "
            f"calls: p50 {q['p50']:.1f} ms, max {q['max']:.1f} ms (up to "
            f"{queue['recipients_max']} rows)"
        )
    load = machine_load(match["cpu"])
    if load:
        print(load + ("  WARNING: figures are noisy" if match["noisy"] else ""))
    for run in result["announcing"]:
        print(
            f"announcing to {run['recipients']} chats at BROADCAST_RATE={run['broadcast_rate']}/s:"
            f" {run['achieved_per_s']}/s = {run['rate_ratio']:.3f} of it (target >= "
            f"{RATE_TARGET}: {'met' if run['met'] else 'MISSED'}), {run['seconds']} s, "
            f"{run['http_429']} x 429 (busiest second {run['busiest_second']}), "
            f"{run['duplicates']} duplicates, {run['lost']} lost"
        )
    print_failures(result)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser(__doc__)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=50, help="measured calls")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured calls")
    parser.add_argument("--queue-calls", type=int, default=10, help="whole queues timed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument(
        "--rates",
        type=lambda text: [int(rate) for rate in text.split(",") if rate],
        default=[25, 300],
        help="BROADCAST_RATE of each announcing run (25 is the default setting)",
    )
    parser.add_argument("--json", default=str(RESULTS / "posts.json"))
    parser.add_argument("--db-dir", default=None, help="where the temporary SQLite files go")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Create the schema (before the event loop, as `python -m bot` does), run, report."""
    args = parse_args(argv)
    config: JSON = {
        "organisations": args.orgs, "calls": args.calls, "warmup": args.warmup,
        "queue_calls": args.queue_calls, "seed": args.seed, "recipients": args.recipients,
        "rates": args.rates, **environment(sqlite=sqlite3.sqlite_version),
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="ngo-bench-", dir=args.db_dir) as folder:
        path = Path(folder) / "posts.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        match = run_event_loop(matching(args, url, path))
        runs = run_event_loop(announcing_runs(args, Path(folder)))
    failures: list[str] = []
    if not match["recipients"] or not match["recipients"]["max"]:
        failures.append("no call matched anyone")
    for run in runs:
        rate = run["broadcast_rate"]
        if run["queued"] != run["recipients"]:
            failures.append(f"L={rate}: {run['queued']} queued for {run['recipients']}")
        if run["duplicates"] or run["lost"]:
            failures.append(f"L={rate}: {run['duplicates']} duplicates, {run['lost']} lost")
    result: JSON = {"config": config, "matching": match, "announcing": runs,
                    "peak_rss_mb": peak_rss_mb()}  # fmt: skip
    return finish(result, config, failures, args.json, print_report)


if __name__ == "__main__":
    sys.exit(main())
