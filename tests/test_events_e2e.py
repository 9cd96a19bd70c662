"""Events end to end: the admin's wizard, announcements to matching subscribers (in their
language and time zone, never at night), RSVP with a calendar file, reminders at the right
moments, cancellation, /events and the settings; the clock is moved, never waited for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from bot import scheduler, users
from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.handlers.events import drafts, preferences, publishing
from bot.handlers.events.announcer import deliver_due
from bot.handlers.events.callbacks import EventAction, EventAdminAction, EventAdminPress, EventPress
from bot.handlers.events.drafts import Draft
from bot.handlers.settings.callbacks import SettingsAction, SettingsPress
from db.engine import Sessions, reading
from db.models import Event, Notice, Rsvp
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 14:00 in Almaty, 12:00 in Moscow
START = datetime(2026, 12, 14, 15, 0, tzinfo=UTC)
KZ_RU, KZ_EN, KZ_FUNDS, RU_RU, KZ_OFF, KZ_NO_WEBINARS = 501, 502, 503, 504, 505, 506


@asynccontextmanager
async def event_bot(
    settings: Settings,
    sessions: Sessions,
    fake: FakeTelegram,
    clock: FrozenClock,
) -> AsyncIterator[scheduler.Runtime]:
    """The bot polling `fake` with `clock`; yields what the scheduler's jobs run with."""
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=clock)
    async with polling(dp, bot, fake):
        yield scheduler.Runtime(bot, sessions, dp["notifier"], clock, settings.default_language)


async def subscribers(sessions: Sessions) -> None:
    """Organisations that do and do not match a webinar on impact for Kazakhstan."""
    await make_org(sessions, KZ_RU, language="ru", country="KZ", want_learn=["impact"])
    await make_org(sessions, KZ_EN, language="en", country="KZ", want_learn=["impact", "legal"])
    await make_org(sessions, KZ_FUNDS, language="en", country="KZ", want_learn=["fundraising"])
    await make_org(sessions, RU_RU, language="ru", country="RU", want_learn=["impact"])
    await make_org(sessions, KZ_OFF, language="en", country="KZ", want_learn=["impact"])
    await preferences.unsubscribe(sessions, KZ_OFF)
    await make_org(sessions, KZ_NO_WEBINARS, language="en", country="KZ", want_learn=["impact"])
    await preferences.toggle_kind(sessions, KZ_NO_WEBINARS, "webinar")


def webinar(**changes: Any) -> Draft:
    values: dict[str, Any] = {
        "kind": "webinar",
        "title": "Measuring impact <for real>",
        "description": "Two hours on indicators.",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "time_zone": "UTC",
        "link": "https://meet.example.org/impact",
        "topics": ("impact",),
        "countries": ("KZ",),
    }
    values.update(changes)
    return Draft(**values)


async def published(sessions: Sessions, now: datetime = NOW, **changes: Any) -> int:
    event_id = await drafts.save(sessions, webinar(**changes), ADMIN_ID, now)
    assert await publishing.publish(sessions, event_id, now, "ru") is not None
    return event_id


def texts_of(fake: FakeTelegram, user_id: int) -> list[str]:
    return [str(m.get("text") or m.get("caption") or "") for m in fake.chat_messages(user_id)]


