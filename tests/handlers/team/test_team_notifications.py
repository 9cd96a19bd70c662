"""The organisation's notifications reach each member by their own settings and language:
event announcements and the digest per person (the organisation's country and topics for
all of them), badge reminders to owners only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot import users
from bot.handlers.digest import weekly
from bot.handlers.events.drafts import Draft
from bot.handlers.events.publishing import subscribers
from bot.handlers.trust import badges
from db.engine import Sessions, reading, writing
from db.models import Membership, User
from tests.directory_helpers import make_org, set_org

pytestmark = pytest.mark.databases("sqlite", "postgresql")

OWNER, MEMBER, QUIET, ELSEWHERE = 720, 721, 722, 723
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # a Monday, 13:00 in Almaty


async def _team(sessions: Sessions) -> int:
    """An Armenian organisation with an owner, a member in Kazakh and a member who turned
    announcements and the digest off; and a Russian organisation elsewhere."""
    org = await make_org(sessions, OWNER, language="hy", name="Hope", country="AM",
                         want_learn=["fundraising"])  # fmt: skip
    await make_org(sessions, ELSEWHERE, language="ru", name="Other", country="RU")
    for user_id, language in ((MEMBER, "kk"), (QUIET, "en")):
        await users.touch_user(sessions, user_id, f"User {user_id}", None, is_admin=False)
        await users.set_language(sessions, user_id, language)
    async with writing(sessions) as session:
        session.add_all(
            Membership(user_id=user_id, organisation_id=org, role="member", joined_at=NOW)
            for user_id in (MEMBER, QUIET)
        )
        await session.execute(
            update(User).where(User.id == QUIET).values(events_on=False, digest_on=False)
        )
    return org


async def test_announcements_and_the_digest_reach_each_member_by_their_settings(
    sessions: Sessions,
) -> None:
    await _team(sessions)
    draft = Draft(
        kind="webinar",
        title="Grants",
        description="How to write grants",
        starts_at=NOW + timedelta(days=3),
        ends_at=NOW + timedelta(days=3, hours=1),
        time_zone="Asia/Yerevan",
        topics=("fundraising",),
        countries=("AM",),
    )
    async with reading(sessions) as session:
        found = {s.user_id: (s.language, s.zone) for s in await subscribers(session, draft, "ru")}
    assert found == {OWNER: ("hy", "Asia/Yerevan"), MEMBER: ("kk", "Asia/Yerevan")}

    due = {r.user_id: (r.language, r.zone) for r in await weekly.recipients(sessions, NOW, "ru")}
    assert due[OWNER] == ("hy", "Asia/Yerevan") and due[MEMBER] == ("kk", "Asia/Yerevan")
    assert QUIET not in due


async def test_badge_reminders_go_to_the_owners_only(sessions: Sessions) -> None:
    org = await _team(sessions)
    async with writing(sessions) as session:
        await session.execute(
            update(Membership).where(Membership.user_id == QUIET).values(role="owner")
        )
    await set_org(sessions, org, verified_at=NOW - timedelta(days=350),
                  verified_until=NOW + timedelta(days=15))  # fmt: skip
    due = await badges.due_badge_reminders(sessions, NOW)
    assert sorted((owner.user_id, owner.language) for owner, _ in due) == [
        (OWNER, "hy"),
        (QUIET, "en"),
    ]
