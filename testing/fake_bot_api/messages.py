"""Bot messages as the real server treats them: rendering (HTML, length limits),
markup validation, replies, storing sent messages and applying edits."""

from __future__ import annotations

import copy
import time

from testing.fake_bot_api.html import HtmlParseError, parse_html, utf16_len
from testing.fake_bot_api.objects import _INLINE_ACTIONS, JSON, NOT_MODIFIED, TelegramError
from testing.fake_bot_api.state import FakeState


class MessagesMixin(FakeState):
    """Validating, storing and editing the bot's messages."""

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
