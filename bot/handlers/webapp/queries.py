"""The Mini App's queries: the caller as the bot knows them. Each takes an open session;
the rules that use them are in auth.py."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership, Organisation, User


async def caller(session: AsyncSession, user_id: int) -> tuple[str | None, bool, str | None] | None:
    """`(chosen language, active, their organisation's status)` of the user (the status
    None without an organisation); None for a user the bot has never seen."""
    row = (
        await session.execute(
            select(User.language, User.is_active, Organisation.status)
            .outerjoin(Membership, Membership.user_id == User.id)
            .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
            .where(User.id == user_id)
        )
    ).first()
    return None if row is None else (row.language, row.is_active, row.status)
