"""Consent-based introductions: a request, the other side's answer, then contacts for both."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot import navigation
from bot.handlers.contacts import queries
from bot.handlers.directory.search import Card, card_of, match_profile
from db import directory, repositories
from db.engine import Sessions, reading, writing
from db.models import ContactRequest, Organisation, RequestCopy, User

DAILY_LIMIT: Final = 10
ANSWERS_SHOWN: Final = 3  # answers to our posts shown on one request in the inbox
WINDOW: Final = timedelta(days=1)


class RequestRefusal(StrEnum):
    """Why a request or an answer could not be taken."""

    NO_PROFILE = "no_profile"
    BANNED = "banned"
    SELF = "self"
    NOT_FOUND = "not_found"  # unknown, unlisted, hidden, banned or not visible to us
    DUPLICATE = "duplicate"
    CONNECTED = "connected"
    LIMIT = "limit"
    NOT_YOURS = "not_yours"
    DECIDED = "decided"
    YOU_DECIDED = "you_decided"  # the presser answered already (on another copy, or the inbox)


class RequestRefused(navigation.Refused):
    """A request that cannot go ahead; `retry_at` is set for the daily limit, `by` (the
    first name of the member who answered) for a request already decided. A press is
    answered with the reason (`texts.refusal`), as an alert, by the contacts' router."""

    def __init__(
        self, reason: RequestRefusal, retry_at: datetime | None = None, by: str | None = None
    ) -> None:
        super().__init__()
        self.args = (reason.value,)
        self.reason = reason
        self.retry_at = retry_at
        self.by = by

    def text(self) -> str:
        from bot.handlers.contacts import texts  # here: texts imports this module

        return texts.refusal(self.reason, self.retry_at, self.by)


@dataclass(frozen=True)
class Side:
    """One side of an introduction: the member who asked or answered (or else the first
    owner), their language, the organisation's name and contacts, and every member to tell."""

    organisation_id: int
    user_id: int
    language: str | None
    username: str | None
    first_name: str
    name: str
    website: str | None
    contact: str | None
    members: tuple[tuple[int, str | None], ...] = ()  # (user id, language) of each member
    request_id: int = 0  # the introduction it is a side of (in `connections`)


@dataclass(frozen=True)
class Party(Side):
    """A side as a request shows it: with the organisation's public card."""

    card: Card = field(kw_only=True)


@dataclass(frozen=True)
class Introduction:
    """A request and both sides, with their cards; in the inbox, the answers to the
    recipient's posts (partner calls, internships) it stands for."""

    request_id: int
    sender: Party
    recipient: Party
    status: str
    answers: tuple[queries.AnswerNote, ...] = ()


async def _side(session: AsyncSession, organisation: Organisation, person_id: int | None) -> Side:
    people = await queries.people(session, organisation.id)
    person = next((row for row in people if row.user_id == person_id), None)
    if person is None:  # no one yet, or they have left: the first owner
        person = next((row for row in people if row.role == "owner"), None)
    if person is None:
        person = people[0] if people else queries.Person(0, None, "", None, "member")
    return Side(
        organisation.id,
        person.user_id,
        person.language,
        person.username,
        person.first_name,
        organisation.name,
        organisation.website,
        organisation.contact,
        tuple((row.user_id, row.language) for row in people),
    )


async def _party(
    session: AsyncSession, organisation: Organisation, person_id: int | None, now: datetime
) -> Party:
    side = await _side(session, organisation, person_id)
    return Party(**vars(side), card=card_of(directory.Listing.of(organisation), now))


async def _organisations(
    session: AsyncSession, request: ContactRequest
) -> list[tuple[Organisation, int | None]]:
    """The asking and the answering organisation, each with its member who asked or
    answered."""
    found = []
    for organisation_id, person_id in (
        (request.sender_id, request.asked_by),
        (request.recipient_id, request.decided_by),
    ):
        organisation = await session.get(Organisation, organisation_id)
        assert organisation is not None  # foreign keys cascade
        found.append((organisation, person_id))
    return found


async def _introduction(
    session: AsyncSession, request: ContactRequest, now: datetime
) -> Introduction:
    sides = [
        await _party(session, organisation, person_id, now)
        for organisation, person_id in await _organisations(session, request)
    ]
    return Introduction(request.id, sides[0], sides[1], request.status)


