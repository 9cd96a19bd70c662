"""Proposing a call, picking a slot, declining, moving and cancelling: the rules, no Telegram.
Only members of the introduction's two organisations may act, checked here on every call."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot import navigation, zones
from bot.handlers.contacts import followups
from bot.handlers.meetings import queries
from bot.handlers.meetings.slots import (
    FOLLOW_UP_AFTER,
    MAX_SLOTS,
    OPEN_PER_PAIR,
    REMIND_BEFORE,
    Slot,
    problem,
)
from db.engine import Sessions, reading, writing
from db.models import Meeting, MeetingCopy, MeetingSlot, Organisation, User

ROOM_BYTES = 16  # secrets.token_urlsafe: 22 characters, unguessable


class MeetingRefusal(StrEnum):
    """Why a press on a call could not be taken."""

    NOT_YOURS = "not_yours"
    BANNED = "banned"  # the presser's organisation was blocked by the administrators
    GONE = "gone"  # the other organisation was
    TOO_MANY = "too_many"
    BAD_SLOTS = "bad_slots"
    PICKED = "picked"
    DECLINED = "declined"
    SWAPPED = "swapped"
    CANCELLED = "cancelled"
    OVER = "over"
    SLOT_PASSED = "slot_passed"


class MeetingRefused(navigation.Refused):
    """A press refused before anything changed; `by` names who answered first."""

    def __init__(self, reason: MeetingRefusal, by: str | None = None) -> None:
        super().__init__()
        self.args = (reason.value,)
        self.reason = reason
        self.by = by

    def text(self) -> str:
        from bot.handlers.meetings import texts  # here: texts imports this module

        return texts.refusal(self.reason, self.by)


@dataclass(frozen=True)
class Person:
    """Someone who reads about a call: in their language and zone."""

    user_id: int
    first_name: str
    language: str | None
    zone: str


@dataclass(frozen=True)
class Side:
    """One organisation of the pair: its name, its zone, its working languages, its people."""

    organisation_id: int
    name: str
    zone: str
    languages: tuple[str, ...]
    members: tuple[Person, ...]
    banned: bool = False

    def person(self, user_id: int | None) -> Person:
        """One of its people (the first member if they have left)."""
        for member in self.members:
            if member.user_id == user_id:
                return member
        return self.members[0] if self.members else Person(user_id or 0, "", None, self.zone)


@dataclass(frozen=True)
class Pair:
    """An accepted introduction seen from one of its sides."""

    request_id: int
    mine: Side
    theirs: Side


@dataclass(frozen=True)
class Proposal:
    """Slots offered by `proposer` (of `pair.mine`) to `pair.theirs`."""

    meeting_id: int
    pair: Pair
    proposer: Person
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Call:
    """A proposal as it stands: the agreed slot (once picked) and who is concerned."""

    meeting_id: int
    request_id: int
    status: str
    slot: Slot | None
    link: str
    sequence: int
    proposer: Person
    picker: Person | None
    proposing: Side
    invited: Side

    def side_of(self, user_id: int) -> tuple[Side, Side]:
        """(the user's side, the other side)."""
        if any(member.user_id == user_id for member in self.proposing.members):
            return self.proposing, self.invited
        return self.invited, self.proposing


async def _side(session: AsyncSession, organisation_id: int) -> Side:
    organisation = await session.get(Organisation, organisation_id)
    assert organisation is not None  # foreign keys cascade
    people = tuple(
        Person(
            user.id,
            user.first_name,
            user.language,
            zones.zone_name(user.time_zone, organisation.country, user.language),
        )
        for user in await queries.members(session, organisation_id)
    )
    languages = tuple(sorted(tag.code for tag in organisation.tags if tag.kind == "language"))
    zone = zones.zone_name(None, organisation.country, None)
    banned = organisation.status == "banned"
    return Side(organisation.id, organisation.name, zone, languages, people, banned)


async def _pair(session: AsyncSession, user_id: int, request_id: int) -> Pair:
    """The accepted introduction as the user's side sees it; refused to anyone else."""
    request = await queries.request_of(session, request_id)
    mine = await queries.organisation_of(session, user_id)
    if request is None or request.status != "accepted" or mine is None:
        raise MeetingRefused(MeetingRefusal.NOT_YOURS)
    sides = (request.sender_id, request.recipient_id)
    if mine not in sides:
        raise MeetingRefused(MeetingRefusal.NOT_YOURS)
    theirs = sides[1] if sides[0] == mine else sides[0]
    pair = Pair(request_id, await _side(session, mine), await _side(session, theirs))
    if pair.mine.banned:
        raise MeetingRefused(MeetingRefusal.BANNED)
    if pair.theirs.banned:
        raise MeetingRefused(MeetingRefusal.GONE)
    return pair


async def start(sessions: Sessions, user_id: int, request_id: int, now: datetime) -> Pair:
    """ "📅 Arrange a call": allowed to either side of an accepted introduction, while fewer
    than three proposals between the two wait for an answer."""
    async with reading(sessions) as session:
        pair = await _pair(session, user_id, request_id)
        mine, theirs = pair.mine.organisation_id, pair.theirs.organisation_id
        if await queries.open_between(session, mine, theirs, now) >= OPEN_PER_PAIR:
            raise MeetingRefused(MeetingRefusal.TOO_MANY)
        return pair


async def pair_of(sessions: Sessions, user_id: int, request_id: int) -> Pair:
    """The introduction as the user's side sees it (for the wizard's screens)."""
    async with reading(sessions) as session:
        return await _pair(session, user_id, request_id)


async def propose(
    sessions: Sessions, user_id: int, request_id: int, slots: list[Slot], now: datetime
) -> Proposal:
    """Store a proposal of one to three slots, each checked again (time has passed since
    they were chosen)."""
    if not 1 <= len(slots) <= MAX_SLOTS or any(problem(s.starts_at, now) for s in slots):
        raise MeetingRefused(MeetingRefusal.BAD_SLOTS)
    async with writing(sessions) as session:
        pair = await _pair(session, user_id, request_id)
        mine, theirs = pair.mine.organisation_id, pair.theirs.organisation_id
        if await queries.open_between(session, mine, theirs, now) >= OPEN_PER_PAIR:
            raise MeetingRefused(MeetingRefusal.TOO_MANY)
        meeting = Meeting(
            request_id=request_id,
            proposer_org=mine,
            invitee_org=theirs,
            proposed_by=user_id,
            status="open",
            sequence=0,
            created_at=now,
        )
        session.add(meeting)
        await session.flush()
        session.add_all(
            MeetingSlot(meeting_id=meeting.id, position=n, starts_at=s.starts_at, minutes=s.minutes)
            for n, s in enumerate(slots)
        )
        return Proposal(meeting.id, pair, pair.mine.person(user_id), tuple(slots))


async def record_copies(sessions: Sessions, meeting_id: int, sent: list[tuple[int, int]]) -> None:
    """Remember each member's copy `(user id, message id)` of a proposal."""
    if sent:
        async with writing(sessions) as session:
            session.add_all(
                MeetingCopy(meeting_id=meeting_id, user_id=uid, message_id=mid) for uid, mid in sent
            )


async def other_copies(
    sessions: Sessions, meeting_id: int, pressed: tuple[int, int] | None
) -> list[tuple[int, int, str | None]]:
    """Every copy of a proposal but the one pressed, to close."""
    async with reading(sessions) as session:
        found = await queries.copies(session, meeting_id)
    return [copy for copy in found if (copy[0], copy[1]) != pressed]


async def _call(session: AsyncSession, meeting: Meeting) -> Call:
    proposing = await _side(session, meeting.proposer_org)
    invited = await _side(session, meeting.invitee_org)
    slot = None
    if meeting.starts_at is not None and meeting.minutes is not None:
        slot = Slot(meeting.starts_at, meeting.minutes)
    picker = invited.person(meeting.picked_by) if meeting.picked_by else None
    return Call(
        meeting.id,
        meeting.request_id,
        meeting.status,
        slot,
        meeting.link or "",
        meeting.sequence,
        proposing.person(meeting.proposed_by),
        picker,
        proposing,
        invited,
    )


async def _refuse_closed(session: AsyncSession, meeting: Meeting, now: datetime) -> None:
    """A press on a proposal already answered, or a call already over: say what happened."""
    by = await session.get(User, meeting.picked_by) if meeting.picked_by else None
    name = by.first_name if by else None
    match meeting.status:
        case "agreed" if meeting.starts_at is not None and meeting.starts_at <= now:
            raise MeetingRefused(MeetingRefusal.OVER)
        case "agreed":
            raise MeetingRefused(MeetingRefusal.PICKED, name)
        case "declined":
            raise MeetingRefused(MeetingRefusal.DECLINED, name)
        case "swapped":
            raise MeetingRefused(MeetingRefusal.SWAPPED, name)
        case "cancelled":
            raise MeetingRefused(MeetingRefusal.CANCELLED)


async def _answerable(
    session: AsyncSession, user_id: int, meeting_id: int, now: datetime
) -> Meeting:
    """An open proposal addressed to the user's organisation, locked."""
    meeting = await queries.locked_meeting(session, meeting_id)
    mine = await queries.organisation_of(session, user_id)
    if meeting is None or mine is None or mine != meeting.invitee_org:
        raise MeetingRefused(MeetingRefusal.NOT_YOURS)
    if meeting.status != "open":
        await _refuse_closed(session, meeting, now)
    return meeting


async def pick(
    sessions: Sessions, user_id: int, meeting_id: int, position: int, now: datetime, base_url: str
) -> Call:
    """The first member of the invited organisation to pick a slot decides: the call is
    agreed, with its own video room, reminders for both people, the follow-up the next day."""
    async with writing(sessions) as session:
        meeting = await _answerable(session, user_id, meeting_id, now)
        chosen = [s for s in await queries.slots_of(session, meeting_id) if s.position == position]
        if not chosen:  # a forged slot number: the button is out of date
            raise navigation.Refused()
        slot = Slot(chosen[0].starts_at, chosen[0].minutes)
        if slot.starts_at <= now:
            raise MeetingRefused(MeetingRefusal.SLOT_PASSED)
        meeting.status, meeting.picked_by, meeting.decided_at = "agreed", user_id, now
        meeting.starts_at, meeting.minutes = slot.starts_at, slot.minutes
        meeting.link = base_url.rstrip("/") + "/" + secrets.token_urlsafe(ROOM_BYTES)
        await _plan(session, meeting, slot, now)
        return await _call(session, meeting)


async def _plan(session: AsyncSession, meeting: Meeting, slot: Slot, now: datetime) -> None:
    """Reminders 15 minutes before for both people; the follow-up the day after."""
    people = {meeting.proposed_by, meeting.picked_by or meeting.proposed_by}
    due = max(slot.starts_at - REMIND_BEFORE, now)
    await queries.plan_reminders(session, meeting.id, people, due, now)
    await followups.bring_forward(session, meeting.request_id, slot.ends_at + FOLLOW_UP_AFTER)


async def decline(
    sessions: Sessions, user_id: int, meeting_id: int, now: datetime, *, swap: bool
) -> Call:
    """ "Not now" (declined) or "None of these fits" (swapped: the presser proposes next)."""
    async with writing(sessions) as session:
        meeting = await _answerable(session, user_id, meeting_id, now)
        meeting.status = "swapped" if swap else "declined"
        meeting.picked_by, meeting.decided_at = user_id, now
        return await _call(session, meeting)


async def _changeable(
    session: AsyncSession, user_id: int, meeting_id: int, now: datetime
) -> Meeting:
    """An agreed call not yet begun, of the user's organisation (either side), locked."""
    meeting = await queries.locked_meeting(session, meeting_id)
    mine = await queries.organisation_of(session, user_id)
    if meeting is None or mine not in (meeting.proposer_org, meeting.invitee_org):
        raise MeetingRefused(MeetingRefusal.NOT_YOURS)
    if meeting.status != "agreed" or meeting.starts_at is None or meeting.starts_at <= now:
        await _refuse_closed(session, meeting, now)
        raise MeetingRefused(MeetingRefusal.NOT_YOURS)  # an open proposal: nothing to move
    return meeting


async def call_of(sessions: Sessions, user_id: int, meeting_id: int, now: datetime) -> Call:
    """An agreed call that the user's side may move or cancel (checked before moving)."""
    async with reading(sessions) as session:
        meeting = await _changeable(session, user_id, meeting_id, now)
        return await _call(session, meeting)


async def move(
    sessions: Sessions, user_id: int, meeting_id: int, slot: Slot, now: datetime
) -> Call:
    """Either side moves an agreed call: same calendar entry, its sequence bumped."""
    if problem(slot.starts_at, now):
        raise MeetingRefused(MeetingRefusal.BAD_SLOTS)
    async with writing(sessions) as session:
        meeting = await _changeable(session, user_id, meeting_id, now)
        meeting.starts_at, meeting.minutes = slot.starts_at, slot.minutes
        meeting.sequence += 1
        await _plan(session, meeting, slot, now)
        return await _call(session, meeting)


async def cancel(sessions: Sessions, user_id: int, meeting_id: int, now: datetime) -> Call:
    """Either side calls an agreed call off: reminders dropped, the follow-up back to two
    weeks after the introduction."""
    async with writing(sessions) as session:
        meeting = await _changeable(session, user_id, meeting_id, now)
        meeting.status = "cancelled"
        meeting.sequence += 1
        await queries.drop_reminders(session, meeting.id, now)
        await followups.put_back(session, meeting.request_id)
        return await _call(session, meeting)
