"""Queries of teams: who belongs to an organisation, its invite links, its join requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import InviteLink, JoinRequest, Membership, User


async def members(session: AsyncSession, organisation_id: int) -> list[tuple[Membership, User]]:
    """The organisation's memberships with their users, oldest first."""
    rows = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(Membership.joined_at, Membership.user_id)
    )
    return [(membership, user) for membership, user in rows]


async def open_invites(
    session: AsyncSession, organisation_id: int, now: datetime
) -> list[InviteLink]:
    """Links that still let people in: not revoked, not expired, not used up."""
    return list(
        (
            await session.scalars(
                select(InviteLink)
                .where(
                    InviteLink.organisation_id == organisation_id,
                    InviteLink.revoked_at.is_(None),
                    InviteLink.expires_at > now,
                    InviteLink.uses_left > 0,
                )
                .order_by(InviteLink.created_at, InviteLink.id)
            )
        ).all()
    )


async def invite_by_hash(session: AsyncSession, token_hash: str) -> InviteLink | None:
    """The invite link whose token hashes to `token_hash`."""
    return await session.scalar(select(InviteLink).where(InviteLink.token_hash == token_hash))


async def use_invite(session: AsyncSession, invite_id: int, now: datetime) -> bool:
    """Take one use of a link if it is still open (one statement, so two people cannot
    take its last use)."""
    result = await session.execute(
        update(InviteLink)
        .where(
            InviteLink.id == invite_id,
            InviteLink.revoked_at.is_(None),
            InviteLink.expires_at > now,
            InviteLink.uses_left > 0,
        )
        .values(uses_left=InviteLink.uses_left - 1)
    )
    return bool(getattr(result, "rowcount", 0))


async def pending_join(session: AsyncSession, user_id: int) -> JoinRequest | None:
    """The user's join request waiting for an answer, if any."""
    return await session.scalar(
        select(JoinRequest).where(JoinRequest.user_id == user_id, JoinRequest.status == "pending")
    )
