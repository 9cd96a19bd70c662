"""Tests of the fake Telegram server and the conversation client themselves."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router, html
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    KeyboardButton,
    MenuButtonCommands,
    Message,
    ReplyKeyboardMarkup,
)

from tests.conversation import Conversation
from tests.fake_fixtures import make_bot, polling
from tests.fake_telegram import (
    NOT_MODIFIED,
    FakeTelegram,
    TgUser,
    UploadedFile,
    decode_form_value,
    parse_html,
)

AIGERIM = TgUser(1001, "Aigerim", language_code="kk", username="aigerim")
TIMUR = TgUser(1002, "Timur")
TOKEN = "42:TEST"


# ---------------------------------------------------------------------------------------------
# A tiny bot
# ---------------------------------------------------------------------------------------------


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Қазақша", callback_data="lang:kk"),
                InlineKeyboardButton(text="Русский", callback_data="lang:ru"),
            ],
            [InlineKeyboardButton(text="Same again", callback_data="same")],
            [InlineKeyboardButton(text="Website", url="https://example.org")],
        ]
    )


def build_router() -> Router:
    """/start with a keyboard, callbacks that edit it, echo and media handlers."""
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("<b>Choose</b> a language", reply_markup=language_keyboard())

    @router.message(Command("args"))
    async def args(message: Message, command: CommandObject) -> None:
        entity_types = [e.type for e in message.entities or []]
        await message.answer(f"args={html.quote(command.args or '')} entities={entity_types}")

    @router.message(Command("menu"))
    async def menu(message: Message) -> None:
        keyboard = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="Profile"), KeyboardButton(text="Search")]],
            resize_keyboard=True,
        )
        await message.answer("Main menu", reply_markup=keyboard)

    @router.callback_query(F.data.startswith("lang:"))
    async def pick(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        assert callback.data is not None
        code = callback.data.removeprefix("lang:")
        await callback.message.edit_text(
            f"Language: <i>{code}</i>", reply_markup=callback.message.reply_markup
        )
        await callback.answer(f"Saved {code}")

    @router.callback_query(F.data == "same")
    async def same(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        try:
            await callback.message.edit_text(
                callback.message.html_text, reply_markup=callback.message.reply_markup
            )
        except TelegramBadRequest as exc:
            if "message is not modified" not in exc.message:
                raise
            await callback.answer("Nothing changed", show_alert=True)
            return
        await callback.answer("Edited?!")

    @router.message(F.photo)
    async def photo(message: Message, bot: Bot) -> None:
        assert message.photo
        data = await bot.download(message.photo[-1].file_id)
        assert data is not None
        await message.answer(f"photo {len(data.read())} bytes, caption={message.caption}")

    @router.message(F.document)
    async def document(message: Message) -> None:
        assert message.document
        await message.answer(f"document {message.document.file_name}")

    @router.message(F.sticker)
    async def sticker(message: Message) -> None:
        assert message.sticker
        await message.answer(f"sticker {message.sticker.emoji}")

    @router.message(F.voice)
    async def voice(message: Message) -> None:
        assert message.voice
        await message.answer(f"voice {message.voice.duration}s")

    @router.message(F.location)
    async def location(message: Message) -> None:
        assert message.location
        await message.answer(f"location {message.location.latitude:.2f}")

    @router.message(F.contact)
    async def contact(message: Message) -> None:
        assert message.contact
        await message.answer(f"contact {message.contact.phone_number}")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        assert message.text is not None
        await message.answer(html.quote(message.text))

    return router


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


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[Bot]:
    """A bot that is not polling, for calling methods directly."""
    async with make_bot(fake_telegram) as client:
        yield client


async def raw_call(fake: FakeTelegram, method: str, **kwargs: Any) -> tuple[int, Any]:
    """POST to the fake server with plain aiohttp; return (status, decoded JSON)."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{fake.base_url}/bot{TOKEN}/{method}", **kwargs) as response,
    ):
        return response.status, await response.json()


