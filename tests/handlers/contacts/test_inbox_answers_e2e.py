"""📨 Contact requests says which of our posts a request answers: a Kazakh NGO answers a
Yerevan NGO's partner call and a Kyrgyz one applies to its internship, from the links the
channel gives; the host's inbox, in Armenian, shows on each request "Answers your partner
call «…»" or "Answers your internship «…»" with the message or motivation (escaped,
bounded), the oldest first; a plain request for contacts says nothing of the kind."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

import pytest

from bot.config import Settings
from db.engine import Sessions
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.posts.answer_helpers import internship, partner_call
from tests.i18n_helpers import quoted, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST_ID, KZ, KG, RU = 860, 861, 862, 863
HOST = "Կանաչ Երևան"
CALL_TITLE = "Open data <together>"
INTERNSHIP_TITLE = "Ամառային պրակտիկա <Երևանում>"


def _answers(language: str, kind: str, title: str) -> str:
    msgid = (
        "🤝 Answers your partner call {title}. Their message:"
        if kind == "call"
        else "🧑‍🎓 Answers your internship {title}. Their motivation:"
    )
    return tr(language, msgid, title=escape(quoted(language, escape(title))))


async def test_the_inbox_says_which_post_each_request_answers_with_its_message(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy, kk, ky = "hy", "kk", "ky"
    host = await make_org(sessions, HOST_ID, language=hy, name=HOST, country="AM")
    await make_org(sessions, KZ, language=kk, name="Ашық дерек", country="KZ")
    await make_org(sessions, KG, language=ky, name="Үмүт", country="KG")
    await make_org(sessions, RU, language="ru", name="Просто фонд", country="RU")
    call_id = await partner_call(sessions, host, HOST_ID, NOW, date(2027, 3, 1))
    event_id = await internship(
        sessions, host, HOST_ID, NOW, places=2, deadline=NOW + timedelta(days=10)
    )
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code=hy))
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    aibek = Conversation(fake_telegram, TgUser(KG, "Aibek", language_code=ky))
    oleg = Conversation(fake_telegram, TgUser(RU, "Oleg", language_code="ru"))
    message = "Бізде <ашық> дерек " + "ж" * 700  # longer than the inbox shows
    motivation = "Биз <жаштар> менен иштейбиз"
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await aidos.send(f"/start call_{call_id}")
        await aidos.click(tr(kk, "🙋 We're interested"))
        await aidos.send(message)
        await aibek.send(f"/start event_{event_id}")
        await aibek.click(tr(ky, "📝 Apply"))
        await aibek.send(motivation)
        await ani.send("/menu")
        await ani.click(tr(hy, "📨 Contact requests"))
        inbox = ani.last_text()
        assert "Ашық дерек" in inbox
        assert _answers(hy, "call", CALL_TITLE) + "\n" + message[:599] + "…" in inbox
        assert "ж" * 700 not in inbox
        assert INTERNSHIP_TITLE not in inbox  # the other request comes next
        await ani.click(tr(hy, "✖️ Decline"))
        await ani.send("/menu")
        await ani.click(tr(hy, "📨 Contact requests"))
        inbox = ani.last_text()
        assert "Үмүт" in inbox
        assert _answers(hy, "internship", INTERNSHIP_TITLE) + "\n" + motivation in inbox
        await ani.click(tr(hy, "✅ Accept"))
        # A plain request for contacts: no post is named.
        await oleg.send(f"/start org_{host}")
        await oleg.click(tr("ru", "📨 Request contact"))
        await ani.send("/menu")
        await ani.click(tr(hy, "📨 Contact requests"))
        inbox = ani.last_text()
        assert "Просто фонд" in inbox
        for kind, title in (("call", CALL_TITLE), ("internship", INTERNSHIP_TITLE)):
            assert _answers(hy, kind, title) not in inbox
