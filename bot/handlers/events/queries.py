"""Events' queries: events as listed, the notice queue, RSVPs' reminders, subscribers and
what a user follows. The rules (drafts, publishing, notices, rsvps, listings, preferences)
open the transaction and decide."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Event, Membership, Notice, Organisation, Rsvp, User

# -- events as listed ----------------------------------------------------------------------


async def for_admins(session: AsyncSession, now: datetime, limit: int) -> list[Event]:
    """Drafts, scheduled and upcoming published events, soonest first (members' posts
    once approved)."""
    return list(
        await session.scalars(
            select(Event)
            .where(
                (Event.status.in_(["draft", "scheduled"]))
                | and_(Event.status == "published", Event.ends_at > now)
            )
            .where(Event.review == "approved")  # members' posts wait in /review
            .order_by(Event.starts_at)
            .limit(limit)
        )
    )


async def upcoming(session: AsyncSession, now: datetime, offset: int, limit: int) -> list[Event]:
    """Published events not yet over, soonest first."""
    return list(
        await session.scalars(
            select(Event)
            .where(Event.status == "published", Event.ends_at > now)
            .order_by(Event.starts_at, Event.id)
            .offset(offset)
            .limit(limit)
        )
    )


async def going_among(session: AsyncSession, user_id: int, event_ids: list[int]) -> set[int]:
    """Which of `event_ids` the user said they would attend."""
    return set(
        await session.scalars(
            select(Rsvp.event_id).where(
                Rsvp.user_id == user_id, Rsvp.going.is_(True), Rsvp.event_id.in_(event_ids)
            )
        )
    )


async def published_since(
    session: AsyncSession, since: datetime, now: datetime, limit: int
) -> Sequence[Event]:
    """Events published since `since` and still to come, soonest first."""
    return (
        await session.scalars(
            select(Event)
            .where(Event.status == "published", Event.published_at >= since)
            .where(Event.starts_at > now)
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
        )
    ).all()


async def known_to(session: AsyncSession, user_id: int, event_ids: list[int]) -> set[int]:
    """Which of `event_ids` were announced to the user (sent, or maybe: interrupted) or
    answered by them."""
    announced = select(Notice.event_id).where(
        Notice.user_id == user_id,
        Notice.event_id.in_(event_ids),
        Notice.kind == "announce",
        Notice.state.in_(("sent", "interrupted")),
    )
    answered = select(Rsvp.event_id).where(Rsvp.user_id == user_id, Rsvp.event_id.in_(event_ids))
    return set(await session.scalars(announced.union(answered)))


async def counts_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """For each event, announcements sent and people attending."""
    announced = dict(
        (
            await session.execute(
                select(Notice.event_id, func.count())
                .where(Notice.event_id.in_(ids), Notice.kind == "announce")
                .where(Notice.state == "sent")
                .group_by(Notice.event_id)
            )
        ).all()
    )
    attending = dict(
        (
            await session.execute(
                select(Rsvp.event_id, func.count())
                .where(Rsvp.event_id.in_(ids), Rsvp.going.is_(True))
                .group_by(Rsvp.event_id)
            )
        ).all()
    )
    return {i: (int(announced.get(i, 0)), int(attending.get(i, 0))) for i in ids}


async def scheduled_due(session: AsyncSession, now: datetime) -> list[int]:
    """Scheduled events whose publication time has come."""
    return list(
        await session.scalars(
            select(Event.id).where(Event.status == "scheduled", Event.publish_at <= now)
        )
    )


# -- subscribers ---------------------------------------------------------------------------


async def subscriber_rows(session: AsyncSession) -> list[Any]:
    """Active users who want announcements, with what decides which ones: `(id, language,
    zone, kinds, topics, country, learn mask, focus mask, organisation)`; owners of banned
    organisations are left out."""
    rows = await session.execute(
        select(
            User.id,
            User.language,
            User.time_zone,
            User.event_kinds,
            User.event_topics,
            Organisation.country,
            Organisation.learn_mask,
            Organisation.focus_mask,
            Organisation.id,
        )
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
        .where(User.is_active.is_(True), User.events_on.is_(True))
        .where((Organisation.id.is_(None)) | (Organisation.status != "banned"))
    )
    return list(rows)


async def subscription(session: AsyncSession, user_id: int) -> Any:
    """`(events on, kinds, topics, the organisation's learn mask)` of a user, or None."""
    return (
        await session.execute(
            select(User.events_on, User.event_kinds, User.event_topics, Organisation.learn_mask)
            .outerjoin(Membership, Membership.user_id == User.id)
            .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
            .where(User.id == user_id)
        )
    ).first()


async def set_events_on(session: AsyncSession, user_id: int, on: bool) -> None:
    """Announcements on or off for the user."""
    await session.execute(update(User).where(User.id == user_id).values(events_on=on))


async def set_topics(session: AsyncSession, user_id: int, topics: list[str]) -> None:
    """The topics the user follows."""
    await session.execute(update(User).where(User.id == user_id).values(event_topics=topics))


async def country_of(session: AsyncSession, user_id: int) -> str | None:
    """The country of the user's organisation, if any."""
    return await session.scalar(
        select(Organisation.country)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user_id)
    )


