"""Partner calls: matching a call to the directory bench's 100,000 organisations, the
scheduler queueing its audience, and the rate at which the scheduler announces a call
through the fake Bot API.

    python -m bench.posts [--orgs 100000] [--calls 50] [--warmup 5] [--expand-calls 5]
                          [--seed 1] [--recipients 2000] [--rates 25,300]
                          [--json bench/results/posts.json] [--db-dir DIR]

Matching: the directory bench's fixture (`bench.directory.build_fixture`: organisations
with their can-share masks, countries and 1 to 5 members, a share hidden or banned, SQLite
on disk), then `--calls` varied calls (1 to 3 topics; all countries or 1 to 3 of them; a
random active host) approved as the admin's press approves them: `announcing.queue` in a
write transaction (the organisations the call suits counted, the call marked for the
scheduler), rolled back; `--warmup` unmeasured calls first. Target p95 < 200 ms.
Then, not a target, the scheduler queueing the whole audience of the first
`--expand-calls` calls and of the widest (most organisations) one, each on an approved
row of its own: `audience.expand` again and again, one batch of `audience.BATCH`
organisations (their people counted per zone, the notice rows written, the cursor moved:
one transaction) at a time; each batch's time (p50/p95/max over every batch of those
calls), and the widest call's total time and batches. Its notices are checked against its
people counted at once (`audience_queries.audience_zones`, as the approval did before).

Announcing: `--recipients` organisations (one member each, five languages) whose can-share
topics meet an approved call's, marked by `announcing.queue` as the approval does; then
`python -m bot` (HEALTH_PORT=0, BROADCAST_RATE = L) against a fake Bot API that answers 429
above L messages a second: its scheduler's sweep sends them at start, paced by the bot.
Rate: first to last accepted notice, (n - 1) / span, against L (target >= 0.9), for each L
of `--rates`; duplicates and lost recipients from the messages the fake server holds. The
recipients' zones are ones where it is daytime now, so that quiet hours hold nothing back.
The bot's scheduler queues the audience (a batch per run) and sends it.
Exit status 1 when a run was wrong (no recipient matched, the widest call's notices not its
people, duplicates, lost notices), not when a target is missed.
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
from bot.handlers.posts import announcing, audience, audience_queries, calls
from bot.handlers.posts.audience_queries import Audience
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


async def approval(sessions: Sessions, call: CallInfo, now: datetime) -> tuple[float, float, int]:
    """What the approval now does for a call, in its write transaction: `announcing.queue`
    (the organisations it suits counted, the call marked for the scheduler), rolled back;
    wall and CPU seconds, and how many organisations."""
    async with sessions() as session:
        transaction = await session.begin()
        began, cpu_began = time.perf_counter(), time.process_time()
        count = await announcing.queue(session, call, now)
        await session.flush()
        spent, cpu = time.perf_counter() - began, time.process_time() - cpu_began
        await transaction.rollback()
    return spent, cpu, count


async def expansion(sessions: Sessions, call: CallInfo, now: datetime) -> JSON:
    """The scheduler queueing the whole audience of `call` (an approved row of its own, as
    the approval leaves it), one `audience.expand` (one batch of organisations, its own
    transaction) after another; each batch's wall time, the total and the rows."""
    draft = call.draft
    call_id = await add_call(sessions, call.host_id, list(draft.topics), now, draft.countries)
    batches: list[float] = []
    notices = 0
    began = time.perf_counter()
    while True:
        started = time.perf_counter()
        added = await audience.expand(sessions, call_id, now)
        if added is None:
            break
        batches.append(time.perf_counter() - started)
        notices += added
    total = time.perf_counter() - began
    return {"call": call_id, "topics": list(draft.topics), "countries": list(draft.countries),
            "batches": len(batches), "notices": notices, "total_s": round(total, 2),
            "batch_ms": latency_summary(batches), "batch_s": batches}  # fmt: skip


