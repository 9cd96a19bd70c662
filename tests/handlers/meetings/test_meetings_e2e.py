"""Arranging a call through the real bot: an Armenian member proposes three times, a Kazakh
member of the other organisation picks one in Almaty time (her colleague's copy closes),
both get the same instant in their calendar files, a move keeps the calendar entry,
reminders go once, the follow-up comes the next day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from icalendar import Calendar
from sqlalchemy import select

from bot import scheduler
from bot.app import create_bot, create_dispatcher, scheduler_duties
from bot.config import Settings
from bot.handlers.contacts.asking import send_followups
from db.engine import Sessions, reading
from db.models import MeetingNotice
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock
from tests.fake_fixtures import polling
from tests.fake_telegram import JSON, FakeTelegram, TgUser
from tests.handlers.meetings.helpers import (
    ALMATY,
    ARMEN,
    DANA,
    KAIRAT,
    NOW,
    YEREVAN,
    add_time,
    day_button,
    minutes,
    two_organisations,
)
from tests.i18n_helpers import quoted, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

MONDAY, TUESDAY, WEDNESDAY = date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)


def _local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def _yerevan(day: date, at: str) -> datetime:
    hours, mins = map(int, at.split(":"))
    local = datetime(day.year, day.month, day.day, hours, mins, tzinfo=ZoneInfo(YEREVAN))
    return local.astimezone(UTC)


def _calendar(fake: FakeTelegram, message: JSON) -> Calendar:
    return Calendar.from_ical(fake.file_bytes(message["document"]["file_id"]))


def _last_file(fake: FakeTelegram, chat: Conversation) -> JSON:
    return next(m for m in reversed(chat.messages()) if "document" in m)


async def test_a_call_proposed_picked_moved_reminded_and_followed_up(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    am, kz = await two_organisations(sessions)
    clock = FrozenClock(NOW)
    armen = Conversation(fake_telegram, TgUser(ARMEN, "Armen", language_code="hy"))
    kairat = Conversation(fake_telegram, TgUser(KAIRAT, "Kairat", language_code="kk"))
    dana = Conversation(fake_telegram, TgUser(DANA, "Dana", language_code="ru"))
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=clock)
    duties = scheduler_duties()
    async with polling(dp, bot, fake_telegram):
        runtime = scheduler.Runtime(bot, sessions, dp["notifier"], clock, "en")
        # The introduction, through the bot: Armen asks, Kairat accepts.
        await armen.send(f"/start org_{kz}")
        await armen.click(tr("hy", "📨 Request contact"))
        await kairat.click(tr("kk", "✅ Accept"))
        assert tr("kk", "📅 Arrange a call") in kairat.last_buttons()
        # Armen arranges a call from the acceptance he got.
        await armen.click(tr("hy", "📅 Arrange a call"))
        assert tr("hy", "Time {number} of up to {most} · step {step} of 3", number=1, most=3,
                  step=1) in armen.last_text()  # fmt: skip
        assert day_button("hy", MONDAY) in armen.last_buttons()
        await armen.click(day_button("hy", MONDAY))
        await armen.click("15:00")
        await armen.click(minutes("hy", 45))
        review = armen.last_text()
        first = _yerevan(MONDAY, "15:00")
        assert "15:00" in review and _local(first, ALMATY) in review
        assert tr("hy", "Working languages") in review
        # A second time: a typed time that is not one, then one too early in the day.
        await armen.click(tr("hy", "➕ Add another time"))
        await armen.click(day_button("hy", TUESDAY))
        await armen.send("half past four")
        assert armen.last_text().startswith(
            tr("hy", "⚠️ That is not a time. Type hours and minutes, e.g. 15:30, or press a button.")
        )
        await armen.send("07:30")
        await armen.click(minutes("hy", 30))
        assert tr("hy", "⚠️ Outside 09:00–20:00 in {city}", city="Ալմաթի") in armen.last_text()
        await armen.click(tr("hy", "« Back"))  # takes that time away
        await armen.click(tr("hy", "➕ Add another time"))
        await add_time(armen, "hy", TUESDAY, "16:30", 30)
        await armen.click(tr("hy", "➕ Add another time"))
        await add_time(armen, "hy", WEDNESDAY, "10:00", 60)
        assert tr("hy", "➕ Add another time") not in armen.last_buttons()  # three at most
        await armen.click(tr("hy", "📨 Send the proposal"))
        assert armen.last_text() == tr(
            "hy",
            "📨 Your proposal has been sent to {name}. We will tell you what they pick.",
            name=quoted("hy", "Dala"),
        )
        # Both Kazakh members get it, each in their language, in Almaty time.
        proposal = kairat.last_text()
        assert _local(first, ALMATY) in proposal and _local(first, YEREVAN) in proposal
        assert "Almaty" not in proposal  # the city's name in Kazakh
        local_first = first.astimezone(ZoneInfo(ALMATY))
        pick = f"1. {day_button('kk', local_first.date())}, {_local(first, ALMATY)}"
        assert pick in kairat.last_buttons()
        assert tr("ru", "🕊 Not now") in dana.last_buttons()
        dana_copy = dana.last_message()
        assert dana_copy is not None
        await kairat.click(pick)
        # Both get the confirmation, the video link and the same instant in the .ics.
        assert tr("kk", "🔁 Move") in kairat.last_buttons()
        link = next(w for w in kairat.messages()[-2]["text"].split() if w.startswith("https://"))
        assert (
            link.startswith("https://meet.jit.si/") and len(link) > len("https://meet.jit.si/") + 15
        )
        mine = _calendar(fake_telegram, _last_file(fake_telegram, kairat))
        theirs = _calendar(fake_telegram, _last_file(fake_telegram, armen))
        [a], [b] = mine.walk("VEVENT"), theirs.walk("VEVENT")
        assert a.decoded("dtstart") == b.decoded("dtstart") == first
        assert a.decoded("dtend") == first + timedelta(minutes=45)
        assert str(a["uid"]) == str(b["uid"]) and "Hayk Fund" in str(a["summary"])
        assert "Dala" in str(a["summary"]) and str(a["url"]) == link
        assert link in armen.messages()[-2]["text"]
        # Dana's copy says who picked what, without buttons.
        closed = next(m for m in dana.messages() if m["message_id"] == dana_copy["message_id"])
        assert "Kairat" in closed["text"] and not closed.get("reply_markup")
        # Kairat moves it to Tuesday 17:00 Almaty time: Armen is told, with the same UID.
        confirmation = kairat.messages()[-2]["message_id"]
        await kairat.click(tr("kk", "🔁 Move"), message_id=confirmation)
        await kairat.click(tr("kk", "✖️ Cancel"))  # the wizard, not the call
        assert kairat.last_text() == tr("kk", "The call stays as it was.")
        await kairat.click(tr("kk", "🔁 Move"), message_id=confirmation)
        await kairat.click(format_date(TUESDAY, "EEE d MMM", locale="kk"))
        await kairat.click("17:00")
        await kairat.click(minutes("kk", 30))
        moved_at = datetime(2026, 12, 1, 17, 0, tzinfo=ZoneInfo(ALMATY)).astimezone(UTC)
        assert "Kairat" in armen.messages()[-2]["text"]
        [c] = _calendar(fake_telegram, _last_file(fake_telegram, armen)).walk("VEVENT")
        assert str(c["uid"]) == str(a["uid"]) and c.decoded("dtstart") == moved_at
        assert c.decoded("sequence") == a.decoded("sequence") + 1
        # One reminder each, 15 minutes before the new time, once.
        clock.moment = moved_at - timedelta(minutes=16)
        assert await duties.deliver_due(runtime) == 0
        clock.moment = moved_at - timedelta(minutes=15)
        assert await duties.deliver_due(runtime) == 2
        assert await duties.deliver_due(runtime) == 0
        assert armen.last_text().startswith("⏰")
        assert _local(moved_at, ALMATY) in kairat.last_text()
        async with reading(sessions) as session:
            states = (await session.scalars(select(MeetingNotice.state))).all()
        assert sorted(states) == ["sent", "sent"]
        # The day after the call, the follow-up goes to both organisations.
        clock.moment = moved_at + timedelta(hours=12)
        assert await send_followups(runtime) == 0
        clock.moment = moved_at + timedelta(minutes=30, days=1)
        assert await send_followups(runtime) == 3  # Armen, Kairat and Dana
        assert tr("kk", "A joint project") in kairat.last_buttons()
        assert quoted("hy", "Dala") in armen.last_text()
        assert am != kz
        # /stats counts it: proposed, agreed and held between two countries.
        admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
        await admin.send("/stats")
        await admin.click(tr("en", "🤝 The network at work"))
        network = admin.last_text()
        assert "📅 Calls: 1 proposed, 1 agreed, 1 held" in network
        assert "Between two countries: 1 proposed, 1 agreed, 1 held" in network
        assert "Within one country: 0 proposed, 0 agreed, 0 held" in network
        assert "Median time from an introduction to its call: 4 days" in network
