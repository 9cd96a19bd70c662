"""What tests wait for and assert on: handled updates, the action log, chats."""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import Callable

from testing.fake_bot_api.objects import JSON, BotAction, CallbackAnswer, T
from testing.fake_bot_api.state import FakeState


class ViewsMixin(FakeState):
    """Synchronisation with the bot and assertion views."""

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
