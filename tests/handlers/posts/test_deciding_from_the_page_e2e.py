"""📬 Answers to our posts: a waiting answer from an organisation connected already (no
contact request) is decided from its post's page too, ✅ / ✖️ beside it — the same service
as its notice: the page drawn again with its state, every notice copy saying who decided,
the answerer told (the accepted applicant's calendar file); a press on a notice after it
refused, a stranger's forged one refused; an answer waiting on its contact request gets no
buttons there (the inbox decides it)."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
from sqlalchemy import select

from bot import users
from bot.config import Settings
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.navigation import ApplyPress
from db.engine import Sessions, reading, writing
from db.models import ContactRequest, Membership, PostAnswer
from testing.fake_bot_api.objects import JSON
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.posts.answer_helpers import answered, internship
from tests.i18n_helpers import quoted, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST_ID, GOHAR, KZ, KG, RU = 800, 801, 802, 803, 804
HOST, KZ_ORG, KG_ORG, RU_ORG = "Կանաչ Երևան", "Заң көмегі", "Үмүт", "Берег"
hy, ru, kk, ky = "hy", "ru", "kk", "ky"


def _buttons(message: JSON) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [str(button["text"]) for row in rows for button in row]


def _notice(chat: Conversation, words: str) -> JSON:
    """The first message of the chat holding `words`: the answer's notice (not the page)."""
    return next(m for m in chat.messages() if words in str(m.get("text", "")))


async def _press(fake: FakeTelegram, chat: Conversation, message_id: int, data: str) -> None:
    await fake.wait_handled(fake.push_callback(chat.user, message_id, data))


async def test_a_connected_applicant_is_decided_from_the_posts_page(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    host = await make_org(sessions, HOST_ID, language=hy, first_name="Ani", name=HOST,
                          country="AM")  # fmt: skip
    await users.touch_user(sessions, GOHAR, "Gohar", None, is_admin=False)
    await users.set_language(sessions, GOHAR, ru)
    kz = await make_org(sessions, KZ, language=kk, name=KZ_ORG, country="KZ")
    kg = await make_org(sessions, KG, language=ky, name=KG_ORG, country="KG")
    other = await make_org(sessions, RU, language=ru, name=RU_ORG, country="RU")
    async with writing(sessions) as session:
        session.add(Membership(user_id=GOHAR, organisation_id=host, role="member"))
        for org, by in ((kz, KZ), (kg, KG)):
            session.add(ContactRequest(sender_id=org, recipient_id=host, asked_by=by,
                                       status="accepted", created_at=NOW, decided_at=NOW))  # fmt: skip
    event_id = await internship(sessions, host, HOST_ID, NOW, places=3,
                                deadline=NOW + timedelta(days=10))  # fmt: skip
    await answered(sessions, "internship", event_id, host, other, RU, NOW)  # a request waits
    ani = Conversation(fake_telegram, TgUser(HOST_ID, "Ani", language_code=hy))
    gohar = Conversation(fake_telegram, TgUser(GOHAR, "Gohar", language_code=ru))
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    aibek = Conversation(fake_telegram, TgUser(KG, "Aibek", language_code=ky))
    apply = ApplyPress(item=event_id).pack()
    accept_kz = tr(hy, "✅ Accept {name}", name=quoted(hy, KZ_ORG))
    decline_kg = tr(ru, "✖️ Decline {name}", name=quoted(ru, KG_ORG))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        for chat, text in ((aidos, "Біз құқық саласында"), (aibek, "Биз жаштар менен")):
            await chat.send("/menu")
            await _press(fake_telegram, chat, chat.messages()[-1]["message_id"], apply)
            await chat.send(text)
        # Ani's page: ✅ / ✖️ beside each connected applicant, none beside the request.
        await ani.send("/menu")
        await ani.click(tr(hy, "📣 Offer or seek"))
        await ani.click(tr(hy, "📬 Answers to our posts"))
        await ani.click("1")
        page = ani.messages()[-1]
        assert _buttons(page)[:4] == [
            tr(hy, "✅ Accept {name}", name=quoted(hy, KG_ORG)),
            tr(hy, "✖️ Decline {name}", name=quoted(hy, KG_ORG)),
            accept_kz,
            tr(hy, "✖️ Decline {name}", name=quoted(hy, KZ_ORG)),
        ]
        assert not any(RU_ORG in button for button in _buttons(page))
        await ani.click(accept_kz, message_id=page["message_id"])
        # The page again: accepted, its buttons gone; the notices say who; Aidos takes part.
        page = ani.messages()[-1]
        assert tr(hy, "✅ accepted") in ani.last_text()
        assert accept_kz not in _buttons(page)
        assert str(_notice(ani, "Біз құқық саласында")["text"]).endswith(
            tr(hy, "✅ You accepted it.")
        )
        gohars = _notice(gohar, "Біз құқық саласында")
        assert str(gohars["text"]).endswith(tr(ru, "✅ Accepted by {name}.", name="Ani"))
        assert _buttons(gohars) == []
        assert [m["document"]["file_name"] for m in aidos.messages() if "document" in m] == [
            f"event-{event_id}.ics"
        ]
        # Gohar's old notice: refused; a stranger's forged press from the page: refused.
        async with reading(sessions) as session:
            ids = dict((await session.execute(select(PostAnswer.user_id, PostAnswer.id))).all())
        decline_kz = PostPress(action=PostAction.DECLINE, item=ids[KZ]).pack()
        await _press(fake_telegram, gohar, gohars["message_id"], decline_kz)
        assert gohar.alerts[-1] == tr(ru, "{name} has already answered this.", name="Ani")
        forged = PostPress(action=PostAction.DECLINE_HERE, item=ids[KG]).pack()
        await aidos.send("/menu")
        await _press(fake_telegram, aidos, aidos.messages()[-1]["message_id"], forged)
        assert aidos.alerts[-1] == tr(kk, "Only members of the organisation answered can decide.")
        # Gohar declines Aibek from her page: Aibek is told, Ani's copy says who.
        await gohar.send("/menu")
        await gohar.click(tr(ru, "📣 Offer or seek"))
        await gohar.click(tr(ru, "📬 Answers to our posts"))
        await gohar.click("1")
        await gohar.click(decline_kg)
        assert tr(ru, "✖️ declined") in gohar.last_text()
        assert not any(KG_ORG in button for button in gohar.last_buttons())
        assert str(_notice(ani, "Биз жаштар менен")["text"]).endswith(
            tr(hy, "✖️ Declined by {name}.", name="Gohar")
        )
        assert aibek.last_text() == tr(
            ky,
            "✖️ {host} declined your application to the internship {title}. Thank you for "
            "applying: other offers will come.",
            host=escape(quoted(ky, HOST)),
            title=escape(quoted(ky, escape("Ամառային պրակտիկա <Երևանում>"))),
        )
        # The page's button pressed again (a stale page): refused.
        await _press(fake_telegram, ani, page["message_id"], forged)
        assert ani.alerts[-1] == tr(hy, "{name} has already answered this.", name="Gohar")
