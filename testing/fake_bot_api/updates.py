"""The users' side: updates pushed to the bot (messages, media, button presses)."""

from __future__ import annotations

import copy
import time
from typing import Any

from testing.fake_bot_api.html import utf16_len
from testing.fake_bot_api.objects import JSON, TgUser
from testing.fake_bot_api.state import FakeState


class UpdatesMixin(FakeState):
    """Queueing updates as Telegram would deliver them."""

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
