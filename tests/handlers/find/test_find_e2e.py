"""📣 Calls and offers end to end (issue 21.6), in Kazakh: what is open, newest first (a
closed call, a call past its deadline, a cancelled and an ended event left out; the
reader's own organisation's call marked as theirs), filtered by kind, topic and country;
a post opened with the buttons to answer it (none on one's own); the links the channel and
the Mini App give (`/start call_<id>`, `/start event_<id>`), a closed one said so; forged
filters refused."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest

from bot.config import Settings
from bot.handlers.find.callbacks import FindAction, FindPress
from db.engine import Sessions, writing
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.find.find_helpers import (
    AM_ORG,
    HOST_AM,
    KG_ORG,
    READER,
    RU_ORG,
    call_row,
    network,
    posts,
)
from tests.i18n_helpers import quoted, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")
KK = "kk"


def _titles(text: str) -> list[str]:
    """The posts' titles listed in `text` (plain, as the reader sees it), in its order."""
    found = []
    for title in ("Digital <tools> for villages", "Стажировка в Казани",
                  "Фандрайзинг вебинары", "Біздің серіктес іздеуіміз", "Closed call",
                  "Past call", "Cancelled webinar", "Ended webinar"):  # fmt: skip
        if f" {title}, " in text:
            found.append(title)
    return sorted(found, key=text.index)


