"""Several workers on PostgreSQL and Redis: 1 and 3 `python -m bot` processes in webhook
mode behind a round-robin relay (testing/cluster.py), one database, one Redis.

    python -m bench.cluster [--recipients 10000] [--limit 300] [--chatty-recipients 600]
                            [--onboardings 1000] [--concurrency 50] [--workers 1 3]
                            [--json bench/results/cluster.json]

For each number of workers: a broadcast to N users at L = 300/s against a fake Bot API that
answers 429 above L messages in any second or above one a second in one chat (achieved share
of L, 429s, the busiest second, duplicates, lost); the same at L = 30 with a chatty user who
sends /help and /settings in turn, two a second; and webhook intake of whole onboardings
(/start, language, 15 questions, Confirm: 30 updates each), `--concurrency` users at once,
in updates a second and p95 from an update's arrival at the relay to its 200. PostgreSQL is
TEST_POSTGRES_URL's server or one started from the pgserver wheel; Redis is TEST_REDIS_URL's
or a redis-server started here. Exit status 1 when a run was wrong (lost or duplicated
messages, no report, an onboarding that failed), not when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

from bench.broadcast import (
    ADMIN,
    BROADCAST_TEXT,
    FIRST,
    INTERACTIVE,
    admin_text,
    chatter,
    chatty_answers,
    seed,
)
from bench.common import JSON, RESULTS, argument_parser, environment, finish, percentile
from db.migrate import upgrade
from testing import servers
from testing.cluster import busiest_second, cluster
from testing.conversation import Conversation
from testing.fake_bot_api import FakeTelegram, TgUser
from testing.i18n import tr
from testing.onboarding_script import Organisation, onboard_to_summary

TARGETS = {"rate_ratio": 0.90}
CHATTY_LIMIT = 30


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A PostgreSQL base URL with a {database} placeholder."""
    with servers.postgres_server(prefix="bench-cluster-pg-") as base:
        yield base


@contextlib.contextmanager
def redis() -> Iterator[str]:
    """A Redis server's URL (database 0 is flushed before each run)."""
    try:
        with servers.redis_server(prefix="bench-cluster-redis-") as url:
            yield url
    except servers.ServerMissing as missing:
        raise SystemExit(str(missing)) from None


async def fresh(base: str, redis_url: str) -> tuple[str, str]:
    """A new migrated database and an empty Redis database."""
    from redis.asyncio import Redis

    url = await asyncio.to_thread(servers.create_database, base, f"b_{uuid.uuid4().hex[:12]}")
    await asyncio.to_thread(upgrade, url)
    client = Redis.from_url(f"{redis_url}/0")
    await client.flushdb()
    await client.aclose()
    return url, f"{redis_url}/0"


@asynccontextmanager
async def workers_on(
    fake: FakeTelegram, url: str, redis_url: str, workdir: Path, count: int, limit: int
) -> AsyncIterator[None]:
    async with cluster(
        fake, url, redis_url, workdir, count=count,
        broadcast_rate=str(limit), admin_ids=str(ADMIN),
    ):  # fmt: skip
        yield


async def broadcast(
    base: str, redis_url: str, workdir: Path, workers: int, recipients: int, limit: int,
    *, chatty: bool = False,
) -> JSON:  # fmt: skip
    url, rurl = await fresh(base, redis_url)
    await seed(url, recipients)
    commands: list[str] = []
    async with FakeTelegram() as fake:
        fake.limit(limit)
        async with workers_on(fake, url, rurl, workdir, workers, limit):
            admin = TgUser(ADMIN, "Admin", language_code="en")
            user = TgUser(INTERACTIVE, "User", language_code="en")
            fake.add_user(admin)
            fake.add_user(user)
            fake.push_message(user, "/start")
            fake.push_message(admin, f"/broadcast {BROADCAST_TEXT}")
            await fake.wait_for(lambda: admin_text(fake, "It will reach"), 60)
            panel = fake.last_message(ADMIN) or {}
            send = next(
                b["callback_data"]
                for row in panel["reply_markup"]["inline_keyboard"]
                for b in row
                if "✅" in b["text"]
            )
            before = len(fake.chat_messages(INTERACTIVE))
            stop = asyncio.Event()
            talking = asyncio.create_task(chatter(fake, user, stop, commands)) if chatty else None
            fake.push_callback(admin, panel["message_id"], send)
            report = await fake.wait_for(
                lambda: admin_text(fake, "finished"), recipients / limit * 3 + 60
            )
            stop.set()
            if talking is not None:
                await talking
                with contextlib.suppress(TimeoutError):
                    await fake.wait_for(
                        lambda: len(chatty_answers(fake, before)) >= len(commands),
                        len(commands) * 1.5 + 10,
                    )
        ids = range(FIRST, FIRST + recipients)
        sent = [t for t, chat in fake.accepted_sends if FIRST <= chat < FIRST + recipients]
        copies = [len(fake.chat_messages(chat)) for chat in ids]
        span = sent[-1] - sent[0] if len(sent) > 1 else 0.0
        rate = (len(sent) - 1) / span if span else 0.0
        answers = chatty_answers(fake, before) if chatty else []
        return {
            "kind": "chatty" if chatty else "broadcast",
            "workers": workers,
            "recipients": recipients,
            "limit_per_s": limit,
            "seconds": round(span, 2),
            "achieved_per_s": round(rate, 1),
            "rate_ratio": round(rate / limit, 3),
            "http_429": fake.flood_errors,
            "busiest_second": busiest_second([t for t, _ in fake.accepted_sends]),
            "duplicates": sum(max(0, c - 1) for c in copies),
            "lost": sum(1 for c in copies if c == 0),
            "chatty_commands": len(commands) if chatty else None,
            "chatty_answered": len(answers) if chatty else None,
            "chatty_in_order": answers == commands if chatty else None,
            "report": report,
        }


