"""Dependency restarts survived by themselves (issue 23.1), on three `python -m bot`
webhook workers behind the relay that plays Telegram (testing/cluster.py: an update not
answered 200 is delivered again): PostgreSQL restarted in the middle of a broadcast,
PostgreSQL away for a few seconds while people are in the middle of the questionnaire,
Redis restarted. Nobody is lost, nothing acknowledged is lost, updates met by the outage
get a 5xx and are delivered again, and each worker logs the outage in a line or two,
without a traceback. Each fault is bounded in time and count; loopback only."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.delivery.broadcaster import FLUSH_EVERY, senders_for
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade
from db.models import Broadcast, Delivery
from db.models import Organisation as OrganisationRow
from testing import servers
from testing.cluster import Relay, Worker, cluster
from testing.onboarding_script import Organisation, onboard_to_summary
from tests.broadcast_helpers import plain_users
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.fake_telegram import FakeTelegram, TgUser
from tests.health_helpers import get, ready, sample
from tests.i18n_helpers import tr
from tests.restart_helpers import OwnPostgres, log_levels, own_postgres, own_redis

pytestmark = pytest.mark.databases("postgresql")
LEASE = "3"  # seconds (15 by default): what a dead worker's rows wait for
AWAY = 20.0  # seconds PostgreSQL stays away, as the issue tried it
WARNINGS_MAX = 3  # per worker, for one outage


@pytest.fixture(scope="module")
def own_pg() -> Iterator[tuple[OwnPostgres, str]]:
    """A PostgreSQL server of this module's own (these tests stop it), with a migrated
    template database each test copies."""
    with own_postgres() as pg:
        template = "template_bot"
        url = servers.create_database(pg.base, template)
        upgrade(url)
        yield pg, template


async def _database(own_pg: tuple[OwnPostgres, str], name: str) -> str:
    pg, template = own_pg
    return await asyncio.to_thread(servers.create_database, pg.base, name, template)


def _outage_lines(workers: list[Worker]) -> dict[int, dict[str, list[str]]]:
    return {w.index: log_levels(w.log.read_text(errors="replace")) for w in workers}


def _assert_quiet(workers: list[Worker], label: str) -> None:
    """No traceback, no ERROR, at most a few WARNING lines in each worker's log."""
    for index, found in _outage_lines(workers).items():
        warnings = found["WARNING"]
        print(f"{label}: worker {index}: {len(warnings)} WARNING lines")
        for line in warnings:
            print("   ", line[:200])
        assert not found["Traceback"], (index, found["Traceback"][:3])
        assert not found["ERROR"], (index, found["ERROR"][:3])
        assert len(warnings) <= WARNINGS_MAX, (index, warnings)


async def _health(worker: Worker) -> tuple[int, int, dict[str, object], str]:
    """What an operator's probes read of one worker: /healthz's and /readyz's statuses,
    /readyz's body and /metrics (read from loopback, as a local Prometheus would)."""
    base = f"http://127.0.0.1:{worker.port}"
    alive, _ = await get(f"{base}/healthz")
    status, body = await ready(f"{base}/readyz")
    _, metrics = await get(f"{base}/metrics")
    return alive, status, body, metrics


async def _ready_again(worker: Worker, seconds: float = 15.0) -> dict[str, object]:
    """/readyz once the worker is ready again (bounded): its body."""
    deadline = time.monotonic() + seconds
    while True:
        status, body = await ready(f"http://127.0.0.1:{worker.port}/readyz")
        if status == 200 or time.monotonic() > deadline:
            assert status == 200, body
            return body
        await asyncio.sleep(0.5)


RATE = 20
RECIPIENTS = [51_000 + i for i in range(100)]