async def test_a_kazakh_reader_finds_open_calls_and_offers_and_filters_them(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    orgs = await network(sessions)
    ids = await posts(sessions, orgs)
    reader = Conversation(fake_telegram, TgUser(READER, "Aidos", language_code=KK))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await reader.send("/menu")
        await reader.click(tr(KK, "📣 Calls and offers"))
        text = reader.last_text()
        listing = reader.messages()[-1]["message_id"]  # edited in place from now on
        assert text.startswith(tr(KK, "📣 <b>Calls and offers</b>: open now"))
        assert _titles(text) == [
            "Digital <tools> for villages",
            "Стажировка в Казани",
            "Фандрайзинг вебинары",
            "Біздің серіктес іздеуіміз",
        ]
        assert quoted(KK, escape(KG_ORG)) in text  # names escaped (shown as typed)
        assert tr(KK, "(your organisation's)") in text.splitlines()[-3]
        assert reader.last_buttons()[:4] == ["1", "2", "3", "4"]
        # Kind: partner calls only.
        await reader.click(tr(KK, "🗂 Kind") + ": " + tr(KK, "any"))
        assert reader.last_text() == tr(KK, "{filter}: choose one.", filter=tr(KK, "🗂 Kind"))
        await reader.click(tr(KK, "🤝 Partner calls"))
        assert _titles(reader.last_text()) == [
            "Digital <tools> for villages",
            "Біздің серіктес іздеуіміз",
        ]
        # And a topic none of them names: nothing.
        await reader.click(tr(KK, "🧭 Topic") + ": " + tr(KK, "any"))
        await reader.click(tr(KK, "Fundraising"))
        assert tr(KK, "Nothing open matches these filters for now.") in reader.last_text()
        # Any kind, fundraising, for Kyrgyzstan: the webinar (the internship names another
        # topic).
        await reader.click(tr(KK, "🗂 Kind") + ": " + tr(KK, "🤝 Partner calls"))
        await reader.click("✓ " + tr(KK, "🤝 Partner calls"))  # ticked; picking it again keeps it
        await reader.click(tr(KK, "🗂 Kind"))
        await reader.click(tr(KK, "any"))
        await reader.click(tr(KK, "🌍 Country") + ": " + tr(KK, "any"))
        await reader.click(tr(KK, "Kyrgyzstan"))
        assert _titles(reader.last_text()) == ["Фандрайзинг вебинары"]
        # Open it: the card in Kazakh with the events' answering buttons.
        await reader.click("1")
        assert "Фандрайзинг вебинары" in reader.last_text()
        assert tr(KK, "🏢 Hosted by {name}", name=escape(quoted(KK, escape(KG_ORG)))) in (
            reader.last_text()
        )
        assert tr(KK, "✅ I'll attend") in reader.last_buttons()
        # Back to everything, and the Armenian call: We're interested.
        await reader.click(tr(KK, "🌍 Country"), message_id=listing)
        await reader.click(tr(KK, "any"), message_id=listing)
        await reader.click(tr(KK, "🧭 Topic"), message_id=listing)
        await reader.click(tr(KK, "any"), message_id=listing)
        await reader.click("1", message_id=listing)
        assert reader.last_text().startswith(tr(KK, "📣 <b>A partner call</b>"))
        assert tr(KK, "🏢 Hosted by {name}", name=escape(quoted(KK, escape(AM_ORG)))) in (
            reader.last_text()
        )
        assert reader.last_buttons()[0] == tr(KK, "🙋 We're interested")
        # Their own organisation's call: no way to answer it.
        await reader.click("4", message_id=listing)
        assert reader.last_text().endswith(
            tr(KK, "This is your organisation's post: others answer it.")
        )
        last = reader.last_message()
        assert last is not None and not last.get("reply_markup")
        # The links the channel gives.
        await reader.send(f"/start call_{ids.am_call}")
        assert reader.last_text().startswith(tr(KK, "📣 <b>A partner call</b>"))
        assert reader.last_buttons()[0] == tr(KK, "🙋 We're interested")
        await reader.send(f"/start event_{ids.ru_internship}")
        assert "Стажировка в Казани" in reader.last_text()
        assert tr(KK, "🏢 Hosted by {name}", name=escape(quoted(KK, escape(RU_ORG)))) in (
            reader.last_text()
        )
        for gone in (f"call_{ids.closed_call}", f"call_{ids.past_call}",
                     f"event_{ids.cancelled}", f"event_{ids.ended}", "call_999999"):  # fmt: skip
            await reader.send(f"/start {gone}")
            assert reader.texts()[-2] == tr(KK, "This call or offer is closed or no longer exists.")
            assert tr(KK, "📣 Calls and offers") in reader.last_buttons()  # then the menu
        # Someone new, from the channel: the card, then the menu with the questionnaire.
        newcomer = Conversation(fake_telegram, TgUser(8999, "Nurlan", language_code=KK))
        await newcomer.send(f"/start call_{ids.am_call}")
        assert newcomer.texts()[-2].startswith(tr(KK, "📣 <b>A partner call</b>"))
        assert tr(KK, "📝 Fill in the questionnaire") in newcomer.last_buttons()
        # A forged filter: refused, nothing changes.
        forged = FindPress(action=FindAction.LIST, kind="spam").pack()
        before = reader.last_text()
        update_id = fake_telegram.push_callback(
            reader.user, reader.messages()[-1]["message_id"], forged
        )
        await fake_telegram.wait_handled(update_id)
        assert reader.alerts[-1] == tr(
            KK, "This button is out of date. Please use the latest message."
        )
        assert reader.last_text() == before
        # A closed call opened from an old list: refused as closed.
        stale = FindPress(action=FindAction.OPEN, item=ids.closed_call, post="call").pack()
        update_id = fake_telegram.push_callback(
            reader.user, reader.messages()[-1]["message_id"], stale
        )
        await fake_telegram.wait_handled(update_id)
        assert reader.alerts[-1] == tr(KK, "This call or offer is closed or no longer exists.")


async def test_the_list_pages_five_at_a_time_newest_first(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    orgs = await network(sessions)
    async with writing(sessions) as session:
        for n in range(7):
            since = NOW - timedelta(hours=10 - n)
            session.add(call_row(orgs["am"], HOST_AM, f"Call number {n}", since))
    reader = Conversation(fake_telegram, TgUser(READER, "Aidos", language_code=KK))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await reader.send("/menu")
        await reader.click(tr(KK, "📣 Calls and offers"))
        assert [f"Call number {n}," in reader.last_text() for n in range(7)] == [False] * 2 + [
            True
        ] * 5
        assert reader.last_text().index("Call number 6") < reader.last_text().index("Call number 2")
        assert tr(KK, "Found: {count}. Press a number to open it.", count=7) in reader.last_text()
        await reader.click(tr(KK, "Next »"))
        assert "6. 🤝 Call number 1," in reader.last_text()
        assert "7. 🤝 Call number 0," in reader.last_text()
        assert reader.last_buttons()[:2] == ["6", "7"]
        await reader.click(tr(KK, "« Previous"))
        assert "1. 🤝 Call number 6," in reader.last_text()
