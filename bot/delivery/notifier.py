"""Messages to other users (introductions, decisions, follow-ups, reminders), each in the
recipient's language. A user who blocked the bot is marked inactive; the flow goes on."""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.delivery.courier import Outcome, deliver
from bot.users import UserDirectory

log = logging.getLogger(__name__)

Render = Callable[[], "str | tuple[str, InlineKeyboardMarkup | None]"]


class Notifier:
    """Sends to users other than the one being answered (also outside any update), through
    the same paced delivery path as broadcasts."""

    def __init__(self, users: UserDirectory, i18n: I18n, default_language: str) -> None:
        self._users = users
        self._i18n = i18n
        self._default = default_language

    async def send(self, bot: Bot, user_id: int, language: str | None, render: Render) -> bool:
        """Render in the user's language and send; False if they cannot receive it."""
        return await self.deliver(bot, user_id, language, render) is Outcome.SENT

    async def deliver(
        self, bot: Bot, user_id: int, language: str | None, render: Render
    ) -> Outcome:
        """Render in the user's language and send; what became of it. A user who blocked
        the bot gets nothing (not even a try) until they write to it again."""
        if not await self._users.is_active(user_id):
            return Outcome.BLOCKED
        with self._i18n.context(), self._i18n.use_locale(language or self._default):
            rendered = render()
        text, markup = rendered if isinstance(rendered, tuple) else (rendered, None)
        result = await deliver(lambda: bot.send_message(user_id, text, reply_markup=markup))
        if result.outcome is Outcome.BLOCKED:
            await self._users.mark_blocked(user_id)
        elif result.outcome is not Outcome.SENT:
            log.warning("could not message %s: %s", user_id, result.error)
        return result.outcome
