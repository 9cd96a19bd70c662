"""Events end to end, the subscribers' side: announcements in their language and time zone,
never at night, RSVP with a calendar file, reminders at the right moments, cancellation,
/events and the settings; the clock is moved, never waited for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from bot import users
from bot.config import Settings
from bot.handlers.events.announcer import deliver_due
from bot.handlers.events.callbacks import EventAction, EventPress
from bot.handlers.settings.callbacks import SettingsAction, SettingsPress
from db.engine import Sessions, reading
from db.models import Notice, Rsvp
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import (
    KZ_EN,
    KZ_RU,
    NOW,
    RU_RU,
    START,
    event_bot,
    published,
    subscribers,
    texts_of,
)
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")


async def test_attending_gives_a_calendar_file_and_reminders_a_day_and_an_hour_before(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await subscribers(sessions)
    clock = FrozenClock(NOW)
    event_id = await published(sessions)
    going = Conversation(fake_telegram, TgUser(KZ_EN, "Going", language_code="en"))
    away = Conversation(fake_telegram, TgUser(KZ_RU, "Away", language_code="ru"))
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        assert await deliver_due(runtime) == 2
        await going.click("✅ I'll attend")
        document = going.messages()[-1]
        assert document["document"]["file_name"] == f"event-{event_id}.ics"
        assert "we will remind you a day and an hour before" in document["caption"]
        calendar = Calendar.from_ical(fake_telegram.file_bytes(document["document"]["file_id"]))
        [entry] = calendar.walk("VEVENT")
        assert entry.decoded("dtstart") == START and entry.decoded("dtend") == START + timedelta(
            hours=2
        )
        assert str(entry["summary"]) == "Measuring impact <for real>"
        await away.click(tr("ru", "✖ Not going"))
        noted = "Noted: you will not attend <b>{title}</b>. No reminders will come."
        assert away.last_text() == tr("ru", noted, title=escape("Measuring impact <for real>"))
        clock.moment = START - timedelta(hours=24, minutes=1)
        assert await deliver_due(runtime) == 0
        clock.moment = START - timedelta(hours=24)
        assert await deliver_due(runtime) == 1
        assert going.last_text().startswith("⏰ Tomorrow: Measuring impact <for real>")
        clock.moment = START - timedelta(hours=1)
        assert await deliver_due(runtime) == 1
        assert going.last_text().startswith("⏰ In an hour: Measuring impact <for real>")
        clock.moment = START + timedelta(minutes=5)
        assert await deliver_due(runtime) == 0
    assert not any("⏰" in text for text in texts_of(fake_telegram, KZ_RU))


async def test_a_reminder_due_while_the_bot_was_down_is_dropped_once_the_event_started(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await subscribers(sessions)
    clock = FrozenClock(NOW)
    await published(sessions)
    going = Conversation(fake_telegram, TgUser(KZ_EN, "Going", language_code="en"))
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await deliver_due(runtime)
        await going.click("✅ I'll attend")
        clock.moment = START - timedelta(minutes=30)  # the day reminder fell due while down
        assert await deliver_due(runtime) == 2  # both still useful: sent once each
        clock.moment = START + timedelta(minutes=1)
        assert await deliver_due(runtime) == 0
    async with reading(sessions) as session:
        states = dict(
            (
                await session.execute(
                    select(Notice.kind, Notice.state).where(Notice.user_id == KZ_EN)
                )
            ).all()
        )
    assert states == {"announce": "sent", "day": "sent", "hour": "sent"}


async def test_internships_remind_three_days_before_applications_close(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await subscribers(sessions)
    clock = FrozenClock(NOW)
    deadline = START - timedelta(days=7)
    await published(
        sessions, kind="internship", registration_url="https://apply.example.org", deadline=deadline
    )
    going = Conversation(fake_telegram, TgUser(KZ_EN, "Intern", language_code="en"))
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await deliver_due(runtime)
        assert "Applications until" in going.last_text()
        await going.click("✅ I'll attend")
        assert "three days before applications close" in going.messages()[-1]["caption"]
        clock.moment = deadline - timedelta(days=3, minutes=1)
        assert await deliver_due(runtime) == 0
        clock.moment = deadline - timedelta(days=3)
        assert await deliver_due(runtime) == 1
        assert going.last_text().startswith("⏰ Three days left to apply")


async def test_announcements_wait_for_the_morning_in_each_users_time_zone(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    evening = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)  # 22:30 Almaty, 20:30 Moscow
    await make_org(sessions, KZ_EN, language="en", country="KZ", want_learn=["impact"])
    await make_org(sessions, RU_RU, language="ru", country="RU", want_learn=["impact"])
    await make_org(sessions, KZ_RU, language="ru", country="KZ", want_learn=["impact"])
    await users.touch_user(sessions, KZ_RU, "Night owl", None, is_admin=False)
    await users.set_zone(sessions, KZ_RU, "Europe/Moscow")  # chose Moscow time herself
    clock = FrozenClock(evening)
    await published(sessions, now=evening, countries=())
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        assert await deliver_due(runtime) == 2  # 20:30 in Moscow: still daytime
        assert texts_of(fake_telegram, KZ_EN) == []  # 22:30 in Almaty: waits
        clock.moment = datetime(2026, 11, 28, 3, 59, tzinfo=UTC)  # 08:59 in Almaty
        assert await deliver_due(runtime) == 0
        clock.moment = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)  # 09:00 in Almaty
        assert await deliver_due(runtime) == 1
    assert len(texts_of(fake_telegram, KZ_EN)) == 1
    assert "20:00–22:00 (Asia/Almaty)" in texts_of(fake_telegram, KZ_EN)[0]
    assert "18:00–20:00 (Europe/Moscow)" in texts_of(fake_telegram, KZ_RU)[0]


async def test_cancelling_tells_attendees_drops_their_reminders_and_refuses_new_answers(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await subscribers(sessions)
    clock = FrozenClock(NOW)
    event_id = await published(sessions)
    going = Conversation(fake_telegram, TgUser(KZ_EN, "Going", language_code="en"))
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await deliver_due(runtime)
        announcement = going.messages()[-1]["message_id"]
        await going.click("✅ I'll attend")
        await admin.send("/events_admin")
        assert f"#{event_id} Measuring impact <for real> · published" in admin.last_text()
        assert "Announced to 2 · attending 1" in admin.last_text()
        await admin.click(f"🚫 #{event_id}")
        assert admin.last_text() == (
            "Cancel “Measuring impact <for real>”? 1 person who said they would attend will be told."
        )
        assert await deliver_due(runtime) == 0  # nothing happens before the answer
        await admin.click("« Keep it")
        assert admin.last_text() == f"Event #{event_id} stays as it was."
        assert await deliver_due(runtime) == 0
        await admin.click(f"🚫 #{event_id}", message_id=admin.messages()[-2]["message_id"])
        await admin.click("🚫 Yes, cancel it")
        assert (
            admin.last_text() == "🚫 Cancelled. 1 person who said they would attend will be told."
        )
        assert await deliver_due(runtime) == 1
        assert going.last_text().startswith("🚫 Measuring impact <for real>")
        await going.click("✅ I'll attend", message_id=announcement)
        assert going.alerts[-1] == "This event was cancelled."
        await admin.click(f"🚫 #{event_id}", message_id=admin.messages()[-3]["message_id"])
        assert admin.alerts[-1] == "This event is already cancelled."
        clock.moment = START - timedelta(hours=1)
        assert await deliver_due(runtime) == 0  # no reminders for a cancelled event


async def test_events_list_settings_and_unsubscribe(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await subscribers(sessions)
    clock = FrozenClock(NOW)
    for day in range(7):
        await published(sessions, title=f"Webinar {day}", starts_at=START + timedelta(days=day),
                        ends_at=START + timedelta(days=day, hours=1))  # fmt: skip
    user = Conversation(fake_telegram, TgUser(KZ_EN, "Reader", language_code="en"))
    async with event_bot(settings, sessions, fake_telegram, clock):
        await user.send("/menu")
        await user.click("📅 Events")  # the main menu leads to the same list
        assert "Upcoming events (page 1, times in Asia/Almaty)" in user.last_text()
        await user.send("/events")
        assert "Upcoming events (page 1, times in Asia/Almaty)" in user.last_text()
        assert (
            "1. 💻 Webinar 0" in user.last_text() and "December 14, 2026, 20:00" in user.last_text()
        )
        assert "Webinar 5" not in user.last_text()
        await user.click("Next »")
        assert "Webinar 5" in user.last_text() and "Webinar 6" in user.last_text()
        await user.click("1")
        assert user.last_text().startswith("💻 Webinar 5")
        await user.send("/settings")
        assert "Event announcements: on" in user.last_text()
        assert "Time zone: Asia/Almaty" in user.last_text()
        await user.click("🕒 Time zone")
        await user.send_sticker()
        assert user.last_text() == "Please answer with text."
        await user.send("Mars/Olympus_Mons")
        assert "There is no such time zone" in user.last_text()
        await user.send("asia/tashkent")
        assert "Time zone: Asia/Tashkent" in user.last_text()
        await user.click("🕒 Time zone")
        await user.click("Asia/Yerevan")
        assert "Time zone: Asia/Yerevan" in user.last_text()
        await user.click("📅 Kinds of events")
        await user.click("✅ 💻 Webinar")
        assert "💻 Webinar" in user.last_buttons() and "✅ 💻 Webinar" not in user.last_buttons()
        await user.click("✔ Done")
        assert "Kinds: Internship, Conference or forum, Online course, Meeting" in user.last_text()
        # Forged presses: an unknown zone, kind and topic, an event that does not exist.
        screen = user.messages()[-1]["message_id"]
        for forged, answer in (
            (SettingsPress(action=SettingsAction.ZONE, value="999"), "out of date"),
            (SettingsPress(action=SettingsAction.KIND, value="party"), "out of date"),
            (SettingsPress(action=SettingsAction.TOPIC, value="astrology"), "out of date"),
            (EventPress(action=EventAction.GOING, item=999), "no longer available"),
            (EventPress(action=EventAction.OPEN, item=999), "no longer available"),
        ):
            update_id = fake_telegram.push_callback(user.user, screen, forged.pack())
            await fake_telegram.wait_handled(update_id)
            assert answer in user.alerts[-1], forged
        async with reading(sessions) as session:
            assert await session.scalar(select(func.count()).select_from(Rsvp)) == 0
        await user.send("/unsubscribe")
        assert "no more event announcements" in user.last_text()
        await user.send("/settings")
        assert "Event announcements: off" in user.last_text()


async def test_topics_in_settings_start_from_the_profile_and_decide_what_comes(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, KZ_EN, language="en", country="KZ", want_learn=["impact"])
    user = Conversation(fake_telegram, TgUser(KZ_EN, "Picky", language_code="en"))
    clock = FrozenClock(NOW)
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await user.send("/settings")
        assert "Topics: Measuring social impact" in user.last_text()
        await user.click("🧭 Topics")
        assert "✅ Measuring social impact" in user.last_buttons()
        await user.click("✅ Measuring social impact")
        await user.click("Fundraising")
        await user.click("✔ Done")
        assert "Topics: Fundraising" in user.last_text()
        await published(sessions)  # on impact: no longer for them
        await published(sessions, title="Raising funds", topics=("fundraising",))
        assert await deliver_due(runtime) == 1
    assert [t.splitlines()[0] for t in texts_of(fake_telegram, KZ_EN)[-1:]] == ["💻 Raising funds"]
