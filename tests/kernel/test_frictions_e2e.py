"""Frictions met by strangers: commands that do not conflict with the questionnaire work in
the middle of it and lead back with one button; admin commands by others say whose they
are."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.languages import LANGUAGES
from bot.taxonomy import COUNTRIES, FOCUS_AREAS, FORMATS, TOPICS
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import label, tr
from tests.onboarding_script import tick

NAME_QUESTION = "What is your organisation called? Write the name as partners should see it."
COUNTRY_QUESTION = "In which country is your organisation based?"
CITY_QUESTION = "In which city or region do you work?"
PAUSED = "⏸ Your questionnaire waits at step {step} of {total}. Continue when you are ready."
RESUME = (
    "You have an unfinished questionnaire: step {step} of {total}. "
    "Continue where you left off, or start over?"
)
NOT_NOW = "That command is not available during the questionnaire."
NOT_UNDERSTOOD = "I did not understand that. Please use the menu below or send /help."
FOR_ADMINS = "That command is for the network's administrators."


async def _at_the_country_question(chat: Conversation, language: str) -> None:
    await chat.send("/start")
    await chat.click(LANGUAGES[language], expect=2)
    assert tr(language, NAME_QUESTION) in chat.last_text()
    await chat.send("«Үміт» қоры")
    assert tr(language, COUNTRY_QUESTION) in chat.last_text()


async def test_settings_and_events_work_mid_questionnaire_and_lead_back(
    running_bot: FakeTelegram,
) -> None:
    chat = Conversation(running_bot, TgUser(7501, "Dana", language_code="kk"))
    await _at_the_country_question(chat, "kk")

    await chat.send("/settings", expect=2)
    screen, reminder = chat.texts()[-2:]
    assert LANGUAGES["kk"] in screen and tr("kk", NOT_NOW) not in screen
    assert reminder == tr("kk", PAUSED, step=2, total=15)
    await chat.send("/events", expect=2)
    assert chat.texts()[-1] == tr("kk", PAUSED, step=2, total=15)

    await chat.click(tr("kk", "▶️ Continue"))
    assert tr("kk", COUNTRY_QUESTION) in chat.last_text()  # the same question, answer kept
    await chat.click("Қазақстан")
    assert tr("kk", CITY_QUESTION) in chat.last_text()


async def test_start_after_a_detour_offers_to_continue(running_bot: FakeTelegram) -> None:
    chat = Conversation(running_bot, TgUser(7503, "Aram", language_code="hy"))
    await _at_the_country_question(chat, "hy")
    await chat.send("/mydata", expect=2)
    await chat.send("/start")
    assert tr("hy", "You have an unfinished questionnaire: step {step} of {total}. "
              "Continue where you left off, or start over?", step=2, total=15) == chat.last_text()  # fmt: skip
    await chat.click(tr("hy", "▶️ Continue"))
    assert tr("hy", COUNTRY_QUESTION) in chat.last_text()


async def test_an_admin_is_not_held_by_the_questionnaire(running_bot: FakeTelegram) -> None:
    """Right after picking a language (the questionnaire at step 1) or halfway through it,
    an admin's commands answer with their own screen and nothing else; the questionnaire
    waits, its answers kept, for /start's Continue."""
    chat = Conversation(running_bot, TgUser(ADMIN_ID, "Admin", language_code="en"))
    await chat.send("/start")
    await chat.click(LANGUAGES["en"], expect=2)
    assert NAME_QUESTION in chat.last_text()
    screens = {
        "/stats": "📊 NGO Bridge statistics",
        "/events_admin": "No drafts, scheduled or upcoming events. Create one with /event_new.",
        "/verify": "No verification requests are waiting.",
        "/reports": "No open reports.",
        "/broadcasts": "No broadcasts yet.",
    }
    for command, first_line in screens.items():
        replies = await chat.send(command)
        assert [reply.text.splitlines()[0] for reply in replies if reply.text] == [first_line]
    await chat.send("/start")
    assert chat.last_text() == tr("en", RESUME, step=1, total=15)
    await chat.click("▶️ Continue")
    assert NAME_QUESTION in chat.last_text()
    await chat.send("«Үміт» қоры")
    assert COUNTRY_QUESTION in chat.last_text()

    # A flow of the admin's own (an event, a broadcast) keeps the questionnaire's answers.
    replies = await chat.send("/event_new")
    assert [reply.text for reply in replies] == [
        "📅 New event · step 1 of 11\n\nWhat kind of event is it?"
    ]
    await chat.send("/cancel")
    replies = await chat.send("/broadcast Registration is open")
    assert replies[0].text == "Registration is open"  # the preview
    assert not any(NOT_NOW in (reply.text or "") for reply in replies)
    await chat.send("/cancel")
    await chat.send("/start")
    assert chat.last_text() == tr("en", RESUME, step=2, total=15)
    await chat.click("▶️ Continue")
    assert COUNTRY_QUESTION in chat.last_text()  # the name given before is kept
    await chat.click(label("en", COUNTRIES, "KZ"))
    assert CITY_QUESTION in chat.last_text()


