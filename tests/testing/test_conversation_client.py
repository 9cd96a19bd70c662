"""Tests of the conversation client: the tiny bot polling the fake Telegram server, driven
through `Conversation` (the server itself is test_fake_telegram)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

from tests.conversation import Conversation
from tests.fake_fixtures import make_bot, polling
from tests.fake_telegram import FakeTelegram, TgUser
from tests.tiny_bot import build_router

AIGERIM = TgUser(1001, "Aigerim", language_code="kk", username="aigerim")
TIMUR = TgUser(1002, "Timur")
TOKEN = "42:TEST"


@dataclass
class Running:
    fake: FakeTelegram
    bot: Bot
    dp: Dispatcher
    chat: Conversation


@pytest.fixture
async def running(fake_telegram: FakeTelegram) -> AsyncIterator[Running]:
    """The tiny bot polling the fake server in-process."""
    bot = Bot(
        token=TOKEN,
        session=AiohttpSession(api=TelegramAPIServer.from_base(fake_telegram.base_url)),
        default=DefaultBotProperties(parse_mode="HTML"),
    )
    dp = Dispatcher()
    dp.include_router(build_router())
    async with polling(dp, bot, fake_telegram):
        yield Running(fake_telegram, bot, dp, Conversation(fake_telegram, AIGERIM))


# ---------------------------------------------------------------------------------------------
# A polling bot driven through Conversation
# ---------------------------------------------------------------------------------------------


async def test_echo_and_command_entities(running: Running) -> None:
    chat = running.chat
    replies = await chat.send("salem <3")
    assert [(a.method, a.text) for a in replies] == [("sendMessage", "salem <3")]
    await chat.send("/args hello world")
    assert chat.last_text() == "args=hello world entities=['bot_command']"
    update = running.fake.pushed_updates[-1]["message"]
    assert update["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]


async def test_click_edits_and_alerts(running: Running) -> None:
    chat = running.chat
    replies = await chat.send("/start")
    assert len(replies) == 1 and replies[0].raw_text == "<b>Choose</b> a language"
    assert chat.last_text() == "Choose a language"
    assert chat.last_buttons() == ["Қазақша", "Русский", "Same again", "Website"]

    edits = await chat.click("Қазақша")
    assert [(a.method, a.text) for a in edits] == [("editMessageText", "Language: kk")]
    assert chat.alerts == ["Saved kk"]
    assert len(chat.messages()) == 1
    assert chat.last_button_rows()[0] == ["Қазақша", "Русский"]

    await chat.click("Русск")  # substring match
    assert chat.last_text() == "Language: ru"

    # Re-sending identical text + markup hits "message is not modified" (and html_text
    # round-trips through our entities).
    assert await chat.click("Same again") == []
    assert chat.alerts[-1] == "Nothing changed"
    assert running.fake.answers_for(AIGERIM.id)[-1].show_alert is True
    assert running.fake.unanswered_callbacks == []


async def test_click_errors_are_helpful(running: Running) -> None:
    chat = running.chat
    with pytest.raises(AssertionError, match="no bot message with an inline keyboard"):
        await chat.click("Anything")
    await chat.send("/start")
    with pytest.raises(AssertionError, match=r"no button 'English'.*'Қазақша', 'Русский'"):
        await chat.click("English")
    with pytest.raises(AssertionError, match="has no callback_data"):
        await chat.click("Website")


async def test_reply_keyboard_press(running: Running) -> None:
    chat = running.chat
    await chat.send("/menu")
    assert chat.keyboard() == ["Profile", "Search"]
    assert chat.last_message() is not None
    assert "reply_markup" not in (chat.last_message() or {})  # only inline markups echo back
    await chat.press("Search")
    assert chat.last_text() == "Search"
    with pytest.raises(AssertionError, match="no reply keyboard button"):
        await chat.press("Settings")


async def test_media_updates(running: Running) -> None:
    chat = running.chat
    await chat.send_photo("look", content=b"12345")
    assert chat.last_text() == "photo 5 bytes, caption=look"
    await chat.send_document("charter.pdf")
    assert chat.last_text() == "document charter.pdf"
    await chat.send_sticker("🔥")
    assert chat.last_text() == "sticker 🔥"
    await chat.send_voice(7)
    assert chat.last_text() == "voice 7s"
    await chat.send_location(51.17, 71.45)
    assert chat.last_text() == "location 51.17"
    await chat.send_contact("+77001112233")
    assert chat.last_text() == "contact +77001112233"


async def test_two_users_are_separate_chats(running: Running) -> None:
    other = Conversation(running.fake, TIMUR)
    await running.chat.send("first")
    await other.send("second")
    assert running.chat.texts() == ["first"]
    assert other.texts() == ["second"]
    assert running.fake.last_message(TIMUR.id) is not None


async def test_wait_for_and_timeouts(running: Running) -> None:
    fake = running.fake
    await running.chat.send("ping")
    count = await fake.wait_for(lambda: len(fake.chat_messages(AIGERIM.id)), timeout=1)
    assert count == 1
    with pytest.raises(TimeoutError, match="condition not met"):
        await fake.wait_for(lambda: False, timeout=0.1)


async def test_update_types_not_polled_are_reported(fake_telegram: FakeTelegram) -> None:
    router = Router()

    @router.message()
    async def only_messages(message: Message) -> None:
        await message.answer("ok")

    dp = Dispatcher()
    dp.include_router(router)
    async with make_bot(fake_telegram) as client, polling(dp, client, fake_telegram):
        await fake_telegram.wait_handled(fake_telegram.push_message(AIGERIM, "hi"))
        sent = fake_telegram.last_message(AIGERIM.id)
        assert sent is not None
        update_id = fake_telegram.push_callback(AIGERIM, sent["message_id"], "x")
        with pytest.raises(AssertionError, match="never delivered"):
            await fake_telegram.wait_handled(update_id, timeout=2)


async def test_reply_mode_with_concurrent_handling(fake_telegram: FakeTelegram) -> None:
    dp = Dispatcher()
    dp.include_router(build_router())
    chat = Conversation(fake_telegram, AIGERIM, mode="reply", timeout=5)
    async with (
        make_bot(fake_telegram) as client,
        polling(dp, client, fake_telegram, handle_as_tasks=True),
    ):
        replies = await chat.send("/start")
        assert replies[0].buttons[:2] == ["Қазақша", "Русский"]
        await chat.click("Русский", expect=2)  # one edit + one callback answer
        assert chat.last_text() == "Language: ru"
        assert chat.alerts == ["Saved ru"]


@pytest.mark.allow_errors  # the handler raises on purpose
async def test_handler_exceptions_fail_the_polling_block(fake_telegram: FakeTelegram) -> None:
    router = Router()

    @router.message()
    async def broken(message: Message, bot: Bot) -> None:
        await bot.send_message(TIMUR.id, "forward to a user who blocked the bot")

    dp = Dispatcher()
    dp.include_router(router)
    fake_telegram.blocked.add(TIMUR.id)
    with pytest.raises(AssertionError, match="TelegramForbiddenError"):
        async with make_bot(fake_telegram) as client, polling(dp, client, fake_telegram):
            await Conversation(fake_telegram, AIGERIM).send("hi")
