"""The same conversation between Bishkek (in Kyrgyz) and Moscow (in English), three hours
apart: the proposer is warned that 10:00 is 07:00 for the other side, who sees Moscow time
first and picks it; both calendar files hold the same instant."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from bot.config import Settings
from bot.handlers.contacts import introductions
from db.engine import Sessions
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.meetings.helpers import NOW, day_button, minutes
from tests.i18n_helpers import quoted, tr

pytestmark = pytest.mark.databases("sqlite")

AIBEK, OLGA = 730, 740
MONDAY = date(2026, 11, 30)
START = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # 10:00 in Bishkek, 07:00 in Moscow


def _dtstart(fake: FakeTelegram, chat: Conversation) -> datetime:
    [document] = [m for m in chat.messages() if "document" in m]
    [entry] = Calendar.from_ical(fake.file_bytes(document["document"]["file_id"])).walk("VEVENT")
    moment: datetime = entry.decoded("dtstart")
    return moment


async def test_bishkek_in_kyrgyz_and_moscow_in_english(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, AIBEK, language="ky", first_name="Aibek", name="Umut",
                   country="KG", city="Bishkek", languages=["ky", "ru"])  # fmt: skip
    moscow = await make_org(sessions, OLGA, language="en", first_name="Olga", name="Most",
                            country="RU", city="Moscow", languages=["ru", "en"])  # fmt: skip
    intro = await introductions.request_contact(sessions, AIBEK, moscow, NOW)
    await introductions.decide(sessions, OLGA, intro.request_id, accept=True, now=NOW)
    aibek = Conversation(fake_telegram, TgUser(AIBEK, "Aibek", language_code="ky"))
    olga = Conversation(fake_telegram, TgUser(OLGA, "Olga", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await aibek.send("/menu")
        await aibek.click(tr("ky", "📨 Contact requests"))
        await aibek.click(tr("ky", "📅 Arrange a call: {name}", name="Most"))
        assert day_button("ky", MONDAY) in aibek.last_buttons()
        await aibek.click(day_button("ky", MONDAY))
        await aibek.click("10:00")
        await aibek.click(minutes("ky", 30))
        review = aibek.last_text()
        assert "10:00" in review and "07:00" in review
        assert tr("ky", "⚠️ Outside 09:00–20:00 in {city}", city="Москва") in review
        assert tr("ky", "Your proposal to {name}:", name=quoted("ky", "Most")) in review
        await aibek.click(tr("ky", "📨 Send the proposal"))
        proposal = olga.last_text()
        assert proposal.index("07:00 in Moscow") < proposal.index("10:00 in Bishkek")
        assert "Working languages: Umut: Kyrgyz, Russian; Most: English, Russian" in proposal
        await olga.click("1. Mon 30 Nov, 07:00")
        assert olga.messages()[-2]["text"].startswith("✅ Call agreed with “Umut”")
        assert _dtstart(fake_telegram, olga) == _dtstart(fake_telegram, aibek) == START
        assert tr("ky", "🔁 Move") in aibek.last_buttons()
