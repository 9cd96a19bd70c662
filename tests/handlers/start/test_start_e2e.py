"""/start: a newcomer's language picker, a returning member straight to the menu, and
invitation links whose token is bad."""

from __future__ import annotations

from bot.languages import LANGUAGES
from db.engine import Sessions
from testing.conversation import Conversation
from testing.fake_bot_api import FakeTelegram, TgUser
from testing.i18n import tr
from tests.directory_helpers import make_org
from tests.fsm_helpers import fsm_of

PICKER = "🌐 Choose the language of the bot. You can change it later with /language."
NAME_QUESTION = "What is your organisation called? Write the name as partners should see it."
MEMBER_MENU = "🏠 Main menu. What would you like to do?"
NEWCOMER_MENU = (
    "🏠 Main menu. Fill in the questionnaire about your organisation to appear in the "
    "directory and get partner suggestions."
)
NOT_VALID = "This invitation link is not valid. Ask your colleague for a new one."


async def test_a_newcomer_gets_the_picker_in_the_language_telegram_suggests(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    # A regional code picks its language; the picker's rows hold all five.
    kazakh = Conversation(running_bot, TgUser(8401, "Aigerim", language_code="kk-KZ"))
    await kazakh.send("/start")
    assert kazakh.last_text() == tr("kk", PICKER)
    assert kazakh.last_button_rows() == [
        [LANGUAGES["ru"], "✓ " + LANGUAGES["kk"]],
        [LANGUAGES["hy"], LANGUAGES["ky"]],
        [LANGUAGES["en"]],
    ]
    # A language the bot does not speak: the default one (ru), ticked.
    german = Conversation(running_bot, TgUser(8402, "Hans", language_code="de"))
    await german.send("/start")
    assert german.last_text() == tr("ru", PICKER)
    assert "✓ " + LANGUAGES["ru"] in german.last_buttons()

    # /start again before choosing: the picker again, and no questionnaire begun.
    await german.send("/start")
    assert german.texts() == [tr("ru", PICKER), tr("ru", PICKER)]
    assert await fsm_of(sessions, 8402) == (None, {})

    # Choosing another language than the guess: a note in it, then the questionnaire.
    await german.click(LANGUAGES["en"], expect=2)
    assert running_bot.answers_for(8402)[-1].text == tr("en", "Language: {language}.").format(
        language=LANGUAGES["en"]
    )
    assert tr("en", NAME_QUESTION) in german.last_text()
    state, _ = await fsm_of(sessions, 8402)
    assert state == "Questionnaire:answering"


async def test_a_returning_member_goes_straight_to_the_menu_in_their_chosen_language(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await make_org(sessions, 8403, language="ky", name="Hope")
    chat = Conversation(running_bot, TgUser(8403, "Bakyt", language_code="en"))
    actions = await chat.send("/start")
    assert chat.texts() == [tr("ky", MEMBER_MENU)]  # one message: no picker, no welcome
    assert len([a for a in actions if a.method == "sendMessage"]) == 1
    assert tr("ky", "👤 My profile") in chat.last_buttons()
    assert await fsm_of(sessions, 8403) == (None, {})


async def test_a_newcomer_with_a_bad_invitation_picks_a_language_then_learns_why(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    chat = Conversation(running_bot, TgUser(8404, "Lusine", language_code="hy"))
    await chat.send("/start join_" + "A" * 22)
    assert chat.last_text() == tr("hy", PICKER)  # the language first, as for any newcomer
    picker = chat.last_message()
    assert picker is not None

    await chat.click(LANGUAGES["hy"])
    assert chat.last_text() == tr("hy", NOT_VALID)
    shown = chat.last_message()
    assert shown is not None and shown["message_id"] == picker["message_id"]  # in its place
    assert chat.last_button_rows() == [[tr("hy", "🏠 Main menu")]]
    assert await fsm_of(sessions, 8404) == (None, {})  # no questionnaire, no invitation kept

    await chat.click(tr("hy", "🏠 Main menu"))
    assert chat.last_text() == tr("hy", NEWCOMER_MENU)


async def test_a_link_that_is_no_invitation_is_a_plain_start(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    """A payload that does not fit an invitation's shape (too long, odd characters, another
    word) is not looked up: the member gets the menu, as with /start alone."""
    await make_org(sessions, 8405, language="en", name="Hope")
    chat = Conversation(running_bot, TgUser(8405, "Arman", language_code="en"))
    for link in ("/start join_" + "A" * 65, "/start join_bad!token", "/start hello"):
        await chat.send(link)
        assert chat.last_text() == tr("en", MEMBER_MENU), link
    assert tr("en", NOT_VALID) not in chat.texts()
