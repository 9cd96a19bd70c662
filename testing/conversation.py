"""A conversation-shaped client for driving a bot through :class:`FakeTelegram`.

    chat = Conversation(fake, TgUser(1001, "Aigerim", language_code="kk"))
    await chat.send("/start")
    await chat.click("Қазақша")
    assert "Сәлем" in chat.last_text()

Two wait modes:

* ``"handled"`` (default) for a bot polling in-process with ``handle_as_tasks=False``: every
  step waits until the bot has confirmed the update, so all its replies are already recorded.
* ``"reply"`` for a bot in a subprocess (updates handled concurrently): every step waits until
  the bot's new actions in this chat plus its new callback answers for this user reach
  ``expect`` (default 1; e.g. pass ``expect=2`` for a click that edits and answers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from testing.fake_bot_api import (
    JSON,
    BotAction,
    FakeTelegram,
    TgUser,
    inline_button_rows,
    inline_buttons,
)

WaitMode = Literal["handled", "reply"]


class Conversation:
    """One user's private chat (or ``chat_id``) with the bot under test."""

    def __init__(
        self,
        fake: FakeTelegram,
        user: TgUser,
        *,
        mode: WaitMode = "handled",
        timeout: float = 10.0,
        chat_id: int | None = None,
    ) -> None:
        self.fake = fake
        self.user = user
        self.mode: WaitMode = mode
        self.timeout = timeout
        self.chat_id = chat_id if chat_id is not None else user.id
        fake.add_user(user)

    # -- user actions --------------------------------------------------------------------------

    async def send(self, text: str, *, expect: int = 1, **extra: Any) -> list[BotAction]:
        """Send a text message; return the bot's actions in this chat it caused."""
        return await self._step(
            lambda: self.fake.push_message(self.user, text, chat_id=self.chat_id, **extra),
            expect,
        )

    async def press(self, text: str, *, expect: int = 1) -> list[BotAction]:
        """Press a button of the reply keyboard currently shown (sends its text)."""
        buttons = self.keyboard()
        if text not in buttons:
            raise AssertionError(f"no reply keyboard button {text!r}; keyboard: {buttons}")
        return await self.send(text, expect=expect)

    async def click(
        self, text: str, *, message_id: int | None = None, expect: int = 1
    ) -> list[BotAction]:
        """Click an inline button by text (exact match first, then substring).

        Looks in ``message_id`` or else the newest bot message with an inline keyboard.
        """
        message = self._keyboard_message(message_id)
        buttons = inline_buttons(message.get("reply_markup"))
        matches = [b for b in buttons if b.get("text") == text]
        if not matches:
            matches = [b for b in buttons if text in str(b.get("text", ""))]
            if len(matches) > 1:
                names = [b.get("text") for b in matches]
                raise AssertionError(f"button text {text!r} is ambiguous: {names}")
        if not matches:
            raise AssertionError(
                f"no button {text!r} in message {message['message_id']} "
                f"({_preview(message)!r}); buttons: {[b.get('text') for b in buttons]}"
            )
        button = matches[0]
        data = button.get("callback_data")
        if data is None:
            kind = sorted(set(button) - {"text"})
            raise AssertionError(f"button {button.get('text')!r} has no callback_data ({kind})")
        return await self._step(
            lambda: self.fake.push_callback(
                self.user, message["message_id"], str(data), chat_id=self.chat_id
            ),
            expect,
        )

    async def send_photo(
        self, caption: str | None = None, *, expect: int = 1, **kwargs: Any
    ) -> list[BotAction]:
        """Send a photo (``content`` bytes via kwargs)."""
        return await self._step(
            lambda: self.fake.push_photo(self.user, caption, chat_id=self.chat_id, **kwargs),
            expect,
        )

    async def send_document(
        self, file_name: str = "document.pdf", *, expect: int = 1, **kwargs: Any
    ) -> list[BotAction]:
        """Send a document (``content``, ``mime_type``, ``caption`` via kwargs)."""
        return await self._step(
            lambda: self.fake.push_document(self.user, file_name, chat_id=self.chat_id, **kwargs),
            expect,
        )

    async def send_sticker(self, emoji: str = "👍", *, expect: int = 1) -> list[BotAction]:
        """Send a sticker."""
        return await self._step(
            lambda: self.fake.push_sticker(self.user, emoji, chat_id=self.chat_id), expect
        )

    async def send_voice(self, duration: int = 3, *, expect: int = 1) -> list[BotAction]:
        """Send a voice message."""
        return await self._step(
            lambda: self.fake.push_voice(self.user, duration, chat_id=self.chat_id), expect
        )

    async def send_location(
        self, latitude: float = 43.2383, longitude: float = 76.9456, *, expect: int = 1
    ) -> list[BotAction]:
        """Send a location."""
        return await self._step(
            lambda: self.fake.push_location(self.user, latitude, longitude, chat_id=self.chat_id),
            expect,
        )

    async def send_contact(
        self, phone_number: str = "+77011234567", *, expect: int = 1
    ) -> list[BotAction]:
        """Share the user's own contact (as a request_contact button does)."""
        return await self._step(
            lambda: self.fake.push_contact(self.user, phone_number, chat_id=self.chat_id), expect
        )

    # -- what the user sees --------------------------------------------------------------------

    def messages(self) -> list[JSON]:
        """Current bot messages in this chat, oldest first."""
        return self.fake.chat_messages(self.chat_id)

    def texts(self) -> list[str]:
        """Texts (or captions) of the current bot messages, oldest first."""
        return [_preview(m) for m in self.messages()]

    def last_message(self) -> JSON | None:
        """The newest bot message in this chat."""
        return self.fake.last_message(self.chat_id)

    def last_text(self) -> str:
        """Text (or caption) of the newest bot message; "" when there is none."""
        message = self.last_message()
        return _preview(message) if message else ""

    def last_buttons(self) -> list[str]:
        """Button texts of the newest bot message with an inline keyboard ([] if none)."""
        return [text for row in self.last_button_rows() for text in row]

    def last_button_rows(self) -> list[list[str]]:
        """Like :meth:`last_buttons`, row by row."""
        message = self._find_keyboard_message()
        return inline_button_rows(message.get("reply_markup")) if message else []

    def keyboard(self) -> list[str]:
        """Button texts of the reply keyboard currently shown ([] if none)."""
        markup = self.fake.reply_keyboards.get(self.chat_id)
        if not markup:
            return []
        return [
            button if isinstance(button, str) else str(button.get("text", ""))
            for row in markup["keyboard"]
            for button in row
        ]

    @property
    def alerts(self) -> list[str]:
        """Texts of answerCallbackQuery calls for this user's button clicks."""
        return [a.text for a in self.fake.answers_for(self.user.id) if a.text]

    # -- internals -----------------------------------------------------------------------------

    def _find_keyboard_message(self) -> JSON | None:
        for message in reversed(self.messages()):
            if inline_buttons(message.get("reply_markup")):
                return message
        return None

    def _keyboard_message(self, message_id: int | None) -> JSON:
        if message_id is not None:
            for candidate in self.messages():
                if candidate["message_id"] == message_id:
                    return candidate
            raise AssertionError(f"no bot message {message_id} in chat {self.chat_id}")
        found = self._find_keyboard_message()
        if found is None:
            raise AssertionError(
                f"no bot message with an inline keyboard in chat {self.chat_id}; "
                f"messages: {self.texts()}"
            )
        return found

    async def _step(self, push: Callable[[], int], expect: int = 1) -> list[BotAction]:
        mark = self.fake.mark()
        answers = len(self.fake.answers_for(self.user.id))
        update_id = push()
        if self.mode == "handled":
            await self.fake.wait_handled(update_id, self.timeout)
        else:

            def replied() -> bool:
                produced = len(self.fake.sent_after(mark, self.chat_id))
                answered = len(self.fake.answers_for(self.user.id)) - answers
                return produced + answered >= expect

            await self.fake.wait_for(replied, self.timeout)
        return self.fake.sent_after(mark, self.chat_id)


def _preview(message: JSON) -> str:
    return str(message.get("text", message.get("caption", "")))


__all__ = ["Conversation", "WaitMode"]
