"""Messages to other users (introductions, decisions, follow-ups, reminders), each in the
recipient's language. A user who blocked the bot is marked inactive; the flow goes on."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup, InputFile
from aiogram.utils.i18n import I18n

from bot.delivery.courier import DeliveryOutcome, deliver
from bot.users import KnownUsers

log = logging.getLogger(__name__)

Render = Callable[[], "str | tuple[str, InlineKeyboardMarkup | None]"]


class Notifier:
    """Sends to users other than the one being answered (also outside any update), through
    the same paced delivery path as broadcasts."""

    def __init__(self, users: KnownUsers, i18n: I18n, default_language: str) -> None:
        self._users = users
        self._i18n = i18n
        self._default = default_language

    def render(
        self, language: str | None, render: Render
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        """`render()` in `language` (outside any update), for a message that is not to a
        user (the public channel's)."""
        with self._i18n.context(), self._i18n.use_locale(language or self._default):
            rendered = render()
        return rendered if isinstance(rendered, tuple) else (rendered, None)

    async def send(
        self, bot: Bot, user_id: int, language: str | None, render: Render, *, active: bool = False
    ) -> bool:
        """Render in the user's language and send; False if they cannot receive it."""
        outcome = await self.deliver(bot, user_id, language, render, active=active)
        return outcome is DeliveryOutcome.SENT

    async def deliver(
        self, bot: Bot, user_id: int, language: str | None, render: Render, *, active: bool = False
    ) -> DeliveryOutcome:
        """Render in the user's language and send; what became of it. A user who blocked
        the bot gets nothing (not even a try) until they write to it again; `active`: the
        caller has just read that they have not (batched sends: no read each)."""
        return (await self._deliver(bot, user_id, language, render, active=active))[0]

    async def send_file(
        self, bot: Bot, user_id: int, language: str | None, document: InputFile, render: Render
    ) -> bool:
        """`document` with `render()` as its caption, in the user's language (a calendar
        file); False if they cannot receive it."""
        outcome, _ = await self._deliver(bot, user_id, language, render, document)
        return outcome is DeliveryOutcome.SENT

    async def post(
        self, bot: Bot, user_id: int, language: str | None, render: Render
    ) -> int | None:
        """Like `send`, and the id of the message sent (to edit it later); None if not sent."""
        outcome, message_id = await self._deliver(bot, user_id, language, render)
        return message_id if outcome is DeliveryOutcome.SENT else None

    async def post_to_each(
        self, bot: Bot, people: Iterable[tuple[int, str | None]], render: Render
    ) -> list[tuple[int, int]]:
        """`render()` sent to each `(user id, language)`, in their language; the copies sent
        as `(user id, message id)`, to be closed later with `close_copies`."""
        copies = []
        for user_id, language in people:
            message_id = await self.post(bot, user_id, language, render)
            if message_id is not None:
                copies.append((user_id, message_id))
        return copies

    async def close_copies(
        self, bot: Bot, copies: Iterable[tuple[int, int, str | None]], render: Callable[[], str]
    ) -> None:
        """Replace each `(user id, message id, language)` copy of a message (and its buttons)
        with `render()` in that user's language: the question was answered elsewhere."""
        for user_id, message_id, language in copies:
            with self._i18n.context(), self._i18n.use_locale(language or self._default):
                text = render()
            edit = functools.partial(
                bot.edit_message_text, text, chat_id=user_id, message_id=message_id,
                reply_markup=None,
            )  # fmt: skip
            await deliver(edit)

    async def _deliver(
        self,
        bot: Bot,
        user_id: int,
        language: str | None,
        render: Render,
        document: InputFile | None = None,
        active: bool = False,
    ) -> tuple[DeliveryOutcome, int | None]:
        if not active and not await self._users.is_active(user_id):
            return DeliveryOutcome.BLOCKED, None
        with self._i18n.context(), self._i18n.use_locale(language or self._default):
            rendered = render()
        text, markup = rendered if isinstance(rendered, tuple) else (rendered, None)
        sent: list[int] = []

        async def send() -> None:
            if document is not None:
                message = await bot.send_document(
                    user_id, document, caption=text, reply_markup=markup
                )
            else:
                message = await bot.send_message(user_id, text, reply_markup=markup)
            sent.append(message.message_id)

        result = await deliver(send)
        if result.outcome is DeliveryOutcome.BLOCKED:
            await self._users.mark_blocked(user_id)
        elif result.outcome is not DeliveryOutcome.SENT:
            log.warning("could not message %s: %s", user_id, result.error)
        return result.outcome, (sent[-1] if sent else None)
