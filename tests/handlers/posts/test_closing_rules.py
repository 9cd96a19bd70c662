"""Closing posts and the limits of answering (issue 21): the deadline closes an internship
through the scheduler's duty exactly once (two runs at once tell the applicant not accepted
once); a partner call answered, closed by its poster from "📬 Answers to our posts" (a
stranger's forged Close refused), and "Was a partner found?" asked a week later, answered
Yes once; the 11th answer of a day refused, saying when it frees; an organisation already
connected to the host still applies."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time
from sqlalchemy import select

from bot.config import Settings
from bot.handlers.posts import closing
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.navigation import ApplyPress
from db.engine import Sessions, reading, writing
from db.models import ContactRequest, Event, PartnerCall, PostAnswer
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org, set_org
from tests.event_helpers import NOW, event_bot, texts_of
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.posts.answer_helpers import answered, internship, partner_call
from tests.i18n_helpers import quoted, tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST_ID, KZ, KG, STRANGER = 770, 771, 772, 773


async def _orgs(sessions: Sessions) -> tuple[int, int, int]:
    host = await make_org(sessions, HOST_ID, language="hy", name="Կանաչ", country="AM")
    kz = await make_org(sessions, KZ, language="kk", name="Заң көмегі", country="KZ")
    kg = await make_org(sessions, KG, language="ky", name="Үмүт", country="KG")
    return host, kz, kg


async def _press(fake: FakeTelegram, chat: Conversation, data: str) -> None:
    update_id = fake.push_callback(chat.user, chat.messages()[-1]["message_id"], data)
    await fake.wait_handled(update_id)


async def test_the_deadline_closes_an_internship_once_through_the_duty(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    host, kz, kg = await _orgs(sessions)
    deadline = NOW + timedelta(hours=1)
    event_id = await internship(sessions, host, HOST_ID, NOW, places=2, deadline=deadline)
    await answered(sessions, "internship", event_id, host, kz, KZ, NOW, status="accepted")
    await answered(sessions, "internship", event_id, host, kg, KG, NOW)
    clock = FrozenClock(NOW)
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        assert await closing.next_due(sessions) == deadline
        # Before the deadline: still open; the applicant accepted (here without the
        # contacts' hook) is caught up as a participant: the calendar file.
        assert await closing.run_duty(runtime) == 1
        clock.advance(hours=2)
        told = await asyncio.gather(closing.run_duty(runtime), closing.run_duty(runtime))
        assert sum(told) == 1
        assert await closing.run_duty(runtime) == 0
        assert await closing.next_due(sessions) is None
    [notice] = [t for t in texts_of(fake_telegram, KG) if t.startswith("🔒")]
    assert notice == tr(
        "ky",
        "🔒 Applications to the internship {title} at {host} have closed, and your "
        "application was not accepted. Thank you for applying: other offers will come.",
        title=escape(quoted("ky", escape("Ամառային պրակտիկա <Երևանում>"))),
        host=quoted("ky", "Կանաչ"),
    )
    assert not [t for t in texts_of(fake_telegram, KZ) if t.startswith("🔒")]
    async with reading(sessions) as session:
        row = await session.get(Event, event_id)
        assert row is not None and row.closed_reason == "deadline"


async def test_a_call_closed_by_its_poster_asks_a_week_later_whether_a_partner_was_found(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy, ky = "hy", "ky"
    host, _, _ = await _orgs(sessions)
    await make_org(sessions, STRANGER, language="ru", name="Чужие", country="RU")
    call_id = await partner_call(sessions, host, HOST_ID, NOW, date(2027, 3, 1))
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code=hy))
    aibek = Conversation(fake_telegram, TgUser(KG, "Aibek", language_code=ky))
    stranger = Conversation(fake_telegram, TgUser(STRANGER, "Oleg", language_code="ru"))
    clock = FrozenClock(NOW)
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await aibek.send("/menu")
        await _press(
            fake_telegram, aibek, PostPress(action=PostAction.INTEREST, item=call_id).pack()
        )
        await aibek.send("Биз ачык маалымат менен иштейбиз")
        assert aibek.last_text().startswith("📨")
        # A stranger forges ⛔ Close: refused, the call stays open.
        await stranger.send("/menu")
        close = PostPress(action=PostAction.CLOSE, item=call_id, kind="call").pack()
        await _press(fake_telegram, stranger, close)
        assert stranger.alerts[-1] == tr(
            "ru", "Only the member who posted it and the organisation's owners can do this."
        )
        await ani.send("/menu")
        await ani.click(tr(hy, "📣 Offer or seek"))
        await ani.click(tr(hy, "📬 Answers to our posts"))
        assert trn(hy, "{n} answer", "{n} answers", 1) in ani.last_text()
        await ani.click("1")
        assert tr(hy, "⏳ waiting for your answer") in ani.last_text()
        await ani.click(tr(hy, "⛔ Close"))
        await fake_telegram.wait_for(lambda: aibek.last_text().startswith("🔒"))
        assert tr(hy, "⛔ Close") not in ani.last_buttons()
        await _press(fake_telegram, ani, close)  # pressed again: closed already
        assert ani.alerts[-1] == tr(hy, "This post is closed: it takes no more answers.")
        clock.advance(days=6)
        assert await closing.run_duty(runtime) == 0
        clock.advance(days=1, minutes=1)
        assert await closing.run_duty(runtime) == 1
        assert await closing.run_duty(runtime) == 0
        assert ani.last_buttons() == [tr(hy, "✅ Yes"), tr(hy, "✖️ No")]
        await ani.click(tr(hy, "✅ Yes"))
        assert ani.last_text() == tr(
            hy, "🎉 Thank you! We are glad the network helped you find a partner."
        )
        await _press(
            fake_telegram, ani, PostPress(action=PostAction.NOT_FOUND, item=call_id).pack()
        )
        assert ani.alerts[-1] == tr(hy, "This question has already been answered.")
    async with reading(sessions) as session:
        call = await session.get(PartnerCall, call_id)
        assert call is not None and call.closed_reason == "poster" and call.partner_found is True
    assert len([t for t in texts_of(fake_telegram, KG) if t.startswith("🔒")]) == 1


def _moment(moment: datetime, language: str) -> str:
    """As bot.i18n.local_moment shows it in Almaty (the Kazakh member's zone)."""
    moment = moment.astimezone(ZoneInfo("Asia/Almaty"))
    return "{}, {}".format(
        format_date(moment, format="long", locale=language),
        format_time(moment, "HH:mm", locale=language),
    )


def _limit(language: str, frees: datetime) -> str:
    return trn(
        language,
        "Your organisation has already answered {n} post in the last 24 hours, the daily "
        "maximum. It can answer again from {moment} ({zone}).",
        "Your organisation has already answered {n} posts in the last 24 hours, the daily "
        "maximum. It can answer again from {moment} ({zone}).",
        10,
        moment=_moment(frees, language),
        zone="Asia/Almaty",
    )


async def test_the_eleventh_answer_of_a_day_is_refused_and_connected_ones_still_answer(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    kk = "kk"
    host, kz, _ = await _orgs(sessions)
    event_id = await internship(
        sessions, host, HOST_ID, NOW, places=3, deadline=NOW + timedelta(days=5)
    )
    other = await internship(
        sessions, host, HOST_ID, NOW, places=3, deadline=NOW + timedelta(days=5), title="Other"
    )
    # Ten answers in the last day (the first 23 hours ago); one was accepted: connected.
    for n in range(10):
        created = NOW - timedelta(hours=23 if n == 0 else 1)
        status = "accepted" if n == 0 else "declined"
        await answered(sessions, "internship", other, host, kz, KZ, created, status=status)
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code="hy"))
    clock = FrozenClock(NOW)
    apply = ApplyPress(item=event_id).pack()
    async with event_bot(settings, sessions, fake_telegram, clock):
        await aidos.send("/menu")
        await _press(fake_telegram, aidos, apply)
        assert aidos.alerts[-1] == _limit(kk, NOW + timedelta(hours=1))
        clock.advance(hours=1, minutes=1)  # the oldest answer is a day old: room for one
        await _press(fake_telegram, aidos, apply)
        await aidos.send("Біз құқық саласында жұмыс істейміз")
        assert aidos.last_text() == tr(
            kk,
            "📨 Your message has been passed on to {name}. Your organisations are already "
            "connected: their contacts are in our earlier messages.",
            name=quoted(kk, "Կանաչ"),
        )
        assert "Біз құқық саласында жұмыс істейміз" in ani.last_text()
        await _press(fake_telegram, aidos, apply)  # the 11th of this day
        assert aidos.alerts[-1] == _limit(kk, NOW + timedelta(hours=23))
    async with reading(sessions) as session:
        latest = await session.scalar(select(PostAnswer).where(PostAnswer.post_id == event_id))
        assert latest is not None and latest.state == "connected" and latest.request_id is None