# ---------------------------------------------------------------------------------------------
# getUpdates: offsets and long polling
# ---------------------------------------------------------------------------------------------


async def test_get_updates_offset_confirms_and_drops(fake_telegram: FakeTelegram) -> None:
    fake = fake_telegram
    ids = [fake.push_message(AIGERIM, f"m{i}") for i in range(3)]

    status, body = await raw_call(fake, "getUpdates", data={"timeout": "0"})
    assert status == 200
    assert body["ok"] is True
    assert [u["update_id"] for u in body["result"]] == ids

    _, body = await raw_call(fake, "getUpdates", data={"offset": str(ids[1]), "timeout": "0"})
    assert [u["update_id"] for u in body["result"]] == ids[1:]
    assert fake.confirmed_offset == ids[1]

    _, body = await raw_call(fake, "getUpdates", json={"offset": ids[2] + 1, "timeout": 0})
    assert body["result"] == []
    await fake.wait_handled(ids[2], timeout=1)

    _, body = await raw_call(fake, "getUpdates", data={"limit": "1", "timeout": "0"})
    assert body["result"] == []


async def test_get_updates_limit(fake_telegram: FakeTelegram) -> None:
    ids = [fake_telegram.push_message(AIGERIM, "x") for _ in range(3)]
    _, body = await raw_call(fake_telegram, "getUpdates", data={"limit": "2"})
    assert [u["update_id"] for u in body["result"]] == ids[:2]


async def test_long_poll_returns_as_soon_as_update_is_queued(
    fake_telegram: FakeTelegram,
) -> None:
    fake = fake_telegram
    started = time.monotonic()
    request = asyncio.create_task(raw_call(fake, "getUpdates", data={"timeout": "20"}))
    await fake.wait_polling(timeout=5)
    assert not request.done()
    update_id = fake.push_message(AIGERIM, "wake up")
    _, body = await asyncio.wait_for(request, 5)
    assert [u["update_id"] for u in body["result"]] == [update_id]
    assert time.monotonic() - started < 5


async def test_long_poll_times_out_with_empty_list(fake_telegram: FakeTelegram) -> None:
    started = time.monotonic()
    _, body = await raw_call(fake_telegram, "getUpdates", data={"timeout": "1"})
    elapsed = time.monotonic() - started
    assert body == {"ok": True, "result": []}
    assert 0.9 <= elapsed < 5


async def test_second_poller_terminates_first_with_conflict(
    fake_telegram: FakeTelegram,
) -> None:
    first = asyncio.create_task(raw_call(fake_telegram, "getUpdates", data={"timeout": "20"}))
    await fake_telegram.wait_polling(timeout=5)
    second = asyncio.create_task(raw_call(fake_telegram, "getUpdates", data={"timeout": "0"}))
    status, body = await asyncio.wait_for(first, 5)
    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")
    assert (await asyncio.wait_for(second, 5))[1]["result"] == []


# ---------------------------------------------------------------------------------------------
# Request parsing and error format
# ---------------------------------------------------------------------------------------------


async def test_multipart_form_is_decoded(fake_telegram: FakeTelegram) -> None:
    markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("chat_id", "1001")
    form.add_field("caption", "[1] <b>report</b>")
    form.add_field("parse_mode", "HTML")
    form.add_field("disable_notification", "true")
    form.add_field("reply_markup", json.dumps(markup))
    form.add_field("document", "attach://file1")
    form.add_field("file1", b"\x00binary", filename="report.pdf")

    status, body = await raw_call(fake_telegram, "sendDocument", data=form)

    assert status == 200, body
    method, params = fake_telegram.calls[-1]
    assert method == "sendDocument"
    assert params["chat_id"] == 1001
    assert params["disable_notification"] is True
    assert params["reply_markup"] == markup
    assert params["caption"] == "[1] <b>report</b>"
    upload = params["document"]
    assert isinstance(upload, UploadedFile)
    assert (upload.filename, upload.data) == ("report.pdf", b"\x00binary")
    message = body["result"]
    assert message["caption"] == "[1] report"
    assert message["caption_entities"] == [{"type": "bold", "offset": 4, "length": 6}]
    assert message["document"]["file_name"] == "report.pdf"
    assert message["reply_markup"] == markup


