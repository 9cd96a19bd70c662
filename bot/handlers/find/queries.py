"""The SQL of calls and offers: open partner calls and hosted events, who belongs where,
which calls a reader was told of, and the channel's rows. Each takes an open session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    ChannelPost,
    Event,
    Membership,
    Organisation,
    PartnerCall,
    PartnerCallNotice,
    User,
)

SCAN_MAX = 1000  # open posts read at a time, per table (each organisation has few open)


async def open_calls(session: AsyncSession, not_before: date) -> Sequence[PartnerCall]:
    """Approved, not closed calls of active organisations whose deadline is not before
    `not_before` (the caller checks the deadline in each call's own zone), newest first."""
    return (
        await session.scalars(
            select(PartnerCall)
            .join(Organisation, Organisation.id == PartnerCall.host_organisation_id)
            .where(
                PartnerCall.review == "approved",
                PartnerCall.closed_at.is_(None),
                PartnerCall.deadline >= not_before,
                Organisation.status == "active",
            )
            .order_by(PartnerCall.reviewed_at.desc(), PartnerCall.id.desc())
            .limit(SCAN_MAX)
        )
    ).all()


async def open_events(session: AsyncSession, now: datetime) -> Sequence[Event]:
    """Published events and internships hosted by active organisations, not cancelled,
    not ended, taking applications (internships), newest first."""
    return (
        await session.scalars(
            select(Event)
            .join(Organisation, Organisation.id == Event.host_organisation_id)
            .where(
                Event.status == "published",
                Event.review == "approved",
                Event.ends_at > now,
                Event.applications_closed_at.is_(None),
                Organisation.status == "active",
            )
            .order_by(Event.published_at.desc(), Event.id.desc())
            .limit(SCAN_MAX)
        )
    ).all()


async def names(session: AsyncSession, organisation_ids: set[int]) -> dict[int, str]:
    """The names of these organisations, by id."""
    if not organisation_ids:
        return {}
    rows = await session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(organisation_ids))
    )
    return {int(org_id): name for org_id, name in rows}


async def organisation_of(session: AsyncSession, user_id: int) -> int | None:
    """The organisation the user belongs to, if any."""
    found = await session.scalar(
        select(Membership.organisation_id).where(Membership.user_id == user_id)
    )
    return None if found is None else int(found)


async def reader_profile(
    session: AsyncSession, user_id: int
) -> tuple[int, str | None, int, str] | None:
    """`(organisation id, country, can-share mask, status)` of the user's organisation."""
    row = (
        await session.execute(
            select(
                Organisation.id, Organisation.country, Organisation.share_mask, Organisation.status
            )
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user_id)
        )
    ).first()
    if row is None:
        return None
    org_id, country, mask, status = row
    return int(org_id), country, int(mask or 0), status


async def calls_announced_to(session: AsyncSession, user_id: int, call_ids: list[int]) -> set[int]:
    """Which of `call_ids` were announced to the user (or queued for them)."""
    if not call_ids:
        return set()
    found = await session.scalars(
        select(PartnerCallNotice.call_id).where(
            PartnerCallNotice.user_id == user_id, PartnerCallNotice.call_id.in_(call_ids)
        )
    )
    return {int(call_id) for call_id in found}


async def partner_calls_on(session: AsyncSession, user_id: int) -> bool:
    """Whether the user, active, has "📣 Partner calls" on in /settings."""
    row = (
        await session.execute(
            select(User.partner_calls_on, User.is_active).where(User.id == user_id)
        )
    ).first()
    return row is not None and bool(row[0]) and bool(row[1])


async def without_channel_post(session: AsyncSession, kind: str, post_ids: list[int]) -> list[int]:
    """Which of `post_ids` (of `kind`) have no row in the channel yet."""
    if not post_ids:
        return []
    known = set(
        (
            await session.scalars(
                select(ChannelPost.post_id).where(
                    ChannelPost.kind == kind, ChannelPost.post_id.in_(post_ids)
                )
            )
        ).all()
    )
    return [post_id for post_id in post_ids if post_id not in known]


def add_channel_posts(session: AsyncSession, kind: str, post_ids: list[int], now: datetime) -> None:
    session.add_all(
        ChannelPost(kind=kind, post_id=post_id, shown="new", updated_at=now) for post_id in post_ids
    )


async def channel_posts(
    session: AsyncSession, shown: tuple[str, ...], stale: tuple[str, ...], stale_before: datetime
) -> list[tuple[str, int, int | None, str]]:
    """`(kind, post id, message id, shown)` of the channel's posts showing one of `shown`,
    or one of `stale` since before `stale_before` (a claim a stopped process left)."""
    rows = await session.execute(
        select(ChannelPost.kind, ChannelPost.post_id, ChannelPost.message_id, ChannelPost.shown)
        .where(
            ChannelPost.kind.in_(("call", "event")),
            or_(
                ChannelPost.shown.in_(shown),
                and_(ChannelPost.shown.in_(stale), ChannelPost.updated_at < stale_before),
            ),
        )
        .order_by(ChannelPost.updated_at, ChannelPost.kind, ChannelPost.post_id)
    )
    return [(kind, int(post_id), message_id, state) for kind, post_id, message_id, state in rows]


async def move_channel_post(
    session: AsyncSession,
    kind: str,
    post_id: int,
    before: str,
    after: str,
    now: datetime,
    message_id: int | None = None,
) -> bool:
    """`shown` from `before` to `after` in one statement (a claim); False if it was not
    `before` any more (another worker moved it)."""
    values: dict[str, object] = {"shown": after, "updated_at": now}
    if message_id is not None:
        values["message_id"] = message_id
    result = await session.execute(
        update(ChannelPost)
        .where(
            ChannelPost.kind == kind, ChannelPost.post_id == post_id, ChannelPost.shown == before
        )
        .values(**values)
    )
    return bool(getattr(result, "rowcount", 0))


async def note_refusal(session: AsyncSession, now: datetime) -> bool:
    """Remember that the channel refuses the bot; False if it was remembered already."""
    if await session.get(ChannelPost, ("refusal", 0)) is not None:
        return False
    session.add(ChannelPost(kind="refusal", post_id=0, shown="told", updated_at=now))
    return True


async def forget_refusal(session: AsyncSession) -> None:
    """The channel accepts the bot again: a later refusal is told anew."""
    await session.execute(
        delete(ChannelPost).where(ChannelPost.kind == "refusal", ChannelPost.post_id == 0)
    )
