"""/profile: the card, one answer changed after a bad attempt, the ways back, the card
before the questionnaire, and presses for answers that do not exist."""

from __future__ import annotations

from sqlalchemy import select

from bot.navigation import ProfileAction, ProfilePress
from db.engine import Sessions, reading
from db.models import Organisation
from testing.conversation import Conversation
from testing.fake_bot_api import FakeTelegram, TgUser
from testing.i18n import tr
from tests.directory_helpers import make_org
from tests.fsm_helpers import fsm_of

WEBSITE_QUESTION = "Your organisation's website, for example https://example.org"
BAD_URL = "⚠️ That does not look like a website address. Example: https://example.org"
STALE = "This button is out of date. Please use the latest message."
NAME_QUESTION = "What is your organisation called? Write the name as partners should see it."
MEMBER_MENU = "🏠 Main menu. What would you like to do?"


async def _website(sessions: Sessions, organisation_id: int) -> str | None:
    async with reading(sessions) as session:
        return await session.scalar(
            select(Organisation.website).where(Organisation.id == organisation_id)
        )


async def test_an_answer_changed_after_a_bad_attempt_is_saved_on_the_card(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    org = await make_org(sessions, 8501, language="ru", name="Hope")
    chat = Conversation(running_bot, TgUser(8501, "Olga", language_code="ru"))
    await chat.send("/profile")
    assert "https://example.org" in chat.last_text()
    await chat.click(tr("ru", "✏️ Change an answer"))
    assert chat.last_text() == tr("ru", "Which answer would you like to change?")
    await chat.click(tr("ru", "Website"))
    assert tr("ru", WEBSITE_QUESTION) in chat.last_text()

    for bad in ("not a website", "ftp://hope.kz", "http://localhost"):
        await chat.send(bad)
        assert tr("ru", BAD_URL) in chat.last_text(), bad
        assert tr("ru", WEBSITE_QUESTION) in chat.last_text(), bad  # asked again
        assert await _website(sessions, org) == "https://example.org", bad

    await chat.send("hope.kz")
    assert chat.last_text().startswith(tr("ru", "✅ Saved."))
    assert "https://hope.kz" in chat.last_text()
    assert tr("ru", "✏️ Change an answer") in chat.last_buttons()
    assert await _website(sessions, org) == "https://hope.kz"
    assert await fsm_of(sessions, 8501) == (None, {})


async def test_back_from_the_list_of_answers_and_from_the_card(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await make_org(sessions, 8502, language="kk", name="Hope")
    chat = Conversation(running_bot, TgUser(8502, "Dana", language_code="kk"))
    await chat.send("/profile")
    card = chat.last_message()
    assert card is not None
    await chat.click(tr("kk", "✏️ Change an answer"))
    assert tr("kk", "« Back to the profile") in chat.last_buttons()
    assert tr("kk", "Partner countries") not in chat.last_buttons()  # not asked: no cross-border

    await chat.click(tr("kk", "« Back to the profile"))
    back = chat.last_message()
    assert back is not None and back["message_id"] == card["message_id"]
    assert back["text"] == card["text"]  # the card, unchanged
    assert chat.last_button_rows() == [
        [tr("kk", "✏️ Change an answer")],
        [tr("kk", "👁 Who can find us"), tr("kk", "🛡 Trust badge")],
        [tr("kk", "👥 Team")],
        [tr("kk", "🏠 Main menu")],
    ]
    await chat.click(tr("kk", "🏠 Main menu"))
    assert chat.last_text() == tr("kk", MEMBER_MENU)
    assert len(chat.messages()) == 1


async def test_the_profile_before_the_questionnaire_offers_it(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    chat = Conversation(running_bot, TgUser(8503, "Nurlan", language_code="en"))
    await chat.send("/start")
    await chat.send("/profile")
    assert chat.last_text() == tr(
        "en", "You have not filled in the questionnaire yet. It takes about five minutes."
    )
    assert chat.last_button_rows() == [
        [tr("en", "📝 Fill in the questionnaire")],
        [tr("en", "🏠 Main menu")],
    ]
    await chat.click(tr("en", "📝 Fill in the questionnaire"))
    assert tr("en", NAME_QUESTION) in chat.last_text()


async def test_presses_for_answers_that_do_not_exist_or_do_not_apply_are_out_of_date(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await make_org(sessions, 8504, language="hy", name="Hope", cross_border=False)
    chat = Conversation(running_bot, TgUser(8504, "Ani", language_code="hy"))
    await chat.send("/profile")
    card = chat.last_message()
    assert card is not None
    edits = len(running_bot.method_calls("editMessageText"))
    for field in ("nonsense", "cross_border_countries", ""):
        data = ProfilePress(action=ProfileAction.FIELD, field=field).pack()
        alerts = len(chat.alerts)
        await running_bot.wait_handled(
            running_bot.push_callback(chat.user, card["message_id"], data)
        )
        assert chat.alerts[alerts:] == [tr("hy", STALE)], field
    assert len(running_bot.method_calls("editMessageText")) == edits  # the card stayed
    assert await fsm_of(sessions, 8504) == (None, {})
    assert running_bot.unanswered_callbacks == []
