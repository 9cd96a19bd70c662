"""Users: who is writing, in which language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import repositories
from db.engine import reading
from db.models import User


@dataclass(frozen=True)
class UserInfo:
    """What the handlers need to know about the user behind an update."""

    id: int
    language: str | None
    is_admin: bool


async def touch_user(
    sessions: async_sessionmaker[AsyncSession],
    user_id: int,
    first_name: str,
    username: str | None,
    *,
    is_admin: bool,
) -> UserInfo:
    """Record the user (first contact, new names, back from blocking the bot).
    Most updates come from a known, unchanged user: that costs one read and no write."""
    async with reading(sessions) as session:
        known = await repositories.user_profile(session, user_id)
    if known is not None and known[1:] == (first_name[:256], username, True):
        return UserInfo(user_id, known[0], is_admin)
    async with sessions.begin() as session:
        user = await repositories.upsert_user(session, user_id, first_name, username)
        return UserInfo(user.id, user.language, is_admin)


async def set_language(
    sessions: async_sessionmaker[AsyncSession], user_id: int, language: str
) -> None:
    """Remember the user's interface language."""
    async with sessions.begin() as session:
        user = await session.get(User, user_id)
        if user is not None:
            user.language = language


async def languages(
    sessions: async_sessionmaker[AsyncSession], user_ids: Iterable[int], default: str
) -> dict[int, str]:
    """The interface language of each of `user_ids` (the default if not yet chosen)."""
    ids = list(user_ids)
    async with reading(sessions) as session:
        rows = await session.execute(select(User.id, User.language).where(User.id.in_(ids)))
        chosen = {user_id: language for user_id, language in rows if language}
    return {user_id: chosen.get(user_id, default) for user_id in ids}
