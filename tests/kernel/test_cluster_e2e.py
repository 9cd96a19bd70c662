"""Three `python -m bot` workers in webhook mode on one PostgreSQL database and one Redis,
behind a relay that delivers updates to them in turn (tests/cluster_helpers.py): one
user's updates land on different workers and are handled in order; a redelivered update
is handled once; a worker killed mid-update, mid-broadcast or while leading the
scheduler loses nothing and sends nothing twice. Leases last 2 s here (15 by default)."""

from __future__ import annotations

import asyncio
import math
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from bot import users
from bot.delivery.broadcaster import FLUSH_EVERY, senders_for
from bot.handlers.events import drafts, publishing
from bot.handlers.events.drafts import Draft
from db.engine import create_engine, create_session_maker
from db.models import Delivery, Lease
from tests.broadcast_helpers import plain_users
from tests.cluster_helpers import SECRET, Worker, busiest_second, cluster, holder_pid
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import make_org, search_words
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.events.test_events_restart_e2e import daytime_zone
from tests.i18n_helpers import tr
from tests.onboarding_script import Organisation, onboard_to_summary

pytestmark = pytest.mark.databases("postgresql")
LEASE = "2"


async def test_one_users_updates_across_workers_redelivery_and_a_worker_killed_mid_update(
    fake_telegram: FakeTelegram, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    fake = fake_telegram
    engine = create_engine(database_url)
    sessions = create_session_maker(engine)
    owner_org = await make_org(sessions, 6002, name="Owner NGO", country="AM",
                               contact="+374 10 123456")  # fmt: skip
    await engine.dispose()
    async with cluster(fake, database_url, redis_url, tmp_path, LEASE_SECONDS=LEASE) as (
        workers,
        relay,
    ):
        chat = Conversation(fake, TgUser(6001, "Aigerim", language_code="en"), timeout=30)
        await onboard_to_summary(chat, "en", Organisation(name="Asker Fund"))
        await chat.click(tr("en", "✅ Confirm"))
        handled_by = {w for _, w, status in relay.attempts if status == 200}
        assert handled_by == {0, 1, 2}  # the questionnaire went through all three, in order
        assert "Owner NGO" in await search_words(chat, "en", "Owner")
        owner = Conversation(fake, TgUser(6002, "Ashot", language_code="en"), timeout=30)
        await chat.send(f"/start org_{owner_org}")
        await chat.click(tr("en", "📨 Request contact"))
        await fake.wait_for(lambda: "Asker Fund" in owner.last_text(), 20)
        await owner.click(tr("en", "✅ Accept"))
        await fake.wait_for(lambda: "+374 10 123456" in chat.last_text(), 20)

        # Telegram delivers an update again (its answer was lost): handled once.
        first = fake.pushed_updates[0]
        mark = fake.mark()
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with aiohttp.ClientSession() as client:
            for worker in workers:
                async with client.post(worker.url, json=first, headers=headers) as again:
                    assert again.status == 200
        await asyncio.sleep(0.5)
        assert fake.sent_after(mark) == []

        # A worker killed while handling /start: the update comes again, answered once.
        late = Conversation(fake, TgUser(6003, "Nur", language_code="en"), timeout=30)
        fake.stall_next("sendMessage", late.chat_id)
        sending = asyncio.create_task(late.send("/start"))
        await fake.wait_for(lambda: fake.stalled, 20)
        update_id = fake.pushed_updates[-1]["update_id"]
        victim = workers[relay.trying[update_id]]
        await victim.kill()
        await asyncio.wait_for(sending, 30)
        await asyncio.sleep(0.5)
        [prompt] = fake.chat_messages(late.chat_id)
        assert "Choose the language" in prompt["text"]
        tries = [(w, s) for u, w, s in relay.attempts if u == update_id]
        assert tries[0] == (victim.index, -1) and tries[-1][1] == 200
        assert relay.answered[update_id] == 1


async def _claim_holders(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with create_session_maker(engine)() as session:
            rows = await session.execute(
                select(Delivery.claimed_by, Delivery.state, func.count())
                .where(Delivery.claimed_by.is_not(None))
                .group_by(Delivery.claimed_by, Delivery.state)
            )
            found = list(rows)
            return {holder for holder, state, _ in found if holder and state == "pending"}
    finally:
        await engine.dispose()


RATE = 30
RECIPIENTS = [31_000 + i for i in range(300)]


async def test_kill_9_of_one_of_three_workers_mid_broadcast(
    fake_telegram: FakeTelegram, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    fake = fake_telegram
    engine = create_engine(database_url)
    await plain_users(create_session_maker(engine), RECIPIENTS)
    await engine.dispose()
    # Telegram's limits, with real 429s: the server counts every second and refuses what
    # goes over L, as Telegram does.
    fake.limit(RATE)
    admin = Conversation(fake, TgUser(ADMIN_ID, "Admin", language_code="en"), timeout=30)

    def reached() -> int:
        return sum(bool(fake.chat_messages(user_id)) for user_id in RECIPIENTS)

    async with cluster(
        fake, database_url, redis_url, tmp_path,
        lease_seconds=LEASE, broadcast_rate=str(RATE), admin_ids=str(ADMIN_ID),
    ) as (workers, _):  # fmt: skip
        await admin.send("/broadcast One pace for three workers")
        assert "It will reach 301 users." in admin.last_text()
        await admin.click("✅ Send to 301 users")
        await fake.wait_for(lambda: reached() >= 100, timeout=30)
        holders = await _claim_holders(database_url)
        by_pid = {w.process.pid: w for w in workers}
        victims = [by_pid[holder_pid(h)] for h in holders if holder_pid(h) in by_pid]
        assert len(victims) >= 2  # the other workers joined in
        victim: Worker = victims[0]
        await victim.kill()
        at_kill = reached()
        report = await fake.wait_for(
            lambda: next((t for t in admin.texts() if "finished" in t), ""), timeout=30
        )
    assert at_kill < len(RECIPIENTS)
    copies = [len(fake.chat_messages(user_id)) for user_id in RECIPIENTS]
    assert min(copies) == 1  # nobody lost
    duplicates = sum(copies) - len(RECIPIENTS)
    bound = senders_for(RATE) + math.ceil(RATE * FLUSH_EVERY) + 1  # the victim's unrecorded
    busiest = busiest_second([t for t, _ in fake.accepted_sends])
    print(
        f"kill -9 after {at_kill}: {duplicates} duplicates (bound {bound}),"
        f" busiest {busiest}, 429s {fake.flood_errors}"
    )
    assert duplicates <= bound
    # Three workers pacing apart would send at 3 L and draw hundreds of 429s; one shared
    # pace draws none but for arrival jitter on a busy machine (once 32 in a second).
    assert fake.flood_errors <= 5, fake.flood_errors
    assert "Sent: 301 · Blocked the bot: 0 · Failed: 0" in report


SUBSCRIBERS = [41_001, 41_002, 41_003]


async def _leader(url: str) -> str | None:
    engine = create_engine(url)
    try:
        async with create_session_maker(engine)() as session:
            lease = await session.get(Lease, "scheduler")
            return lease.holder if lease is not None else None
    finally:
        await engine.dispose()


async def test_kill_9_of_the_scheduler_leader_another_takes_over_and_sends_once(
    fake_telegram: FakeTelegram, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    fake = fake_telegram
    engine = create_engine(database_url)
    sessions = create_session_maker(engine)
    now = datetime.now(UTC)
    for user_id in SUBSCRIBERS:
        await make_org(sessions, user_id, language="en", country="KZ", want_learn=["impact"])
        await users.set_zone(sessions, user_id, daytime_zone(now))
        # About announcements: on a Monday the weekly digest would be a second message.
        await users.set_digest_on(sessions, user_id, False)
    start = (now + timedelta(days=3)).replace(microsecond=0)
    draft = Draft(
        kind="webinar", title="Leader-proof webinar", description="About leases.",
        starts_at=start, ends_at=start + timedelta(hours=1), time_zone="UTC",
        link="https://meet.example.org/y", topics=("impact",),
    )  # fmt: skip
    event_id = await drafts.save(sessions, draft, ADMIN_ID, now)
    try:
        async with cluster(fake, database_url, redis_url, tmp_path, LEASE_SECONDS=LEASE) as (
            workers,
            _,
        ):
            deadline = time.monotonic() + 20
            while (holder := await _leader(database_url)) is None:
                assert time.monotonic() < deadline, "nobody took the scheduler's lease"
                await asyncio.sleep(0.1)
            [leader] = [w for w in workers if w.process.pid == holder_pid(holder)]
            await leader.kill()
            killed = time.monotonic()
            # Due now, while nobody leads: the next leader sends it, once.
            published = await publishing.publish(sessions, event_id, datetime.now(UTC), "ru")
            assert published is not None and published.queued == len(SUBSCRIBERS)
            await fake.wait_for(lambda: all(fake.chat_messages(u) for u in SUBSCRIBERS), 30)
            takeover = time.monotonic() - killed
            await asyncio.sleep(1.5)  # room for a wrong second copy
            successor = await _leader(database_url)
    finally:
        await engine.dispose()
    print(f"the scheduler was taken over and the announcement sent {takeover:.1f} s after")
    assert takeover < 30
    assert successor is not None and holder_pid(successor) != leader.process.pid
    for user_id in SUBSCRIBERS:
        [announcement] = fake.chat_messages(user_id)
        assert "Leader-proof webinar" in announcement["text"]
