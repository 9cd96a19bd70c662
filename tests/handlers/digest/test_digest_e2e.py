"""The weekly digest: Monday morning in each user's zone, the week's events meant for them
and the week's new organisations that fit them; once a week; off in /settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import scheduler, users
from bot.config import Settings
from bot.handlers.digest.sending import deliver_digests
from bot.handlers.digest.weekly import may_be_due, week_due
from bot.handlers.events import drafts, publishing, rsvps
from bot.handlers.events.announcer import deliver_due
from bot.handlers.events.drafts import Draft
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org, set_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

MONDAY_MORNING = datetime(2026, 11, 30, 5, 5, tzinfo=UTC)  # 10:05 in Almaty
READER, NEWCOMER, OLD_HAND, ELSEWHERE, QUIET = 9101, 9102, 9103, 9104, 9105
LATECOMER, ATTENDING = 9106, 9107  # joined after the week's event was announced


def test_the_week_opens_on_monday_at_ten_local_time_within_waking_hours() -> None:
    assert week_due(MONDAY_MORNING, "Asia/Almaty") == "2026-W49"
    assert week_due(MONDAY_MORNING, "Europe/Moscow") is None  # 08:05 there: not yet
    assert week_due(MONDAY_MORNING + timedelta(hours=3), "Europe/Moscow") == "2026-W49"
    assert week_due(MONDAY_MORNING - timedelta(days=1), "Asia/Almaty") is None  # Sunday
    assert week_due(MONDAY_MORNING + timedelta(hours=12), "Asia/Almaty") is None  # 22:05: night
    assert week_due(MONDAY_MORNING + timedelta(days=1), "Asia/Almaty") == "2026-W49"  # missed
    assert week_due(MONDAY_MORNING + timedelta(days=2), "Asia/Almaty") is None  # too late


def test_the_sweep_skips_reading_users_only_when_no_zone_can_be_due() -> None:
    zones = ("Pacific/Kiritimati", "Asia/Almaty", "Europe/Moscow", "Etc/GMT+12")
    due_somewhere = 0
    for minutes in range(0, 7 * 24 * 60, 20):  # a whole week
        now = MONDAY_MORNING + timedelta(minutes=minutes)
        if any(week_due(now, zone) for zone in zones):
            due_somewhere += 1
            assert may_be_due(now), now
    assert due_somewhere > 0


def _digests(fake: FakeTelegram, user_id: int) -> list[str]:
    return [str(m.get("text")) for m in fake.chat_messages(user_id) if "📰" in str(m.get("text"))]


async def _network(sessions: Sessions) -> int:
    """A reader in Kazakhstan who wants to learn about impact; a newcomer of the week who
    teaches it; an older member who does too; a reader with the digest off. Returns the
    id of an event on impact published this week for Kazakhstan."""
    reader = await make_org(sessions, READER, language="en", country="KZ",
                            can_share=["fundraising"], want_learn=["impact"])  # fmt: skip
    newcomer = await make_org(sessions, NEWCOMER, name="Impact Lab", country="AM",
                              can_share=["impact"], want_learn=["fundraising"])  # fmt: skip
    old_hand = await make_org(
        sessions, OLD_HAND, name="Old Hand", country="AM", can_share=["impact"]
    )
    quiet = await make_org(sessions, QUIET, language="en", country="KZ", want_learn=["impact"])
    await users.set_digest_on(sessions, QUIET, False)
    long_ago = MONDAY_MORNING - timedelta(days=30)
    for org_id in (reader, old_hand, quiet):
        await set_org(sessions, org_id, created_at=long_ago)
    await set_org(sessions, newcomer, created_at=MONDAY_MORNING - timedelta(days=2))
    draft = Draft(
        kind="webinar", title="Impact <basics>", description="An hour on indicators.",
        starts_at=MONDAY_MORNING + timedelta(days=10),
        ends_at=MONDAY_MORNING + timedelta(days=10, hours=1), time_zone="UTC",
        link="https://meet.example.org/x", topics=("impact",), countries=("KZ",),
    )  # fmt: skip
    event_id = await drafts.save(sessions, draft, ADMIN_ID, MONDAY_MORNING - timedelta(days=3))
    assert await publishing.publish(sessions, event_id, MONDAY_MORNING - timedelta(days=3), "en")
    # Two who came after the announcement went out: one saw the event in /events and
    # answered it.
    for user_id in (LATECOMER, ATTENDING):
        org_id = await make_org(sessions, user_id, language="en", country="KZ",
                                can_share=["impact"], want_learn=["impact"])  # fmt: skip
        await set_org(sessions, org_id, created_at=long_ago)
    answer, _ = await rsvps.rsvp(sessions, event_id, ATTENDING, True, MONDAY_MORNING)
    assert answer is rsvps.Answer.GOING
    return event_id


async def test_monday_digest_once_a_week_and_off_in_settings(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await _network(sessions)
    clock = FrozenClock(MONDAY_MORNING - timedelta(hours=1))  # 09:05 in Almaty: not yet
    reader = Conversation(fake_telegram, TgUser(READER, "Reader", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, clock) as (bot, dp):
        runtime = scheduler.Runtime(bot, sessions, dp["notifier"], clock, "en")
        await deliver_due(runtime)  # the week's announcement, long delivered
        before = len(reader.messages())
        assert await deliver_digests(runtime) == 0

        clock.moment = MONDAY_MORNING
        assert await deliver_digests(runtime) == 3  # the reader and the two latecomers
        digest = reader.last_text()
        assert len(reader.messages()) == before + 1
        assert digest.startswith("📰 Your week in NGO Bridge")
        # Announced to the reader already: not news in the digest.
        assert "Impact <basics>" not in digest
        assert "Impact Lab, 🇦🇲 Armenia" in digest  # this week's newcomer who fits
        [late] = _digests(fake_telegram, LATECOMER)
        assert "Webinar: Impact <basics>" in late  # the event meant for them, escaped
        [attending] = _digests(fake_telegram, ATTENDING)
        assert "Impact <basics>" not in attending  # answered in /events already
        assert "Impact Lab" in attending
        assert "Old Hand" not in digest  # not new this week
        assert "🏢 Impact Lab" in reader.last_buttons()
        # Armenia is an hour behind: 09:05 there, its members' digests are not due yet.
        assert _digests(fake_telegram, OLD_HAND) == []

        # Once a week, even if the sweep runs again; Yerevan's digests follow at 10:00 there.
        clock.moment = MONDAY_MORNING + timedelta(hours=2)
        assert await deliver_digests(runtime) == 1
        assert len(_digests(fake_telegram, READER)) == 1
        assert len(_digests(fake_telegram, LATECOMER)) == 1
        assert "Impact Lab" in _digests(fake_telegram, OLD_HAND)[0]  # the newcomer fits it
        assert _digests(fake_telegram, NEWCOMER) == []  # nothing new for it but itself
        assert _digests(fake_telegram, QUIET) == []  # digest off
        assert await deliver_digests(runtime) == 0
        await reader.click("🏢 Impact Lab")
        assert "Impact Lab" in reader.last_text()

        # Off in /settings: next Monday, nothing.
        await reader.send("/settings")
        await reader.click(tr("en", "📰 Weekly digest: on"))
        assert tr("en", "📰 Weekly digest: off") in reader.last_buttons()
        clock.moment = MONDAY_MORNING + timedelta(days=7)
        assert await deliver_digests(runtime) == 0
