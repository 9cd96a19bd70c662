"""Applying to an internship (issue 21): a Yerevan NGO hosts an internship with one place;
organisations in Kazakhstan and Kyrgyzstan get its announcement with "📝 Apply" and apply
with a motivation (an empty one and one too long are asked again); the host's members get
each motivation, escaped, and the contact request, with no contacts shown. The host accepts
the Kazakh one from its inbox; reading "📬 Answers to our posts" finds the place taken and
closes the internship, and the Kyrgyz applicant is told, in Kyrgyz, once. A late applicant
and the host's own member are refused."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
from babel.numbers import format_decimal
from sqlalchemy import select

from bot.config import Settings
from bot.handlers.events import announcer
from bot.handlers.posts import closing
from bot.navigation import ApplyPress
from db.engine import Sessions, reading
from db.models import Event, PostAnswer
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot, texts_of
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.posts.answer_helpers import internship
from tests.i18n_helpers import quoted, tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST_ID, KZ, KG, LATE = 760, 761, 762, 763
HOST = "Կանաչ Երևան"
TITLE = "Ամառային պրակտիկա <Երևանում>"


def _title(language: str) -> str:
    """The title as a parameter of `tr` (which reads the text as HTML)."""
    return escape(quoted(language, escape(TITLE)))


async def test_two_apply_to_a_yerevan_internship_the_host_accepts_one_the_other_is_told(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy, kk, ky = "hy", "kk", "ky"
    host = await make_org(sessions, HOST_ID, language=hy, name=HOST, country="AM",
                          city="Yerevan", contact="ani@kanach.am")  # fmt: skip
    await make_org(sessions, KZ, language=kk, name="Заң көмегі", country="KZ",
                   contact="hello@zan.kz")  # fmt: skip
    await make_org(sessions, KG, language=ky, name="Үмүт", country="KG", contact="umut@kg.org")
    await make_org(sessions, LATE, language="ru", name="Поздно", country="RU")
    clock = FrozenClock(NOW)
    event_id = await internship(
        sessions, host, HOST_ID, NOW, places=1, deadline=NOW + timedelta(days=10)
    )
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code=hy))
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    aibek = Conversation(fake_telegram, TgUser(KG, "Aibek", language_code=ky))
    late = Conversation(fake_telegram, TgUser(LATE, "Oleg", language_code="ru"))
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        await announcer.deliver_due(runtime)
        assert tr(ky, "📝 Apply") in aibek.last_buttons()
        await aibek.click(tr(ky, "📝 Apply"))
        assert aibek.last_text() == tr(
            ky,
            "📝 Write a short motivation to {host} for the internship {title}: who you are, "
            "what you would learn and bring (at most {limit} characters). They will see your "
            "organisation's card; contacts are exchanged once they accept.",
            host=quoted(ky, HOST), title=_title(ky), limit=format_decimal(1000, locale=ky),
        )  # fmt: skip
        await aibek.send("   ")
        assert aibek.last_text() == tr(ky, "Please write a few words: the message cannot be empty.")
        await aibek.send("z" * 1001)
        assert aibek.last_text() == tr(
            ky,
            "Please write a message of at most {limit} characters (you sent {length}).",
            limit=format_decimal(1000, locale=ky), length=format_decimal(1001, locale=ky),
        )  # fmt: skip
        await aibek.send("Биз <жаштар> менен иштейбиз")
        assert aibek.last_text() == tr(
            ky,
            "📨 Your request has been sent to {name}. We will tell you when they answer.",
            name=quoted(ky, HOST),
        )
        await aidos.click(tr(kk, "📝 Apply"))
        motivation = "Біз <құқық> саласында жұмыс істейміз"
        await aidos.send(motivation)
        # The host has each motivation (escaped), then the request; no contacts yet.
        assert ani.texts()[-2] == tr(
            hy, "📝 {name} applies to your internship {title}:",
            name=quoted(hy, "Заң көмегі"), title=_title(hy),
        ) + "\n\n" + motivation  # fmt: skip
        assert "hello@zan.kz" not in "".join(ani.texts())
        assert "ani@kanach.am" not in "".join(texts_of(fake_telegram, KZ))
        # The host's own member cannot apply (a forged press).
        forged = ApplyPress(item=event_id).pack()
        update_id = fake_telegram.push_callback(ani.user, ani.messages()[-1]["message_id"], forged)
        await fake_telegram.wait_handled(update_id)
        assert ani.alerts[-1] == tr(hy, "This is your own organisation's post.")
        await ani.click(tr(hy, "✅ Accept"))  # the latest request: the Kazakh one
        assert "hello@zan.kz" in ani.last_text()
        assert "ani@kanach.am" in aidos.texts()[-2]
        # Accepted, the applicant takes part: the calendar file, in Kazakh.
        document = aidos.last_message() or {}
        assert document["document"]["file_name"] == f"event-{event_id}.ics"
        # Reading the answers finds the one place taken: the internship closes.
        await ani.send("/menu")
        await ani.click(tr(hy, "📣 Offer or seek"))
        await ani.click(tr(hy, "📬 Answers to our posts"))
        page = ani.last_text()
        assert TITLE in page
        assert trn(hy, "{n} answer", "{n} answers", 2) in page
        assert trn(hy, "{n} accepted", "{n} accepted", 1) in page
        await ani.click("1")
        post = ani.last_text()
        assert tr(hy, "closed") in post and motivation in post
        assert tr(hy, "✅ accepted") in post and tr(hy, "🔒 not accepted (closed)") in post
        assert tr(hy, "⛔ Close") not in ani.last_buttons()
        await fake_telegram.wait_for(lambda: "🔒" in aibek.last_text())
        assert aibek.last_text() == tr(
            ky,
            "🔒 Applications to the internship {title} at {host} have closed, and your "
            "application was not accepted. Thank you for applying: other offers will come.",
            title=_title(ky), host=quoted(ky, HOST),
        )  # fmt: skip
        assert await closing.run_duty(runtime) == 0  # told once
        # Too late: an organisation pressing Apply on its announcement now is refused.
        announcement = late.messages()[-1]
        assert tr("ru", "📝 Apply") in late.last_buttons()
        press = ApplyPress(item=event_id).pack()
        update_id = fake_telegram.push_callback(late.user, announcement["message_id"], press)
        await fake_telegram.wait_handled(update_id)
        assert late.alerts[-1] == tr("ru", "This post is closed: it takes no more answers.")
    assert [t for t in texts_of(fake_telegram, KG) if t.startswith("🔒")] == [aibek.last_text()]
    assert not [t for t in texts_of(fake_telegram, KZ) if t.startswith("🔒")]
    async with reading(sessions) as session:
        row = await session.get(Event, event_id)
        assert row is not None and row.closed_reason == "full"
        answers = (await session.scalars(select(PostAnswer).order_by(PostAnswer.id))).all()
        assert [(a.organisation_id != host, a.told_at is not None) for a in answers] == [
            (True, True),
            (True, False),
        ]