async def test_an_admin_writes_and_publishes_a_webinar_for_matching_subscribers_only(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await subscribers(sessions)
    clock = FrozenClock(NOW)
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await admin.send("/event_new")
        assert "step 1 of 11" in admin.last_text()
        await admin.click("Webinar")
        await admin.send("Measuring impact <for real>")
        await admin.send("Two hours on indicators.")
        await admin.send("14.12.2026 15:00")
        assert "✓ December 14, 2026, 15:00 (UTC)" in admin.last_text()
        await admin.send("2026-12-14 17:00")
        await admin.send("https://meet.example.org/impact")
        await admin.click("Measuring social impact")
        await admin.click("✔ Done")
        await admin.click("✔ Done (All)")  # any focus area
        await admin.click("Kazakhstan")
        await admin.click("✔ Done")
        await admin.click("✔ Done (All)")  # every language
        await admin.click("Skip")  # no registration link
        preview = admin.last_text()
        assert "Preview" in preview and "Measuring impact <for real>" in preview
        assert "December 14, 2026, 15:00–17:00 (UTC)" in preview
        assert "🔗 Online: https://meet.example.org/impact" in preview
        await admin.click("📣 Publish now")
        assert admin.last_text() == "📣 Published. It goes to 2 subscribers."
        assert await deliver_due(runtime) == 2
    [russian] = texts_of(fake_telegram, KZ_RU)
    assert "Measuring impact <for real>" in russian and "Вебинар" in russian
    assert "14 декабря 2026\u202fг., 20:00–22:00 (Asia/Almaty)" in russian  # her time zone
    [english] = texts_of(fake_telegram, KZ_EN)
    assert "Webinar" in english and "December 14, 2026, 20:00–22:00 (Asia/Almaty)" in english
    assert (
        fake_telegram.chat_messages(KZ_EN)[0]["reply_markup"]["inline_keyboard"][0][0]["text"]
        == "✅ I'll attend"
    )
    for user_id in (KZ_FUNDS, RU_RU, KZ_OFF, KZ_NO_WEBINARS):  # topic, country, off, kind
        assert texts_of(fake_telegram, user_id) == []


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
    await preferences.set_zone(sessions, KZ_RU, "Europe/Moscow")  # chose Moscow time herself
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


async def test_bad_input_in_the_wizard_gets_clear_answers_and_saves_nothing(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, KZ_EN, language="en", country="KZ")
    stranger = Conversation(fake_telegram, TgUser(KZ_EN, "Stranger", language_code="en"))
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await stranger.send("/event_new")
        assert stranger.texts()[-2] == "That command is for the network's administrators."
        forged = EventAdminPress(action=EventAdminAction.CANCEL, item=1).pack()
        update_id = fake_telegram.push_callback(
            stranger.user, stranger.messages()[-1]["message_id"], forged
        )
        await fake_telegram.wait_handled(update_id)
        assert stranger.alerts[-1] == "Only administrators can do this."
        await admin.send("/event_new")
        wizard = admin.messages()[-1]["message_id"]
        forged_kind = EventAdminPress(action=EventAdminAction.KIND, code="party").pack()
        update_id = fake_telegram.push_callback(admin.user, wizard, forged_kind)
        await fake_telegram.wait_handled(update_id)
        assert "out of date" in admin.alerts[-1]
        await admin.send("Internship")  # typed where a button is expected
        assert "I did not understand" in admin.last_text()
        assert "What kind of event is it?" in admin.last_text()
        await admin.click("Internship")
        await admin.send_sticker()
        assert "Please answer with text." in admin.last_text()
        await admin.send("x" * 201)
        assert "at most 200 characters, and you sent 201" in admin.last_text()
        await admin.send("Summer internship")
        await admin.send("y" * 10_000)
        assert "at most 3,000 characters, and you sent 10,000" in admin.last_text()
        await admin.send("Six weeks in Almaty.")
        for typed, answer in (
            ("tomorrow at noon", "like 14.12.2026 15:00"),
            ("31.02.2027 10:00", "There is no such date or time"),
            ("14.12.2026 25:00", "There is no such date or time"),
            ("01.01.2026 10:00", "already passed"),
            ("01.01.2035 10:00", "more than three years ahead"),
        ):
            await admin.send(typed)
            assert answer in admin.last_text(), typed
            assert "When does it start?" in admin.last_text()
        await admin.send("01.06.2027 09:00")
        await admin.send("01.05.2027 09:00")
        assert "The end must be after the start." in admin.last_text()
        await admin.send("12.07.2027 18:00")
        await admin.send("Almaty, Abay avenue 10")
        for _ in range(4):  # topics, focus areas, countries, languages: all
            await admin.click("✔ Done (All)")
        await admin.send("not a link")
        assert "does not look like a link" in admin.last_text()
        assert "Skip" not in admin.last_buttons()  # internships need a registration link
        await admin.send("https://apply.example.org")
        await admin.send("02.06.2027 09:00")
        assert "Applications must close before the event starts." in admin.last_text()
        await admin.send("15.05.2027 18:00")
        assert (
            "Applications until" in admin.last_text()
            and "📍 Almaty, Abay avenue 10" in admin.last_text()
        )
        await admin.click("✖ Stop")
        assert admin.last_text() == "The event was not saved."
    async with reading(sessions) as session:
        assert await session.scalar(select(func.count()).select_from(Event)) == 0


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


async def test_a_russian_speaking_admin_publishes_for_a_focus_area_at_a_later_date(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    children = 601
    await make_org(sessions, children, language="kk", country="KG", focus_areas=["children"],
                   want_learn=["impact"])  # fmt: skip
    await make_org(sessions, KZ_FUNDS, language="en", country="KZ", focus_areas=["ecology"],
                   want_learn=["fundraising"])  # fmt: skip
    clock = FrozenClock(NOW)
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Админ", language_code="ru"))
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await admin.send("/event_new")
        assert tr("ru", "What kind of event is it?") in admin.last_text()
        await admin.click(tr("ru", "Meeting"))
        await admin.send("Встреча НКО, работающих с детьми")
        await admin.send("Обмен опытом.")
        await admin.send("2026-12-20 10:00")  # Moscow time: the Russian admin's default zone
        assert "(Europe/Moscow)" in admin.last_text()
        await admin.send("20.12.2026 13:00")
        await admin.send("Бишкек, ул. Токтогула 1")
        await admin.click(tr("ru", "Legal and accounting"))
        await admin.click(tr("ru", "✔ Done"))
        await admin.click(tr("ru", "Children and families"))
        for _ in range(3):  # focus areas chosen; countries and languages: all
            await admin.click(tr("ru", "✔ Done"))
        await admin.click(tr("ru", "Skip"))
        assert "📍 Бишкек, ул. Токтогула 1" in admin.last_text()
        await admin.click(tr("ru", "🕒 Publish at a date"))
        await admin.send("21.12.2026 10:00")  # after the start
        assert tr("ru", "It must be published before it starts.") in admin.last_text()
        await admin.send("01.12.2026 12:00")
        assert admin.last_text().startswith("🕒")
        assert await deliver_due(runtime) == 0  # not yet published
        clock.moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
        assert await deliver_due(runtime) == 1
    # Not about what they want to learn, but for their focus area: they get it, in Kazakh,
    # in Bishkek time (their organisation's country).
    [announcement] = texts_of(fake_telegram, children)
    assert "Встреча НКО, работающих с детьми" in announcement
    assert "(Asia/Bishkek)" in announcement and tr("kk", "Meeting") in announcement
    assert texts_of(fake_telegram, KZ_FUNDS) == []


async def test_editing_a_published_event_moves_its_reminders_and_a_cancelled_one_cannot_be_edited(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await subscribers(sessions)
    clock = FrozenClock(NOW)
    event_id = await published(sessions)
    going = Conversation(fake_telegram, TgUser(KZ_EN, "Going", language_code="en"))
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    later = START + timedelta(days=1)
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await deliver_due(runtime)
        await going.click("✅ I'll attend")
        await admin.send("/events_admin")
        await admin.click(f"✏️ #{event_id}")
        assert "Preview" in admin.last_text()
        for _ in range(8):  # back through languages, countries, …, to the end, then start
            await admin.click("« Back")
        assert "When does it start?" in admin.last_text()
        await admin.send(later.strftime("%d.%m.%Y %H:%M"))
        assert "When does it end?" in admin.last_text()  # the old end is before the new start
        await admin.send((later + timedelta(hours=2)).strftime("%d.%m.%Y %H:%M"))
        assert "Preview" in admin.last_text()  # straight back to the preview
        await admin.click("📣 Publish now")
        assert admin.last_text() == "💾 Changes saved. Reminders follow the new time."
        # The attendee is told at once, with the new time and a way to a new calendar file.
        assert await deliver_due(runtime) == 1
        changed = going.last_text()
        assert changed.startswith("✏️ Measuring impact <for real> has changed.")
        assert "December 15, 2026, 20:00–22:00" in changed
        assert "✅ I'll attend" in going.last_buttons()
        assert await deliver_due(runtime) == 0  # told once
        clock.moment = START - timedelta(hours=24)  # the old reminder time: nothing
        assert await deliver_due(runtime) == 0
        clock.moment = later - timedelta(hours=24)
        assert await deliver_due(runtime) == 1
        assert "December 15, 2026, 20:00–22:00" in going.last_text()
        # A second change is told again; a change of the description alone is not.
        info = await drafts.load(sessions, event_id)
        assert info is not None
        new_link = replace(info.draft, link="https://meet.example.org/moved")
        await drafts.save(sessions, new_link, ADMIN_ID, clock.now(), event_id=event_id)
        assert await deliver_due(runtime) == 1
        assert "https://meet.example.org/moved" in going.last_text()
        reworded = replace(new_link, description="Two hours on indicators, with examples.")
        await drafts.save(sessions, reworded, ADMIN_ID, clock.now(), event_id=event_id)
        assert await deliver_due(runtime) == 0
        await admin.send("/events_admin")
        listing = admin.messages()[-1]["message_id"]
        await admin.click(f"🚫 #{event_id}")
        await admin.click("🚫 Yes, cancel it")
        await admin.click(f"✏️ #{event_id}", message_id=listing)
        assert admin.alerts[-1] == "This event is already cancelled."


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
