"""Join requests: someone who found their organisation at onboarding asks to join it, and
one of its owners accepts or declines (the first answer counts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.team import queries
from bot.handlers.team.membership import (
    InviteProblem,
    InviteRefused,
    Joinable,
    Refusal,
    Refused,
)
from db import repositories
from db.engine import Sessions, reading, writing
from db.models import JoinRequest, Membership, Organisation, User


@dataclass(frozen=True)
class Asked:
    """A new join request: whom to ask (owners, with their languages) and about whom."""

    request_id: int
    organisation: Joinable
    owners: tuple[tuple[int, str | None], ...]
    first_name: str
    username: str | None


class Outcome(StrEnum):
    """What became of a join request an owner answered."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    ELSEWHERE = "elsewhere"  # closed: the person joined or registered another organisation
    HERE = "here"  # closed: the person joined this organisation by an invitation meanwhile


Copies = tuple[tuple[int, int, str | None], ...]  # (owner, message id, language) of each copy


@dataclass(frozen=True)
class Answered:
    """An owner's answer, for telling the person who asked and closing the other copies."""

    user_id: int
    language: str | None
    first_name: str
    username: str | None
    organisation: str
    outcome: Outcome
    others: Copies = ()  # every copy but the one pressed (the presser's own included)

    @property
    def accepted(self) -> bool:
        """Whether the person became a member by this answer."""
        return self.outcome is Outcome.ACCEPTED


@dataclass(frozen=True)
class Waiting:
    """The user's own join request, still waiting for an answer."""

    request_id: int
    organisation: str


@dataclass(frozen=True)
class Withdrawn:
    """A join request its author withdrew: the owners' copies to close."""

    organisation: str
    first_name: str
    username: str | None
    copies: Copies


async def ask(sessions: Sessions, user_id: int, organisation_id: int, now: datetime) -> Asked:
    """Ask the owners of an organisation to let the user in."""
    async with writing(sessions) as session:
        organisation = await session.get(Organisation, organisation_id)
        user = await session.get(User, user_id)
        if organisation is None or user is None or organisation.status == "banned":
            raise InviteRefused(InviteProblem.UNKNOWN)
        current = await session.get(Membership, user_id)
        if current is not None:
            problem = (
                InviteProblem.MEMBER
                if current.organisation_id == organisation_id
                else InviteProblem.ELSEWHERE
            )
            mine = await session.get(Organisation, current.organisation_id)
            raise InviteRefused(problem, mine.name if mine else "")
        if await queries.pending_join(session, user_id) is not None:
            raise InviteRefused(InviteProblem.WAITING)
        request = await queries.add_join_request(session, organisation_id, user_id, now)
        if request is None:  # the same press twice at once
            raise InviteRefused(InviteProblem.WAITING)
        owners = await repositories.members_of(session, organisation_id, owners_only=True)
        return Asked(
            request.id,
            Joinable(organisation.id, organisation.name, organisation.city),
            tuple((owner, language) for owner, language, _ in owners),
            user.first_name,
            user.username,
        )


async def decide(
    sessions: Sessions,
    user_id: int,
    request_id: int,
    *,
    accept: bool,
    now: datetime,
    pressed: int = 0,
) -> Answered:
    """An owner of the organisation accepts (the person becomes a member) or declines;
    `pressed`: the id of the message pressed, the one copy not to close."""
    async with writing(sessions) as session:
        request = await session.get(JoinRequest, request_id, with_for_update=True)
        mine = await session.get(Membership, user_id)
        if mine is None:
            raise Refused(Refusal.NOT_MEMBER)
        if request is None or request.organisation_id != mine.organisation_id:
            raise Refused(Refusal.GONE)
        if mine.role != "owner":
            raise Refused(Refusal.NOT_OWNER)
        if request.status == "withdrawn":
            raise Refused(Refusal.WITHDRAWN)
        if request.status == "closed":
            raise Refused(Refusal.CLOSED)
        if request.status != "pending":
            if request.decided_by == user_id:
                raise Refused(Refusal.YOU_DECIDED)
            by = await session.get(User, request.decided_by) if request.decided_by else None
            raise Refused(Refusal.DECIDED, by.first_name if by else "")
        person = await session.get(User, request.user_id)
        organisation = await session.get(Organisation, request.organisation_id)
        assert person is not None and organisation is not None
        outcome = Outcome.ACCEPTED if accept else Outcome.DECLINED
        current = await session.get(Membership, request.user_id)
        if current is not None:  # they joined or registered an organisation meanwhile
            here = current.organisation_id == organisation.id
            outcome = Outcome.HERE if here else Outcome.ELSEWHERE
        request.status = {Outcome.ACCEPTED: "accepted", Outcome.DECLINED: "declined"}.get(
            outcome, "closed"
        )
        request.decided_by = user_id
        request.decided_at = now
        if outcome is Outcome.ACCEPTED:
            session.add(
                Membership(
                    user_id=person.id,
                    organisation_id=organisation.id,
                    role="member",
                    joined_at=now,
                )
            )
        others = await _copies(session, request, but=(user_id, pressed))
        return Answered(
            person.id,
            person.language,
            person.first_name,
            person.username,
            organisation.name,
            outcome,
            others,
        )


async def _copies(
    session: AsyncSession, request: JoinRequest, *, but: tuple[int, int] | None = None
) -> Copies:
    """The owners' copies of a request (but the copy `but`, `(owner, message id)`), with
    the owners' languages."""
    found = []
    for owner_id, message_id in request.copies or []:
        if (owner_id, message_id) != but:
            owner = await session.get(User, owner_id)
            found.append((owner_id, message_id, owner.language if owner else None))
    return tuple(found)


async def waiting(sessions: Sessions, user_id: int) -> Waiting | None:
    """The user's join request still waiting, unless they belong to an organisation now."""
    async with reading(sessions) as session:
        request = await queries.pending_join(session, user_id)
        if request is None or await session.get(Membership, user_id) is not None:
            return None
        organisation = await session.get(Organisation, request.organisation_id)
        return Waiting(request.id, organisation.name if organisation else "")


async def withdraw(sessions: Sessions, user_id: int, request_id: int, now: datetime) -> Withdrawn:
    """The person withdraws their own waiting join request."""
    async with writing(sessions) as session:
        request = await session.get(JoinRequest, request_id, with_for_update=True)
        if request is None or request.user_id != user_id or request.status != "pending":
            raise Refused(Refusal.ANSWERED)
        request.status = "withdrawn"
        request.decided_by = user_id
        request.decided_at = now
        organisation = await session.get(Organisation, request.organisation_id)
        person = await session.get(User, user_id)
        return Withdrawn(
            organisation.name if organisation else "",
            person.first_name if person else "",
            person.username if person else None,
            await _copies(session, request),
        )


async def record_copies(sessions: Sessions, request_id: int, copies: list[tuple[int, int]]) -> None:
    """Remember each owner's copy `(user id, message id)` of a join request."""
    async with writing(sessions) as session:
        request = await session.get(JoinRequest, request_id)
        if request is not None:
            request.copies = [[user_id, message_id] for user_id, message_id in copies]
