"""The notice queue: claim what is due, settle it, rebuild at start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from bot import zones
from bot.handlers.events.drafts import EventInfo, host_name, info_of
from db.engine import Sessions, reading, writing
from db.models import Event, Membership, Notice, Organisation, User


@dataclass(frozen=True)
class Due:
    """A claimed notice, with what it takes to write it."""

    notice_id: int
    kind: str
    user_id: int
    language: str
    zone: str
    event: EventInfo


async def claim_next(sessions: Sessions, now: datetime, default_language: str) -> Due | None:
    """The oldest due notice still worth sending, marked "sending" (so never sent twice);
    stale ones met on the way (a reminder after the start…) are dropped. On PostgreSQL
    the row is locked as it is chosen (SKIP LOCKED), so two schedulers running for a
    moment at once (a leader's takeover) never claim the same notice."""
    async with writing(sessions) as session:
        while True:
            notice = await session.scalar(
                select(Notice)
                .where(Notice.state == "pending", Notice.due_at <= now)
                .order_by(Notice.due_at, Notice.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if notice is None:
                return None
            event = await session.get(Event, notice.event_id)
            user = await session.get(User, notice.user_id)
            notice.updated_at = now
            if event is None or user is None or not _still_useful(notice, event, user, now):
                notice.state = "dropped"
                continue
            notice.state = "sending"
            country = await session.scalar(
                select(Organisation.country)
                .join(Membership, Membership.organisation_id == Organisation.id)
                .where(Membership.user_id == user.id)
            )
            language = user.language or default_language
            zone = zones.zone_name(user.time_zone, country, language)
            info = info_of(event, host=await host_name(session, event))
            return Due(notice.id, notice.kind, user.id, language, zone, info)


def _still_useful(notice: Notice, event: Event, user: User, now: datetime) -> bool:
    if not user.is_active:
        return False
    if notice.kind == "cancelled":
        return event.status == "cancelled"
    if event.status != "published" or now >= event.starts_at:
        return False
    if notice.kind == "announce":
        return user.events_on
    if notice.kind == "deadline":
        return event.deadline is not None and now < event.deadline
    return True


async def settle(sessions: Sessions, notice_id: int, state: str, now: datetime) -> None:
    """Record what became of a claimed notice (sent, blocked or failed)."""
    async with writing(sessions) as session:
        await session.execute(
            update(Notice).where(Notice.id == notice_id).values(state=state, updated_at=now)
        )
        if state == "blocked":
            user_id = select(Notice.user_id).where(Notice.id == notice_id).scalar_subquery()
            await session.execute(update(User).where(User.id == user_id).values(is_active=False))


async def give_up_interrupted(sessions: Sessions, now: datetime) -> int:
    """At start: notices a dead process had claimed may or may not have reached the user;
    they are never sent again ("never twice")."""
    async with writing(sessions) as session:
        result = await session.execute(
            update(Notice)
            .where(Notice.state == "sending")
            .values(state="interrupted", updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def next_due(sessions: Sessions) -> datetime | None:
    """When the scheduler should next wake: the earliest pending notice or publication."""
    async with reading(sessions) as session:
        notice = await session.scalar(
            select(func.min(Notice.due_at)).where(Notice.state == "pending")
        )
        publication = await session.scalar(
            select(func.min(Event.publish_at)).where(Event.status == "scheduled")
        )
    moments = [m for m in (notice, publication) if m is not None]
    return min(moments) if moments else None
