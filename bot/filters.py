"""Filters shared by the admin routers."""

from __future__ import annotations

from typing import Any

from aiogram.filters import BaseFilter
from aiogram.types import (
    TelegramObject,
)

from bot.users import UserInfo


class IsAdmin(BaseFilter):
    """Passes only for users listed in ADMIN_IDS (checked on every event)."""

    async def __call__(self, event: TelegramObject, user: UserInfo | None = None, **_: Any) -> bool:
        return user is not None and user.is_admin
