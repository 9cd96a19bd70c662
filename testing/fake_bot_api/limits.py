"""Telegram's refusals: injected failures, stalled calls, blocked or unknown
recipients, and the flood limits (429 with retry_after)."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

from testing.fake_bot_api.objects import CHAT_BURST, TelegramError
from testing.fake_bot_api.state import FakeState


class LimitsMixin(FakeState):
    """Failures a test injects and the limits the server enforces."""

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