async def test_json_body_and_urlencoded_body(fake_telegram: FakeTelegram) -> None:
    status, body = await raw_call(fake_telegram, "sendMessage", json={"chat_id": 5, "text": "json"})
    assert status == 200 and body["result"]["text"] == "json"
    status, body = await raw_call(
        fake_telegram, "sendMessage", data={"chat_id": "5", "text": "123"}
    )
    assert status == 200 and body["result"]["text"] == "123"
    assert [m["text"] for m in fake_telegram.chat_messages(5)] == ["json", "123"]


def test_decode_form_value_keeps_texts() -> None:
    assert decode_form_value("chat_id", "-100123") == -100123
    assert decode_form_value("chat_id", "@channel") == "@channel"
    assert decode_form_value("text", "[1, 2]") == "[1, 2]"
    assert decode_form_value("text", "true") == "true"
    assert decode_form_value("show_alert", "true") is True
    assert decode_form_value("callback_query_id", "123") == "123"
    assert decode_form_value("commands", '[{"command": "a"}]') == [{"command": "a"}]


async def test_error_json_format(fake_telegram: FakeTelegram) -> None:
    status, body = await raw_call(
        fake_telegram, "editMessageText", data={"chat_id": "1", "message_id": "9", "text": "x"}
    )
    assert status == 400
    assert body == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message to edit not found",
    }
    assert fake_telegram.errors[-1][2:] == (400, "Bad Request: message to edit not found")


async def test_unknown_method_is_recorded_and_ok(fake_telegram: FakeTelegram) -> None:
    status, body = await raw_call(fake_telegram, "setMyDescription", data={"description": "d"})
    assert (status, body) == (200, {"ok": True, "result": True})
    assert fake_telegram.unknown_calls == [("setMyDescription", {"description": "d"})]


def test_parse_html_like_telegram() -> None:
    text, entities = parse_html('<b>Hi</b> &lt;3 <a href="https://x.org/?a=1&amp;b=2">link</a>')
    assert text == "Hi <3 link"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "text_link", "offset": 6, "length": 4, "url": "https://x.org/?a=1&b=2"},
    ]
    text, entities = parse_html("😀 <i>ok</i>")
    assert entities == [{"type": "italic", "offset": 3, "length": 2}]  # UTF-16 offsets
    assert parse_html('<pre><code class="language-py">x</code></pre>')[1] == [
        {"type": "pre", "offset": 0, "length": 1, "language": "py"}
    ]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ],
)
async def test_bad_html_is_rejected(bot: Bot, source: str, error: str) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities") as info:
        await bot.send_message(AIGERIM.id, source)
    assert error in info.value.message


# ---------------------------------------------------------------------------------------------
# Messages through aiogram: edits, errors, commands, uploads
# ---------------------------------------------------------------------------------------------


