"""A questionnaire whose state was lost (Redis restarted without persistence): a press on
its old question says it was interrupted and offers to start again, in the person's
language, instead of only "this button is out of date"; a person with a profile pressing
an old question still meets the plain stale answer."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.languages import LANGUAGES
from bot.taxonomy import COUNTRIES
from db.engine import Sessions
from tests.conversation import Conversation
from tests.directory_helpers import make_org
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import label, tr

NAME_QUESTION = "What is your organisation called? Write the name as partners should see it."
COUNTRY_QUESTION = "In which country is your organisation based?"
INTERRUPTED = "Your questionnaire was interrupted and its answers were lost. Sorry!"
OFFER = (
    "⚠️ Your questionnaire was interrupted on our side and the answers given so far were "
    "lost. Please start it again: it takes a few minutes."
)
STALE = "This button is out of date. Please use the latest message."


async def _forget_everything(redis_url: str) -> None:
    """What a Redis restart without persistence does to the questionnaire's state."""
    client = Redis.from_url(redis_url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


@pytest.mark.parametrize("language", ["ru", "kk", "hy", "ky", "en"])
async def test_a_press_on_a_lost_questionnaire_offers_to_start_again(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    redis_url: str,
    language: str,
) -> None:
    on_redis = settings.model_copy(update={"redis_url": redis_url})
    chat = Conversation(fake_telegram, TgUser(7801, "Dana", language_code=language))
    async with polling(create_dispatcher(on_redis, sessions), create_bot(on_redis), fake_telegram):
        await chat.send("/start")
        await chat.click(LANGUAGES[language], expect=2)
        await chat.send("Fund")
        assert tr(language, COUNTRY_QUESTION) in chat.last_text()
        await _forget_everything(redis_url)

        await chat.click(label(language, COUNTRIES, "KZ"))
        assert chat.alerts[-1] == tr(language, INTERRUPTED)
        assert chat.last_text() == tr(language, OFFER)
        await chat.click(tr(language, "🔄 Start over"))
        assert tr(language, NAME_QUESTION) in chat.last_text()
        assert tr(language, "Step {step} of {total}", step=1, total=15) in chat.last_text()


async def test_an_old_question_pressed_after_onboarding_is_only_out_of_date(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, redis_url: str
) -> None:
    on_redis = settings.model_copy(update={"redis_url": redis_url})
    chat = Conversation(fake_telegram, TgUser(7802, "Ashot", language_code="en"))
    async with polling(create_dispatcher(on_redis, sessions), create_bot(on_redis), fake_telegram):
        await chat.send("/start")
        await chat.click(LANGUAGES["en"], expect=2)
        await chat.send("Fund")
        await make_org(sessions, 7802, name="Already Here")  # finished meanwhile
        await _forget_everything(redis_url)
        await chat.click(label("en", COUNTRIES, "KZ"))
        assert chat.alerts[-1] == STALE
        assert tr("en", OFFER) not in chat.texts()
