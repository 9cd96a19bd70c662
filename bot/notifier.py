"""Messages to other users (introductions, decisions, follow-ups, reminders), each in the
recipient's language. A user who blocked the bot is marked inactive; the flow goes on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.services.users import UserDirectory

log = logging.getLogger(__name__)
RETRY_AFTER_MAX = 30  # seconds worth waiting once for Telegram's flood control

Render = Callable[[], "str | tuple[str, InlineKeyboardMarkup | None]"]


class Notifier:
    """Sends to users other than the one being answered (also outside any update)."""

    def __init__(self, users: UserDirectory, i18n: I18n, default_language: str) -> None:
        self._users = users
        self._i18n = i18n
        self._default = default_language

    async def send(self, bot: Bot, user_id: int, language: str | None, render: Render) -> bool:
        """Render in the user's language and send; False if they cannot receive it."""
        with self._i18n.context(), self._i18n.use_locale(language or self._default):
            rendered = render()
        text, markup = rendered if isinstance(rendered, tuple) else (rendered, None)
        for attempt in range(2):
            try:
                await bot.send_message(user_id, text, reply_markup=markup)
            except TelegramRetryAfter as exc:  # flood control: wait once, then give up
                if attempt or exc.retry_after > RETRY_AFTER_MAX:
                    log.warning("gave up messaging %s: retry after %s s", user_id, exc.retry_after)
                    return False
                await asyncio.sleep(exc.retry_after)
            except TelegramForbiddenError:
                await self._users.mark_blocked(user_id)
                return False
            except TelegramBadRequest as exc:  # chat not found, deactivated account
                log.warning("could not message %s: %s", user_id, exc.message)
                await self._users.mark_blocked(user_id)
                return False
            except TelegramAPIError as exc:  # network or server trouble: the caller goes on
                log.warning("could not message %s: %s", user_id, exc)
                return False
            else:
                return True
        return False
