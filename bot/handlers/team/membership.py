"""Who belongs to an organisation and what each may do: the team, invitations, removing,
handing over and leaving. Every change checks the presser's role anew."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot import navigation
from bot.handlers.team import queries
from db import repositories
from db.engine import Sessions, reading, writing
from db.models import InviteLink, Membership, Organisation, User

INVITE_VALID: Final = timedelta(days=7)
INVITE_USES: Final = 10
OPEN_INVITES_MAX: Final = 5  # links open at once per organisation


class Refusal(StrEnum):
    """Why a team action was refused (nothing changed)."""

    NOT_MEMBER = "not_member"  # the presser belongs to no organisation (or was removed)
    NOT_OWNER = "not_owner"
    GONE = "gone"  # the member or the link is not (or no longer) in the presser's team
    SELF = "self"
    LAST_OWNER = "last_owner"
    TOO_MANY = "too_many"
    DECIDED = "decided"  # a join request another owner answered first
    YOU_DECIDED = "you_decided"  # a join request the presser answered already (another copy)
    WITHDRAWN = "withdrawn"  # a join request its author withdrew
    CLOSED = "closed"  # a join request whose author joined or registered an organisation
    ANSWERED = "answered"  # the author's press on their join request, no longer waiting


class Refused(navigation.Refused):
    """A team action that cannot go ahead; `by`: who answered first (DECIDED). The team's
    router answers it with the reason (`texts.refusal`), as an alert."""

    def __init__(self, reason: Refusal, by: str = "") -> None:
        super().__init__()
        self.args = (reason.value,)
        self.reason = reason
        self.by = by

    def text(self) -> str:
        from bot.handlers.team import texts  # here: texts imports this module

        return texts.refusal(self.reason, self.by)


class InviteProblem(StrEnum):
    """Why an invitation cannot be used."""

    UNKNOWN = "unknown"  # forged, mistyped, or its organisation is gone
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED_UP = "used_up"
    MEMBER = "member"  # the user is in this organisation already
    ELSEWHERE = "elsewhere"  # the user belongs to another organisation
    WAITING = "waiting"  # a join request of the user's waits for an answer already


class InviteRefused(navigation.Refused):
    """An invitation that cannot be used; `name` is the organisation the user is in. A press
    it refuses is answered with why (`texts.invite_problem`), as an alert."""

    def __init__(self, problem: InviteProblem, name: str = "") -> None:
        super().__init__()
        self.args = (problem.value,)
        self.problem = problem
        self.name = name

    def text(self) -> str:
        from bot.handlers.team import texts  # here: texts imports this module

        return texts.invite_problem(self.problem, self.name)


@dataclass(frozen=True)
class Member:
    """One person of the team."""

    user_id: int
    first_name: str
    username: str | None
    owner: bool


@dataclass(frozen=True)
class Invite:
    """An open invitation link (its token is not kept: only its hash)."""

    id: int
    expires_at: datetime
    uses_left: int


@dataclass(frozen=True)
class Team:
    """The Team screen as one member sees it."""

    name: str
    me: Member
    members: tuple[Member, ...]
    invites: tuple[Invite, ...]

    @property
    def owners(self) -> int:
        return sum(member.owner for member in self.members)


@dataclass(frozen=True)
class Joinable:
    """The organisation an invitation leads to, as the offer to join names it."""

    id: int
    name: str
    city: str


People = tuple[tuple[int, str | None], ...]  # (user id, language) of each person to tell


@dataclass(frozen=True)
class Joined:
    """Someone who joined by an invitation, to tell the owners: who, and through which
    link (who created it, until when it works, how many uses it has left)."""

    organisation: Joinable
    first_name: str
    username: str | None
    inviter: str
    expires_at: datetime
    uses_left: int
    owners: People


@dataclass(frozen=True)
class Promoted:
    """A member made an owner, to be told in their language, and by whom."""

    member: Member
    language: str | None
    organisation: str
    by: str


@dataclass(frozen=True)
class Left:
    """Someone who left: the organisation's name, and, when an owner left a team that
    stays, the owners who remain, to be told."""

    organisation: str
    first_name: str
    owners: People = ()


@dataclass(frozen=True)
class Removed:
    """A member taken out of the team, to be told in their language."""

    user_id: int
    language: str | None
    organisation: str


def hash_token(token: str) -> str:
    """What is stored of an invitation's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _member(membership: Membership, user: User) -> Member:
    return Member(user.id, user.first_name, user.username, membership.role == "owner")


