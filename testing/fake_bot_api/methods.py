"""The Bot API methods the fake server implements, one handler each."""

from __future__ import annotations

import copy
import re
from typing import Any

from testing.fake_bot_api.messages import MessagesMixin
from testing.fake_bot_api.objects import (
    _CONTENT_KEYS,
    CONFLICT,
    JSON,
    QUERY_INVALID,
    CallbackAnswer,
    Handler,
    TelegramError,
    UploadedFile,
)


class MethodsMixin(MessagesMixin):
    """``getUpdates``, sending, editing, deleting, callbacks, commands, files, chats."""

    def _method_table(self) -> dict[str, Handler]:
        """The handler of each Bot API method, by lower-case name."""
        handlers: dict[str, Handler] = {
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
            handlers[f"send{kind}"] = self._media_sender(kind)
        handlers["sendvideonote"] = self._media_sender("video_note")
        return handlers

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
