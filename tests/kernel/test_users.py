"""A user's own settings that several features read (bot/users.py): the time zone dates
are shown in and the weekly digest switch."""

from __future__ import annotations

import pytest

from bot import users
from db.engine import Sessions
from tests.directory_helpers import make_org

pytestmark = pytest.mark.databases("sqlite", "postgresql")


async def test_the_zone_is_chosen_else_the_organisations_country_else_the_language(
    sessions: Sessions,
) -> None:
    assert await users.settings_of(sessions, 7001, "hy") == users.UserSettings("Asia/Yerevan")
    await users.touch_user(sessions, 7001, "Lone", None, is_admin=False)
    await users.set_language(sessions, 7001, "kk")
    assert (await users.settings_of(sessions, 7001, "ru")).zone == "Asia/Almaty"  # chosen one
    await make_org(sessions, 7002, language="ru", country="AM")
    assert (await users.settings_of(sessions, 7002, "ru")).zone == "Asia/Yerevan"
    await users.set_zone(sessions, 7002, "Europe/Berlin")
    assert await users.settings_of(sessions, 7002, "ru") == users.UserSettings("Europe/Berlin")


async def test_the_digest_switch(sessions: Sessions) -> None:
    await make_org(sessions, 7003, language="en", country="KZ")
    assert (await users.settings_of(sessions, 7003, "en")).digest
    await users.set_digest_on(sessions, 7003, False)
    assert await users.settings_of(sessions, 7003, "en") == users.UserSettings("Asia/Almaty", False)