async def intake(
    base: str, redis_url: str, workdir: Path, workers: int, users: int, concurrency: int
) -> JSON:
    url, rurl = await fresh(base, redis_url)
    failures: list[str] = []
    async with (
        FakeTelegram() as fake,
        cluster(fake, url, rurl, workdir, count=workers) as (
            _,
            relay,
        ),
    ):
        slots = asyncio.Semaphore(concurrency)

        async def onboarding(i: int) -> None:
            async with slots:
                chat = Conversation(
                    fake, TgUser(700_000 + i, f"U{i}", language_code="en"), timeout=300
                )
                try:
                    await onboard_to_summary(chat, "en", Organisation(name=f"Fund {i}"))
                    await chat.click(tr("en", "✅ Confirm"))
                except (AssertionError, TimeoutError) as exc:
                    failures.append(f"user {i}: {str(exc)[:200]}")

        started = time.monotonic()
        await asyncio.gather(*(onboarding(i) for i in range(users)))
        wall = time.monotonic() - started
        latencies = sorted(relay.latencies)
        redelivered = sum(1 for _, _, status in relay.attempts if status != 200)
    return {
        "kind": "intake",
        "workers": workers,
        "onboardings": users,
        "concurrency": concurrency,
        "updates": len(latencies),
        "seconds": round(wall, 2),
        "updates_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "not_200": redelivered,
        "failed": failures[:5],
        "failed_count": len(failures),
    }


async def benchmark(args: argparse.Namespace, base: str, redis_url: str) -> list[JSON]:
    runs: list[JSON] = []
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        workdir = Path(tmp)
        for count in args.workers:
            if args.recipients:
                run = broadcast(base, redis_url, workdir, count, args.recipients, args.limit)
                runs.append(await run)
                print_run(runs[-1])
            if args.chatty_recipients:
                chatty = args.chatty_recipients
                run = broadcast(base, redis_url, workdir, count, chatty, CHATTY_LIMIT, chatty=True)
                runs.append(await run)
                print_run(runs[-1])
            if args.onboardings:
                run = intake(base, redis_url, workdir, count, args.onboardings, args.concurrency)
                runs.append(await run)
                print_run(runs[-1])
    return runs


def print_run(run: JSON) -> None:
    head = f"  {run['workers']} worker(s), "
    if run["kind"] == "intake":
        print(
            head + f"intake of {run['onboardings']} onboardings ({run['updates']} updates, "
            f"{run['concurrency']} users at once): {run['updates_per_s']} updates/s, "
            f"p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, {run['failed_count']} failed"
        )
        return
    user = (
        f"; chatty user: {run['chatty_answered']} of {run['chatty_commands']} answered"
        f"{', in order' if run['chatty_in_order'] else ', OUT OF ORDER'}"
        if run["kind"] == "chatty"
        else ""
    )
    print(
        head + f"{run['recipients']} recipients at L={run['limit_per_s']}/s: "
        f"{run['achieved_per_s']}/s = {run['rate_ratio']:.3f} of L, {run['http_429']} × 429, "
        f"busiest second {run['busiest_second']}, {run['duplicates']} duplicates, "
        f"{run['lost']} lost{user}",
        flush=True,
    )


def print_report(result: JSON, config: JSON) -> None:
    print(f"\ncluster bench ({config['code']}, {config['cpus']} CPUs)")
    for run in result["runs"]:
        print_run(run)


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--chatty-recipients", type=int, default=600)
    parser.add_argument("--onboardings", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--json", default=str(RESULTS / "cluster.json"))
    args = parser.parse_args(argv)
    config: JSON = {**environment(), "targets": TARGETS}
    with postgres() as base, redis() as redis_url:
        runs = asyncio.run(benchmark(args, base, redis_url))
    failures = [
        f"{run['workers']} workers, L={run['limit_per_s']}: {run['duplicates']} duplicates, "
        f"{run['lost']} lost"
        for run in runs
        if run["kind"] != "intake" and (run["duplicates"] or run["lost"])
    ] + [
        f"{run['workers']} workers: {run['failed_count']} onboardings failed"
        for run in runs
        if run["kind"] == "intake" and run["failed_count"]
    ]
    result: JSON = {"config": config, "runs": runs}
    return finish(result, config, failures, args.json, print_report)


if __name__ == "__main__":
    sys.exit(main())
