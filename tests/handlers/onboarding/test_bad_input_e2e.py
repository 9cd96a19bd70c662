"""Bad input during onboarding: a short localised explanation, the same question again,
and nothing stored changes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial

import pytest
from babel.numbers import format_decimal
from sqlalchemy import func, select

from bot.handlers.onboarding.callbacks import ReviewAction, ReviewPress, StepAction, StepPress
from bot.languages import LANGUAGES
from db.engine import Sessions
from db.models import Organisation
from tests.conversation import Conversation
from tests.fake_telegram import FakeTelegram, TgUser
from tests.fsm_helpers import fsm_of
from tests.i18n_helpers import tr, trn

NAME_Q = "What is your organisation called? Write the name as partners should see it."
COUNTRY_Q = "In which country is your organisation based?"
CITY_Q = "In which city or region do you work?"
FOCUS_Q = "What are your organisation's focus areas?"
NEED_TEXT = (
    "⚠️ Please answer with text: photos, stickers, voice messages, locations and "
    "files cannot be used here."
)
NEED_BUTTON = "⚠️ Please answer with the buttons under the question."
STALE = "This button is out of date. Please use the latest message."


@pytest.fixture
async def chat(running_bot: FakeTelegram) -> AsyncIterator[Conversation]:
    """A Kyrgyz-speaking user at the first question."""
    chat = Conversation(running_bot, TgUser(3001, "Aibek", language_code="ky"))
    await chat.send("/start")
    await chat.click(LANGUAGES["ky"])
    yield chat


async def _unchanged_after(
    chat: Conversation,
    sessions: Sessions,
    action: Callable[[], Awaitable[object]],
) -> str:
    """Run `action`, assert the stored progress did not move, return the reply text."""
    before = await fsm_of(sessions, chat.user.id)
    await action()
    after = await fsm_of(sessions, chat.user.id)
    assert (after[0], after[1].get("step"), after[1].get("answers")) == (
        before[0], before[1].get("step"), before[1].get("answers"),
    )  # fmt: skip
    return chat.last_text()


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice", "location", "document"])
async def test_non_text_where_text_is_expected(
    chat: Conversation, sessions: Sessions, kind: str
) -> None:
    senders: dict[str, Callable[[], Awaitable[object]]] = {
        "photo": chat.send_photo, "sticker": chat.send_sticker, "voice": chat.send_voice,
        "location": chat.send_location, "document": chat.send_document,
    }  # fmt: skip
    send = senders[kind]
    reply = await _unchanged_after(chat, sessions, send)
    assert tr("ky", NEED_TEXT) in reply
    assert tr("ky", NAME_Q) in reply  # the same question again


async def test_text_where_a_button_is_expected(chat: Conversation, sessions: Sessions) -> None:
    await chat.send("Фонд")
    reply = await _unchanged_after(chat, sessions, lambda: chat.send("Kyrgyzstan"))
    assert tr("ky", NEED_BUTTON) in reply and tr("ky", COUNTRY_Q) in reply
    reply = await _unchanged_after(chat, sessions, chat.send_sticker)
    assert tr("ky", NEED_BUTTON) in reply and tr("ky", COUNTRY_Q) in reply
    assert len([b for b in chat.last_buttons() if "🇰🇬" in b]) == 1  # the buttons came back


async def test_bad_lengths_are_explained(chat: Conversation, sessions: Sessions) -> None:
    reply = await _unchanged_after(chat, sessions, lambda: chat.send("x" * 5000))
    too_long = trn(
        "ky",
        "⚠️ That is too long: at most {n} character, and you sent {length}.",
        "⚠️ That is too long: at most {n} characters, and you sent {length}.",
        150,
        length=format_decimal(5000, locale="ky"),
    )
    assert too_long in reply and tr("ky", NAME_Q) in reply
    reply = await _unchanged_after(chat, sessions, lambda: chat.send("   \u00a0  "))
    assert tr("ky", "⚠️ The answer is empty. Please write a few words.") in reply
    reply = await _unchanged_after(chat, sessions, lambda: chat.send("x"))
    too_short = trn(
        "ky",
        "⚠️ That is too short: please write at least {n} character.",
        "⚠️ That is too short: please write at least {n} characters.",
        2,
    )
    assert too_short in reply and tr("ky", NAME_Q) in reply


async def _to_website(chat: Conversation) -> None:
    """Walk to the website question the quickest way."""
    await chat.send("Фонд")
    await chat.click("🇰🇬")
    await chat.send("Бишкек")
    for _ in range(4):  # focus areas, share, learn, formats
        await chat.click(chat.last_buttons()[0])
        await chat.click(
            chat.last_buttons()[-2] if "«" in chat.last_buttons()[-1] else chat.last_buttons()[-1]
        )
    await chat.click(tr("ky", "No"))
    await chat.click(tr("ky", "Done ✓"))  # barriers: optional, nothing ticked
    await chat.click(chat.last_buttons()[0])
    await chat.click(chat.last_buttons()[-2])
    await chat.click(tr("ky", "Skip »"))  # description
    assert (
        tr("ky", "Your organisation's website, for example https://example.org") in chat.last_text()
    )


async def test_invalid_url_and_contact(chat: Conversation, sessions: Sessions) -> None:
    await _to_website(chat)
    for bad in ("not a website", "javascript:alert(1)", "http://localhost"):
        reply = await _unchanged_after(chat, sessions, partial(chat.send, bad))
        assert (
            tr("ky", "⚠️ That does not look like a website address. Example: https://example.org")
            in reply
        )
    await chat.send("https://fond.kg")
    for bad in ("name@", "@ab", "call me maybe"):
        reply = await _unchanged_after(chat, sessions, partial(chat.send, bad))
        assert tr("ky", "⚠️ That does not look like a contact. Send an e-mail (name@example.org), "
                        "a Telegram @username or a phone number (+7 700 123 45 67).") in reply  # fmt: skip
    await chat.send("info@fond.kg")
    _, data = await fsm_of(sessions, chat.user.id)
    assert data["answers"]["website"] == "https://fond.kg"
    assert data["answers"]["contact"] == "info@fond.kg"


async def test_html_and_markdown_are_shown_literally(
    chat: Conversation, running_bot: FakeTelegram
) -> None:
    await chat.send("<b>Bold</b> *star* _under_ [link](http://x.org) &amp;")
    await chat.click(tr("ky", "« Back"))
    text = chat.last_text()
    assert "<b>Bold</b> *star* _under_ [link](http://x.org) &amp;" in text
    sent = running_bot.method_calls("editMessageText")[-1]
    assert "&lt;b&gt;Bold&lt;/b&gt;" in sent["text"]  # escaped on the wire


async def test_old_and_forged_buttons(
    chat: Conversation, running_bot: FakeTelegram, sessions: Sessions
) -> None:
    first_question = chat.last_message()
    assert first_question is not None
    await chat.send("Фонд")  # a typed answer: the next question is a new message
    await chat.click("🇰🇬")
    current = chat.last_message()
    assert current is not None and current["message_id"] != first_question["message_id"]

    async def press(message_id: int, data: str) -> None:
        await running_bot.wait_handled(running_bot.push_callback(chat.user, message_id, data))

    forged = [
        (current["message_id"], StepPress(step="country", action=StepAction.PICK, value="KG").pack()),
        (current["message_id"], StepPress(step="city", action=StepAction.PICK, value="RU").pack()),
        (current["message_id"], StepPress(step="city", action=StepAction.SKIP).pack()),
        (current["message_id"], StepPress(step="nonsense", action=StepAction.BACK).pack()),
        (current["message_id"], ReviewPress(action=ReviewAction.CONFIRM).pack()),
        (current["message_id"], "q:city:explode:1"),
        (current["message_id"], "garbage"),
        (first_question["message_id"], StepPress(step="name", action=StepAction.KEEP).pack()),
    ]  # fmt: skip
    for message_id, data in forged:
        before = await fsm_of(sessions, chat.user.id)
        alerts = len(chat.alerts)
        await press(message_id, data)
        assert len(chat.alerts) == alerts + 1, data
        assert chat.alerts[-1] == tr("ky", STALE), data
        assert await fsm_of(sessions, chat.user.id) == before, data
    assert running_bot.unanswered_callbacks == []
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Organisation)) == 0


async def test_done_without_a_tick_on_a_required_question(
    chat: Conversation, sessions: Sessions
) -> None:
    await chat.send("Фонд")
    await chat.click("🇰🇬")
    await chat.send("Ош")
    assert tr("ky", FOCUS_Q) in chat.last_text()
    await _unchanged_after(chat, sessions, lambda: chat.click(tr("ky", "Done ✓")))
    assert chat.alerts[-1] == tr("ky", "⚠️ Please tick at least one option, then press Done.")


async def test_commands_in_the_middle_of_the_questionnaire(
    chat: Conversation, sessions: Sessions
) -> None:
    await chat.send("Фонд")
    # /settings, /stats and friends pause it instead (tests/kernel/test_frictions_e2e.py).
    for command in ("/profile", "/menu", "/event_new", "/whatever"):
        reply = await _unchanged_after(chat, sessions, partial(chat.send, command))
        assert tr("ky", "That command is not available during the questionnaire. /help, "
                        "/language, /settings, /events, /mydata and /cancel work at any time. "
                        "Let's continue:") in reply  # fmt: skip
        assert tr("ky", COUNTRY_Q) in reply

    await _unchanged_after(chat, sessions, lambda: chat.send("/help"))
    help_text = chat.texts()[-2]
    assert (
        help_text.startswith("NGO Bridge") and "/cancel" in help_text and "/language" in help_text
    )
    assert tr("ky", COUNTRY_Q) in chat.last_text()

    await chat.send("/start")
    assert tr("ky", "You have an unfinished questionnaire: step {step} of {total}. "
                    "Continue where you left off, or start over?", step=2, total=15) in chat.last_text()  # fmt: skip
    await chat.click(tr("ky", "▶️ Continue"))
    assert tr("ky", COUNTRY_Q) in chat.last_text()

    await chat.send("/language")
    await chat.click("English")
    assert tr("en", COUNTRY_Q) in chat.last_text()  # the same question, now in English
    _, data = await fsm_of(sessions, chat.user.id)
    assert data["answers"] == {"name": "Фонд"}

    await chat.send("/cancel")
    assert tr("en", "The questionnaire is cancelled and your answers are deleted. "
                    "Send /start whenever you want to begin again.") in chat.texts()  # fmt: skip
    assert await fsm_of(sessions, chat.user.id) == (None, {})


async def test_back_skip_and_start_over(chat: Conversation, sessions: Sessions) -> None:
    await chat.send("Фонд")
    await chat.click("🇰🇬")
    await chat.click(tr("ky", "« Back"))
    assert tr("ky", COUNTRY_Q) in chat.last_text()
    assert "✓ 🇰🇬" in " ".join(chat.last_buttons())  # the earlier choice is ticked
    await chat.click(tr("ky", "« Back"))
    assert tr("ky", NAME_Q) in chat.last_text()
    assert "Фонд" in chat.last_text()  # "current answer"
    await chat.click(tr("ky", "Keep as it is »"))
    assert tr("ky", COUNTRY_Q) in chat.last_text()
    await chat.send("/start")
    await chat.click(tr("ky", "🔄 Start over"))
    assert tr("ky", NAME_Q) in chat.last_text()
    _, data = await fsm_of(sessions, chat.user.id)
    assert data["answers"] == {}


async def test_stray_input_outside_any_flow_gets_the_menu(running_bot: FakeTelegram) -> None:
    chat = Conversation(running_bot, TgUser(3002, "Arman", language_code="en"))
    await chat.send("/start")
    await chat.send("/cancel")
    await chat.send_sticker()
    assert (
        tr("en", "I did not understand that. Please use the menu below or send /help.")
        in chat.texts()
    )
    assert tr("en", "📝 Fill in the questionnaire") in chat.last_buttons()
    await chat.click(tr("en", "❓ Help"))
    assert tr("en", "🏠 Main menu") in chat.last_buttons()
