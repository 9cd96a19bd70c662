"""What the fake Bot API's users see: constants, errors, users, recorded actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

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
