"""Reply models stay built: pydantic would otherwise rebuild one after each collection."""

from __future__ import annotations

import gc
import weakref

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.methods.base import Response

from bot.app import create_bot
from bot.config import Settings


def test_the_reply_models_survive_garbage_collection(settings: Settings) -> None:
    create_bot(settings)  # pins them, as the bot does at start
    for method in (SendMessage, EditMessageText, AnswerCallbackQuery):
        model = weakref.ref(Response[method.__returning__])  # type: ignore[name-defined]
        gc.collect()
        assert model() is not None, method.__name__