async def request_contact(
    sessions: Sessions, user_id: int, target_id: int, now: datetime
) -> Introduction:
    """Ask `target_id` for its contacts on behalf of the user's organisation."""
    async with writing(sessions) as session:
        mine = await repositories.get_organisation(session, user_id)
        if mine is None:
            raise RequestRefused(RequestRefusal.NO_PROFILE)
        if mine.status == "banned":
            raise RequestRefused(RequestRefusal.BANNED)
        if mine.id == target_id:
            raise RequestRefused(RequestRefusal.SELF)
        profile = match_profile(mine, now)
        viewer = directory.Viewer(mine.id, profile.country, profile.verified)
        if not await directory.visible_one(session, viewer, target_id, now):
            raise RequestRefused(RequestRefusal.NOT_FOUND)
        earlier = await queries.open_between(session, mine.id, target_id)
        if earlier == "accepted":
            raise RequestRefused(RequestRefusal.CONNECTED)
        if earlier == "pending":
            raise RequestRefused(RequestRefusal.DUPLICATE)
        recent = await queries.sent_since(session, mine.id, now - WINDOW)
        if len(recent) >= DAILY_LIMIT:
            raise RequestRefused(RequestRefusal.LIMIT, retry_at=recent[-DAILY_LIMIT] + WINDOW)
        request = ContactRequest(
            sender_id=mine.id, recipient_id=target_id, asked_by=user_id, created_at=now
        )
        if not await queries.add_request(session, request):  # the same press twice at once
            raise RequestRefused(RequestRefusal.DUPLICATE)
        return await _introduction(session, request, now)


@dataclass(frozen=True)
class Decided:
    """An answered request: both sides (no cards: the answer shows names and contacts),
    and every copy of it but the pressed one, to close: `(user id, message id, language)`,
    whoever holds them, the member who answered too."""

    request_id: int
    sender: Side
    recipient: Side
    status: str
    others: tuple[tuple[int, int, str | None], ...] = ()


async def decide(
    sessions: Sessions,
    user_id: int,
    request_id: int,
    *,
    accept: bool,
    now: datetime,
    pressed: tuple[int, int] | None = None,
) -> Decided:
    """A member of the recipient organisation accepts or declines; the first answer counts
    (a later press learns who answered), and only members of the recipient may answer.
    What it closes comes back with it, read in the same transaction: every copy but the
    one `pressed` (`(user id, message id)`; None when answered from the inbox)."""
    async with writing(sessions) as session:
        request = await session.get(ContactRequest, request_id, with_for_update=True)
        if request is None or not await queries.is_member(session, user_id, request.recipient_id):
            raise RequestRefused(RequestRefusal.NOT_YOURS)
        if request.status != "pending":
            if request.decided_by == user_id:
                raise RequestRefused(RequestRefusal.YOU_DECIDED)
            by = await session.get(User, request.decided_by) if request.decided_by else None
            raise RequestRefused(RequestRefusal.DECIDED, by=by.first_name if by else None)
        request.status = "accepted" if accept else "declined"
        request.decided_by = user_id
        request.decided_at = now
        await session.flush()
        sides = [
            await _side(session, organisation, person_id)
            for organisation, person_id in await _organisations(session, request)
        ]
        copies = await queries.copies_of(session, request_id)
        others = tuple(copy for copy in copies if copy[:2] != pressed)
        return Decided(request.id, sides[0], sides[1], request.status, others)


async def next_incoming(
    sessions: Sessions, user_id: int, now: datetime
) -> tuple[Introduction, int] | None:
    """The oldest request waiting for the user's organisation, and how many wait
    (requests are kept, so one missed while the bot was blocked is still here)."""
    async with reading(sessions) as session:
        mine = await repositories.get_organisation(session, user_id)
        if mine is None:
            return None
        waiting = await queries.waiting_for(session, mine.id)
        if not waiting:
            return None
        intro = await _introduction(session, waiting[0], now)
        answers = await queries.answers_of(session, intro.request_id, ANSWERS_SHOWN)
        return dataclasses.replace(intro, answers=tuple(answers)), len(waiting)


async def record_copies(sessions: Sessions, request_id: int, copies: list[tuple[int, int]]) -> None:
    """Remember each member's copy `(user id, message id)` of an incoming request."""
    if not copies:
        return
    async with writing(sessions) as session:
        session.add_all(
            RequestCopy(request_id=request_id, user_id=user_id, message_id=message_id)
            for user_id, message_id in copies
        )


CONNECTIONS_SHOWN: Final = 5


async def connections(sessions: Sessions, user_id: int) -> list[Side]:
    """The organisations ours was introduced to (accepted, either way), newest first, with
    their public contacts: every member sees them, whoever asked or accepted."""
    async with reading(sessions) as session:
        mine = await repositories.get_organisation(session, user_id)
        if mine is None:
            return []
        accepted = await queries.latest_accepted(session, mine.id, CONNECTIONS_SHOWN)
        found = []
        for request in accepted:
            theirs = request.recipient_id if request.sender_id == mine.id else request.sender_id
            person = request.decided_by if request.sender_id == mine.id else request.asked_by
            organisation = await session.get(Organisation, theirs)
            if organisation is not None:
                side = await _side(session, organisation, person)
                found.append(dataclasses.replace(side, request_id=request.id))
        return found
