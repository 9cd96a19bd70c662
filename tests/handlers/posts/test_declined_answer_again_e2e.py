"""A post whose host declined an organisation's answer takes no other answer from it
(issue 21): 🙋 We're interested pressed again after the host declined on its notice (a
connected organisation), 📝 Apply again after the contact request it became was declined,
and the Mini App's offers (the post not `answerable`, the answer refused the same way)."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.navigation import ApplyPress
from db.engine import Sessions, reading, writing
from db.models import ContactRequest, PostAnswer
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.find.find_helpers import READER, network, posts
from tests.handlers.posts.answer_helpers import answered, internship, partner_call
from tests.i18n_helpers import quoted, tr
from tests.webapp_helpers import mini_app

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST_ID, KZ, KG = 790, 791, 792
HOST = "Կանաչ Երևան"
DECLINED = "The host has already declined your organisation's answer to this post."


async def _count(sessions: Sessions) -> int:
    async with reading(sessions) as session:
        return int(await session.scalar(select(func.count()).select_from(PostAnswer)) or 0)


async def test_answering_again_a_post_whose_host_declined_is_refused_in_the_chat(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy, kk, ky = "hy", "kk", "ky"
    host = await make_org(sessions, HOST_ID, language=hy, first_name="Ani", name=HOST,
                          country="AM")  # fmt: skip
    kz = await make_org(sessions, KZ, language=kk, name="Заң көмегі", country="KZ")
    kg = await make_org(sessions, KG, language=ky, name="Үмүт", country="KG")
    async with writing(sessions) as session:  # Kazakhs connected to the host already
        session.add(ContactRequest(sender_id=kz, recipient_id=host, asked_by=KZ,
                                   status="accepted", created_at=NOW, decided_at=NOW))  # fmt: skip
    call_id = await partner_call(sessions, host, HOST_ID, NOW, date(2027, 3, 1))
    event_id = await internship(sessions, host, HOST_ID, NOW, places=2,
                                deadline=NOW + timedelta(days=10))  # fmt: skip
    await answered(sessions, "internship", event_id, host, kg, KG, NOW, status="declined")
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code=hy))
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    aibek = Conversation(fake_telegram, TgUser(KG, "Aibek", language_code=ky))
    interest = PostPress(action=PostAction.INTEREST, item=call_id).pack()
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await aidos.send("/menu")
        menu = aidos.messages()[-1]["message_id"]
        await fake_telegram.wait_handled(fake_telegram.push_callback(aidos.user, menu, interest))
        await aidos.send("Бізде ашық деректер бар")
        notice = next(m for m in ani.messages() if "ашық деректер" in str(m.get("text", "")))
        await ani.click(tr(hy, "✖️ Decline"), message_id=notice["message_id"])
        assert escape(quoted(kk, HOST)) in aidos.last_text()  # told it was declined
        # Straight away, 🙋 again: refused, no question asked, nothing recorded.
        before = await _count(sessions)
        said = len(aidos.messages())
        await fake_telegram.wait_handled(fake_telegram.push_callback(aidos.user, menu, interest))
        assert aidos.alerts[-1] == tr(kk, DECLINED)
        assert len(aidos.messages()) == said
        # Its contact request declined: 📝 Apply to the internship again is refused too.
        await aibek.send("/menu")
        apply = ApplyPress(item=event_id).pack()
        pressed = fake_telegram.push_callback(aibek.user, aibek.messages()[-1]["message_id"], apply)
        await fake_telegram.wait_handled(pressed)
        assert aibek.alerts[-1] == tr(ky, DECLINED)
        assert await _count(sessions) == before


async def test_the_mini_app_marks_a_declined_post_unanswerable_and_refuses_its_answer(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    orgs = await network(sessions)
    ids = await posts(sessions, orgs)
    await answered(sessions, "call", ids.am_call, orgs["am"], orgs["reader"], READER, NOW,
                   status="declined")  # fmt: skip
    async with mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app:
        status, body = await app.call("GET", "/offers", READER)
        items = {(i["post"], i["id"]): i for i in body["items"]}
        assert status == 200
        assert items["call", ids.am_call]["answerable"] is False
        assert items["call", ids.am_call]["action"] == ""
        assert items["event", ids.ru_internship]["answerable"] is True
        answer = {"kind": "call", "id": ids.am_call, "message": "Тағы да"}
        status, body = await app.call("POST", "/offers/answer", READER, body=answer)
        assert (status, body["reason"]) == (409, "host_declined")
        assert body["message"] == tr("kk", DECLINED)
    assert await _count(sessions) == 1
