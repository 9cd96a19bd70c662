"""Taking part in an internship an organisation hosts (issue 21): its announcement offers
"📝 Apply" and no "I'll attend" (an admin's webinar keeps it); the host accepts one
application and declines the other in the one inbox; the accepted applicant is recorded as
attending, gets the calendar file in Kazakh and the reminders a day and an hour before (not
the one before applications close), reads "You are taking part" on the card and is told
of a new place without a button to press; a second Accept changes nothing; the declined one
gets none of it, and an old "I'll attend" press is refused. An acceptance the hook missed is caught up by the scheduler's duty, once."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from html import escape

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.handlers.directory.callbacks import ContactAction, ContactPress
from bot.handlers.events import announcer, drafts
from bot.handlers.events.callbacks import EventAction, EventPress
from bot.handlers.posts import closing
from db.engine import Sessions, reading
from db.models import ContactRequest, Notice, PostAnswer, Rsvp
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot, published
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.posts.answer_helpers import (
    answered,
    files_of,
    internship,
    labels,
    newest_with,
)
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST_ID, KZ, KG = 770, 771, 772
HOST = "Կանաչ Երևան"
TITLE = "Ամառային պրակտիկա <Երևանում>"
ACCEPTED = (
    "✅ Your application to <b>{title}</b> was accepted: you are taking part. The calendar "
    "file is below; we will remind you a day and an hour before it starts."
)

CHANGED = "✏️ <b>{title}</b> has changed. This is how it is now; you are still taking part."


async def test_the_accepted_applicant_takes_part_and_the_declined_one_does_not(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy, kk, ky = "hy", "kk", "ky"
    host = await make_org(sessions, HOST_ID, language=hy, name=HOST, country="AM")
    await make_org(sessions, KZ, language=kk, name="Заң көмегі", country="KZ",
                   want_learn=["impact"])  # fmt: skip
    await make_org(sessions, KG, language=ky, name="Үмүт", country="KG")
    clock = FrozenClock(NOW)
    deadline = NOW + timedelta(days=10)
    event_id = await internship(sessions, host, HOST_ID, NOW, places=2, deadline=deadline,
                                title=TITLE)  # fmt: skip
    await published(sessions)  # an admin's webinar, for Kazakhstan
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code=hy))
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    aibek = Conversation(fake_telegram, TgUser(KG, "Aibek", language_code=ky))
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await announcer.deliver_due(runtime)
        offer = newest_with(aidos, TITLE)
        assert labels(offer) == [tr(kk, "📝 Apply")]  # no "I'll attend"
        webinar = newest_with(aidos, "Measuring impact")
        assert tr(kk, "✅ I'll attend") in labels(webinar)
        assert labels(newest_with(aibek, TITLE)) == [tr(ky, "📝 Apply")]
        # An "I'll attend" on an old announcement of the internship is refused.
        forged = EventPress(action=EventAction.GOING, item=event_id).pack()
        offered = newest_with(aibek, TITLE)["message_id"]
        await fake_telegram.wait_handled(fake_telegram.push_callback(aibek.user, offered, forged))
        assert aibek.alerts[-1] == tr(
            ky, "This internship takes applications: press “📝 Apply” to send yours."
        )
        await aibek.click(tr(ky, "📝 Apply"), message_id=offered)
        await aibek.send("Биз жаштар менен иштейбиз")
        await aidos.click(tr(kk, "📝 Apply"), message_id=offer["message_id"])
        await aidos.send("Біз құқық саласында жұмыс істейміз")
        # The host declines the Kyrgyz request and accepts the Kazakh one.
        kyrgyz = newest_with(ani, "Үмүт")
        await ani.click(tr(hy, "✖️ Decline"), message_id=kyrgyz["message_id"])
        await ani.click(tr(hy, "✅ Accept"))
        caption = tr(kk, ACCEPTED, title=escape(TITLE))
        documents = files_of(aidos)
        assert [d["document"]["file_name"] for d in documents] == [f"event-{event_id}.ics"]
        assert documents[0]["caption"] == caption
        assert files_of(aibek) == []
        # A second Accept, on the request's button pressed again: nothing changes.
        async with reading(sessions) as session:
            request = await session.scalar(
                select(ContactRequest.id).where(ContactRequest.status == "accepted")
            )
        assert request is not None
        again = ContactPress(action=ContactAction.ACCEPT, request=request).pack()
        message_id = ani.messages()[-1]["message_id"]
        await fake_telegram.wait_handled(fake_telegram.push_callback(ani.user, message_id, again))
        assert len(files_of(aidos)) == 1
        assert await closing.run_duty(runtime) == 0  # the duty finds nothing left to do
        # The card: "You are taking part", without 📝 Apply; the /events list marks it.
        await aidos.send("/events")
        await aidos.click("2")  # the webinar (14 December) first, the internship second
        card = aidos.last_message() or {}
        assert str(card["text"]).endswith(tr(kk, "✅ You are taking part."))
        assert labels(card) == []
        await aibek.send("/events")
        await aibek.click("2")
        assert labels(aibek.last_message() or {}) == [tr(ky, "📝 Apply")]
        # Its place changes: its participant is told, with no button to press.
        loaded = await drafts.load(sessions, event_id)
        assert loaded is not None
        moved = dataclasses.replace(loaded.draft, place="Gyumri")
        await drafts.save(sessions, moved, HOST_ID, clock.now(), event_id=event_id)
        assert await announcer.deliver_due(runtime) == 1
        assert aidos.last_text().startswith(tr(kk, CHANGED, title=escape(TITLE)))
        assert labels(aidos.last_message() or {}) == []
        # Reminders: not three days before applications close (they are in), but a day
        # and an hour before the start; the declined applicant gets none.
        told_aidos, told_aibek = len(aidos.messages()), len(aibek.messages())
        clock.moment = deadline - timedelta(days=3)
        assert await announcer.deliver_due(runtime) == 0
        starts = NOW + timedelta(days=30)
        clock.moment = starts - timedelta(hours=24)
        assert await announcer.deliver_due(runtime) == 1
        assert aidos.last_text().startswith(
            tr(kk, "⏰ Tomorrow: <b>{title}</b>", title=escape(TITLE))
        )
        clock.moment = starts - timedelta(hours=1)
        assert await announcer.deliver_due(runtime) == 1
        assert aidos.last_text().startswith(
            tr(kk, "⏰ In an hour: <b>{title}</b>", title=escape(TITLE))
        )
        assert len(aidos.messages()) == told_aidos + 2
        assert len(aibek.messages()) == told_aibek
    async with reading(sessions) as session:
        rsvps = (await session.execute(select(Rsvp.event_id, Rsvp.user_id, Rsvp.going))).all()
        assert [tuple(row) for row in rsvps] == [(event_id, KZ, True)]
        states = (await session.scalars(select(PostAnswer.state).order_by(PostAnswer.id))).all()
        assert list(states) == ["pending", "accepted"]  # the declined one read through its request


async def test_an_acceptance_the_hook_missed_is_caught_up_by_the_duty_once(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    host = await make_org(sessions, HOST_ID, language="hy", name=HOST, country="AM")
    applicant = await make_org(sessions, KZ, language="kk", name="Заң көмегі", country="KZ")
    clock = FrozenClock(NOW)
    event_id = await internship(sessions, host, HOST_ID, NOW, places=1,
                                deadline=NOW + timedelta(days=10), title=TITLE)  # fmt: skip
    # Accepted in the inbox by a process that stopped before the hook ran.
    await answered(sessions, "internship", event_id, host, applicant, KZ, NOW, status="accepted")
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code="kk"))
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        assert await closing.run_duty(runtime) == 1
        assert [d["caption"] for d in files_of(aidos)] == [tr("kk", ACCEPTED, title=escape(TITLE))]
        assert await closing.run_duty(runtime) == 0
    async with reading(sessions) as session:
        notices = await session.scalars(
            select(Notice.kind).where(Notice.user_id == KZ, Notice.kind != "announce")
        )
        assert sorted(notices) == ["day", "hour"]
        assert await session.get(Rsvp, (event_id, KZ)) is not None
