"""The public channel follows a decision at once: with CHANNEL_ID set, an admin's approval
wakes the scheduler, which posts the call to the channel, and the poster's ⛔ Close edits
that post, without the periodic sweep (removed here) and without the clock moving."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.app import create_bot, create_dispatcher, scheduler_duties
from bot.config import Settings
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.scheduler import SWEEP_JOB, Planner, Runtime
from db.engine import Sessions, writing
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock
from tests.event_helpers import NOW
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.find.find_helpers import HOST_AM, call_row, network
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

CHANNEL = -1001234567891
TITLE = "Woken <at once>"


@asynccontextmanager
async def _bot_with_scheduler(
    settings: Settings, sessions: Sessions, fake: FakeTelegram, clock: FrozenClock
) -> AsyncIterator[Planner]:
    """The bot polling `fake`, its scheduler started as the runner starts it, but without
    the periodic sweep: only a wake-up can reach the channel."""
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=clock)
    planner: Planner = dp["planner"]
    runtime = Runtime(bot, sessions, dp["notifier"], clock, settings.default_language)
    async with polling(dp, bot, fake):
        await planner.start(runtime, scheduler_duties(settings))
        planner.scheduler.remove_job(SWEEP_JOB)
        try:
            yield planner
        finally:
            planner.stop()


def _posts(fake: FakeTelegram) -> list[str]:
    return [str(m.get("text")) for m in fake.chat_messages(CHANNEL)]


async def test_an_approval_and_a_close_reach_the_channel_without_the_sweep(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    orgs = await network(sessions)
    async with writing(sessions) as session:
        row = call_row(orgs["am"], HOST_AM, TITLE, NOW, review="pending", reviewed_by=None)
        session.add(row)
        await session.flush()
        call_id = row.id
    changed = settings.model_copy(
        update={"channel_id": str(CHANNEL), "channel_language": "en", "admin_ids": {ADMIN_ID}}
    )
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code="ru"))
    poster = Conversation(fake_telegram, TgUser(HOST_AM, "Ani", language_code="hy"))
    clock = FrozenClock(NOW)  # it never moves here
    async with _bot_with_scheduler(changed, sessions, fake_telegram, clock) as planner:
        assert planner.scheduler.get_job(SWEEP_JOB) is None
        await oleg.send("/review")
        await oleg.click(f"🤝 #{call_id}")
        assert _posts(fake_telegram) == []  # waiting for review: not in the channel
        await oleg.click(tr("ru", "✅ Approve"))
        await fake_telegram.wait_for(lambda: len(_posts(fake_telegram)) == 1)
        [posted] = fake_telegram.chat_messages(CHANNEL)
        assert str(posted["text"]).startswith(tr("en", "📣 <b>A partner call</b>"))
        assert TITLE in str(posted["text"])
        # The poster closes it: the channel's post says so, its button gone.
        await poster.send("/menu")
        close = PostPress(action=PostAction.CLOSE, item=call_id, kind="call").pack()
        update_id = fake_telegram.push_callback(
            poster.user, poster.messages()[-1]["message_id"], close
        )
        await fake_telegram.wait_handled(update_id)
        closed = tr("en", "🚫 <b>Closed</b>: no longer open.")
        await fake_telegram.wait_for(lambda: _posts(fake_telegram)[0].startswith(closed))
        [edited] = fake_telegram.chat_messages(CHANNEL)
        assert edited["message_id"] == posted["message_id"] and not edited.get("reply_markup")