async def test_admin_commands_leave_a_paused_questionnaire_waiting_too(
    running_bot: FakeTelegram,
) -> None:
    """Paused by /settings (reminder shown), then /stats: the admin screen alone; Continue
    under the reminder still leads back to the same question."""
    chat = Conversation(running_bot, TgUser(ADMIN_ID, "Admin", language_code="en"))
    await _at_the_country_question(chat, "en")
    await chat.send("/settings", expect=2)
    assert chat.texts()[-1] == tr("en", PAUSED, step=2, total=15)
    reminder_id = chat.messages()[-1]["message_id"]
    replies = await chat.send("/stats")
    assert len(replies) == 1 and "📊" in str(replies[0].text)
    await chat.click("▶️ Continue", message_id=reminder_id)
    shown = dict(zip([m["message_id"] for m in chat.messages()], chat.texts(), strict=True))
    assert COUNTRY_QUESTION in shown[reminder_id]  # the reminder turns into the question


async def test_a_non_admin_is_told_admin_commands_are_for_administrators(
    running_bot: FakeTelegram,
) -> None:
    chat = Conversation(running_bot, TgUser(7502, "Gor", language_code="hy"))
    await chat.send("/start")
    await chat.click(LANGUAGES["hy"], expect=2)
    await chat.send("/cancel", expect=2)
    for command in ("/stats", "/broadcast hello", "/verify", "/event_new"):
        await chat.send(command, expect=2)
        told = chat.texts()[-2]
        assert told == tr("hy", FOR_ADMINS)
        assert tr("hy", NOT_UNDERSTOOD) not in told


async def test_every_optional_question_shows_skip(running_bot: FakeTelegram) -> None:
    """The barriers question says "press Skip": it has Skip, and Skip moves on."""
    language = "ky"
    chat = Conversation(running_bot, TgUser(7504, "Aibek", language_code=language))
    await _at_the_country_question(chat, language)
    await chat.click(label(language, COUNTRIES, "KG"))
    await chat.send("Бишкек")
    await tick(chat, language, FOCUS_AREAS, ["education"])
    await tick(chat, language, TOPICS, ["fundraising"])
    await tick(chat, language, TOPICS, ["impact"])
    await tick(chat, language, FORMATS, ["webinars"])
    await chat.click(tr(language, "No"))
    question = chat.last_text()
    assert tr(language, "What gets in the way of cooperation with other organisations?") in question
    assert (
        tr(language, "This question is optional: press Skip if you have nothing to add.")
        in question
    )
    assert tr(language, "Skip »") in chat.last_buttons()
    await chat.click(tr(language, "Skip »"))
    assert tr(language, "In which languages does your organisation work?") in chat.last_text()


async def test_a_parked_questionnaire_keeps_its_answers_in_redis(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, redis_url: str
) -> None:
    """With REDIS_URL the chat's own keys are named as before; the parked questionnaire
    has keys of its own, and comes back at /start."""
    on_redis = settings.model_copy(update={"redis_url": redis_url})
    chat = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with polling(create_dispatcher(on_redis, sessions), create_bot(on_redis), fake_telegram):
        await _at_the_country_question(chat, "en")
        await chat.send("/broadcast Registration is open", expect=2)
        client = Redis.from_url(redis_url, decode_responses=True)
        try:
            keys = set(await client.keys("ngo_bridge:*"))
        finally:
            await client.aclose()
        user = f"ngo_bridge:{ADMIN_ID}:{ADMIN_ID}"
        # the broadcast's state where a chat's state always was; the questionnaire apart
        assert {f"{user}:state", f"{user}:questionnaire:state"} <= keys
        await chat.send("/cancel")
        await chat.send("/start")
        assert chat.last_text() == tr("en", RESUME, step=2, total=15)
        await chat.click("▶️ Continue")
        assert COUNTRY_QUESTION in chat.last_text()
