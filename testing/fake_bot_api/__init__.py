"""A fake Telegram Bot API server for end-to-end tests over loopback HTTP.

The server speaks enough of the Bot API for an aiogram 3 bot to poll it and talk to users:
``getUpdates`` long polling with offsets, messages with inline keyboards, edits, deletions,
callback queries, commands, uploads and file downloads.  It behaves like the real server where
bots commonly go wrong: HTML is parsed (and malformed HTML rejected), editing with identical
content fails with "message is not modified", editing text without ``reply_markup`` drops the
inline keyboard, blocked users yield 403 and callback queries can be answered only once.

Its parts: ``server`` (HTTP and the class itself), ``methods`` (one handler per Bot API
method), ``messages`` (rendering, validation, storing and editing the bot's messages),
``html`` (the HTML parse mode), ``forms`` (form decoding), ``updates`` (what users send),
``limits`` (injected failures and flood limits), ``views`` (waiting and assertions),
``state`` (what the server remembers) and ``objects`` (constants and data types).

Typical use::

    fake = FakeTelegram()
    await fake.start()
    bot = Bot("42:TEST", session=AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url)))
    update_id = fake.push_message(TgUser(1, "Aigerim"), "/start")
    await fake.wait_handled(update_id)
    assert fake.last_message(1)["text"] == "..."
    await fake.stop()
"""

from testing.fake_bot_api.forms import decode_form_value
from testing.fake_bot_api.html import HtmlParseError, parse_html, utf16_len
from testing.fake_bot_api.objects import (
    CHAT_BURST,
    CONFLICT,
    DEFAULT_BOT_ID,
    DEFAULT_BOT_USERNAME,
    JSON,
    NOT_MODIFIED,
    QUERY_INVALID,
    BotAction,
    CallbackAnswer,
    Handler,
    TelegramError,
    TgUser,
    UploadedFile,
    inline_button_rows,
    inline_buttons,
)
from testing.fake_bot_api.server import FakeTelegram

__all__ = [
    "CHAT_BURST",
    "CONFLICT",
    "DEFAULT_BOT_ID",
    "DEFAULT_BOT_USERNAME",
    "JSON",
    "NOT_MODIFIED",
    "QUERY_INVALID",
    "BotAction",
    "CallbackAnswer",
    "FakeTelegram",
    "Handler",
    "HtmlParseError",
    "TelegramError",
    "TgUser",
    "UploadedFile",
    "decode_form_value",
    "inline_button_rows",
    "inline_buttons",
    "parse_html",
    "utf16_len",
]
