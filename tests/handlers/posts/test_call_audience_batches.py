"""A partner call's audience queued by the scheduler a batch of organisations at a time
(bot/handlers/posts/audience.py), with the batch made 2 organisations: the approval only
counts the organisations and marks the call; the scheduler's "due" job (bot.app's duties)
queues a batch per run and runs again at once while some are left, and every member
reached gets the call once through the fake Bot API. Two workers queueing at once never
queue a batch twice; a call closed by its poster midway stops, one sent back to review
pauses and its re-approval goes on without a second copy; a process stopped between two
batches leaves the rest to the next one. The weekly digest leaves out a call still being
queued (its announcement comes instead)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.app import scheduler_duties
from bot.config import Settings
from bot.handlers.digest.sending import deliver_digests
from bot.handlers.posts import audience, audience_queries, closing, review
from bot.scheduler import Duties, Runtime
from db.engine import Sessions, create_engine, create_session_maker, reading, writing
from db.models import PartnerCall, PartnerCallNotice
from tests.conftest import ADMIN_ID
from tests.directory_helpers import FrozenClock, make_org, set_org
from tests.event_helpers import NOW, event_bot, texts_of
from tests.fake_telegram import FakeTelegram
from tests.handlers.find.find_helpers import call_row

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST = 780
SUITED = (781, 782, 783, 784, 785)  # five organisations of one member each, in id order
OTHER = 786  # can share nothing the call asks for
TITLE = "Open data <together>"


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audience, "BATCH", 2)


async def _call(sessions: Sessions) -> int:
    """Five organisations the call suits, one it does not, and the host's call waiting
    for review."""
    host = await make_org(sessions, HOST, language="hy", name="Կանաչ", country="AM",
                          can_share=["digital"])  # fmt: skip
    for user_id in SUITED:
        await make_org(sessions, user_id, language="kk", name=f"NGO {user_id}", country="KZ",
                       can_share=["digital", "legal"])  # fmt: skip
    await make_org(sessions, OTHER, language="ru", name="Фонд", country="KZ",
                   can_share=["legal"])  # fmt: skip
    async with writing(sessions) as session:
        call = PartnerCall(
            host_organisation_id=host, posted_by=HOST, title=TITLE, description="…",
            topics=["digital"], countries=[], languages=[], deadline=date(2027, 3, 1),
            time_zone="Asia/Yerevan", review="pending", created_at=NOW,
        )  # fmt: skip
        session.add(call)
        await session.flush()
        return call.id


async def _approve(sessions: Sessions, call_id: int) -> int:
    decision = await review.decide(
        sessions, {ADMIN_ID}, ADMIN_ID, call_id, NOW, approve=True, kind=review.CALL
    )
    assert decision.organisations is not None
    return decision.organisations


async def _queued(sessions: Sessions, call_id: int) -> list[int]:
    async with reading(sessions) as session:
        rows = await session.scalars(
            select(PartnerCallNotice.user_id)
            .where(PartnerCallNotice.call_id == call_id)
            .order_by(PartnerCallNotice.user_id)
        )
        return list(rows)


async def _cursor(sessions: Sessions, call_id: int) -> int | None:
    async with reading(sessions) as session:
        return await session.scalar(
            select(PartnerCall.audience_cursor).where(PartnerCall.id == call_id)
        )


async def _run_until_idle(duties: Duties, runtime: Runtime, now: datetime) -> int:
    """The "due" job as the Planner runs it: again while the next due moment is now or
    past; how many runs it took."""
    runs = 0
    while (due := await duties.next_due(runtime.sessions)) is not None and due <= now:
        await duties.deliver_due(runtime)
        runs += 1
        assert runs < 20
    return runs


def _got(fake: FakeTelegram, user_id: int) -> int:
    return len([text for text in texts_of(fake, user_id) if "Open data" in text])


async def test_an_audience_of_several_batches_is_reached_once_each(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    call_id = await _call(sessions)
    assert await _approve(sessions, call_id) == 5  # counted, nobody queued by the press
    assert await _queued(sessions, call_id) == []
    assert await _cursor(sessions, call_id) == 0
    duties = scheduler_duties()
    assert await duties.next_due(sessions) is not None  # "now": organisations are left
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)) as runtime:
        runs = await _run_until_idle(duties, runtime, NOW)
    assert runs == 3  # 2 + 2 + 1 organisations, each run sending what it queued
    assert await _queued(sessions, call_id) == list(SUITED)
    assert await _cursor(sessions, call_id) is None
    assert [_got(fake_telegram, user_id) for user_id in SUITED] == [1] * 5
    assert _got(fake_telegram, OTHER) == _got(fake_telegram, HOST) == 0
    assert await audience.next_due(sessions) is None  # the deadline is what comes next


async def test_two_workers_queueing_at_once_never_queue_a_batch_twice(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, database_url: str
) -> None:
    call_id = await _call(sessions)
    await _approve(sessions, call_id)
    other = create_engine(database_url)  # a second worker: its own engine and connections
    try:
        workers = (sessions, create_session_maker(other))
        added: list[int | None] = []
        while await _cursor(sessions, call_id) is not None:
            added += await asyncio.gather(
                *(audience.expand(worker, call_id, NOW) for worker in workers * 2)
            )
            assert len(added) < 20
    finally:
        await other.dispose()
    assert sum(count or 0 for count in added) == 5
    assert await _queued(sessions, call_id) == list(SUITED)
    # A worker that read the cursor before another moved it: its batch is not taken.
    async with writing(sessions) as session:
        moved = update(PartnerCall).where(PartnerCall.id == call_id)
        await session.execute(moved.values(audience_cursor=2))
        assert not await audience_queries.advance(session, call_id, 0, 4)
        await session.execute(moved.values(audience_cursor=None))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)) as runtime:
        await _run_until_idle(scheduler_duties(), runtime, NOW)
    assert [_got(fake_telegram, user_id) for user_id in SUITED] == [1] * 5
    async with reading(sessions) as session:
        count = await session.scalar(select(func.count()).select_from(PartnerCallNotice))
        assert count == 5


async def test_a_call_closed_midway_stops_and_one_sent_back_to_review_pauses(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    call_id = await _call(sessions)
    await _approve(sessions, call_id)
    assert await audience.expand(sessions, call_id, NOW) == 2
    # Its text edited: back to review (as calls.submit does), the rest waits.
    async with writing(sessions) as session:
        await session.execute(
            update(PartnerCall).where(PartnerCall.id == call_id).values(review="pending")
        )
    assert await audience.next_due(sessions) is None
    assert await audience.expand(sessions, call_id, NOW) is None
    assert len(await _queued(sessions, call_id)) == 2
    # Approved again: from the first organisation, the two queued already skipped.
    await _approve(sessions, call_id)
    assert await audience.expand(sessions, call_id, NOW) == 0
    assert await audience.expand(sessions, call_id, NOW) == 2
    # Its poster closes it: nothing more is queued.
    await closing.close_by_poster(sessions, HOST, "call", call_id, NOW)
    assert await audience.next_due(sessions) is None
    assert await audience.expand(sessions, call_id, NOW) is None
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)) as runtime:
        assert await audience.expand_due(runtime) == 0
        # … and the four queued before it closed are not announced any more.
        assert await scheduler_duties().deliver_due(runtime) == 0
    assert await _queued(sessions, call_id) == list(SUITED[:4])
    assert [_got(fake_telegram, user_id) for user_id in SUITED] == [0] * 5


async def test_a_process_stopped_between_two_batches_leaves_the_rest_to_the_next(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    call_id = await _call(sessions)
    await _approve(sessions, call_id)
    duties = scheduler_duties()
    clock = FrozenClock(NOW)
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await duties.deliver_due(runtime)  # one run: the first batch queued and sent
    assert await _queued(sessions, call_id) == list(SUITED[:2])
    cursor = await _cursor(sessions, call_id)
    assert cursor is not None and cursor > 0  # the second organisation's id
    # A new process: the scheduler, rebuilt from the rows, goes on where it stopped.
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        assert await duties.give_up_interrupted(sessions, NOW) == 0
        assert await _run_until_idle(duties, runtime, NOW) == 2
    assert await _queued(sessions, call_id) == list(SUITED)
    assert [_got(fake_telegram, user_id) for user_id in SUITED] == [1] * 5


async def test_a_call_still_being_queued_comes_as_its_announcement_not_in_the_digest(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    monday = datetime(2026, 11, 30, 5, 5, tzinfo=UTC)  # 10:05 in Almaty: digests go out
    reader = await make_org(sessions, SUITED[0], language="kk", name="Цифрлық қадам",
                            country="KZ", can_share=["digital"])  # fmt: skip
    host = await make_org(sessions, HOST, language="hy", name="Կանաչ", country="AM")
    for org_id in (reader, host):
        await set_org(sessions, org_id, created_at=monday - timedelta(days=30))
    async with writing(sessions) as session:
        call = call_row(host, HOST, TITLE, monday - timedelta(days=2), audience_cursor=0)
        session.add(call)
        await session.flush()
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(monday)) as runtime:
        assert await deliver_digests(runtime) == 0  # its announcement is on its way
        await _run_until_idle(scheduler_duties(), runtime, monday)
        assert await deliver_digests(runtime) == 0  # announced: the digest leaves it out
    assert _got(fake_telegram, SUITED[0]) == 1