async def _mine(session: AsyncSession, user_id: int, *, owner: bool) -> Membership:
    membership = await session.get(Membership, user_id)
    if membership is None:
        raise Refused(Refusal.NOT_MEMBER)
    if owner and membership.role != "owner":
        raise Refused(Refusal.NOT_OWNER)
    return membership


async def team(sessions: Sessions, user_id: int, now: datetime) -> Team | None:
    """The user's team, or None if they belong to no organisation."""
    async with reading(sessions) as session:
        membership = await session.get(Membership, user_id)
        if membership is None:
            return None
        organisation = await session.get(Organisation, membership.organisation_id)
        assert organisation is not None
        members = tuple(_member(m, u) for m, u in await queries.members(session, organisation.id))
        me = next(member for member in members if member.user_id == user_id)
        invites: tuple[Invite, ...] = ()
        if me.owner:
            found = await queries.open_invites(session, organisation.id, now)
            invites = tuple(Invite(i.id, i.expires_at, i.uses_left) for i in found)
        return Team(organisation.name, me, members, invites)


async def create_invite(sessions: Sessions, user_id: int, now: datetime) -> tuple[str, str]:
    """A new invitation link's token and the organisation's name (owners only; a few
    links open at once)."""
    token = secrets.token_urlsafe(16)
    async with writing(sessions) as session:
        membership = await _mine(session, user_id, owner=True)
        organisation_id = membership.organisation_id
        if len(await queries.open_invites(session, organisation_id, now)) >= OPEN_INVITES_MAX:
            raise Refused(Refusal.TOO_MANY)
        session.add(
            InviteLink(
                organisation_id=organisation_id,
                token_hash=hash_token(token),
                created_by=user_id,
                created_at=now,
                expires_at=now + INVITE_VALID,
                uses_left=INVITE_USES,
            )
        )
        organisation = await session.get(Organisation, organisation_id)
        assert organisation is not None
        return token, organisation.name


async def revoke_invite(sessions: Sessions, user_id: int, invite_id: int, now: datetime) -> None:
    """Stop a link from letting anyone else in (owners only, links of their team only)."""
    async with writing(sessions) as session:
        membership = await _mine(session, user_id, owner=True)
        invite = await session.get(InviteLink, invite_id)
        if invite is None or invite.organisation_id != membership.organisation_id:
            raise Refused(Refusal.GONE)
        if invite.revoked_at is None:
            invite.revoked_at = now


async def _target(session: AsyncSession, user_id: int, target_id: int) -> Membership:
    """The presser's (an owner's) fellow member `target_id`."""
    mine = await _mine(session, user_id, owner=True)
    if target_id == user_id:
        raise Refused(Refusal.SELF)
    target = await session.get(Membership, target_id)
    if target is None or target.organisation_id != mine.organisation_id:
        raise Refused(Refusal.GONE)
    return target


async def member(sessions: Sessions, user_id: int, target_id: int) -> Member:
    """A fellow member, for the owner's screen about them."""
    async with reading(sessions) as session:
        target = await _target(session, user_id, target_id)
        user = await session.get(User, target.user_id)
        assert user is not None
        return _member(target, user)


async def remove_member(sessions: Sessions, user_id: int, target_id: int) -> Removed:
    """Take a member out of the team (owners only; another owner too)."""
    async with writing(sessions) as session:
        target = await _target(session, user_id, target_id)
        organisation = await session.get(Organisation, target.organisation_id)
        user = await session.get(User, target_id)
        assert organisation is not None and user is not None
        await session.delete(target)
        return Removed(target_id, user.language, organisation.name)


async def make_owner(sessions: Sessions, user_id: int, target_id: int) -> Promoted:
    """Make a member an owner as well (owners only)."""
    async with writing(sessions) as session:
        target = await _target(session, user_id, target_id)
        target.role = "owner"
        user = await session.get(User, target_id)
        presser = await session.get(User, user_id)
        organisation = await session.get(Organisation, target.organisation_id)
        assert user is not None and presser is not None and organisation is not None
        return Promoted(_member(target, user), user.language, organisation.name, presser.first_name)


