"""Answers from an organisation connected to the host already (issue 21): they become no
contact request, so the host decides on the answer itself. Every member of the host gets
its notice with ✅ Accept / ✖️ Decline; the first press decides, the other member's copy
says who, a second press and a stranger's forged one are refused; the accepted applicant
takes part (the calendar file, as when a contact request is accepted), the declined one is
told, and "📬 Answers to our posts" shows both states. Applying again is refused ("waiting",
then "you already take part"), and "Not going" pressed by a participant says how to
withdraw. A partner call answered by a connected organisation is accepted the same way; a
notice nobody decided on loses its buttons when applications close (the applicant told
once, a late press refused), and accepting the last place closes the internship, telling
the other applicant and closing their notice."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

import pytest
from sqlalchemy import select

from bot import users
from bot.config import Settings
from bot.handlers.events.callbacks import EventAction, EventPress
from bot.handlers.posts import closing
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.navigation import ApplyPress
from db.engine import Sessions, reading, writing
from db.models import ContactRequest, Membership, PostAnswer, Rsvp
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.posts.answer_helpers import (
    files_of,
    internship,
    labels,
    newest_with,
    partner_call,
)
from tests.i18n_helpers import quoted, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST_ID, GOHAR, KZ, KG = 780, 781, 782, 783
HOST = "Կանաչ Երևան"
TITLE = "Ամառային պրակտիկա <Երևանում>"
ACCEPTED = (
    "✅ Your application to <b>{title}</b> was accepted: you are taking part. The calendar "
    "file is below; we will remind you a day and an hour before it starts."
)
PASSED_ON = (
    "📨 Your message has been passed on to {name}. Your organisations are already connected, "
    "so no contact request is needed: we will tell you when they accept or decline."
)


async def _connected(sessions: Sessions, sender: int, asked_by: int, host: int) -> None:
    """An introduction the host accepted earlier: the two organisations are connected."""
    async with writing(sessions) as session:
        session.add(
            ContactRequest(sender_id=sender, recipient_id=host, asked_by=asked_by,
                           status="accepted", created_at=NOW, decided_at=NOW)
        )  # fmt: skip


async def _host_with_two_members(sessions: Sessions) -> int:
    """Ani (Armenian, owner) and Gohar (Russian, member) of the host."""
    host = await make_org(sessions, HOST_ID, language="hy", first_name="Ani", name=HOST,
                          country="AM")  # fmt: skip
    await users.touch_user(sessions, GOHAR, "Gohar", None, is_admin=False)
    await users.set_language(sessions, GOHAR, "ru")
    async with writing(sessions) as session:
        session.add(Membership(user_id=GOHAR, organisation_id=host, role="member"))
    return host


CLOSED_FIRST = "🔒 The post closed before your organisation answered; they have been told."


def _not_accepted(language: str) -> str:
    """What an applicant not accepted is told when applications close."""
    return tr(
        language,
        "🔒 Applications to the internship {title} at {host} have closed, and your "
        "application was not accepted. Thank you for applying: other offers will come.",
        title=escape(quoted(language, escape(TITLE))),
        host=escape(quoted(language, HOST)),
    )


async def _press(fake: FakeTelegram, chat: Conversation, message_id: int, data: str) -> None:
    await fake.wait_handled(fake.push_callback(chat.user, message_id, data))


async def test_the_host_accepts_one_connected_applicant_and_declines_the_other(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy, ru, kk, ky = "hy", "ru", "kk", "ky"
    host = await _host_with_two_members(sessions)
    kz = await make_org(sessions, KZ, language=kk, name="Заң көмегі", country="KZ")
    kg = await make_org(sessions, KG, language=ky, name="Үмүт", country="KG")
    await _connected(sessions, kz, KZ, host)
    await _connected(sessions, kg, KG, host)
    event_id = await internship(sessions, host, HOST_ID, NOW, places=2,
                                deadline=NOW + timedelta(days=10), title=TITLE)  # fmt: skip
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code=hy))
    gohar = Conversation(fake_telegram, TgUser(GOHAR, "Gohar", language_code=ru))
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    aibek = Conversation(fake_telegram, TgUser(KG, "Aibek", language_code=ky))
    apply = ApplyPress(item=event_id).pack()
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await aidos.send("/menu")
        menu = aidos.messages()[-1]["message_id"]
        await _press(fake_telegram, aidos, menu, apply)
        await aidos.send("Біз құқық саласында жұмыс істейміз")
        assert aidos.last_text() == tr(kk, PASSED_ON, name=escape(quoted(kk, HOST)))
        # Each member of the host: the motivation, and the answer to give here.
        for chat, language in ((ani, hy), (gohar, ru)):
            notice = newest_with(chat, "Біз құқық саласында")
            assert str(notice["text"]).endswith(
                tr(language, "🤝 Your organisations are already connected (their contacts are "
                   "in our earlier messages). Accept or decline here: the first answer of "
                   "your organisation counts.")
            )  # fmt: skip
            assert labels(notice) == [tr(language, "✅ Accept"), tr(language, "✖️ Decline")]
        # Applying again while it waits: refused, nothing sent.
        await _press(fake_telegram, aidos, menu, apply)
        assert aidos.alerts[-1] == tr(kk, "⏳ Your application is waiting for the host's answer.")
        # A stranger's forged Accept: refused.
        answer = newest_with(ani, "Біз құқық саласында")
        async with reading(sessions) as session:
            answer_id = await session.scalar(select(PostAnswer.id).where(PostAnswer.user_id == KZ))
        assert answer_id is not None
        accept = PostPress(action=PostAction.ACCEPT, item=answer_id).pack()
        await aibek.send("/menu")
        await _press(fake_telegram, aibek, aibek.messages()[-1]["message_id"], accept)
        assert aibek.alerts[-1] == tr(ky, "Only members of the organisation answered can decide.")
        # Ani accepts: her copy and Gohar's close; Aidos takes part (the calendar file).
        await ani.click(tr(hy, "✅ Accept"), message_id=answer["message_id"])
        mine = newest_with(ani, "Біз құқық саласында")
        assert str(mine["text"]).endswith(tr(hy, "✅ You accepted it."))
        assert labels(mine) == []
        theirs = newest_with(gohar, "Біз құқық саласында")
        assert str(theirs["text"]).endswith(tr(ru, "✅ Accepted by {name}.", name="Ani"))
        assert labels(theirs) == []
        documents = files_of(aidos)
        assert [d["document"]["file_name"] for d in documents] == [f"event-{event_id}.ics"]
        assert documents[0]["caption"] == tr(kk, ACCEPTED, title=escape(TITLE))
        # Gohar's press on her closed copy, and Ani's second: refused, nothing changes.
        decline = PostPress(action=PostAction.DECLINE, item=answer_id).pack()
        await _press(fake_telegram, gohar, theirs["message_id"], decline)
        assert gohar.alerts[-1] == tr(ru, "{name} has already answered this.", name="Ani")
        await _press(fake_telegram, ani, mine["message_id"], accept)
        assert ani.alerts[-1] == tr(hy, "You have already answered this.")
        assert len(files_of(aidos)) == 1
        # The participant: 📝 Apply again, and an old "Not going".
        await _press(fake_telegram, aidos, menu, apply)
        assert aidos.alerts[-1] == tr(kk, "✅ You already take part in this internship.")
        not_going = EventPress(action=EventAction.NOT_GOING, item=event_id).pack()
        await _press(fake_telegram, aidos, menu, not_going)
        assert aidos.alerts[-1] == tr(
            kk,
            "✅ You are taking part in this internship. To withdraw, please write to its host: "
            "your organisations have exchanged contacts.",
        )
        # Aibek applies; Gohar declines; Aibek is told.
        await _press(fake_telegram, aibek, aibek.messages()[-1]["message_id"], apply)
        await aibek.send("Биз жаштар менен иштейбиз")
        await gohar.click(
            tr(ru, "✖️ Decline"), message_id=newest_with(gohar, "жаштар менен")["message_id"]
        )
        assert aibek.last_text() == tr(
            ky,
            "✖️ {host} declined your application to the internship {title}. Thank you for "
            "applying: other offers will come.",
            host=escape(quoted(ky, HOST)),
            title=escape(quoted(ky, escape(TITLE))),
        )
        assert str(newest_with(ani, "жаштар менен")["text"]).endswith(
            tr(hy, "✖️ Declined by {name}.", name="Gohar")
        )
        assert files_of(aibek) == []
        # 📬 Answers to our posts: both, with their state.
        await ani.send("/menu")
        await ani.click(tr(hy, "📣 Offer or seek"))
        await ani.click(tr(hy, "📬 Answers to our posts"))
        await ani.click("1")
        page = ani.last_text()
        assert tr(hy, "✅ accepted") in page and tr(hy, "✖️ declined") in page
        assert tr(hy, "⏳ waiting for your answer") not in page
    async with reading(sessions) as session:
        rsvps = (await session.execute(select(Rsvp.event_id, Rsvp.user_id, Rsvp.going))).all()
        assert [tuple(row) for row in rsvps] == [(event_id, KZ, True)]
        rows = (await session.execute(
            select(PostAnswer.user_id, PostAnswer.state, PostAnswer.decided_by,
                   PostAnswer.request_id).order_by(PostAnswer.id)
        )).all()  # fmt: skip
        assert [tuple(row) for row in rows] == [
            (KZ, "accepted", HOST_ID, None),
            (KG, "declined", GOHAR, None),
        ]


async def test_a_connected_organisations_interest_in_a_call_is_accepted_on_its_notice(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy, kk = "hy", "kk"
    host = await make_org(sessions, HOST_ID, language=hy, first_name="Ani", name=HOST,
                          country="AM")  # fmt: skip
    kz = await make_org(sessions, KZ, language=kk, name="Заң көмегі", country="KZ")
    await _connected(sessions, kz, KZ, host)
    call_id = await partner_call(sessions, host, HOST_ID, NOW, date(2027, 3, 1))
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code=hy))
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await aidos.send("/menu")
        interest = PostPress(action=PostAction.INTEREST, item=call_id).pack()
        await _press(fake_telegram, aidos, aidos.messages()[-1]["message_id"], interest)
        await aidos.send("Бізде ашық деректер бар")
        assert aidos.last_text() == tr(kk, PASSED_ON, name=escape(quoted(kk, HOST)))
        await ani.click(
            tr(hy, "✅ Accept"), message_id=newest_with(ani, "ашық деректер")["message_id"]
        )
        assert aidos.last_text() == tr(
            kk,
            "✅ {host} accepted your answer to the partner call {title}. Your organisations "
            "are already connected: their contacts are in our earlier messages.",
            host=escape(quoted(kk, HOST)),
            title=escape(quoted(kk, escape("Open data <together>"))),
        )
    async with reading(sessions) as session:
        state = await session.scalar(select(PostAnswer.state))
        assert state == "accepted"


async def test_an_undecided_notice_loses_its_buttons_when_applications_close(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy, kk = "hy", "kk"
    host = await make_org(sessions, HOST_ID, language=hy, first_name="Ani", name=HOST,
                          country="AM")  # fmt: skip
    kz = await make_org(sessions, KZ, language=kk, name="Заң көмегі", country="KZ")
    await _connected(sessions, kz, KZ, host)
    deadline = NOW + timedelta(days=2)
    event_id = await internship(sessions, host, HOST_ID, NOW, places=1, deadline=deadline,
                                title=TITLE)  # fmt: skip
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code=hy))
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    clock = FrozenClock(NOW)
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await aidos.send("/menu")
        apply = ApplyPress(item=event_id).pack()
        await _press(fake_telegram, aidos, aidos.messages()[-1]["message_id"], apply)
        await aidos.send("Біз құқық саласында жұмыс істейміз")
        clock.moment = deadline + timedelta(minutes=1)
        assert await closing.run_duty(runtime) == 1  # the applicant told, once
        assert aidos.last_text() == _not_accepted(kk)
        notice = newest_with(ani, "Біз құқық саласында")
        assert str(notice["text"]).endswith(tr(hy, CLOSED_FIRST))
        assert labels(notice) == []
        accept = PostPress(action=PostAction.ACCEPT, item=1).pack()
        await _press(fake_telegram, ani, notice["message_id"], accept)
        assert ani.alerts[-1] == tr(hy, "This post is closed: it takes no more answers.")
    async with reading(sessions) as session:
        assert await session.scalar(select(PostAnswer.state)) == "closed"
        assert await session.scalar(select(Rsvp.user_id)) is None


async def test_accepting_the_last_place_closes_the_internship_and_tells_the_other(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy, kk, ky = "hy", "kk", "ky"
    host = await make_org(sessions, HOST_ID, language=hy, first_name="Ani", name=HOST,
                          country="AM")  # fmt: skip
    kz = await make_org(sessions, KZ, language=kk, name="Заң көмегі", country="KZ")
    kg = await make_org(sessions, KG, language=ky, name="Үмүт", country="KG")
    await _connected(sessions, kz, KZ, host)
    await _connected(sessions, kg, KG, host)
    event_id = await internship(sessions, host, HOST_ID, NOW, places=1,
                                deadline=NOW + timedelta(days=10), title=TITLE)  # fmt: skip
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code=hy))
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    aibek = Conversation(fake_telegram, TgUser(KG, "Aibek", language_code=ky))
    apply = ApplyPress(item=event_id).pack()
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        for chat, text in ((aidos, "Біз құқық саласында"), (aibek, "Биз жаштар менен")):
            await chat.send("/menu")
            await _press(fake_telegram, chat, chat.messages()[-1]["message_id"], apply)
            await chat.send(text)
        await ani.click(
            tr(hy, "✅ Accept"), message_id=newest_with(ani, "Біз құқық саласында")["message_id"]
        )
        assert [d["caption"] for d in files_of(aidos)] == [tr(kk, ACCEPTED, title=escape(TITLE))]
        assert aibek.last_text() == _not_accepted(ky)
        other = newest_with(ani, "Биз жаштар менен")
        assert str(other["text"]).endswith(tr(hy, CLOSED_FIRST))
        assert labels(other) == []
