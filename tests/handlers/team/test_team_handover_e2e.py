"""The last owner deletes their data through the real bot: they are told before who will
become the owner, and that member is told afterwards in their own language; with another
owner left, or for a plain member, no one is made owner."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot import users
from bot.config import Settings
from db.engine import Sessions, reading, writing
from db.models import Membership, Organisation
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

OWNER, LATER, EARLIER = 730, 731, 732
SUCCESSOR = "You are its last owner, so {person} will become the owner of {name}."
ERASED = (
    "Your data is deleted. If you write to the bot again, you start as a new user: send /start."
)
NOW_OWNER = (
    "👑 You are now the owner of {name}: {person}, its last owner, deleted their data "
    "from NGO Bridge. You can invite colleagues and manage the team in 👥 Team."
)


async def _member(
    sessions: Sessions, user_id: int, org: int, name: str, language: str, joined: datetime,
    role: str = "member",
) -> None:  # fmt: skip
    await users.touch_user(sessions, user_id, name, None, is_admin=False)
    await users.set_language(sessions, user_id, language)
    async with writing(sessions) as session:
        session.add(Membership(user_id=user_id, organisation_id=org, role=role, joined_at=joined))


async def _roles(sessions: Sessions, org: int) -> dict[int, str]:
    async with reading(sessions) as session:
        found = await session.scalars(select(Membership).where(Membership.organisation_id == org))
        return {row.user_id: row.role for row in found}


async def _delete(chat: Conversation, language: str) -> str:
    """/mydata → Delete my data; the confirmation's text (then confirmed)."""
    await chat.send("/mydata")
    await chat.click(tr(language, "🗑 Delete my data"))
    confirmation = chat.last_text()
    await chat.click(tr(language, "🗑 Yes, delete everything"))
    assert chat.last_text() == tr(language, ERASED)
    return confirmation


async def test_the_last_owner_is_told_who_takes_over_and_that_member_is_told(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org = await make_org(sessions, OWNER, language="ru", first_name="Айгерим", name="Надежда")
    # The member with the higher id joined first: the earliest member, not the lowest id.
    await _member(sessions, LATER, org, "Later", "ru", datetime(2021, 1, 1, tzinfo=UTC))
    await _member(sessions, EARLIER, org, "Անի", "hy", datetime(2020, 1, 1, tzinfo=UTC))
    owner = Conversation(fake_telegram, TgUser(OWNER, "Айгерим", language_code="ru"))
    earlier = Conversation(fake_telegram, TgUser(EARLIER, "Անի", language_code="hy"))
    later = Conversation(fake_telegram, TgUser(LATER, "Later", language_code="ru"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        confirmation = await _delete(owner, "ru")
        assert tr("ru", SUCCESSOR, person="Անի", name="«Надежда»") in confirmation
        told = tr("hy", NOW_OWNER, name="«Надежда»", person="Айгерим")
        assert earlier.last_text() == told
        assert later.messages() == []  # the other member is not told anything
        await earlier.send("/profile")
        await earlier.click(tr("hy", "👥 Team"))
        assert tr("hy", "➕ Invite a colleague") in earlier.last_buttons()  # an owner's button
    assert await _roles(sessions, org) == {EARLIER: "owner", LATER: "member"}


async def test_no_one_is_made_owner_while_another_owner_remains_or_a_member_goes(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org = await make_org(sessions, OWNER, language="en", name="Hope")
    await _member(sessions, EARLIER, org, "Second", "en", datetime(2020, 1, 1, tzinfo=UTC),
                  role="owner")  # fmt: skip
    await _member(sessions, LATER, org, "Member", "en", datetime(2019, 1, 1, tzinfo=UTC))
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    second = Conversation(fake_telegram, TgUser(EARLIER, "Second", language_code="en"))
    member = Conversation(fake_telegram, TgUser(LATER, "Member", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        confirmation = await _delete(owner, "en")
        assert "will become the owner" not in confirmation
        assert "which stays in NGO Bridge with the other members of its team" in confirmation
        confirmation = await _delete(member, "en")
        assert "will become the owner" not in confirmation
        assert second.messages() == []
    assert await _roles(sessions, org) == {EARLIER: "owner"}
    async with reading(sessions) as session:
        assert await session.get(Organisation, org) is not None
