"""The onboarding bench's Bot API, answering in process with a real session's wire work."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType

from bench.common import (
    JSON,
)

BOT_TOKEN = "123456:" + "A" * 35
BOT_USER: dict[str, Any] = {
    "id": 123456,
    "is_bot": True,
    "first_name": "NGO Bridge",
    "username": "ngo_bridge_bot",
}
RECENT_MESSAGES = 4  # bot messages remembered per chat (edits reach at most the last two)
# -- a Bot API that answers in process -----------------------------------------------------------


class ApiError(Exception):
    """An error answer of the local Bot API (status code and description)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


@dataclass
class ChatLog:
    """One private chat as the local Bot API sees it."""

    chat: JSON
    next_id: int = 1
    messages: dict[int, JSON] = field(default_factory=dict)  # recent bot messages, oldest first
    last_id: int | None = None  # the newest message the bot sent

    def new_id(self) -> int:
        """Message ids are shared by both sides of a private chat."""
        self.next_id += 1
        return self.next_id - 1


def keyboard_of(raw: Any) -> JSON | None:
    """The keyboard as stored by Telegram: an empty inline keyboard is no keyboard."""
    markup = json.loads(raw) if isinstance(raw, str) else raw
    if not markup or not markup.get("inline_keyboard"):
        return None
    return cast(JSON, markup)


class LocalSession(BaseSession):
    """Answers Bot API methods in process, with the serialisation work of a real session.

    Messages get increasing ids per chat; edits that change nothing fail with "message is
    not modified" as on Telegram, which the bot relies on handling."""

    def __init__(self) -> None:
        super().__init__()
        self.chats: dict[int, ChatLog] = {}
        self.calls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.alerts = 0

    def add_chat(self, user: JSON) -> ChatLog:
        """Open the private chat of `user`."""
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        log = self.chats[user["id"]] = ChatLog(chat)
        return log

    async def close(self) -> None:
        """Nothing to release."""

    async def stream_content(  # type: ignore[override]
        self,
        url: str,
        headers: Any = None,
        timeout: int = 30,  # noqa: ASYNC109 (aiogram's interface)
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> Any:  # the bot downloads no files here
        raise NotImplementedError("LocalSession does not serve files")

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's interface)
    ) -> TelegramType:
        name = method.__api_method__
        self.calls[name] += 1
        files: dict[str, Any] = {}
        params = {}
        for key, value in method.model_dump(warnings=False).items():  # as build_form_data
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                params[key] = prepared
        try:
            status, body = 200, {"ok": True, "result": self._serve(name, params)}
        except ApiError as error:
            self.errors[f"{name}: {error.description}"] += 1
            status = error.status
            body = {"ok": False, "error_code": status, "description": error.description}
        response = self.check_response(bot, method, status, self.json_dumps(body))
        return cast(TelegramType, response.result)

    def _serve(self, name: str, params: dict[str, str]) -> Any:
        if name == "sendMessage":
            log = self._chat(params)
            message_id = log.new_id()
            message = self._message(log, message_id, params["text"], params.get("reply_markup"))
            log.messages[message_id] = message
            log.last_id = message_id
            while len(log.messages) > RECENT_MESSAGES:
                del log.messages[next(iter(log.messages))]
            return message
        if name in {"editMessageText", "editMessageReplyMarkup"}:
            log = self._chat(params)
            old = log.messages.get(int(params["message_id"]))
            if old is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            text = params["text"] if name == "editMessageText" else old["text"]
            new = self._message(log, old["message_id"], text, params.get("reply_markup"))
            if new["text"] == old["text"] and new.get("reply_markup") == old.get("reply_markup"):
                raise ApiError(400, "Bad Request: message is not modified")
            new["edit_date"] = new["date"]
            log.messages[old["message_id"]] = new
            return new
        if name == "answerCallbackQuery":
            self.alerts += params.get("show_alert") == "true"
            return True
        if name == "getMe":
            return BOT_USER
        if name in {"setMyCommands", "deleteWebhook", "deleteMyCommands", "setChatMenuButton"}:
            return True
        raise ApiError(400, f"Bad Request: {name} is not served by the benchmark")

    def _chat(self, params: dict[str, str]) -> ChatLog:
        log = self.chats.get(int(params["chat_id"]))
        if log is None:
            raise ApiError(400, "Bad Request: chat not found")
        return log

    @staticmethod
    def _message(log: ChatLog, message_id: int, text: str, raw_markup: Any) -> JSON:
        message: JSON = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": log.chat,
            "from": BOT_USER,
            "text": text,
        }
        markup = keyboard_of(raw_markup)
        if markup is not None:
            message["reply_markup"] = markup
        return message
