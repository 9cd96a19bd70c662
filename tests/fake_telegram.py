"""A fake Telegram Bot API server for end-to-end tests over loopback HTTP.

The server speaks enough of the Bot API for an aiogram 3 bot to poll it and talk to users:
``getUpdates`` long polling with offsets, messages with inline keyboards, edits, deletions,
callback queries, commands, uploads and file downloads.  It behaves like the real server where
bots commonly go wrong: HTML is parsed (and malformed HTML rejected), editing with identical
content fails with "message is not modified", editing text without ``reply_markup`` drops the
inline keyboard, blocked users yield 403 and callback queries can be answered only once.

Typical use::

    fake = FakeTelegram()
    await fake.start()
    bot = Bot("42:TEST", session=AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url)))
    update_id = fake.push_message(TgUser(1, "Aigerim"), "/start")
    await fake.wait_handled(update_id)
    assert fake.last_message(1)["text"] == "..."
    await fake.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

JSON = dict[str, Any]
T = TypeVar("T")


def _split(text: str) -> tuple[str, ...]:
    """Whitespace-separated words (keeps long name lists compact)."""
    return tuple(text.split())


DEFAULT_BOT_ID = 424242
DEFAULT_BOT_USERNAME = "ngo_bridge_test_bot"

CHAT_BURST = 3  # new messages one chat takes at once before the one-a-second limit
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)

# Update types Telegram sends when allowed_updates is empty or was never set.
_NOT_DEFAULT_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# Message content copied by copyMessage / forwardMessage.
_CONTENT_KEYS = _split(
    "text entities caption caption_entities photo document sticker voice video video_note "
    "audio animation location venue contact poll"
)
_SEND_METHODS = frozenset(
    _split(
        "sendmessage copymessage forwardmessage sendphoto senddocument sendvideo sendaudio "
        "sendvoice sendanimation sendsticker sendvideonote sendlocation sendmediagroup "
        "sendchataction sendcontact"
    )
)
_INLINE_ACTIONS = frozenset(
    _split(
        "url callback_data web_app login_url switch_inline_query "
        "switch_inline_query_current_chat switch_inline_query_chosen_chat copy_text "
        "callback_game pay"
    )
)

# ---------------------------------------------------------------------------------------------
# Form decoding
# ---------------------------------------------------------------------------------------------

_INT_RE = re.compile(r"-?\d+")
_INT_KEYS = frozenset(
    _split(
        "chat_id from_chat_id message_id offset limit timeout cache_time user_id "
        "reply_to_message_id message_thread_id until_date duration width height length "
        "live_period heading proximity_alert_radius sender_chat_id video_start_timestamp "
        "direct_messages_topic_id"
    )
)
_FLOAT_KEYS = frozenset({"latitude", "longitude", "horizontal_accuracy"})
_STRING_KEYS = frozenset(
    _split(
        "text caption title description short_description name address question explanation "
        "callback_query_id inline_message_id url emoji custom_title query data first_name "
        "last_name phone_number vcard parse_mode language_code business_connection_id "
        "message_effect_id file_id action"
    )
)
_BOOL_PREFIXES = _split(
    "is_ disable_ has_ show_ allow_ protect_ can_ drop_ supports_ revoke_ only_ for_"
)


def decode_form_value(key: str, value: Any) -> Any:
    """Turn a Bot API form field (always a string on the wire) into its JSON value."""
    if not isinstance(value, str) or key in _STRING_KEYS:
        return value
    if key in _INT_KEYS and _INT_RE.fullmatch(value):
        return int(value)
    if key in _FLOAT_KEYS:
        try:
            return float(value)
        except ValueError:
            return value
    if value in ("true", "false") and key.startswith(_BOOL_PREFIXES):
        return value == "true"
    if value.startswith(("{", "[")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# ---------------------------------------------------------------------------------------------
# HTML parse mode (a faithful subset of Telegram's parser, including its error messages)
# ---------------------------------------------------------------------------------------------

_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_ATTR_RE = re.compile(r"""\s*([a-zA-Z0-9_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


class HtmlParseError(ValueError):
    """Raised for markup Telegram rejects with "can't parse entities"."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _unescape(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        named, dec, hexa = match.groups()
        if named:
            return _NAMED_HTML_ENTITIES[named]
        code = int(dec) if dec else int(hexa, 16)
        try:
            return chr(code)
        except (ValueError, OverflowError):
            return match.group(0)

    return _HTML_ENTITY_RE.sub(repl, text)


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Render Telegram-flavoured HTML into plain text plus message entities."""
    out: list[str] = []
    pos = 0  # current output offset in UTF-16 units
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[JSON] = []
    i, n = 0, len(source)

    def byte_offset(index: int) -> int:
        return len(source[:index].encode())

    while i < n:
        lt = source.find("<", i)
        chunk = source[i:] if lt == -1 else source[i:lt]
        if chunk:
            plain = _unescape(chunk)
            out.append(plain)
            pos += utf16_len(plain)
        if lt == -1:
            break
        begin, i = lt, lt + 1
        if source.startswith("/", i):
            end = source.find(">", i)
            if end == -1:
                raise HtmlParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            name = source[i + 1 : end].strip().lower()
            i = end + 1
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            open_name, start, attrs = stack.pop()
            if name != open_name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{open_name}>", found "</{name}>"'
                )
            if open_name == "code" and stack and stack[-1][0] == "pre":
                language = attrs.get("class", "")
                if language.startswith("language-"):
                    stack[-1][2]["language"] = language.removeprefix("language-")
                    continue
            entity = _make_entity(open_name, attrs, start, pos - start)
            if entity is not None:
                entities.append(entity)
            continue
        j = i
        while j < n and not source[j].isspace() and source[j] != ">":
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        name = source[i:j].lower()
        if name not in _HTML_ENTITY_TYPES:
            raise HtmlParseError(
                f'Unsupported start tag "{name}" at byte offset {byte_offset(begin)}'
            )
        end = source.find(">", j)
        if end == -1:
            raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        attrs = {
            m.group(1).lower(): _unescape(next((g for g in m.groups()[1:] if g is not None), ""))
            for m in _ATTR_RE.finditer(source[j:end])
        }
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
        stack.append((name, pos, attrs))
        i = end + 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _make_entity(tag: str, attrs: dict[str, str], offset: int, length: int) -> JSON | None:
    if length <= 0:
        return None
    kind = _HTML_ENTITY_TYPES[tag]
    entity: JSON = {"type": kind, "offset": offset, "length": length}
    if tag == "a":
        href = attrs.get("href")
        if not href:
            return None
        entity["url"] = href
    elif tag == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    return entity


# ---------------------------------------------------------------------------------------------
# Public data types
# ---------------------------------------------------------------------------------------------


class TelegramError(Exception):
    """An error the fake server answers with ``{"ok": false, ...}``."""

    def __init__(self, error_code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(f"{error_code}: {description}")
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass(frozen=True)
class TgUser:
    """A Telegram user who writes to the bot (private chat id == user id)."""

    id: int
    first_name: str
    language_code: str | None = "ru"
    username: str | None = None
    last_name: str | None = None

    def to_api(self) -> JSON:
        """The Bot API ``User`` object."""
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    field_name: str
    filename: str | None
    content_type: str
    data: bytes


@dataclass(frozen=True)
class BotAction:
    """Something the bot did to a chat: a sent, edited, copied or deleted message."""

    seq: int
    method: str
    chat_id: int
    message_id: int | None
    text: str | None
    """Rendered text (or caption) as the user sees it; None for deletions and pure media."""
    raw_text: str | None
    """Text or caption exactly as the bot sent it (e.g. with HTML tags)."""
    reply_markup: JSON | None
    """The markup as sent (inline keyboard, reply keyboard, removal or force reply)."""
    params: JSON

    @property
    def button_rows(self) -> list[list[str]]:
        """Inline keyboard button texts, row by row."""
        return inline_button_rows(self.reply_markup)

    @property
    def buttons(self) -> list[str]:
        """Inline keyboard button texts, flattened."""
        return [text for row in self.button_rows for text in row]


@dataclass(frozen=True)
class CallbackAnswer:
    """One answerCallbackQuery call."""

    callback_query_id: str
    user_id: int | None
    text: str | None
    show_alert: bool
    url: str | None


def inline_button_rows(markup: JSON | None) -> list[list[str]]:
    """Button texts of an inline keyboard markup, row by row ([] if not inline)."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [[str(button.get("text", "")) for button in row] for row in markup["inline_keyboard"]]


def inline_buttons(markup: JSON | None) -> list[JSON]:
    """The inline keyboard buttons of a markup, flattened."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


Handler = Callable[[JSON], Awaitable[Any]]


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


class FakeTelegram:
    """In-memory Bot API server on 127.0.0.1; see the module docstring."""

    def __init__(
        self,
        *,
        bot_id: int = DEFAULT_BOT_ID,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_first_name: str = "NGO Bridge",
        token: str | None = None,
        max_poll_timeout: float = 50.0,
    ) -> None:
        """``token``: if given, other tokens get 401 Unauthorized."""
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.token = token
        self.max_poll_timeout = max_poll_timeout

        self.calls: list[tuple[str, JSON]] = []
        """Every request in arrival order as ``(method, decoded params)``."""
        self.errors: list[tuple[str, JSON, int, str]] = []
        """Requests answered with an error: ``(method, params, error_code, description)``."""
        self.error_times: list[float] = []
        """Monotonic time of each of :attr:`errors`."""
        self.unknown_calls: list[tuple[str, JSON]] = []
        self.actions: list[BotAction] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.commands: dict[tuple[str, int | None, str | None], list[JSON]] = {}
        """setMyCommands state keyed by ``(scope type, scope chat_id, language_code)``."""
        self.menu_buttons: dict[int | None, JSON] = {}
        self.reply_keyboards: dict[int, JSON] = {}
        """The reply keyboard currently shown in each chat."""
        self.blocked: set[int] = set()
        """Chat ids that blocked the bot: sending to them fails with 403."""
        self.deactivated: set[int] = set()
        """Chat ids of deleted accounts: sending to them fails with 403 "user is deactivated"."""
        self.missing: set[int] = set()
        """Chat ids Telegram does not know: sending fails with 400 "chat not found"."""
        self.global_limit: int | None = None
        """When set, more than this many new messages in any one second get 429."""
        self.per_chat_limit = False
        """When True, one chat takes a new message a second, after a burst of
        :data:`CHAT_BURST` (Telegram tolerates a reply and a menu at once, not a stream)."""
        self.accepted_sends: list[tuple[float, int]] = []
        """``(monotonic time, chat id)`` of every new message accepted."""
        self.flood_errors = 0
        """429 answers given by the limits (not by :meth:`fail_next`)."""
        self._window: deque[float] = deque()
        self._chat_tokens: dict[int, tuple[float, float]] = {}
        self.users: dict[int, TgUser] = {}
        self.member_status: dict[tuple[int, int], str] = {}
        """getChatMember status by ``(chat_id, user_id)``: member (default), administrator,
        creator, left or kicked."""
        self.pushed_updates: list[JSON] = []
        self.poll_count = 0
        """Number of getUpdates requests received."""
        self.confirmed_offset = 0
        """Highest getUpdates ``offset`` seen: every update below it is handled."""

        self._pending: list[JSON] = []
        self._dropped: dict[int, str] = {}
        self._allowed_updates: list[str] | None = None
        self._messages: dict[int, dict[int, JSON]] = {}
        self._user_messages: dict[int, dict[int, JSON]] = {}
        self._next_message_id: dict[int, int] = {}
        self._callbacks: dict[str, JSON] = {}
        self._files: dict[str, tuple[JSON, bytes]] = {}
        self._file_paths: dict[str, bytes] = {}
        self._failures: dict[str, deque[TelegramError]] = {}
        self._stalls: dict[tuple[str, int], asyncio.Event] = {}
        self.stalled: list[tuple[str, JSON]] = []
        """Requests held by :meth:`stall_next` (never answered unless released)."""
        self._update_ids = itertools.count(10_001)
        self._callback_ids = itertools.count(7_000_000_001)
        self._file_ids = itertools.count(1)
        self._poll_generation = 0
        self._closing = False
        self._change = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._handlers: dict[str, Handler] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._true,
            "getwebhookinfo": self._get_webhook_info,
            "close": self._true,
            "logout": self._true,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagecaption": self._edit_message_caption,
            "deletemessage": self._delete_message,
            "deletemessages": self._delete_messages,
            "copymessage": self._copy_message,
            "forwardmessage": self._forward_message,
            "sendlocation": self._send_location,
            "sendcontact": self._send_contact,
            "sendmediagroup": self._send_media_group,
            "sendchataction": self._true,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getmycommands": self._get_my_commands,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "getfile": self._get_file,
            "getchat": self._get_chat,
            "getchatmember": self._get_chat_member,
        }
        for kind in ("photo", "document", "video", "audio", "voice", "animation", "sticker"):
            self._handlers[f"send{kind}"] = self._media_sender(kind)
        self._handlers["sendvideonote"] = self._media_sender("video_note")

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1 with an OS-chosen port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(
            app,
            access_log=None,
            handle_signals=False,
            handler_cancellation=True,
            shutdown_timeout=1.0,
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        self._closing = True
        self._changed()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """E.g. ``http://127.0.0.1:PORT``, for ``TelegramAPIServer.from_base``."""
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def bot_user(self) -> JSON:
        """The bot's ``User`` object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # -- injecting updates ---------------------------------------------------------------------

    def push_update(self, update: JSON) -> int:
        """Queue a raw update (``update_id`` is assigned when missing); return its id."""
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        self.pushed_updates.append(update)
        self._pending.append(update)
        self._apply_allowed_updates()
        self._changed()
        return int(update["update_id"])

    def add_user(self, user: TgUser) -> None:
        """Make a user known (for chat objects) without sending anything."""
        self.users[user.id] = user

    def push_message(
        self, user: TgUser, text: str | None = None, *, chat_id: int | None = None, **extra: Any
    ) -> int:
        """Queue a message from ``user`` (private chat unless ``chat_id`` says otherwise).

        ``extra`` is merged into the Message object (photo, caption, reply_to_message, ...).
        """
        self.add_user(user)
        chat = chat_id if chat_id is not None else user.id
        message: JSON = {
            "message_id": self._new_message_id(chat),
            "from": user.to_api(),
            "chat": self._chat_object(chat),
            "date": int(time.time()),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
                ]
        message.update(extra)
        self._user_messages.setdefault(chat, {})[message["message_id"]] = message
        return self.push_update({"message": message})

    def push_photo(
        self,
        user: TgUser,
        caption: str | None = None,
        *,
        content: bytes = b"\x89PNG fake",
        **extra: Any,
    ) -> int:
        """Queue a photo (two sizes) from ``user``."""
        small = self._register_file("photos", "jpg", content, width=90, height=90)
        big = self._register_file("photos", "jpg", content, width=800, height=800)
        if caption is not None:
            extra["caption"] = caption
        return self.push_message(user, photo=[small, big], **extra)

    def push_document(
        self,
        user: TgUser,
        file_name: str = "document.pdf",
        *,
        content: bytes = b"%PDF-1.4 fake",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        **extra: Any,
    ) -> int:
        """Queue a document from ``user``; its bytes can be downloaded via getFile."""
        ext = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        document = self._register_file(
            "documents", ext, content, file_name=file_name, mime_type=mime_type
        )
        if caption is not None:
            extra["caption"] = caption
        return self.push_message(user, document=document, **extra)

    def push_sticker(self, user: TgUser, emoji: str = "👍", **extra: Any) -> int:
        """Queue a (static) sticker from ``user``."""
        sticker = self._register_file(
            "stickers",
            "webp",
            b"RIFF fake webp",
            width=512,
            height=512,
            type="regular",
            is_animated=False,
            is_video=False,
            emoji=emoji,
        )
        return self.push_message(user, sticker=sticker, **extra)

    def push_voice(self, user: TgUser, duration: int = 3, **extra: Any) -> int:
        """Queue a voice message from ``user``."""
        voice = self._register_file(
            "voice", "oga", b"OggS fake", duration=duration, mime_type="audio/ogg"
        )
        return self.push_message(user, voice=voice, **extra)

    def push_location(
        self, user: TgUser, latitude: float = 43.2383, longitude: float = 76.9456, **extra: Any
    ) -> int:
        """Queue a location from ``user`` (default: Almaty)."""
        return self.push_message(
            user, location={"latitude": latitude, "longitude": longitude}, **extra
        )

    def push_contact(
        self,
        user: TgUser,
        phone_number: str = "+77011234567",
        *,
        own: bool = True,
        **extra: Any,
    ) -> int:
        """Queue a shared contact; ``own`` makes it the sender's own (request_contact)."""
        contact: JSON = {"phone_number": phone_number, "first_name": user.first_name}
        if own:
            contact["user_id"] = user.id
        return self.push_message(user, contact=contact, **extra)

    def push_callback(
        self, user: TgUser, message_id: int, data: str, *, chat_id: int | None = None
    ) -> int:
        """Queue a button press on a bot message, embedding the message as currently stored."""
        self.add_user(user)
        chat = chat_id if chat_id is not None else user.id
        message = self._messages.get(chat, {}).get(message_id)
        if message is None:
            raise LookupError(f"the bot has no message {message_id} in chat {chat}")
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = {"user_id": user.id, "answered": False}
        return self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.to_api(),
                    "message": copy.deepcopy(message),
                    "chat_instance": str(abs(hash((self.bot_id, chat)))),
                    "data": data,
                }
            }
        )

    def delete_by_user(self, chat_id: int, message_id: int) -> None:
        """The user deletes a bot message from the chat (Telegram sends no update)."""
        self._messages.get(chat_id, {}).pop(message_id, None)

    def push_press_on(self, user: TgUser, message: JSON, data: str) -> int:
        """Queue a press on ``message`` as given: one the user deleted, one that never
        existed, or one of another chat (what a forged or stale update carries)."""
        self.add_user(user)
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = {"user_id": user.id, "answered": False}
        return self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.to_api(),
                    "message": copy.deepcopy(message),
                    "chat_instance": "1",
                    "data": data,
                }
            }
        )

    # -- synchronisation -----------------------------------------------------------------------

    async def wait_handled(self, update_id: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot polls with ``offset > update_id`` (so it finished handling it)."""
        handled = await self._wait_until(
            lambda: self.confirmed_offset > update_id or update_id in self._dropped, timeout
        )
        if update_id in self._dropped:
            raise AssertionError(
                f"update {update_id} ({self._dropped[update_id]}) was never delivered: the bot "
                f"polls with allowed_updates={self._allowed_updates}"
            )
        if not handled:
            raise TimeoutError(
                f"update {update_id} not handled within {timeout}s "
                f"(getUpdates calls: {self.poll_count}, confirmed offset: "
                f"{self.confirmed_offset}); last calls: {self._recent_calls()}"
            )

    async def wait_polling(self, timeout: float = 10.0, *, after: int = 0) -> None:  # noqa: ASYNC109
        """Wait until more than ``after`` getUpdates requests have arrived."""
        if not await self._wait_until(lambda: self.poll_count > after, timeout):
            raise TimeoutError(f"the bot did not call getUpdates within {timeout}s")

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:  # noqa: ASYNC109
        """Wait until ``predicate()`` is truthy and return its value.

        Re-checks on every server state change and at least every 20 ms (so predicates on
        external state work too).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"condition not met within {timeout}s; last calls: {self._recent_calls()}"
                )
            event = self._change
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, 0.02))

    # -- failures ------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int = 400,
        description: str | None = None,
        retry_after: int | None = None,
        *,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (429 + retry_after for flood)."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if retry_after is not None
                else "Bad Request: injected failure"
            )
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        queue = self._failures.setdefault(method.lower(), deque())
        for _ in range(times):
            queue.append(TelegramError(error_code, description, parameters))

    def stall_next(self, method: str, chat_id: int) -> asyncio.Event:
        """Hold the next call of ``method`` into ``chat_id`` before it takes effect, until
        the returned event is set (or the caller disconnects: then it never happens)."""
        gate = self._stalls[(method.lower(), chat_id)] = asyncio.Event()
        return gate

    def limit(self, per_second: int | None, *, per_chat: bool = True) -> None:
        """Enforce Telegram's limits on new messages with real 429 answers (retry_after 1):
        ``per_second`` across all chats, and (``per_chat``) one a second in one chat."""
        self.global_limit = per_second
        self.per_chat_limit = per_chat

    def _check_recipient(self, key: str, chat_id: Any) -> None:
        if chat_id in self.blocked:
            raise TelegramError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.deactivated:
            raise TelegramError(403, "Forbidden: user is deactivated")
        if chat_id in self.missing:
            raise TelegramError(400, "Bad Request: chat not found")
        if key == "sendchataction":
            return
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        flooded = self.global_limit is not None and len(self._window) >= self.global_limit
        tokens = float(CHAT_BURST)
        if isinstance(chat_id, int):
            left, since = self._chat_tokens.get(chat_id, (float(CHAT_BURST), now))
            tokens = min(float(CHAT_BURST), left + (now - since))
            flooded = flooded or (self.per_chat_limit and tokens < 1.0)
        if flooded:
            self.flood_errors += 1
            raise TelegramError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        self._window.append(now)
        if isinstance(chat_id, int):
            self._chat_tokens[chat_id] = (tokens - 1.0, now)
            self.accepted_sends.append((now, chat_id))

    # -- assertion views -----------------------------------------------------------------------

    def mark(self) -> int:
        """A position in the action log, for :meth:`sent_after`."""
        return len(self.actions)

    def sent_after(self, mark: int, chat_id: int | None = None) -> list[BotAction]:
        """Bot actions (sends, edits, deletions) since ``mark``, optionally for one chat."""
        return [a for a in self.actions[mark:] if chat_id is None or a.chat_id == chat_id]

    def chat_messages(self, chat_id: int) -> list[JSON]:
        """Current bot messages of a chat (Bot API Message dicts), oldest first."""
        messages = self._messages.get(chat_id, {})
        return [copy.deepcopy(messages[k]) for k in sorted(messages)]

    def last_message(self, chat_id: int) -> JSON | None:
        """The newest current bot message of a chat."""
        messages = self._messages.get(chat_id, {})
        return copy.deepcopy(messages[max(messages)]) if messages else None

    def user_messages(self, chat_id: int) -> list[JSON]:
        """Messages users sent to a chat that were not deleted, oldest first."""
        messages = self._user_messages.get(chat_id, {})
        return [copy.deepcopy(messages[k]) for k in sorted(messages)]

    def file_bytes(self, file_id: str) -> bytes:
        """The content of a file the bot uploaded (or a user sent)."""
        return self._files[file_id][1]

    def method_calls(self, method: str) -> list[JSON]:
        """Params of every call of ``method`` (case-insensitive)."""
        return [params for name, params in self.calls if name.lower() == method.lower()]

    def answers_for(self, user_id: int) -> list[CallbackAnswer]:
        """answerCallbackQuery calls for callback queries of one user."""
        return [a for a in self.callback_answers if a.user_id == user_id]

    @property
    def unanswered_callbacks(self) -> list[str]:
        """Ids of callback queries the bot never answered (the client shows a spinner)."""
        return [qid for qid, info in self._callbacks.items() if not info["answered"]]

    # -- internals: plumbing -------------------------------------------------------------------

    def _changed(self) -> None:
        self._change.set()
        self._change = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._change
            if predicate():
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()

    def _recent_calls(self, count: int = 8) -> list[str]:
        return [
            f"{name}({ {k: v for k, v in params.items() if k != 'allowed_updates'} })"
            for name, params in self.calls[-count:]
        ]

    async def _handle_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if self.token is not None and request.match_info["token"] != self.token:
            return web.json_response(TelegramError(401, "Unauthorized").to_json(), status=401)
        try:
            params = await self._read_params(request)
        except ValueError as exc:
            error = TelegramError(400, f"Bad Request: {exc}")
            return web.json_response(error.to_json(), status=400)
        self.calls.append((method, params))
        self._changed()
        key = method.lower()
        chat = params.get("chat_id")
        gate = self._stalls.pop((key, chat), None) if isinstance(chat, int) else None
        if gate is not None:
            self.stalled.append((method, params))
            self._changed()
            await gate.wait()
        try:
            failures = self._failures.get(key)
            if failures:
                raise failures.popleft()
            if key in _SEND_METHODS:
                self._check_recipient(key, params.get("chat_id"))
            handler = self._handlers.get(key)
            if handler is None:
                self.unknown_calls.append((method, params))
                result: Any = True
            else:
                result = await handler(params)
        except TelegramError as error:
            self.errors.append((method, params, error.error_code, error.description))
            self.error_times.append(time.monotonic())
            self._changed()
            return web.json_response(error.to_json(), status=error.error_code)
        self._changed()
        return web.json_response({"ok": True, "result": result})

    async def _read_params(self, request: web.Request) -> JSON:
        raw: dict[str, Any] = dict(request.query)
        if request.body_exists:
            ctype = request.content_type
            if ctype == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise ValueError("JSON body must be an object")
                raw.update(body)
            elif ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        raw[key] = UploadedFile(
                            key, value.filename, value.content_type, value.file.read()
                        )
                    else:
                        raw[key] = value
            else:
                raise ValueError(f"unsupported Content-Type {ctype!r}")
        params = {key: decode_form_value(key, value) for key, value in raw.items()}
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                attached = params.get(value.removeprefix("attach://"))
                if isinstance(attached, UploadedFile):
                    params[key] = attached
        return params

    async def _handle_file(self, request: web.Request) -> web.Response:
        data = self._file_paths.get(request.match_info["path"])
        if data is None:
            return web.json_response(TelegramError(404, "Not Found").to_json(), status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    # -- internals: state helpers --------------------------------------------------------------

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _chat_object(self, chat_id: int) -> JSON:
        if chat_id > 0:
            user = self.users.get(chat_id)
            chat: JSON = {"id": chat_id, "type": "private"}
            chat["first_name"] = user.first_name if user else f"User {chat_id}"
            if user and user.last_name:
                chat["last_name"] = user.last_name
            if user and user.username:
                chat["username"] = user.username
            return chat
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def _apply_allowed_updates(self) -> None:
        allowed = self._allowed_updates
        kept: list[JSON] = []
        for update in self._pending:
            kind = next((k for k in update if k != "update_id"), "")
            ok = kind in allowed if allowed else kind not in _NOT_DEFAULT_UPDATES
            if ok:
                kept.append(update)
            else:
                self._dropped[int(update["update_id"])] = kind
        self._pending = kept

    def _register_file(self, folder: str, ext: str, content: bytes, **fields: Any) -> JSON:
        number = next(self._file_ids)
        file_id = f"AgAC-fake-{folder}-{number}"
        path = f"{folder}/file_{number}.{ext}"
        obj: JSON = {
            "file_id": file_id,
            "file_unique_id": f"AQAD{number}",
            "file_size": len(content),
            **fields,
        }
        self._files[file_id] = ({**obj, "file_path": path}, content)
        self._file_paths[path] = content
        return obj

    def _find_message(self, chat_id: int, message_id: int) -> JSON | None:
        found = self._messages.get(chat_id, {}).get(message_id)
        return found or self._user_messages.get(chat_id, {}).get(message_id)

    def _record(
        self,
        method: str,
        chat_id: int,
        message: JSON | None,
        params: JSON,
        *,
        message_id: int | None = None,
        raw_text: str | None = None,
    ) -> None:
        text = None if message is None else message.get("text", message.get("caption"))
        self.actions.append(
            BotAction(
                seq=len(self.actions),
                method=method,
                chat_id=chat_id,
                message_id=message["message_id"] if message is not None else message_id,
                text=text,
                raw_text=raw_text,
                reply_markup=params.get("reply_markup"),
                params=params,
            )
        )

    def _store_bot_message(
        self,
        method: str,
        chat_id: int,
        content: JSON,
        params: JSON,
        raw_text: str | None,
    ) -> JSON:
        markup = params.get("reply_markup")
        message: JSON = {
            "message_id": self._new_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat_object(chat_id),
            "date": int(time.time()),
            **content,
        }
        reply_to = self._reply_target(chat_id, params)
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        elif markup and "keyboard" in markup:
            self.reply_keyboards[chat_id] = markup
        elif markup and markup.get("remove_keyboard"):
            self.reply_keyboards.pop(chat_id, None)
        self._messages.setdefault(chat_id, {})[message["message_id"]] = message
        self._record(method, chat_id, message, params, raw_text=raw_text)
        return copy.deepcopy(message)

    def _reply_target(self, chat_id: int, params: JSON) -> JSON | None:
        reply = params.get("reply_parameters")
        reply_id = reply.get("message_id") if isinstance(reply, dict) else None
        reply_id = reply_id or params.get("reply_to_message_id")
        if not reply_id:
            return None
        target = self._find_message(chat_id, int(reply_id))
        allow = params.get("allow_sending_without_reply") or (
            isinstance(reply, dict) and reply.get("allow_sending_without_reply")
        )
        if target is None and not allow:
            raise TelegramError(400, "Bad Request: message to be replied not found")
        if target is None:
            return None
        return {k: v for k, v in copy.deepcopy(target).items() if k != "reply_to_message"}

    @staticmethod
    def _chat_id(params: JSON, key: str = "chat_id") -> int:
        value = params.get(key)
        if value is None or value == "":
            raise TelegramError(400, f"Bad Request: {key} is empty")
        if not isinstance(value, int):
            raise TelegramError(400, "Bad Request: chat not found")
        return value

    @staticmethod
    def _render(
        params: JSON, field: str = "text", entities_field: str = "entities", limit: int = 4096
    ) -> tuple[str, list[JSON]]:
        raw = params.get(field)
        if raw is None:
            raw = ""
        text = str(raw)
        entities = params.get(entities_field)
        if isinstance(entities, list):
            rendered, parsed = text, entities
        elif str(params.get("parse_mode", "")).lower() == "html":
            try:
                rendered, parsed = parse_html(text)
            except HtmlParseError as exc:
                raise TelegramError(400, f"Bad Request: can't parse entities: {exc}") from None
        else:
            rendered, parsed = text, []
        if field == "text" and not rendered.strip():
            raise TelegramError(400, "Bad Request: message text is empty")
        if utf16_len(rendered) > limit:
            what = "message is too long" if field == "text" else "message caption is too long"
            raise TelegramError(400, f"Bad Request: {what}")
        return rendered, parsed

    @staticmethod
    def _check_markup(params: JSON) -> JSON | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise TelegramError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise TelegramError(
                    400, "Bad Request: can't parse inline keyboard markup JSON object"
                )
            for button in (b for row in rows for b in row):
                if not isinstance(button, dict) or not button.get("text"):
                    raise TelegramError(
                        400,
                        "Bad Request: can't parse inline keyboard button: Text must be non-empty",
                    )
                if not _INLINE_ACTIONS & button.keys():
                    raise TelegramError(
                        400,
                        "Bad Request: can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard",
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise TelegramError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _editable(self, params: JSON) -> tuple[int, JSON] | None:
        """The stored message targeted by an edit, or None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise TelegramError(400, "Bad Request: message identifier is not specified")
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            if message_id in self._user_messages.get(chat_id, {}):
                raise TelegramError(400, "Bad Request: message can't be edited")
            raise TelegramError(400, "Bad Request: message to edit not found")
        return chat_id, message

    def _apply_edit(
        self,
        method: str,
        chat_id: int,
        message: JSON,
        changes: JSON,
        params: JSON,
        raw_text: str | None,
    ) -> JSON:
        markup = params.get("reply_markup")
        inline = markup if markup and "inline_keyboard" in markup else None
        new = {k: v for k, v in message.items() if k not in ("reply_markup", "edit_date")}
        for key, value in changes.items():
            if value:
                new[key] = value
            else:
                new.pop(key, None)
        if inline is not None:
            new["reply_markup"] = inline
        old = {k: v for k, v in message.items() if k != "edit_date"}
        if new == old:
            raise TelegramError(400, NOT_MODIFIED)
        new["edit_date"] = int(time.time())
        message.clear()
        message.update(new)
        self._record(method, chat_id, message, params, raw_text=raw_text)
        return copy.deepcopy(message)

    # -- internals: method handlers ------------------------------------------------------------

    async def _true(self, params: JSON) -> bool:
        return True

    async def _get_me(self, params: JSON) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: JSON) -> list[JSON]:
        offset = params.get("offset")
        limit = params.get("limit")
        limit = min(max(limit, 1), 100) if isinstance(limit, int) else 100
        timeout = params.get("timeout")
        timeout = (
            min(max(float(timeout), 0.0), self.max_poll_timeout)
            if isinstance(timeout, int | float)
            else 0.0
        )
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed] or None
            self._apply_allowed_updates()
        if isinstance(offset, int) and offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
            self.confirmed_offset = max(self.confirmed_offset, offset)
        self.poll_count += 1
        self._poll_generation += 1
        generation = self._poll_generation
        self._changed()
        await self._wait_until(
            lambda: bool(self._pending) or self._closing or generation != self._poll_generation,
            timeout,
        )
        if generation != self._poll_generation:
            raise TelegramError(409, CONFLICT)
        if self._closing:
            return []
        return copy.deepcopy(self._pending[:limit])

    async def _delete_webhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        return {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _send_message(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        text, entities = self._render(params)
        self._check_markup(params)
        content: JSON = {"text": text}
        if entities:
            content["entities"] = entities
        return self._store_bot_message("sendMessage", chat_id, content, params, params.get("text"))

    async def _edit_message_text(self, params: JSON) -> JSON | bool:
        target = self._editable(params)
        text, entities = self._render(params)
        self._check_markup(params)
        if target is None:
            return True
        chat_id, message = target
        if "text" not in message:
            raise TelegramError(400, "Bad Request: there is no text in the message to edit")
        return self._apply_edit(
            "editMessageText",
            chat_id,
            message,
            {"text": text, "entities": entities},
            params,
            params.get("text"),
        )

    async def _edit_message_caption(self, params: JSON) -> JSON | bool:
        target = self._editable(params)
        caption, entities = self._render(params, "caption", "caption_entities", 1024)
        self._check_markup(params)
        if target is None:
            return True
        chat_id, message = target
        if "text" in message:
            raise TelegramError(400, "Bad Request: there is no caption in the message to edit")
        return self._apply_edit(
            "editMessageCaption",
            chat_id,
            message,
            {"caption": caption, "caption_entities": entities},
            params,
            params.get("caption"),
        )

    async def _edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        target = self._editable(params)
        self._check_markup(params)
        if target is None:
            return True
        chat_id, message = target
        return self._apply_edit("editMessageReplyMarkup", chat_id, message, {}, params, None)

    async def _delete_message(self, params: JSON) -> bool:
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int) or not self._delete_one(chat_id, message_id, params):
            raise TelegramError(400, "Bad Request: message to delete not found")
        return True

    async def _delete_messages(self, params: JSON) -> bool:
        chat_id = self._chat_id(params)
        for message_id in params.get("message_ids") or []:
            self._delete_one(chat_id, int(message_id), params)
        return True

    def _delete_one(self, chat_id: int, message_id: int, params: JSON) -> bool:
        for store in (self._messages, self._user_messages):
            if store.get(chat_id, {}).pop(message_id, None) is not None:
                self._record("deleteMessage", chat_id, None, params, message_id=message_id)
                return True
        return False

    def _copied_content(self, params: JSON, *, keep_caption: bool) -> JSON:
        from_chat = self._chat_id(params, "from_chat_id")
        message_id = params.get("message_id")
        source = self._find_message(from_chat, message_id) if isinstance(message_id, int) else None
        if source is None:
            raise TelegramError(400, "Bad Request: message to copy not found")
        content = {k: copy.deepcopy(source[k]) for k in _CONTENT_KEYS if k in source}
        if not keep_caption and "caption" in params:
            caption, entities = self._render(params, "caption", "caption_entities", 1024)
            content.pop("caption_entities", None)
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        return content

    async def _copy_message(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        content = self._copied_content(params, keep_caption=False)
        self._check_markup(params)
        message = self._store_bot_message(
            "copyMessage", chat_id, content, params, params.get("caption")
        )
        return {"message_id": message["message_id"]}

    async def _forward_message(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        content = self._copied_content(params, keep_caption=True)
        source = self._find_message(params["from_chat_id"], params["message_id"]) or {}
        sender = source.get("from", self.bot_user)
        content["forward_origin"] = {
            "type": "user",
            "date": source.get("date", 0),
            "sender_user": sender,
        }
        params = {k: v for k, v in params.items() if k != "reply_markup"}
        return self._store_bot_message("forwardMessage", chat_id, content, params, None)

    def _media_object(self, kind: str, value: Any) -> JSON:
        if isinstance(value, UploadedFile):
            data = value.data
            name = value.filename or value.field_name
        elif isinstance(value, str) and value:
            known = self._files.get(value)
            if known is not None:
                return {k: v for k, v in known[0].items() if k != "file_path"}
            data, name = value.encode(), value.rsplit("/", 1)[-1]
        else:
            raise TelegramError(400, f"Bad Request: there is no {kind} in the request")
        ext = name.rsplit(".", 1)[-1] if "." in name else "bin"
        extras: dict[str, JSON] = {
            "photo": {"width": 800, "height": 600},
            "document": {"file_name": name},
            "video": {"width": 640, "height": 360, "duration": 1},
            "animation": {"width": 320, "height": 240, "duration": 1},
            "audio": {"duration": 1, "file_name": name},
            "voice": {"duration": 1},
            "video_note": {"length": 240, "duration": 1},
            "sticker": {
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        }
        return self._register_file(f"{kind}s", ext, data, **extras[kind])

    def _media_sender(self, kind: str) -> Handler:
        method = "send" + "".join(part.capitalize() for part in kind.split("_"))

        async def send(params: JSON) -> JSON:
            chat_id = self._chat_id(params)
            media = self._media_object(kind, params.get(kind))
            content: JSON = {kind: [media] if kind == "photo" else media}
            if kind != "sticker" and params.get("caption") is not None:
                caption, entities = self._render(params, "caption", "caption_entities", 1024)
                content["caption"] = caption
                if entities:
                    content["caption_entities"] = entities
            self._check_markup(params)
            return self._store_bot_message(method, chat_id, content, params, params.get("caption"))

        return send

    async def _send_location(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        location = {"latitude": params.get("latitude"), "longitude": params.get("longitude")}
        self._check_markup(params)
        return self._store_bot_message(
            "sendLocation", chat_id, {"location": location}, params, None
        )

    async def _send_contact(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        contact = {k: params[k] for k in ("phone_number", "first_name", "last_name") if k in params}
        self._check_markup(params)
        return self._store_bot_message("sendContact", chat_id, {"contact": contact}, params, None)

    async def _send_media_group(self, params: JSON) -> list[JSON]:
        chat_id = self._chat_id(params)
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise TelegramError(400, "Bad Request: wrong number of media in the album")
        group_id = str(next(self._file_ids))
        sent: list[JSON] = []
        for item in media:
            kind = str(item.get("type", "photo"))
            ref = item.get("media")
            if isinstance(ref, str) and ref.startswith("attach://"):
                ref = params.get(ref.removeprefix("attach://"))
            obj = self._media_object(kind, ref)
            content: JSON = {kind: [obj] if kind == "photo" else obj}
            content["media_group_id"] = group_id
            item_params = {**item, "parse_mode": item.get("parse_mode", params.get("parse_mode"))}
            if item.get("caption"):
                caption, entities = self._render(item_params, "caption", "caption_entities", 1024)
                content["caption"] = caption
                if entities:
                    content["caption_entities"] = entities
            sent.append(
                self._store_bot_message(
                    "sendMediaGroup", chat_id, content, params, item.get("caption")
                )
            )
        return sent

    async def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        info = self._callbacks.get(query_id)
        if info is None or info["answered"]:
            raise TelegramError(400, QUERY_INVALID)
        info["answered"] = True
        self.callback_answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                user_id=info["user_id"],
                text=params.get("text"),
                show_alert=bool(params.get("show_alert", False)),
                url=params.get("url"),
            )
        )
        return True

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, int | None, str | None]:
        scope = params.get("scope")
        scope = scope if isinstance(scope, dict) else {}
        chat_id = scope.get("chat_id")
        return (
            str(scope.get("type", "default")),
            int(chat_id)
            if isinstance(chat_id, int | str) and str(chat_id).lstrip("-").isdigit()
            else None,
            params.get("language_code") or None,
        )

    async def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise TelegramError(400, "Bad Request: too many commands")
        for command in commands:
            name = str(command.get("command", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise TelegramError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise TelegramError(400, "Bad Request: command description is empty")
        key = self._commands_key(params)
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    async def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return copy.deepcopy(self.commands.get(self._commands_key(params), []))

    async def _set_chat_menu_button(self, params: JSON) -> bool:
        chat_id = params.get("chat_id")
        button = params.get("menu_button")
        self.menu_buttons[chat_id if isinstance(chat_id, int) else None] = (
            button if isinstance(button, dict) else {"type": "default"}
        )
        return True

    async def _get_chat_menu_button(self, params: JSON) -> JSON:
        chat_id = params.get("chat_id")
        key = chat_id if isinstance(chat_id, int) else None
        return self.menu_buttons.get(key) or self.menu_buttons.get(None) or {"type": "commands"}

    async def _get_file(self, params: JSON) -> JSON:
        known = self._files.get(str(params.get("file_id", "")))
        if known is None:
            raise TelegramError(400, "Bad Request: invalid file_id")
        obj = known[0]
        return {k: obj[k] for k in ("file_id", "file_unique_id", "file_size", "file_path")}

    async def _get_chat(self, params: JSON) -> JSON:
        chat = self._chat_object(self._chat_id(params))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_member(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise TelegramError(400, "Bad Request: invalid user_id specified")
        user = self.users.get(user_id)
        user_obj = (
            user.to_api()
            if user
            else {
                "id": user_id,
                "is_bot": False,
                "first_name": f"User {user_id}",
            }
        )
        if user_id == self.bot_id:
            user_obj = self.bot_user
        status = self.member_status.get((chat_id, user_id), "member")
        member: JSON = {"status": status, "user": user_obj}
        if status == "administrator":
            member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": False,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": False,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                    "can_send_welcome_messages": False,
                }
            )
        elif status == "creator":
            member["is_anonymous"] = False
        elif status == "kicked":
            member["until_date"] = 0
        return member


__all__ = [
    "DEFAULT_BOT_ID",
    "DEFAULT_BOT_USERNAME",
    "NOT_MODIFIED",
    "BotAction",
    "CallbackAnswer",
    "FakeTelegram",
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
