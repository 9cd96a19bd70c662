"""Recipients for broadcast tests."""

from __future__ import annotations

from collections.abc import Iterable

from bot import users
from db.engine import Sessions


async def plain_users(sessions: Sessions, ids: Iterable[int], language: str = "en") -> None:
    """Users who started the bot but have no organisation."""
    for user_id in ids:
        await users.touch_user(sessions, user_id, f"U{user_id}", None, is_admin=False)
        await users.set_language(sessions, user_id, language)
