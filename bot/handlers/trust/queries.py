"""Trust's queries: the verification queue, who already holds a registration number,
badges about to lapse. Each takes an open session; the rules that use them are in
badges.py and visibility.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organisation, Verification


async def pending_request(session: AsyncSession, organisation_id: int) -> int | None:
    """The id of the organisation's verification request waiting for an admin, if any."""
    return await session.scalar(
        select(Verification.id).where(
            Verification.organisation_id == organisation_id, Verification.status == "pending"
        )
    )


async def holder(
    session: AsyncSession, organisation_id: int, registration_number: str
) -> str | None:
    """The name of another organisation whose badge carries this registration number
    (compared without case)."""
    found = await session.scalar(
        select(Organisation.name)
        .join(Verification, Verification.organisation_id == Organisation.id)
        .where(
            Verification.status == "approved",
            func.lower(Verification.registration_number) == registration_number.lower(),
            Organisation.id != organisation_id,
        )
        .limit(1)
    )
    return None if found is None else str(found)


async def pending_count(session: AsyncSession) -> int:
    """How many verification requests wait for an admin."""
    return int(
        await session.scalar(select(func.count()).where(Verification.status == "pending")) or 0
    )


async def oldest_pending(session: AsyncSession) -> Verification | None:
    """The verification request that has waited longest."""
    return await session.scalar(
        select(Verification)
        .where(Verification.status == "pending")
        .order_by(Verification.created_at, Verification.id)
        .limit(1)
    )


async def lapsing_unreminded(
    session: AsyncSession, now: datetime, within: timedelta
) -> list[Organisation]:
    """Organisations whose badge lapses within `within` of `now` and whose owners were not
    reminded since it was granted, locked for update (rows another scheduler holds are
    skipped: two schedulers at once each take their own)."""
    rows = await session.scalars(
        select(Organisation)
        .where(
            Organisation.verified_until.is_not(None),
            Organisation.verified_until > now,
            Organisation.verified_until <= now + within,
            or_(
                Organisation.badge_reminded_at.is_(None),
                and_(
                    Organisation.verified_at.is_not(None),
                    Organisation.badge_reminded_at < Organisation.verified_at,
                ),
            ),
        )
        .with_for_update(skip_locked=True)
    )
    return list(rows.all())
