"""Team's queries: who belongs to an organisation, its invite links, its join requests,
leaving it (and who becomes its owner), organisations of the same name. Each takes an open
session; the rules that use them are in membership.py, joining.py and matching.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import InviteLink, JoinRequest, Membership, Organisation, OrganisationWord, User


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


async def add_join_request(
    session: AsyncSession, organisation_id: int, user_id: int, now: datetime
) -> JoinRequest | None:
    """A new pending join request, written at once; None when the user has one pending
    already (a partial unique index: the same press twice at once)."""
    request = JoinRequest(organisation_id=organisation_id, user_id=user_id, created_at=now)
    session.add(request)
    try:
        await session.flush()
    except IntegrityError:
        return None
    return request


async def namesakes(
    session: AsyncSession, word: str, country: str, limit: int
) -> list[tuple[int, str, str]]:
    """`(id, name, city)` of organisations of `country`, not banned, with `word` among
    their search words, by id, at most `limit`."""
    rows = await session.execute(
        select(Organisation.id, Organisation.name, Organisation.city)
        .join(OrganisationWord, OrganisationWord.organisation_id == Organisation.id)
        .where(
            OrganisationWord.word == word,
            Organisation.country == country,
            Organisation.status != "banned",
        )
        .order_by(Organisation.id)
        .limit(limit)
    )
    return [(int(found_id), str(name), str(city)) for found_id, name, city in rows]


async def successor(session: AsyncSession, user_id: int) -> int | None:
    """Who becomes the owner if the user leaves their organisation: the earliest other
    member, when the user is its only owner; None when another owner remains (or no one)."""
    membership = await session.get(Membership, user_id)
    if membership is None or membership.role != "owner":
        return None
    remaining = (
        await session.execute(
            select(Membership.user_id, Membership.role)
            .where(
                Membership.organisation_id == membership.organisation_id,
                Membership.user_id != user_id,
            )
            .order_by(Membership.joined_at, Membership.user_id)
        )
    ).all()
    if not remaining or any(role == "owner" for _, role in remaining):
        return None
    return int(remaining[0][0])


async def leave(session: AsyncSession, user_id: int) -> int | None:
    """Take the user out of their organisation (if any), keeping an owner: the earliest
    remaining member is made owner when the last owner leaves (their id is returned); the
    organisation is deleted when no one remains."""
    membership = await session.get(Membership, user_id)
    if membership is None:
        return None
    organisation_id = membership.organisation_id
    heir = await successor(session, user_id)
    await session.delete(membership)
    await session.flush()
    if heir is not None:
        await session.execute(
            update(Membership).where(Membership.user_id == heir).values(role="owner")
        )
    elif (
        await session.scalar(
            select(func.count()).where(Membership.organisation_id == organisation_id)
        )
        == 0
    ):
        await session.execute(delete(Organisation).where(Organisation.id == organisation_id))
    return heir