async def test_edit_and_not_modified(bot: Bot, fake_telegram: FakeTelegram) -> None:
    sent = await bot.send_message(AIGERIM.id, "<b>v1</b>", reply_markup=language_keyboard())
    assert sent.from_user is not None and sent.from_user.id == 424242
    assert sent.text == "v1"
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == language_keyboard().model_dump()

    edited = await bot.edit_message_text(
        "<b>v2</b>",
        chat_id=AIGERIM.id,
        message_id=sent.message_id,
        reply_markup=language_keyboard(),
    )
    assert isinstance(edited, Message)
    assert edited.text == "v2" and edited.edit_date is not None
    assert fake_telegram.last_message(AIGERIM.id) == edited.model_dump(
        mode="json", by_alias=True, exclude_none=True
    )

    with pytest.raises(TelegramBadRequest) as info:
        await bot.edit_message_text(
            "<b>v2</b>",
            chat_id=AIGERIM.id,
            message_id=sent.message_id,
            reply_markup=language_keyboard(),
        )
    assert info.value.message == NOT_MODIFIED

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=AIGERIM.id, message_id=sent.message_id, reply_markup=language_keyboard()
        )

    # Editing text without reply_markup drops the inline keyboard, like Telegram does.
    await bot.edit_message_text("<b>v2</b>", chat_id=AIGERIM.id, message_id=sent.message_id)
    message = fake_telegram.last_message(AIGERIM.id)
    assert message is not None and "reply_markup" not in message

    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=AIGERIM.id, message_id=999)


async def test_message_ids_increase_and_delete(bot: Bot, fake_telegram: FakeTelegram) -> None:
    first = await bot.send_message(AIGERIM.id, "one")
    second = await bot.send_message(AIGERIM.id, "two")
    assert second.message_id > first.message_id
    assert await bot.delete_message(AIGERIM.id, first.message_id) is True
    assert [m["text"] for m in fake_telegram.chat_messages(AIGERIM.id)] == ["two"]
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(AIGERIM.id, first.message_id)
    assert [a.method for a in fake_telegram.sent_after(0)] == [
        "sendMessage",
        "sendMessage",
        "deleteMessage",
    ]


async def test_blocked_user_gets_403(bot: Bot, fake_telegram: FakeTelegram) -> None:
    fake_telegram.blocked.add(TIMUR.id)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(TIMUR.id, "hello?")
    assert fake_telegram.chat_messages(TIMUR.id) == []
    await bot.send_message(AIGERIM.id, "still fine")


async def test_fail_next_with_retry_after(bot: Bot, fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(AIGERIM.id, "flood")
    assert info.value.retry_after == 3
    assert (await bot.send_message(AIGERIM.id, "again")).text == "again"


async def test_validation_like_telegram(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(
            AIGERIM.id,
            "x",
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text="b", callback_data="x" * 65)]]
            ),
        )
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(AIGERIM.id, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(AIGERIM.id, "<b> </b>")


async def test_commands_and_menu_button(bot: Bot, fake_telegram: FakeTelegram) -> None:
    commands = [BotCommand(command="start", description="Бастау")]
    scope = BotCommandScopeChat(chat_id=AIGERIM.id)
    assert await bot.set_my_commands(commands, language_code="kk")
    assert await bot.set_my_commands(commands, scope=scope)
    assert fake_telegram.commands == {
        ("default", None, "kk"): [{"command": "start", "description": "Бастау"}],
        ("chat", AIGERIM.id, None): [{"command": "start", "description": "Бастау"}],
    }
    fetched = await bot.get_my_commands(language_code="kk")
    assert [c.model_dump() for c in fetched] == [c.model_dump() for c in commands]
    assert await bot.get_my_commands() == []
    assert await bot.delete_my_commands(scope=scope)
    assert ("chat", AIGERIM.id, None) not in fake_telegram.commands
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad-Name", description="x")])
    assert await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    assert fake_telegram.menu_buttons[None] == {"type": "commands"}


async def test_upload_copy_and_callback_answers(bot: Bot, fake_telegram: FakeTelegram) -> None:
    fake = fake_telegram
    doc = await bot.send_document(
        AIGERIM.id, BufferedInputFile(b"hello", "a.txt"), caption="<i>file</i>"
    )
    assert doc.document is not None and doc.caption == "file"
    upload = fake.method_calls("sendDocument")[0]["document"]
    assert isinstance(upload, UploadedFile) and upload.data == b"hello"
    photo = await bot.send_photo(AIGERIM.id, BufferedInputFile(b"png", "p.png"))
    assert photo.photo

    copied = await bot.copy_message(TIMUR.id, AIGERIM.id, doc.message_id, caption="copy")
    stored = fake.last_message(TIMUR.id)
    assert stored is not None and stored["message_id"] == copied.message_id
    assert stored["caption"] == "copy" and stored["document"] == doc.document.model_dump(
        exclude_none=True
    )

    keyboard = await bot.send_message(AIGERIM.id, "pick", reply_markup=language_keyboard())
    fake.push_callback(AIGERIM, keyboard.message_id, "lang:kk")
    query = fake.pushed_updates[-1]["callback_query"]
    assert query["message"]["text"] == "pick"
    assert fake.unanswered_callbacks == [query["id"]]
    assert await bot.answer_callback_query(query["id"], text="ok", show_alert=True)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query["id"])
    assert [(a.text, a.show_alert) for a in fake.callback_answers] == [("ok", True)]
    assert fake.unanswered_callbacks == []
    with pytest.raises(LookupError):
        fake.push_callback(AIGERIM, 999, "x")


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