@pytest.mark.parametrize("fault", ["restart", "longer than a lease"])
async def test_postgres_restarted_mid_broadcast_on_three_workers_reaches_everyone_once(
    fake_telegram: FakeTelegram,
    own_pg: tuple[OwnPostgres, str],
    redis_url: str,
    tmp_path: Path,
    fault: str,
) -> None:
    """`pg_ctl restart -m fast`, or stopped for longer than the lease (every row's lease
    runs out meanwhile, and the other workers may take them once it is back)."""
    started = time.monotonic()
    fake = fake_telegram
    url = await _database(own_pg, f"broadcast_{fault.replace(' ', '_')}")
    engine = create_engine(url)
    await plain_users(create_session_maker(engine), RECIPIENTS)
    await engine.dispose()
    fake.limit(RATE)
    admin = Conversation(fake, TgUser(ADMIN_ID, "Admin", language_code="en"), timeout=30)

    def reached() -> int:
        return sum(bool(fake.chat_messages(user_id)) for user_id in RECIPIENTS)

    async with cluster(
        fake, url, redis_url, tmp_path,
        lease_seconds=LEASE, broadcast_rate=str(RATE), admin_ids=str(ADMIN_ID),
    ) as (workers, _):  # fmt: skip
        await admin.send("/broadcast Through a database restart")
        assert "It will reach 101 users." in admin.last_text()
        await admin.click("✅ Send to 101 users")
        await fake.wait_for(lambda: reached() >= 30, timeout=30)
        at_restart = reached()
        pg = own_pg[0]
        if fault == "restart":
            await asyncio.to_thread(pg.restart)  # pg_ctl restart -m fast
        else:
            await asyncio.to_thread(pg.stop)
            try:
                await asyncio.sleep(float(LEASE) + 1)
            finally:
                await asyncio.to_thread(pg.start)
        report = await fake.wait_for(
            lambda: next((t for t in admin.texts() if "finished" in t), ""), timeout=40
        )
        await asyncio.sleep(1.0)  # room for a late second copy
    copies = [len(fake.chat_messages(user_id)) for user_id in RECIPIENTS]
    duplicates = sum(copies) - len(RECIPIENTS)
    # At most what was in flight or unrecorded in each worker when the connections were cut.
    bound = len(workers) * (senders_for(RATE) + math.ceil(RATE * FLUSH_EVERY) + 1)
    took = time.monotonic() - started
    print(
        f"PostgreSQL ({fault}) after {at_restart} of {len(RECIPIENTS)}: {duplicates} duplicates"
        f" (bound {bound}); the test took {took:.1f} s"
    )
    assert at_restart < len(RECIPIENTS)
    assert min(copies) == 1  # nobody lost
    assert duplicates <= bound
    assert "Sent: 101 · Blocked the bot: 0 · Failed: 0" in report
    assert await _broadcast_states(url) == ("done", {"sent": 101})
    _assert_quiet(workers, "broadcast")


async def _broadcast_states(url: str) -> tuple[str, dict[str, int]]:
    engine = create_engine(url)
    try:
        async with create_session_maker(engine)() as session:
            status = await session.scalar(select(Broadcast.status))
            rows = await session.execute(
                select(Delivery.state, func.count()).group_by(Delivery.state)
            )
            return str(status), {state: int(count) for state, count in rows}
    finally:
        await engine.dispose()


PEOPLE = [
    (61_001, "en", Organisation(name="Restart-proof Fund", city="Yerevan", contact="@rp_fund")),
    (61_002, "ru", Organisation(name="Фонд Переживший", city="Бишкек", contact="@survivor")),
    (61_003, "en", Organisation(name="Outage Union", city="Almaty", cross_border=None)),
]


async def _onboard(chat: Conversation, language: str, org: Organisation) -> None:
    await onboard_to_summary(chat, language, org)  # every step checked on the way
    assert org.name in chat.last_text()
    await chat.click(tr(language, "✅ Confirm"))


async def _mid_questionnaire(
    fake: FakeTelegram,
) -> tuple[list[asyncio.Task[None]], list[Conversation]]:
    """Everyone on the way through the questionnaire (at step 3 or beyond)."""
    chats = [
        Conversation(fake, TgUser(uid, f"P{uid}", language_code=language), timeout=40)
        for uid, language, _ in PEOPLE
    ]
    tasks = [
        asyncio.create_task(_onboard(chat, language, org))
        for chat, (_, language, org) in zip(chats, PEOPLE, strict=True)
    ]
    step = {language: tr(language, "Step {step} of {total}", step=3, total=15)
            for _, language, _ in PEOPLE}  # fmt: skip

    def all_mid_way() -> bool:
        return all(
            any(step[language] in text for text in chat.texts())
            for chat, (_, language, _) in zip(chats, PEOPLE, strict=True)
        )

    await fake.wait_for(all_mid_way, timeout=40)
    return tasks, chats


def _assert_no_apology(chats: list[Conversation]) -> None:
    """Nobody was told "something went wrong" for an outage (their update came again)."""
    for chat, (_, language, _) in zip(chats, PEOPLE, strict=True):
        sorry = tr(language, "Sorry, something went wrong on our side. Please try again.")
        assert sorry not in chat.texts() and sorry not in chat.alerts


async def _finish_all(tasks: list[asyncio.Task[None]]) -> None:
    await asyncio.wait_for(asyncio.gather(*tasks), 60)


async def _saved(url: str) -> set[tuple[str, str]]:
    engine = create_engine(url)
    try:
        async with create_session_maker(engine)() as session:
            rows = await session.execute(select(OrganisationRow.name, OrganisationRow.city))
            return {(name, city) for name, city in rows}
    finally:
        await engine.dispose()


def _refused_during(relay: Relay, updates_before: int) -> list[tuple[int, int, int]]:
    return [a for a in relay.attempts[updates_before:] if 500 <= a[2] < 600]


