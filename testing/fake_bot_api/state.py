"""The fake server's state and the plumbing every part of it shares: change
notification, waiting, chats, files and the action log."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable
from typing import Any

from aiohttp import web

from testing.fake_bot_api.objects import (
    _NOT_DEFAULT_UPDATES,
    DEFAULT_BOT_ID,
    DEFAULT_BOT_USERNAME,
    JSON,
    BotAction,
    CallbackAnswer,
    Handler,
    TelegramError,
    TgUser,
)


class FakeState:
    """Everything the fake server remembers; the other parts of
    :class:`~testing.fake_bot_api.FakeTelegram` are mixins over it."""

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
        self._handlers: dict[str, Handler] = self._method_table()

    def _method_table(self) -> dict[str, Handler]:
        """The handler of each Bot API method, by lower-case name (see ``methods``)."""
        return {}

    @property
    def bot_user(self) -> JSON:
        """The bot's ``User`` object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # -- plumbing -------------------------------------------------------------------------------

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

    # -- chats, files, the action log ----------------------------------------------------------

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
