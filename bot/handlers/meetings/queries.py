"""The meetings' SQL: sides and their members, open proposals, copies, reminders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    ContactRequest,
    Meeting,
    MeetingCopy,
    MeetingNotice,
    MeetingSlot,
    Membership,
    Organisation,
    User,
)


async def organisation_of(session: AsyncSession, user_id: int) -> int | None:
    """The id of the organisation the user belongs to."""
    return await session.scalar(
        select(Membership.organisation_id).where(Membership.user_id == user_id)
    )


async def members(session: AsyncSession, organisation_id: int) -> list[User]:
    """An organisation's people, oldest member first."""
    rows = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(Membership.joined_at, Membership.user_id)
    )
    return list(rows.all())


async def country_of(session: AsyncSession, user_id: int) -> str | None:
    """The country of the user's organisation."""
    return await session.scalar(
        select(Organisation.country)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user_id)
    )


async def open_between(session: AsyncSession, first: int, second: int, now: datetime) -> int:
    """How many proposals between two organisations wait for an answer (either way); one
    whose times have all passed no longer counts."""
    upcoming = (
        select(MeetingSlot.meeting_id)
        .where(MeetingSlot.meeting_id == Meeting.id, MeetingSlot.starts_at > now)
        .exists()
    )
    found = await session.scalar(
        select(func.count())
        .select_from(Meeting)
        .where(
            Meeting.proposer_org.in_((first, second)),
            Meeting.invitee_org.in_((first, second)),
            Meeting.status == "open",
            upcoming,
        )
    )
    return int(found or 0)


async def locked_meeting(session: AsyncSession, meeting_id: int) -> Meeting | None:
    """A meeting, locked for the change about to be made (PostgreSQL)."""
    return await session.get(Meeting, meeting_id, with_for_update=True)


async def slots_of(session: AsyncSession, meeting_id: int) -> list[MeetingSlot]:
    """A proposal's slots, in order."""
    rows = await session.scalars(
        select(MeetingSlot)
        .where(MeetingSlot.meeting_id == meeting_id)
        .order_by(MeetingSlot.position)
    )
    return list(rows.all())


async def request_of(session: AsyncSession, request_id: int) -> ContactRequest | None:
    """An introduction."""
    return await session.get(ContactRequest, request_id)


async def copies(session: AsyncSession, meeting_id: int) -> list[tuple[int, int, str | None]]:
    """`(user id, message id, language)` of each member's copy of a proposal."""
    rows = await session.execute(
        select(MeetingCopy.user_id, MeetingCopy.message_id, User.language)
        .outerjoin(User, User.id == MeetingCopy.user_id)
        .where(MeetingCopy.meeting_id == meeting_id)
        .order_by(MeetingCopy.user_id)
    )
    return [(int(uid), int(mid), language) for uid, mid, language in rows]


async def plan_reminders(
    session: AsyncSession, meeting_id: int, people: set[int], due_at: datetime, now: datetime
) -> None:
    """One reminder for each of `people` at `due_at`: the rows of an earlier time are
    moved (and sent again, for the new time), none is added twice."""
    await session.execute(delete(MeetingNotice).where(MeetingNotice.meeting_id == meeting_id))
    session.add_all(
        MeetingNotice(
            meeting_id=meeting_id, user_id=user_id, kind="reminder", due_at=due_at, updated_at=now
        )
        for user_id in sorted(people)
    )


async def drop_reminders(session: AsyncSession, meeting_id: int, now: datetime) -> None:
    """A cancelled call: its reminders waiting to be sent are dropped."""
    await session.execute(
        update(MeetingNotice)
        .where(MeetingNotice.meeting_id == meeting_id, MeetingNotice.state == "pending")
        .values(state="dropped", updated_at=now)
    )


async def next_pending_notice(session: AsyncSession, now: datetime) -> MeetingNotice | None:
    """The oldest reminder due at `now`, locked as it is chosen (SKIP LOCKED on PostgreSQL:
    two schedulers for a moment at once never claim the same one)."""
    found: MeetingNotice | None = await session.scalar(
        select(MeetingNotice)
        .where(MeetingNotice.state == "pending", MeetingNotice.due_at <= now)
        .order_by(MeetingNotice.due_at, MeetingNotice.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return found


async def set_notice_state(
    session: AsyncSession, notice_id: int, state: str, now: datetime
) -> None:
    """Record what became of a claimed reminder."""
    await session.execute(
        update(MeetingNotice)
        .where(MeetingNotice.id == notice_id)
        .values(state=state, updated_at=now)
    )


async def interrupt_sending(session: AsyncSession, now: datetime) -> int:
    """Reminders a dead process had claimed: "interrupted", never resent; how many."""
    result = await session.execute(
        update(MeetingNotice)
        .where(MeetingNotice.state == "sending")
        .values(state="interrupted", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def earliest_pending(session: AsyncSession) -> datetime | None:
    """When the earliest pending reminder falls due."""
    found: datetime | None = await session.scalar(
        select(func.min(MeetingNotice.due_at)).where(MeetingNotice.state == "pending")
    )
    return found
