"""Tests of the fake Telegram server itself: getUpdates and long polling, request parsing and
error format, messages through aiogram (the conversation client is test_conversation_client)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    MenuButtonCommands,
    Message,
)

from tests.fake_fixtures import make_bot
from tests.fake_telegram import (
    NOT_MODIFIED,
    FakeTelegram,
    TgUser,
    UploadedFile,
    decode_form_value,
    parse_html,
)
from tests.tiny_bot import language_keyboard

AIGERIM = TgUser(1001, "Aigerim", language_code="kk", username="aigerim")
TIMUR = TgUser(1002, "Timur")
TOKEN = "42:TEST"


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


async def test_long_poll_returns_as_soon_as_update_is_queued(fake_telegram: FakeTelegram) -> None:
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


async def test_second_poller_terminates_first_with_conflict(fake_telegram: FakeTelegram) -> None:
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
