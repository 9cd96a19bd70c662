"""Two members of the invited organisation pick at the same moment: one decides, the other
is told who did; a blocked organisation cannot arrange calls."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.handlers.privacy import queries as privacy_queries
from db.engine import Sessions, reading
from db.models import Meeting, MeetingNotice
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, set_org
from tests.fake_telegram import FakeTelegram, TgUser, inline_buttons
from tests.handlers.meetings.helpers import (
    ARMEN,
    DANA,
    KAIRAT,
    NOW,
    arrange,
    introduced,
    propose_one,
    two_organisations,
)
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")


def _first_slot(chat: Conversation) -> tuple[int, str]:
    message = chat.messages()[-1]
    return message["message_id"], str(inline_buttons(message["reply_markup"])[0]["callback_data"])


async def test_two_picks_at_once_one_decides_and_a_blocked_organisation_cannot_arrange(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    am, kz = await two_organisations(sessions)
    await introduced(sessions, kz)
    armen = Conversation(fake_telegram, TgUser(ARMEN, "Armen", language_code="hy"))
    kairat = Conversation(fake_telegram, TgUser(KAIRAT, "Kairat", language_code="kk"))
    dana = Conversation(fake_telegram, TgUser(DANA, "Dana", language_code="ru"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await arrange(armen, "hy")
        await propose_one(armen, "hy", NOW.date().replace(day=30), "11:00")
        (k_id, k_data), (d_id, d_data) = _first_slot(kairat), _first_slot(dana)
        fake_telegram.push_callback(kairat.user, k_id, k_data)
        fake_telegram.push_callback(dana.user, d_id, d_data)
        await fake_telegram.wait_for(
            lambda: fake_telegram.answers_for(KAIRAT) and fake_telegram.answers_for(DANA)
        )
        async with reading(sessions) as session:
            [meeting] = (await session.scalars(select(Meeting))).all()
            reminders = (await session.scalars(select(MeetingNotice.user_id))).all()
        assert meeting.status == "agreed" and meeting.picked_by in (KAIRAT, DANA)
        assert sorted(reminders) == sorted({ARMEN, meeting.picked_by})
        # /mydata: the organisation's calls are part of what is stored about its members.
        async with reading(sessions) as session:
            stored = await privacy_queries.collect(session, KAIRAT)
        assert stored is not None
        [call] = stored["calls"]
        assert call["direction"] == "received" and call["other_organisation"] == "Hayk Fund"
        assert call["status"] == "agreed" and call["link"] == meeting.link
        loser, language, winner = (
            (dana, "ru", "Kairat") if meeting.picked_by == KAIRAT else (kairat, "kk", "Dana")
        )
        await fake_telegram.wait_for(lambda: loser.alerts)
        assert loser.alerts[-1] == tr(
            language, "{name} has already picked a time for this call.", name=winner
        )
        # The administrators block Armen's organisation: no more calls from it.
        await set_org(sessions, am, status="banned")
        await armen.send("/menu")
        await armen.click(tr("hy", "📨 Contact requests"))
        await armen.click(tr("hy", "📅 Arrange a call: {name}", name="Dala"))
        assert armen.alerts[-1] == tr(
            "hy",
            "Your organisation's profile has been blocked by the administrators, so this is "
            "not available. Please write to the administrators if you think this is a mistake.",
        )