async def test_postgres_away_while_people_answer_the_questionnaire_loses_no_answer(
    fake_telegram: FakeTelegram, own_pg: tuple[OwnPostgres, str], redis_url: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    fake = fake_telegram
    url = await _database(own_pg, "questionnaire_outage")
    pg = own_pg[0]
    async with cluster(fake, url, redis_url, tmp_path, lease_seconds=LEASE) as (workers, relay):
        tasks, chats = await _mid_questionnaire(fake)
        alive, status, body, _ = await _health(workers[0])
        assert (alive, status, body["database"], body["redis"]) == (200, 200, "ok", "ok")
        before = len(relay.attempts)
        await asyncio.to_thread(pg.stop)
        stopped = time.monotonic()
        try:
            await asyncio.sleep(AWAY / 2)
            during = await _health(workers[0])
            await asyncio.sleep(AWAY / 2)
        finally:
            await asyncio.to_thread(pg.start)
        refused = _refused_during(relay, before)
        await _finish_all(tasks)
        back_after = time.monotonic() - stopped
        await asyncio.sleep(2 * float(LEASE))  # the scheduler's leader is chosen again
        statuses = {status for _, _, status in relay.attempts}
        after = await _ready_again(workers[0])
        every = [(await _health(worker))[3] for worker in workers]
        metrics = every[0]
    # The probes while PostgreSQL was away: alive, not ready, naming the database.
    alive, status, body, during_metrics = during
    assert (alive, status, body["redis"]) == (200, 503, "ok")
    assert set(body["failing"]) - {"scheduler"} == {"database"}  # type: ignore[call-overload]
    assert body["database"] != "ok"  # what the check met, e.g. the connection refused
    assert sample(during_metrics, "ngo_bridge_dependency_up", dependency="database") == 0
    assert after["database"] == "ok"
    assert sample(metrics, "ngo_bridge_dependency_up", dependency="database") == 1
    # Each worker counts its own answers; together they are at least the relay's 503s.
    assert sum(sample(m, "ngo_bridge_webhook_responses_total", status="503") for m in every) >= len(
        refused
    )
    saved = await _saved(url)
    print(
        f"PostgreSQL away {AWAY:.0f} s: {len(refused)} deliveries answered 5xx and delivered"
        f" again, everyone done {back_after:.1f} s after the stop; the test took"
        f" {time.monotonic() - started:.1f} s"
    )
    assert refused, "no update met the outage"
    assert {status for _, _, status in refused} <= {503}
    assert all(count == 1 for count in relay.answered.values())  # each handled once
    assert 500 not in statuses  # never an aiohttp "Error handling request"
    for _, _, org in PEOPLE:  # every answer, given before, during and after, is there
        assert (org.name, org.city) in saved
    _assert_no_apology(chats)
    _assert_quiet(workers, "questionnaire")
    for index, found in _outage_lines(workers).items():
        assert all("another worker holds" not in line for line in found["WARNING"]), index
    logs = "".join(w.log.read_text(errors="replace") for w in workers)
    assert "stops running the scheduler: the database is unreachable" in logs
    assert logs.count("runs the scheduler") >= 2  # led again once it was back


async def test_redis_restarted_intake_answers_503_once_and_everyone_goes_on(
    fake_telegram: FakeTelegram, database_url: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    fake = fake_telegram
    with own_redis() as redis:
        async with cluster(fake, database_url, redis.url, tmp_path, lease_seconds=LEASE) as (
            workers,
            relay,
        ):
            tasks, chats = await _mid_questionnaire(fake)
            before = len(relay.attempts)
            await asyncio.to_thread(redis.stop)
            try:
                await asyncio.sleep(1.5)
                alive, status, body, _ = await _health(workers[1])  # while Redis is away
                await asyncio.sleep(1.5)
            finally:
                await asyncio.to_thread(redis.start)  # its append-only file: state kept
            restarted = len(relay.attempts)
            refused = _refused_during(relay, before)
            await _finish_all(tasks)
            after = _refused_during(relay, restarted)  # stale pooled connections met
            ready_again = await _ready_again(workers[1])
    assert (alive, status, body["database"], body["failing"]) == (200, 503, "ok", ["redis"])
    assert ready_again["redis"] == "ok"
    saved = await _saved(database_url)
    print(
        f"Redis restarted: {len(refused)} deliveries answered 503 while it was away and"
        f" {len(after)} after it was back, all delivered again;"
        f" the test took {time.monotonic() - started:.1f} s"
    )
    assert refused and {status for _, _, status in refused} == {503}
    assert all(count == 1 for count in relay.answered.values())
    for _, _, org in PEOPLE:
        assert (org.name, org.city) in saved
    _assert_no_apology(chats)
    _assert_quiet(workers, "redis")
    logs = [w.log.read_text(errors="replace") for w in workers]
    assert any("Redis is unreachable" in text for text in logs)
    assert all(text.count("Redis is unreachable") <= 1 for text in logs)
