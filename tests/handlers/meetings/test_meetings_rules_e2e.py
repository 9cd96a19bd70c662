"""The rules of arranging a call, through the real bot: forged and stale presses, a day in
the past, a time too soon, "not now", "none of these fits" (the roles swap), a cancellation
(METHOD:CANCEL, the same UID, no reminder), three open proposals at most per pair."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from bot import scheduler
from bot.app import create_bot, create_dispatcher, scheduler_duties
from bot.config import Settings
from bot.handlers.contacts.callbacks import ArrangePress
from bot.handlers.meetings.callbacks import (
    CallAction,
    CallPress,
    PickAction,
    PickPress,
    ProposeAction,
    ProposePress,
)
from db.engine import Sessions
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.fake_fixtures import polling
from tests.fake_telegram import JSON, FakeTelegram, TgUser
from tests.handlers.meetings.helpers import (
    ARMEN,
    DANA,
    KAIRAT,
    NOW,
    THIRD,
    arrange,
    day_button,
    introduced,
    propose_one,
    two_organisations,
)
from tests.i18n_helpers import quoted, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)
STALE = "This button is out of date. Please use the latest message."


async def _press(fake: FakeTelegram, chat: Conversation, message_id: int, data: str) -> str:
    """A press made by hand (forged, or on a message whose buttons are gone); its alert."""
    before = len(chat.alerts)
    fake.push_callback(chat.user, message_id, data)
    await fake.wait_for(lambda: len(chat.alerts) > before)
    return chat.alerts[-1]


def _message(chat: Conversation, message_id: int) -> JSON:
    return next(m for m in chat.messages() if m["message_id"] == message_id)


def _files(fake: FakeTelegram, chat: Conversation) -> list[Calendar]:
    return [
        Calendar.from_ical(fake.file_bytes(m["document"]["file_id"]))
        for m in chat.messages()
        if "document" in m
    ]


async def test_forged_stale_past_too_soon_declined_swapped_cancelled_and_too_many(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    _, kz = await two_organisations(sessions)
    request = await introduced(sessions, kz)
    await make_org(sessions, THIRD, language="en", name="Outsider")
    clock = FrozenClock(NOW)
    armen = Conversation(fake_telegram, TgUser(ARMEN, "Armen", language_code="hy"))
    kairat = Conversation(fake_telegram, TgUser(KAIRAT, "Kairat", language_code="kk"))
    dana = Conversation(fake_telegram, TgUser(DANA, "Dana", language_code="ru"))
    third = Conversation(fake_telegram, TgUser(THIRD, "Third", language_code="en"))
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=clock)
    async with polling(dp, bot, fake_telegram):
        runtime = scheduler.Runtime(bot, sessions, dp["notifier"], clock, "en")
        # Someone outside the introduction forges "Arrange a call": refused.
        await third.send("/menu")
        menu = third.messages()[-1]["message_id"]
        forged = ArrangePress(request=request).pack()
        not_yours = tr("en", "This call is between two other organisations.")
        assert await _press(fake_telegram, third, menu, forged) == not_yours
        # Armen starts from 📨 Contact requests.
        await arrange(armen, "hy")
        wizard = armen.messages()[-1]["message_id"]
        # A day in the past (buttons pressed after midnight, say): the same step again.
        past = ProposePress(action=ProposeAction.DAY, value="2026-11-20").pack()
        fake_telegram.push_callback(armen.user, wizard, past)
        passed = tr("hy", "⚠️ That day has already passed. Please pick another one.")
        await fake_telegram.wait_for(lambda: passed in str(_message(armen, wizard).get("text")))
        # A forged day that is no day: the button is out of date.
        nonsense = ProposePress(action=ProposeAction.DAY, value="2026-13-45").pack()
        stale = tr("hy", STALE)
        assert await _press(fake_telegram, armen, wizard, nonsense) == stale
        # Today, in less than an hour: the same step again.
        await armen.click(day_button("hy", NOW.date()))
        await armen.send("13:30")  # 09:30 UTC, half an hour from now
        soon = tr("hy", "⚠️ That is less than an hour from now. Please pick a later time.")
        assert armen.last_text().startswith(soon)
        # Midnight passes before the time is typed: the day is asked again.
        clock.moment = NOW + timedelta(days=1)
        await armen.send("18:00")
        assert armen.last_text().startswith(passed)
        assert tr("hy", "Which day? Times are in your zone ({city}).", city="Երևան") in (
            armen.last_text()
        )
        clock.moment = NOW
        await propose_one(armen, "hy", MONDAY, "11:00")
        dana_first = dana.messages()[-1]["message_id"]
        # A slot the proposal does not have (a forged press): the button is out of date.
        third_slot = PickPress(action=PickAction.PICK, meeting=1, slot=2).pack()
        assert await _press(fake_telegram, dana, dana_first, third_slot) == tr("ru", STALE)
        # Kairat: not now. Armen is told politely; Dana's copy closes.
        await kairat.click(tr("kk", "🕊 Not now"))
        assert armen.last_text() == tr(
            "hy",
            "{name} cannot take up a call at the moment. Thank you for proposing: you can try "
            "again later from 📨 Contact requests.",
            name=quoted("hy", "Dala"),
        )
        closed = _message(dana, dana_first)
        assert tr("ru", "✖️ {name} answered: not now.", name="Kairat") in closed["text"]
        assert not closed.get("reply_markup")
        # Dana presses her old copy anyway (a forged press): told what happened.
        pick = PickPress(action=PickAction.PICK, meeting=1, slot=0).pack()
        answered = tr("ru", "This proposal has already been answered: not now.")
        assert await _press(fake_telegram, dana, dana_first, pick) == answered
        assert await _press(fake_telegram, third, menu, pick) == not_yours
        # A second proposal: Dana finds none fits, and proposes her own times.
        await arrange(armen, "hy")
        await propose_one(armen, "hy", MONDAY, "12:00")
        await dana.click(tr("ru", "🔄 None of these fits"))
        assert (
            tr(
                "hy",
                "🔄 None of your times suits {name}: {person} will propose others.",
                name=quoted("hy", "Dala"),
                person="Dana",
            )
            in armen.last_text()
        )
        wizard_head = "Time {number} of up to {most} · step {step} of 3"
        assert tr("ru", wizard_head, number=1, most=3, step=1) in dana.last_text()
        await propose_one(dana, "ru", TUESDAY, "12:00")
        assert tr("ru", "📨 Your proposal has been sent to {name}. We will tell you what they pick.",
                  name=quoted("ru", "Hayk Fund")) == dana.last_text()  # fmt: skip
        # Armen sees Yerevan time first (11:00), then Almaty's (12:00), and picks it.
        proposal = armen.last_text()
        assert proposal.index("11:00") < proposal.index("12:00")
        await armen.click("1. ")
        [agreed] = _files(fake_telegram, dana)
        # An outsider cannot cancel it; Dana can: Armen is told at once, both calendars
        # get METHOD:CANCEL with the same UID.
        cancel = CallPress(action=CallAction.CANCEL, meeting=3).pack()
        assert await _press(fake_telegram, third, menu, cancel) == not_yours
        confirmation = dana.messages()[-2]["message_id"]
        await dana.click(tr("ru", "✖️ Cancel the call"), message_id=confirmation)
        asked = _message(dana, confirmation)
        assert tr("ru", "Cancel this call? The other side will be told at once.") in asked["text"]
        await dana.click(tr("ru", "« Back"), message_id=confirmation)  # the call as it stands
        await dana.click(tr("ru", "✖️ Cancel the call"), message_id=confirmation)
        await dana.click(tr("ru", "✖️ Yes, cancel it"), message_id=confirmation)
        assert "Dana" in armen.messages()[-2]["text"]
        for chat in (armen, dana):
            cancelled = _files(fake_telegram, chat)[-1]
            assert str(cancelled["method"]) == "CANCEL"
            [entry] = cancelled.walk("VEVENT")
            assert str(entry["uid"]) == str(agreed.walk("VEVENT")[0]["uid"])
            assert str(entry["status"]) == "CANCELLED"
        gone = tr("ru", "This call has been cancelled.")
        assert await _press(fake_telegram, dana, confirmation, cancel) == gone
        clock.advance(days=4)
        assert await scheduler_duties().deliver_due(runtime) == 0  # no reminder
        clock.moment = NOW
        # Three proposals waiting at most between the two organisations.
        for hour in ("10:00", "11:00", "12:00"):
            await arrange(armen, "hy")
            await propose_one(armen, "hy", TUESDAY, hour)
        await armen.send("/menu")
        await armen.click(tr("hy", "📨 Contact requests"))
        await armen.click(tr("hy", "📅 Arrange a call: {name}", name="Dala"))
        assert armen.alerts[-1] == tr(
            "hy",
            "Three proposals between your organisations are already waiting for an answer. "
            "Wait for one of them first.",
        )
        # Once their times have passed, those proposals no longer hold the pair back.
        clock.moment = NOW + timedelta(days=5)
        before = len(armen.alerts)
        await armen.click(tr("hy", "📅 Arrange a call: {name}", name="Dala"))
        assert len(armen.alerts) == before
        assert tr("hy", "Which day? Times are in your zone ({city}).", city="Երևան") in (
            armen.last_text()
        )
