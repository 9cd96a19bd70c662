"""The rules of deciding on an answer from an organisation connected to the host already
(`posts/decisions.py`): two members of the host pressing Accept at once make one decision
and one participant; an answer that became a contact request is decided there, not here;
a closed answer is refused."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot import users
from bot.handlers.posts import decisions
from bot.handlers.posts.refusals import PostRefusal, PostRefused
from db.engine import Sessions, reading, writing
from db.models import Membership, PostAnswer, Rsvp
from tests.directory_helpers import make_org
from tests.event_helpers import NOW
from tests.handlers.posts.answer_helpers import answered, internship

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST_ID, GOHAR, KZ = 790, 791, 792


async def _connected_application(sessions: Sessions) -> tuple[int, int, int, int]:
    """A host with two members and an application from a connected organisation (no
    contact request): `(answer id, internship id, host id, applicant's organisation id)`."""
    host = await make_org(sessions, HOST_ID, language="hy", first_name="Ani", name="Կանաչ",
                          country="AM")  # fmt: skip
    await users.touch_user(sessions, GOHAR, "Gohar", None, is_admin=False)
    kz = await make_org(sessions, KZ, language="kk", name="Заң көмегі", country="KZ")
    event_id = await internship(sessions, host, HOST_ID, NOW, places=1,
                                deadline=NOW + timedelta(days=10))  # fmt: skip
    # Connected: an accepted introduction; the application carries no request.
    answer_id = await answered(
        sessions, "internship", event_id, host, kz, KZ, NOW, status="accepted"
    )
    async with writing(sessions) as session:
        session.add(Membership(user_id=GOHAR, organisation_id=host, role="member"))
        await session.execute(
            update(PostAnswer).where(PostAnswer.id == answer_id).values(request_id=None)
        )
    return answer_id, event_id, host, kz


async def _try(sessions: Sessions, user_id: int, answer_id: int) -> PostRefusal | None:
    try:
        await decisions.decide(sessions, user_id, answer_id, accept=True, now=NOW)
    except PostRefused as refused:
        return refused.reason
    return None


async def test_two_members_accepting_at_once_make_one_participant(sessions: Sessions) -> None:
    answer_id, event_id, _, _ = await _connected_application(sessions)
    outcomes = await asyncio.gather(
        _try(sessions, HOST_ID, answer_id), _try(sessions, GOHAR, answer_id)
    )
    assert sorted(outcomes, key=str) == sorted([None, PostRefusal.ANSWER_DECIDED], key=str)
    async with reading(sessions) as session:
        rsvps = (await session.execute(select(Rsvp.event_id, Rsvp.user_id))).all()
        assert [tuple(row) for row in rsvps] == [(event_id, KZ)]
        answer = await session.get(PostAnswer, answer_id)
        assert answer is not None and answer.state == "accepted"
        assert answer.decided_by in (HOST_ID, GOHAR)


async def test_a_request_s_answer_a_stranger_and_a_closed_answer_are_refused(
    sessions: Sessions,
) -> None:
    answer_id, event_id, host, kz = await _connected_application(sessions)
    assert await _try(sessions, KZ, answer_id) is PostRefusal.NOT_HOST  # the applicant
    # An answer that became a contact request is decided in the contacts' inbox.
    through_request = await answered(sessions, "internship", event_id, host, kz, KZ, NOW)
    assert await _try(sessions, HOST_ID, through_request) is PostRefusal.NOT_HOST
    async with writing(sessions) as session:  # the internship closed before an answer
        await session.execute(
            update(PostAnswer).where(PostAnswer.id == answer_id).values(state="closed")
        )
    assert await _try(sessions, HOST_ID, answer_id) is PostRefusal.CLOSED
    async with reading(sessions) as session:
        assert await session.scalar(select(Rsvp.user_id)) is None
