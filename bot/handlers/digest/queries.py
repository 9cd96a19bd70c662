"""Digest's queries: who reads the digest, and claiming a reader's week. Each takes an
open session; the rules that use them are in weekly.py."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership, Organisation, User


async def readers(
    session: AsyncSession,
) -> list[tuple[int, str | None, str | None, str | None, str | None]]:
    """`(user id, language, chosen time zone, last digest's week, organisation's country)`
    of active users with the digest on, not in a banned organisation, by user id."""
    rows = await session.execute(
        select(User.id, User.language, User.time_zone, User.digest_week, Organisation.country)
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
        .where(User.is_active.is_(True), User.digest_on.is_(True))
        .where(or_(Organisation.id.is_(None), Organisation.status != "banned"))
        .order_by(User.id)
    )
    return [
        (user_id, language, zone, week, country) for user_id, language, zone, week, country in rows
    ]


async def claim_week(session: AsyncSession, user_id: int, week: str) -> bool:
    """Mark the user's digest of `week` as done, in one statement; False if it already
    was (by another run)."""
    result = await session.execute(
        update(User)
        .where(User.id == user_id)
        .where(or_(User.digest_week.is_(None), User.digest_week != week))
        .values(digest_week=week)
    )
    return bool(getattr(result, "rowcount", 0))
