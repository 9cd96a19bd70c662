""" "What came of it": two weeks after an accepted introduction, both sides are asked once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from bot.handlers.contacts import queries
from db import repositories
from db.engine import Sessions, reading, writing
from db.models import IntroductionOutcome, Organisation

AFTER: Final = timedelta(days=14)
OUTCOMES: Final = ("project", "internship", "event", "exchange", "nothing")
BATCH: Final = 200


@dataclass(frozen=True)
class Question:
    """One side to ask about one introduction."""

    request_id: int
    user_id: int
    language: str | None
    partner_name: str


async def claim_due(sessions: Sessions, now: datetime) -> list[Question]:
    """Introductions accepted two weeks ago or more and not yet followed up: record the
    questions as asked and return them, one for each member of both sides (the first
    answer of each side is kept). Recorded before sending, so that a crash can lose
    a question but never ask it twice."""
    async with writing(sessions) as session:
        requests = await queries.due_followups(session, now - AFTER, BATCH)
        questions = []
        for request in requests:
            request.followup_sent_at = now
            pair = (request.sender_id, request.recipient_id)
            for mine, theirs in (pair, pair[::-1]):
                organisation = await session.get(Organisation, mine)
                partner = await session.get(Organisation, theirs)
                assert organisation is not None and partner is not None
                session.add(
                    IntroductionOutcome(request_id=request.id, organisation_id=mine, asked_at=now)
                )
                for user_id, language, _ in await repositories.members_of(session, mine):
                    questions.append(Question(request.id, user_id, language, partner.name))
        return questions


async def answer(
    sessions: Sessions,
    user_id: int,
    request_id: int,
    outcome: str,
    now: datetime,
) -> bool:
    """Store the user's organisation's answer; False if not asked of it or already answered."""
    if outcome not in OUTCOMES:
        return False
    async with writing(sessions) as session:
        organisation = await repositories.get_organisation(session, user_id)
        if organisation is None:
            return False
        return await queries.store_outcome(session, request_id, organisation.id, outcome, now)


async def kept_answer(sessions: Sessions, user_id: int, request_id: int) -> str | None:
    """The answer the user's organisation already gave about an introduction (a colleague
    answered first), or None."""
    async with reading(sessions) as session:
        organisation = await repositories.get_organisation(session, user_id)
        if organisation is None:
            return None
        found = await queries.outcome_of(session, request_id, organisation.id)
        return found if found in OUTCOMES else None
