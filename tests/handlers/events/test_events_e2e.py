"""Events end to end, the admin's side: the wizard (its bad input, in Russian, for a focus area
at a later date), publishing for matching subscribers only, editing a published event;
what subscribers receive is test_events_audience_e2e. The clock is moved, never waited for."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.handlers.events import drafts
from bot.handlers.events.announcer import deliver_due
from bot.handlers.events.callbacks import EventAdminAction, EventAdminPress
from db.engine import Sessions, reading
from db.models import Event
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import (
    KZ_EN,
    KZ_FUNDS,
    KZ_NO_WEBINARS,
    KZ_OFF,
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