async def add_call(
    sessions: Sessions,
    host_id: int,
    topics: list[str],
    now: datetime,
    countries: tuple[str, ...] = (),
) -> int:
    """An approved partner call of `host_id` (the row the notices point to), its audience
    still to be queued (as the approval leaves it)."""
    async with writing(sessions) as session:
        row = PartnerCall(
            host_organisation_id=host_id, posted_by=HOST_USER, title="Partner for a grant",
            description="A joint project on fundraising", topics=topics, countries=list(countries),
            languages=[], deadline=(now + timedelta(days=60)).date(), time_zone="UTC",
            programme=None, review="approved", reviewed_at=now, created_at=now,
            audience_cursor=0,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        return row.id


async def matching(args: argparse.Namespace, url: str, path: Path) -> JSON:
    """Build the fixture, time what the approval does for varied calls, then the
    scheduler queueing the whole audience of some of them, the widest among them."""
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
            await approval(sessions, call, now)
        latencies: list[float] = []
        cpu_times: list[float] = []
        per_call: list[JSON] = []
        with CpuMeter() as cpu_meter:
            for call in made[args.warmup :]:
                spent, cpu, found = await approval(sessions, call, now)
                latencies.append(spent)
                cpu_times.append(cpu)
                per_call.append({"topics": list(call.draft.topics),
                                 "countries": list(call.draft.countries), "organisations": found,
                                 "ms": round(spent * 1000, 1),
                                 "cpu_ms": round(cpu * 1000, 1)})  # fmt: skip
        measured = made[args.warmup :]
        widest = max(range(len(per_call)), key=lambda i: per_call[i]["organisations"])
        chosen = sorted({*range(min(args.expand_calls, len(measured))), widest})
        expanded = [await expansion(sessions, measured[i], now) for i in chosen]
        whole = expanded[chosen.index(widest)]
        async with reading(sessions) as session:  # every batch's people, counted at once
            draft = measured[widest].draft
            mask = announcing.topics_mask(draft.topics)
            zoned = await audience_queries.audience_zones(
                session, Audience(measured[widest].host_id, mask, list(draft.countries))
            )
        whole["people"] = sum(people for _zone, people in zoned)
        size = database_size(path)
    finally:
        await engine.dispose()
    cpu_summary = cpu_meter.summary(len(latencies))
    ordered = sorted(call["organisations"] for call in per_call)
    spread = {"min": ordered[0], "median": ordered[len(ordered) // 2], "max": ordered[-1]}
    batches = [spent for run in expanded for spent in run.pop("batch_s")]
    return {
        "fixture": {
            "organisations": args.orgs,
            "rows": fixture.rows,
            "build_s": round(fixture.build_s, 2),
            "database": size,
        },
        "latency_ms": latency_summary(latencies),
        "met": latency_summary(latencies)["p95"] < MATCH_TARGET_MS if latencies else False,
        "organisations": spread,
        "cpu_ms": latency_summary(cpu_times),
        "slowest": max(per_call, key=lambda call: call["ms"]),
        "calls": per_call,
        "expansion": {
            "batch_organisations": audience.BATCH,
            "calls": len(expanded),
            "batches": len(batches),
            "batch_ms": latency_summary(batches),
            "widest": whole,
            "runs": expanded,
        },
        "cpu": cpu_summary,
        "noisy": is_noisy(cpu_summary),
    }


# -- announcing ----------------------------------------------------------------------------------


def daytime_zone(now: datetime) -> str:
    """A fixed-offset zone where it is about 13:00 now (Etc/GMT-5 is UTC+5)."""
    offset = (13 - now.hour) % 24
    offset = offset - 24 if offset > 14 else offset
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


async def seed_recipients(url: str, count: int, now: datetime) -> int:
    """A host and `count` organisations of one member each whose can-share topics include
    TOPIC, in four countries and five languages, and the host's call approved as the
    admin's press does (`announcing.queue`: marked, its audience left to the bot's
    scheduler); how many organisations it suits."""
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


async def announce(recipients: int, rate: int, workdir: Path, run: int = 0) -> JSON:
    """Queue a call for `recipients`, start the bot at BROADCAST_RATE `rate` and wait until
    its scheduler has announced it to every one (`run`: its own database, so that a rate
    can be run twice)."""
    url = f"sqlite+aiosqlite:///{workdir / f'announce-{run}-{rate}.db'}"
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
    return [
        await announce(args.recipients, rate, workdir, run) for run, rate in enumerate(args.rates)
    ]


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
    orgs = match["organisations"]
    print(
        f"the approval (organisations counted, the call marked; rolled back): p50 "
        f"{ms['p50']:.1f} ms, p95 {ms['p95']:.1f} ms, max {ms['max']:.1f} ms (target p95 < "
        f"{MATCH_TARGET_MS:g} ms: {'met' if match['met'] else 'MISSED'}); organisations per "
        f"call {orgs.get('min')} / {orgs.get('median')} / {orgs.get('max')} (min / median / max)"
    )
    cpu = match["cpu_ms"]
    print(f"  process CPU per approval: p50 {cpu['p50']:.1f} ms, p95 {cpu['p95']:.1f} ms")
    print(f"  slowest: {match['slowest']}")
    grown = match["expansion"]
    b_ms, widest = grown["batch_ms"], grown["widest"]
    print(
        f"the scheduler queueing the audience, per batch of {grown['batch_organisations']} "
        f"organisations ({grown['batches']} batches of {grown['calls']} calls): p50 "
        f"{b_ms['p50']:.1f} ms, p95 {b_ms['p95']:.1f} ms, max {b_ms['max']:.1f} ms"
    )
    print(
        f"  the widest call whole: {widest['notices']} notices in {widest['batches']} batches, "
        f"{widest['total_s']} s (of which its batches p95 {widest['batch_ms']['p95']:.1f} ms; "
        f"the people it reaches, counted at once: {widest['people']})"
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
    parser.add_argument(
        "--expand-calls", type=int, default=5, help="whole audiences queued (and the widest)"
    )
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
        "expand_calls": args.expand_calls, "seed": args.seed, "recipients": args.recipients,
        "rates": args.rates, **environment(sqlite=sqlite3.sqlite_version),
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="ngo-bench-", dir=args.db_dir) as folder:
        path = Path(folder) / "posts.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        match = run_event_loop(matching(args, url, path))
        runs = run_event_loop(announcing_runs(args, Path(folder)))
    failures: list[str] = []
    widest = match["expansion"]["widest"]
    if not widest["notices"]:
        failures.append("no call matched anyone")
    if widest["notices"] != widest["people"]:
        failures.append(f"the widest call: {widest['notices']} queued for {widest['people']}")
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
