"""The admin's status message of a broadcast, edited in place in the admin's language."""

from __future__ import annotations

import contextlib

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.utils.i18n import I18n

from bot.delivery.broadcaster import Progress
from bot.handlers.broadcasts import keyboards, texts


class StatusBoard:
    """Shows a broadcast's progress (and at the end its report) to the admin who sent it,
    in the language they prepared it in."""

    def __init__(self, i18n: I18n) -> None:
        self._i18n = i18n

    async def show(self, bot: Bot, progress: Progress) -> None:
        """Edit the status message; nothing happens if it is gone or unchanged."""
        target = progress.summary.status_message
        if target is None:
            return
        with self._i18n.context(), self._i18n.use_locale(progress.summary.language):
            text = texts.status(progress)
            markup = None if progress.finished else keyboards.running(progress.summary.id)
        with contextlib.suppress(TelegramBadRequest):  # not modified, or deleted by the admin
            await bot.edit_message_text(
                text, chat_id=target[0], message_id=target[1], reply_markup=markup
            )
