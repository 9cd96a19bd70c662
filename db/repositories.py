"""Queries several features share (organisations, memberships, tags), kept apart from the
rules that use them. Each takes an open session. A user's own row is bot/users.py's."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    MaskValue,
    Membership,
    Organisation,
    OrganisationTag,
    OrganisationWord,
    Report,
    User,
    Verification,
)


async def get_organisation(session: AsyncSession, user_id: int) -> Organisation | None:
    """The organisation the user belongs to (as owner or member), with its tags."""
    return await session.scalar(
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user_id)
    )


async def owned_organisation(session: AsyncSession, user_id: int) -> Organisation | None:
    """The organisation the user belongs to, only if they are one of its owners."""
    return await session.scalar(
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user_id, Membership.role == "owner")
    )


async def role_of(session: AsyncSession, user_id: int) -> tuple[int, str] | None:
    """`(organisation_id, role)` of the user's membership, or None."""
    row = (
        await session.execute(
            select(Membership.organisation_id, Membership.role).where(Membership.user_id == user_id)
        )
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


async def members_of(
    session: AsyncSession, organisation_id: int, *, owners_only: bool = False
) -> list[tuple[int, str | None, str]]:
    """`(user_id, language, role)` of an organisation's members (owners only if asked),
    oldest first."""
    query = (
        select(Membership.user_id, User.language, Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(Membership.joined_at, Membership.user_id)
    )
    if owners_only:
        query = query.where(Membership.role == "owner")
    return [(int(uid), language, str(role)) for uid, language, role in await session.execute(query)]


def replace_tags(organisation: Organisation, tags: Iterable[tuple[str, str]]) -> None:
    """Make the organisation's tags exactly `tags`, touching only what changed."""
    wanted = set(tags)
    current = {(tag.kind, tag.code): tag for tag in organisation.tags}
    for pair, tag in current.items():
        if pair not in wanted:
            organisation.tags.remove(tag)
    for kind, code in sorted(wanted - current.keys()):
        organisation.tags.append(OrganisationTag(kind=kind, code=code))


async def replace_words(
    session: AsyncSession, organisation_id: int, before: set[str], after: set[str]
) -> None:
    """Update an organisation's search words from `before` to `after`."""
    gone, new = before - after, after - before
    if gone:
        await session.execute(
            delete(OrganisationWord).where(
                OrganisationWord.organisation_id == organisation_id,
                OrganisationWord.word.in_(gone),
            )
        )
    if new:
        await session.execute(
            insert(OrganisationWord),
            [{"word": word, "organisation_id": organisation_id} for word in sorted(new)],
        )


async def remember_mask_values(session: AsyncSession, values: dict[str, int]) -> None:
    """Record mask values (by column name) that some organisation now holds."""
    dialect = session.get_bind().dialect.name
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"kind": kind, "value": value} for kind, value in sorted(values.items())]
    await session.execute(insert_(MaskValue).on_conflict_do_nothing(), rows)


async def add_once(session: AsyncSession, row: Verification | Report) -> bool:
    """Add `row` unless a partial unique index says an open one exists already."""
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        return False
    return True