async def test_a_waiting_request_carries_a_new_answer_and_a_banned_organisation_cannot_answer(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    kk, ky = "kk", "ky"
    host, kz, kg = await _orgs(sessions)
    call_id = await partner_call(sessions, host, HOST_ID, NOW, date(2027, 3, 1))
    async with writing(sessions) as session:
        request = ContactRequest(sender_id=kz, recipient_id=host, asked_by=KZ, created_at=NOW)
        session.add(request)
        await session.flush()
        request_id = request.id
    await set_org(sessions, kg, status="banned")
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    aibek = Conversation(fake_telegram, TgUser(KG, "Aibek", language_code=ky))
    interest = PostPress(action=PostAction.INTEREST, item=call_id).pack()
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await aidos.send("/menu")
        await _press(fake_telegram, aidos, interest)
        await aidos.send("Ашық деректер бойынша бірге жұмыс істейік")
        assert aidos.last_text() == tr(
            kk,
            "📨 Your message has been passed on to {name}. Your organisation's earlier contact "
            "request to them is still waiting for their answer: it stands for this one too.",
            name=quoted(kk, "Կանաչ"),
        )
        await aibek.send("/start")
        await _press(fake_telegram, aibek, interest)
        assert aibek.alerts[-1] == tr(
            ky, "Your organisation's profile is hidden or blocked: it cannot answer posts."
        )
    async with reading(sessions) as session:
        [answer] = (await session.scalars(select(PostAnswer))).all()
        assert (answer.organisation_id, answer.request_id) == (kz, request_id)
