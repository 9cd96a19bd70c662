"""A partner call announced to more people than one claim takes: the scheduler's duty claims
the notices a batch at a time and sends them side by side (a slow send holds up no other),
each recipient gets it once, in their language; one who blocked the bot is marked failed
and the rest go on. Run again, the duty finds nothing left."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import pytest
from sqlalchemy import insert, select

from bot import scheduler
from bot.app import create_bot, create_dispatcher, limiter_for
from bot.config import Settings
from bot.delivery.fanout import claim_size, senders_for
from bot.handlers.posts.announcing import deliver_due
from db.engine import Sessions, reading, writing
from db.models import PartnerCall, PartnerCallNotice, User
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, texts_of
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST, FIRST = 740, 9_100
LANGUAGES = ("ru", "kk", "hy", "ky", "en")
TITLE = "Open data for grants"


@asynccontextmanager
async def paced_runtime(
    settings: Settings, sessions: Sessions, fake: FakeTelegram
) -> AsyncIterator[scheduler.Runtime]:
    """The bot polling `fake`, and what the scheduler's jobs run with, its limiter
    included (as `python -m bot` has it)."""
    limiter = limiter_for(settings)
    bot = create_bot(settings, limiter)
    dp = create_dispatcher(settings, sessions, clock=FrozenClock(NOW))
    async with polling(dp, bot, fake):
        yield scheduler.Runtime(
            bot, sessions, dp["notifier"], FrozenClock(NOW), settings.default_language, limiter
        )


async def approved_call_for(sessions: Sessions, recipients: list[int]) -> None:
    """An approved call of HOST's organisation, its notices pending for `recipients`
    (people in five languages), as the approval queues them."""
    host = await make_org(sessions, HOST, language="hy", name="Կանաչ", country="AM")
    people = [
        {"id": user_id, "first_name": f"U{user_id}", "language": LANGUAGES[n % 5],
         "is_active": True, "created_at": NOW, "updated_at": NOW}
        for n, user_id in enumerate(recipients)
    ]  # fmt: skip
    async with writing(sessions) as session:
        await session.execute(insert(User), people)
        call = PartnerCall(
            host_organisation_id=host, posted_by=HOST, title=TITLE, description="…",
            topics=[], countries=[], languages=[], deadline=date(2027, 3, 1),
            time_zone="Asia/Yerevan", review="approved", created_at=NOW,
        )  # fmt: skip
        session.add(call)
        await session.flush()
        notices = [
            PartnerCallNotice(call_id=call.id, user_id=user_id, state="pending", due_at=NOW)
            for user_id in recipients
        ]
        session.add_all(notices)


async def test_a_call_wider_than_a_claim_reaches_each_once_side_by_side_past_a_blocked_one(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    rate = settings.broadcast_rate
    assert senders_for(rate) > 1
    count = 3 * claim_size(rate) + 2  # four claims, the last of two
    recipients = list(range(FIRST, FIRST + count))
    blocked, slow = recipients[5], recipients[1]
    await approved_call_for(sessions, recipients)
    fake_telegram.blocked.add(blocked)
    held = fake_telegram.stall_next("sendMessage", slow)

    def announced(user_id: int) -> list[str]:
        return [t for t in texts_of(fake_telegram, user_id) if TITLE in t]

    others = [user_id for user_id in recipients if user_id not in (blocked, slow)]
    async with paced_runtime(settings, sessions, fake_telegram) as runtime:
        duty = asyncio.create_task(deliver_due(runtime))
        # One send hangs (Telegram slow for that chat): the other senders go on meanwhile.
        await fake_telegram.wait_for(lambda: all(announced(u) for u in others), 30)
        assert not duty.done() and not announced(slow)
        held.set()
        assert await asyncio.wait_for(duty, 30) == count - 1
        assert await deliver_due(runtime) == 0  # nothing left, nothing twice

    for n, user_id in enumerate(recipients):
        if user_id == blocked:
            assert not announced(user_id)
            continue
        [got] = announced(user_id)
        assert got.startswith(tr(LANGUAGES[n % 5], "📣 <b>A partner call</b>"))
    async with reading(sessions) as session:
        states = dict(
            (
                await session.execute(select(PartnerCallNotice.user_id, PartnerCallNotice.state))
            ).all()
        )
    assert states == {u: "failed" if u == blocked else "sent" for u in recipients}
    async with reading(sessions) as session:
        assert await session.scalar(select(User.is_active).where(User.id == blocked)) is False
