"""aiogram's parametrised `Response[T]` models, kept alive for the life of the process.

aiogram validates every Bot API reply with `Response[method.__returning__]`. pydantic holds
such parametrised models only in a weak cache, so each time the garbage collector frees one,
the next reply builds it again: a new model class and its validator, milliseconds each and
8 % of the bot's CPU in `bench/onboarding.py`. Building all of them once (41 return types
for aiogram 3.31's 185 methods) takes about 50 ms and 2 MB.
"""

from __future__ import annotations

from typing import Any

import aiogram.methods
from aiogram.methods.base import Response, TelegramMethod

_PINNED: dict[str, Any] = {}


def pin_response_types() -> None:
    """Build `Response[T]` for the return type of every method aiogram exports and keep
    a strong reference to it."""
    for value in vars(aiogram.methods).values():
        if (
            isinstance(value, type)
            and issubclass(value, TelegramMethod)
            and value is not TelegramMethod
        ):
            returning = getattr(value, "__returning__", None)
            if returning is not None and repr(returning) not in _PINNED:
                _PINNED[repr(returning)] = Response[returning]  # type: ignore[valid-type]
