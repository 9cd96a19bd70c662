"""Messages to other users (introductions, decisions, follow-ups), in their language.
A user who blocked the bot is marked inactive; the flow goes on."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup

from bot.services.users import UserDirectory

log = logging.getLogger(__name__)


async def send(
    bot: Bot,
    users: UserDirectory,
    user_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> bool:
    """Send `text`; False (and the user marked inactive) if they cannot receive it."""
    try:
        await bot.send_message(user_id, text, reply_markup=markup)
    except TelegramForbiddenError:
        await users.mark_blocked(user_id)
        return False
    except TelegramBadRequest as exc:  # chat not found, deactivated account
        log.warning("could not message %s: %s", user_id, exc.message)
        await users.mark_blocked(user_id)
        return False
    return True