async def leaving(sessions: Sessions, user_id: int) -> tuple[int, str]:
    """Before leaving: how many others remain (0: the organisation goes with the user) and
    the organisation's name. LAST_OWNER if the user is its last owner and others remain."""
    async with reading(sessions) as session:
        membership = await _mine(session, user_id, owner=False)
        organisation = await session.get(Organisation, membership.organisation_id)
        assert organisation is not None
        others = [
            role
            for other, _, role in await repositories.members_of(session, membership.organisation_id)
            if other != user_id
        ]
        if others and membership.role == "owner" and "owner" not in others:
            raise Refused(Refusal.LAST_OWNER)
        return len(others), organisation.name


async def leave(sessions: Sessions, user_id: int, *, expect_others: bool) -> Left:
    """Leave the team. The only member leaving deletes the organisation, but only when they
    were told so (`expect_others` False)."""
    async with writing(sessions) as session:
        membership = await _mine(session, user_id, owner=False)
        organisation = await session.get(Organisation, membership.organisation_id)
        assert organisation is not None
        name = organisation.name
        members = await repositories.members_of(session, organisation.id)
        others = [role for other, _, role in members if other != user_id]
        if others and membership.role == "owner" and "owner" not in others:
            raise Refused(Refusal.LAST_OWNER)
        if bool(others) != expect_others:  # the team changed since the confirmation
            raise Refused(Refusal.GONE)
        await queries.leave(session, user_id)
        user = await session.get(User, user_id)
        first_name = user.first_name if user else ""
        if membership.role != "owner":
            return Left(name, first_name)
        owners = tuple(
            (other, language) for other, language, role in members
            if other != user_id and role == "owner"
        )  # fmt: skip
        return Left(name, first_name, owners)


async def look_up_invite(sessions: Sessions, user_id: int, token: str, now: datetime) -> Joinable:
    """The organisation an invitation leads to, if the user may join by it now."""
    async with reading(sessions) as session:
        _, organisation = await _usable(session, user_id, token, now)
        return Joinable(organisation.id, organisation.name, organisation.city)


async def join(sessions: Sessions, user_id: int, token: str, now: datetime) -> Joined:
    """Join the organisation of an invitation as a member (one use of the link)."""
    async with writing(sessions) as session:
        invite, organisation = await _usable(session, user_id, token, now)
        if not await queries.use_invite(session, invite.id, now):
            raise InviteRefused(InviteProblem.USED_UP)
        owners = [
            (membership.user_id, user.language)
            for membership, user in await queries.members(session, organisation.id)
            if membership.role == "owner"
        ]
        session.add(
            Membership(
                user_id=user_id, organisation_id=organisation.id, role="member", joined_at=now
            )
        )
        await session.refresh(invite, ["uses_left"])
        user = await session.get(User, user_id)
        inviter = await session.get(User, invite.created_by)
        assert user is not None
        return Joined(
            Joinable(organisation.id, organisation.name, organisation.city),
            user.first_name,
            user.username,
            inviter.first_name if inviter else "",
            invite.expires_at,
            invite.uses_left,
            tuple(owners),
        )


async def _usable(
    session: AsyncSession, user_id: int, token: str, now: datetime
) -> tuple[InviteLink, Organisation]:
    invite = await queries.invite_by_hash(session, hash_token(token))
    organisation = (
        await session.get(Organisation, invite.organisation_id) if invite is not None else None
    )
    if invite is None or organisation is None or organisation.status == "banned":
        raise InviteRefused(InviteProblem.UNKNOWN)
    current = await session.get(Membership, user_id)
    if current is not None:
        if current.organisation_id == organisation.id:
            raise InviteRefused(InviteProblem.MEMBER, organisation.name)
        elsewhere = await session.get(Organisation, current.organisation_id)
        raise InviteRefused(InviteProblem.ELSEWHERE, elsewhere.name if elsewhere else "")
    if invite.revoked_at is not None:
        raise InviteRefused(InviteProblem.REVOKED)
    if invite.expires_at <= now:
        raise InviteRefused(InviteProblem.EXPIRED)
    if invite.uses_left <= 0:
        raise InviteRefused(InviteProblem.USED_UP)
    return invite, organisation