async def organisation_name(session: AsyncSession, organisation_id: int) -> str | None:
    """The name of an organisation (the host of a member's post)."""
    return await session.scalar(select(Organisation.name).where(Organisation.id == organisation_id))


# -- the notice queue ----------------------------------------------------------------------


async def add_notices(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Queue notices, a thousand rows a statement."""
    for start in range(0, len(rows), 1000):
        await session.execute(insert(Notice), rows[start : start + 1000])


async def oldest_due(session: AsyncSession, now: datetime) -> Notice | None:
    """The oldest pending notice due by `now`, locked as it is chosen (SKIP LOCKED)."""
    return await session.scalar(
        select(Notice)
        .where(Notice.state == "pending", Notice.due_at <= now)
        .order_by(Notice.due_at, Notice.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


async def settle(session: AsyncSession, notice_id: int, state: str, now: datetime) -> None:
    """What became of a claimed notice; a user who blocked the bot is marked inactive."""
    await session.execute(
        update(Notice).where(Notice.id == notice_id).values(state=state, updated_at=now)
    )
    if state == "blocked":
        user_id = select(Notice.user_id).where(Notice.id == notice_id).scalar_subquery()
        await session.execute(update(User).where(User.id == user_id).values(is_active=False))


async def interrupt_sending(session: AsyncSession, now: datetime) -> int:
    """Notices claimed by a process that died: interrupted. Returns how many."""
    result = await session.execute(
        update(Notice)
        .where(Notice.state == "sending")
        .values(state="interrupted", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def earliest(session: AsyncSession) -> tuple[datetime | None, datetime | None]:
    """The earliest pending notice's due time and the earliest scheduled publication."""
    notice = await session.scalar(select(func.min(Notice.due_at)).where(Notice.state == "pending"))
    publication = await session.scalar(
        select(func.min(Event.publish_at)).where(Event.status == "scheduled")
    )
    return notice, publication


async def drop_pending(
    session: AsyncSession,
    event_id: int,
    now: datetime,
    *,
    kinds: Collection[str] | None = None,
    user_id: int | None = None,
) -> None:
    """Drop an event's pending notices (of `kinds`, for `user_id`, when given)."""
    query = update(Notice).where(Notice.event_id == event_id, Notice.state == "pending")
    if kinds is not None:
        query = query.where(Notice.kind.in_(list(kinds)))
    if user_id is not None:
        query = query.where(Notice.user_id == user_id)
    await session.execute(query.values(state="dropped", updated_at=now))


async def move_pending(session: AsyncSession, event_id: int, kind: str, due: datetime) -> None:
    """An event's pending notices of `kind` become due at `due`."""
    await session.execute(
        update(Notice)
        .where(Notice.event_id == event_id, Notice.kind == kind)
        .where(Notice.state == "pending")
        .values(due_at=due)
    )


async def drop_announcements(session: AsyncSession, user_id: int) -> None:
    """The user's announcements still waiting (for the morning) are dropped."""
    await session.execute(
        update(Notice)
        .where(Notice.user_id == user_id, Notice.kind == "announce")
        .where(Notice.state == "pending")
        .values(state="dropped")
    )


async def delete_reminders(
    session: AsyncSession, event_id: int, user_id: int, kinds: Collection[str]
) -> None:
    """The user's pending reminders of an event are deleted (queued again if they go)."""
    await session.execute(
        delete(Notice).where(
            Notice.event_id == event_id,
            Notice.user_id == user_id,
            Notice.kind.in_(list(kinds)),
            Notice.state == "pending",
        )
    )


async def attending(session: AsyncSession, event_id: int) -> set[int]:
    """Who said they would attend the event."""
    return set(
        await session.scalars(
            select(Rsvp.user_id).where(Rsvp.event_id == event_id, Rsvp.going.is_(True))
        )
    )


async def notified(session: AsyncSession, event_id: int, kind: str) -> set[int]:
    """Who has (or had) a notice of `kind` about the event."""
    return set(
        await session.scalars(
            select(Notice.user_id).where(Notice.event_id == event_id, Notice.kind == kind)
        )
    )


async def queue_again(
    session: AsyncSession, event_id: int, kind: str, user_ids: Collection[int], now: datetime
) -> None:
    """The users' notices of `kind` about the event are due again, now."""
    await session.execute(
        update(Notice)
        .where(Notice.event_id == event_id, Notice.kind == kind)
        .where(Notice.user_id.in_(user_ids))
        .values(state="pending", due_at=now, updated_at=now)
    )