async def test_other_methods_parse_in_aiogram(bot: Bot, fake_telegram: FakeTelegram) -> None:
    fake = fake_telegram
    fake.push_photo(AIGERIM, "user photo")
    user_photo = fake.user_messages(AIGERIM.id)[-1]
    photo_id = user_photo["photo"][-1]["file_id"]

    forwarded = await bot.forward_message(TIMUR.id, AIGERIM.id, user_photo["message_id"])
    assert forwarded.photo and forwarded.caption == "user photo"
    assert forwarded.forward_origin is not None
    resent = await bot.send_photo(TIMUR.id, photo_id, caption="<b>again</b>")
    assert resent.photo and resent.photo[-1].file_id == photo_id and resent.caption == "again"
    edited = await bot.edit_message_caption(
        chat_id=TIMUR.id, message_id=resent.message_id, caption="new"
    )
    assert isinstance(edited, Message) and edited.caption == "new"
    assert (await bot.send_location(TIMUR.id, 43.2, 76.9)).location is not None
    assert (await bot.send_contact(TIMUR.id, "+7700", "Dana")).contact is not None
    assert (await bot.send_voice(TIMUR.id, BufferedInputFile(b"ogg", "v.ogg"))).voice
    assert (await bot.send_sticker(TIMUR.id, BufferedInputFile(b"webp", "s.webp"))).sticker
    assert (await bot.send_video(TIMUR.id, BufferedInputFile(b"mp4", "v.mp4"))).video
    album = await bot.send_media_group(
        TIMUR.id,
        [
            InputMediaPhoto(media=photo_id, caption="<i>one</i>"),
            InputMediaDocument(media=BufferedInputFile(b"pdf", "two.pdf")),
        ],
    )
    assert [m.caption for m in album] == ["one", None]
    assert album[1].document is not None and album[1].document.file_name == "two.pdf"
    assert await bot.send_chat_action(TIMUR.id, "typing")
    ids = [m["message_id"] for m in fake.chat_messages(TIMUR.id)]
    assert await bot.delete_messages(TIMUR.id, ids[:2])
    assert len(fake.chat_messages(TIMUR.id)) == len(ids) - 2

    file = await bot.get_file(photo_id)
    assert file.file_path is not None
    assert (await bot.download_file(file.file_path)) is not None
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nope")

    chat = await bot.get_chat(AIGERIM.id)
    assert chat.type == "private" and chat.first_name == "Aigerim"
    member = await bot.get_chat_member(-1001234, AIGERIM.id)
    assert member.status == "member"
    fake.member_status[(-1001234, AIGERIM.id)] = "administrator"
    assert (await bot.get_chat_member(-1001234, AIGERIM.id)).status == "administrator"
    assert isinstance(await bot.get_chat_menu_button(), MenuButtonCommands)
    info = await bot.get_webhook_info()
    assert info.url == ""
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.log_out() and await bot.close()
    assert fake.errors[-1][0] == "getFile"
