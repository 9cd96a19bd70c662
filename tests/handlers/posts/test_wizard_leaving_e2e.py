"""Leaving the posts wizard midway: a Kyrgyz member writing a partner call sends /menu (or
presses a button of the menu) after the title; what she types next is not taken as the
description, and 📣 Offer or seek offers ✏️ Continue the draft, back at the step she left,
its answers kept, across a restart. /help does not leave it. Starting another post replaces the draft. A press
elsewhere leaves the question of an answer to a call: nothing goes to the host."""

from __future__ import annotations

from datetime import date
from html import escape

import pytest

from bot.config import Settings
from db.engine import Sessions
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.posts.answer_helpers import partner_call
from tests.i18n_helpers import quoted, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

POSTER, HOST = 880, 881
KY = "ky"
TITLE = "Жаштар <үчүн> ачык маалымат"
DESCRIPTION = "Биргелешкен долбоор: ачык маалымат боюнча окуу."


def _step(number: int) -> str:
    return tr(KY, "🤝 <b>We seek a partner</b> · step {step} of {total}", step=number, total=7)


async def test_leaving_the_wizard_keeps_the_draft_and_the_next_words_are_not_an_answer(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, POSTER, language=KY, name="Үмүт", country="KG")
    aizada = Conversation(fake_telegram, TgUser(POSTER, "Aizada", language_code=KY))
    draft_kept = tr(
        KY,
        "✏️ Your draft {title} is kept where you left it: continue it, or start another "
        "post (it replaces the draft).",
        title=escape(quoted(KY, escape(TITLE))),
    )
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await aizada.send("/menu")
        await aizada.click(tr(KY, "📣 Offer or seek"))
        assert tr(KY, "✏️ Continue the draft") not in aizada.last_buttons()
        await aizada.click(tr(KY, "🤝 We seek a partner"))
        await aizada.send(TITLE)
        assert _step(2) in aizada.last_text()
        # /help answers inside the wizard: the next words are still the description.
        await aizada.send("/help")
        await aizada.send("/menu")  # leaves: the main menu
        menu = aizada.messages()[-1]["message_id"]
        assert tr(KY, "🔎 Find partners") in aizada.last_buttons()
        await aizada.send(DESCRIPTION)  # not taken as the description
        assert aizada.texts()[-2] == tr(
            KY, "I did not understand that. Please use the menu below or send /help."
        )
    # The bot restarts: the parked draft is in the database.
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        # 📣 Offer or seek offers the draft, back at the step left, the title kept.
        await aizada.click(tr(KY, "📣 Offer or seek"))
        assert draft_kept in aizada.last_text()
        assert aizada.last_buttons()[0] == tr(KY, "✏️ Continue the draft")
        await aizada.click(tr(KY, "✏️ Continue the draft"))
        assert _step(2) in aizada.last_text()
        await aizada.send(DESCRIPTION)
        assert _step(3) in aizada.last_text()
        # A button of an older menu leaves it too (here: 📅 Events).
        await aizada.click(tr(KY, "📅 Events"), message_id=menu)
        await aizada.send("Digital tools")
        assert aizada.texts()[-2] == tr(
            KY, "I did not understand that. Please use the menu below or send /help."
        )
        await aizada.send("/menu")
        await aizada.click(tr(KY, "📣 Offer or seek"))
        await aizada.click(tr(KY, "✏️ Continue the draft"))
        assert _step(3) in aizada.last_text()
        await aizada.click(tr(KY, "« Back"))
        assert _step(2) in aizada.last_text()  # the description kept: back to it
        # Another post replaces the draft: no Continue once it is stopped.
        await aizada.send("/menu")
        await aizada.click(tr(KY, "📣 Offer or seek"))
        await aizada.click(tr(KY, "🤝 We seek a partner"))
        assert _step(1) in aizada.last_text()
        await aizada.send("/menu")
        await aizada.click(tr(KY, "📣 Offer or seek"))
        assert tr(KY, "✏️ Continue the draft") in aizada.last_buttons()  # the new one, left
        await aizada.click(tr(KY, "✏️ Continue the draft"))
        assert _step(1) in aizada.last_text()
        await aizada.click(tr(KY, "✖ Stop"))
        await aizada.send("/menu")
        await aizada.click(tr(KY, "📣 Offer or seek"))
        assert tr(KY, "✏️ Continue the draft") not in aizada.last_buttons()


async def test_a_press_elsewhere_leaves_the_question_of_an_answer_with_nothing_sent(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    host = await make_org(sessions, HOST, language="hy", name="Կանաչ", country="AM")
    await make_org(sessions, POSTER, language=KY, name="Үмүт", country="KG")
    call_id = await partner_call(sessions, host, HOST, NOW, date(2027, 3, 1))
    aizada = Conversation(fake_telegram, TgUser(POSTER, "Aizada", language_code=KY))
    ani = Conversation(fake_telegram, TgUser(HOST, "Ani", language_code="hy"))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await aizada.send("/menu")
        menu = aizada.messages()[-1]["message_id"]
        await aizada.send(f"/start call_{call_id}")
        await aizada.click(tr(KY, "🙋 We're interested"))
        await aizada.click(tr(KY, "📅 Events"), message_id=menu)
        await aizada.send("Биз <маалымат> менен иштейбиз")
        assert aizada.texts()[-2] == tr(
            KY, "I did not understand that. Please use the menu below or send /help."
        )
        assert ani.messages() == []  # nothing reached the host


async def test_back_at_the_first_step_returns_to_offer_or_seek(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, POSTER, language=KY, name="Үмүт", country="KG")
    aizada = Conversation(fake_telegram, TgUser(POSTER, "Aizada", language_code=KY))
    offer = tr(KY, "📣 Offer or seek")  # the screen's heading, as its menu button
    kept = tr(
        KY,
        "✏️ Your draft {title} is kept where you left it: continue it, or start another "
        "post (it replaces the draft).",
        title=escape(quoted(KY, escape(TITLE))),
    )
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await aizada.send("/menu")
        await aizada.click(tr(KY, "📣 Offer or seek"))
        # An event's first step (its kind): « Back beside ✖ Stop, nothing written: forgotten.
        await aizada.click(tr(KY, "🎓 An event we host"))
        assert aizada.last_buttons()[-2:] == [tr(KY, "« Back"), tr(KY, "✖ Stop")]
        await aizada.click(tr(KY, "« Back"))
        assert aizada.last_text().startswith(offer)
        assert tr(KY, "✏️ Continue the draft") not in aizada.last_buttons()
        # A call: its title typed, « Back to the first step, « Back again: the draft kept.
        await aizada.click(tr(KY, "🤝 We seek a partner"))
        assert tr(KY, "« Back") in aizada.last_buttons()
        await aizada.send(TITLE)
        await aizada.click(tr(KY, "« Back"))
        assert _step(1) in aizada.last_text()
        await aizada.click(tr(KY, "« Back"))
        assert aizada.last_text().startswith(offer) and kept in aizada.last_text()
        assert aizada.last_buttons()[0] == tr(KY, "✏️ Continue the draft")
        await aizada.send("Not an answer")  # out of the wizard: not taken as the title
        assert aizada.texts()[-2] == tr(
            KY, "I did not understand that. Please use the menu below or send /help."
        )
        await aizada.send("/menu")
        await aizada.click(tr(KY, "📣 Offer or seek"))
        await aizada.click(tr(KY, "✏️ Continue the draft"))
        assert _step(1) in aizada.last_text()
        await aizada.send(TITLE + "!")
        assert _step(2) in aizada.last_text()
