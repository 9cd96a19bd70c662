"""Floods: a user sending faster than the limit is told once, in their language, and the
rest is skipped; presses are still answered; other users and admins are not slowed."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.handlers.start.callbacks import LanguagePick
from bot.languages import LANGUAGES
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

SLOW_DOWN = (
    "⏳ That is a lot at once. Wait a few seconds, then go on: what you send meanwhile is skipped."
)
LIMIT = 5  # updates a minute: no test here lasts long enough for the window to free up


@pytest.mark.parametrize("counts", ["memory", "redis"])
async def test_a_flood_is_told_once_and_the_rest_skipped(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    request: pytest.FixtureRequest,
    counts: str,
) -> None:
    """Counted in this process's memory, or in Redis (REDIS_URL: workers count together)."""
    update: dict[str, str] = {"throttle": f"{LIMIT}/minute"}
    if counts == "redis":
        update["redis_url"] = request.getfixturevalue("redis_url")
    settings = settings.model_copy(update=update)
    bot, dp = create_bot(settings), create_dispatcher(settings, sessions)
    flooder = TgUser(7101, "Flood", language_code="ru")
    other = Conversation(fake_telegram, TgUser(7102, "Calm", language_code="ru"))
    admin = TgUser(ADMIN_ID, "Admin", language_code="ru")
    async with polling(dp, bot, fake_telegram):
        chat = Conversation(fake_telegram, flooder)
        await chat.send("/start")
        await chat.click(LANGUAGES["kk"])  # 2 of 5
        mark = fake_telegram.mark()
        last = 0
        for n in range(8):  # 3 pass, the 4th is told, the other 4 are skipped
            last = fake_telegram.push_message(flooder, f"/help {n}")
        await fake_telegram.wait_handled(last)
        replies = [action.text or "" for action in fake_telegram.sent_after(mark, flooder.id)]
        assert replies.count(tr("kk", SLOW_DOWN)) == 1
        # Three help pages (each followed by the question again), then the notice in Kazakh.
        assert sum(text.startswith("NGO Bridge") for text in replies) == 3
        assert replies[-1] == tr("kk", SLOW_DOWN)

        # A press over the limit is answered (the button stops spinning) but does nothing.
        message_id = chat.messages()[-1]["message_id"]
        mark = fake_telegram.mark()
        press = fake_telegram.push_callback(flooder, message_id, LanguagePick(code="hy").pack())
        await fake_telegram.wait_handled(press)
        assert fake_telegram.sent_after(mark, flooder.id) == []
        assert fake_telegram.unanswered_callbacks == []
        assert fake_telegram.answers_for(flooder.id)[-1].text is None  # told already

        # Presses count too; the first one over the limit carries the notice.
        presser = Conversation(fake_telegram, TgUser(7103, "Clicker", language_code="hy"))
        await presser.send("/start")  # the language picker
        picker = presser.messages()[-1]["message_id"]
        last = 0
        for _ in range(LIMIT):
            last = fake_telegram.push_callback(presser.user, picker, LanguagePick(code="hy").pack())
        await fake_telegram.wait_handled(last)
        assert fake_telegram.answers_for(7103)[-1].text == tr("hy", SLOW_DOWN)

        # Someone else, and an admin, are not slowed down by it.
        await other.send("/start")
        assert other.last_text()
        admin_chat = Conversation(fake_telegram, admin)
        for _ in range(LIMIT + 2):
            await admin_chat.send("/help")
        assert tr("ru", SLOW_DOWN) not in admin_chat.texts()
    if counts == "redis":
        client = Redis.from_url(settings.redis_url or "")
        try:
            assert await client.keys("ngo_bridge_throttle*")
        finally:
            await client.aclose()
