"""Your data: what the bot stores about a person, a copy of it, and deleting it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.handlers.privacy import queries
from bot.handlers.team import queries as team
from bot.users import KnownUsers
from db.engine import Sessions, reading, writing
from db.models import Membership, Organisation, User


@dataclass(frozen=True)
class Stored:
    """What is stored about a user, in short."""

    organisation: str | None  # its name; None without a profile
    requests: int  # contact requests sent or received by the organisation
    registrations: int  # answers to event announcements
    reports: int  # reports the user made about profiles
    colleagues: int = 0  # other members of the organisation (it stays if there are any)
    successor: str | None = None  # the first name of who becomes owner when the user goes


@dataclass(frozen=True)
class Handover:
    """The member made owner because the last owner deleted their data, to be told."""

    user_id: int
    language: str | None
    organisation: str
    former: str  # the first name of the owner who left


async def stored(sessions: Sessions, user_id: int) -> Stored:
    """The summary shown on the "Your data" screen."""
    async with reading(sessions) as session:
        name, requests, registrations, reports, others = await queries.counts(session, user_id)
        successor = None
        if others:
            heir = await team.successor(session, user_id)
            if heir is not None:
                found = await session.get(User, heir)
                successor = found.first_name if found is not None else ""
        return Stored(name, requests, registrations, reports, others, successor)


async def export(
    sessions: Sessions,
    user_id: int,
    questionnaire: dict[str, Any] | None,
    now: datetime,
) -> bytes | None:
    """Everything stored about the user as a UTF-8 JSON document (None if nothing is),
    with the unfinished questionnaire's answers when there are any."""
    async with reading(sessions) as session:
        found = await queries.collect(session, user_id)
    if found is None:
        return None
    document = {"exported_at": now.isoformat(), **found}
    document["questionnaire_in_progress"] = questionnaire or None
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()


async def erase(
    sessions: Sessions, users: KnownUsers, user_id: int
) -> tuple[bool, Handover | None]:
    """Delete everything stored about the user (the caller clears their FSM state).
    Whether anything was stored, and who became the organisation's owner (if anyone did)."""
    async with writing(sessions) as session:
        user = await session.get(User, user_id)
        membership = await session.get(Membership, user_id)
        organisation = (
            await session.get(Organisation, membership.organisation_id) if membership else None
        )
        former = user.first_name if user is not None else ""
        name = organisation.name if organisation is not None else ""
        # The organisation stays while other members remain (the earliest becomes its
        # owner if the last owner leaves); with its last member it goes too, with its tags,
        # words, requests, badge requests and reports about it.
        successor = await team.leave(session, user_id)
        erased = await queries.erase(session, user_id)
        handover = None
        if successor is not None:
            heir = await session.get(User, successor)
            handover = Handover(successor, heir.language if heir else None, name, former)
    users.forget([user_id])  # the next update records them afresh
    return erased, handover
