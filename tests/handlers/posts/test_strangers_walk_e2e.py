"""Issue 21's strangers, walked where the two scenario modules do not go, through the fake
Bot API only (presses and typed text): a Kyrgyz member posts a webinar with every slip a
stranger makes (✖ Stop at the first step, beside its « Back; an over-long title; a
date that does not exist, one in the past, an end before the start; an ftp:// link; a
registration link that is none; « Back and Skip), and two admins (Russian, Armenian)
review it: a forged press with another post's id, a forged reason, a non-admin's Approve,
the second admin's comment typed after the first approved. A Russian member answers a
call from 📣 Calls and offers (filtered by kind and country), a colleague answers it
again, and their own organisation's post offers nothing to press; someone new from the
channel pressing 🙋 or 📝 Apply is told answering needs an organisation; links the channel
gives (`/start call_<id>`) closed, unknown, or garbled (`event_abc`). The Mini App's
POST /api/offers/answer with bodies a stranger's client might send. Nothing a stranger
does is logged as a warning or an error."""

from __future__ import annotations

import logging
from html import escape

import pytest

from bot import users
from bot.config import Settings
from bot.handlers.posts.callbacks import ReviewAction, ReviewPress
from bot.handlers.team import membership
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.find.find_helpers import AM_ORG, HOST_RU, READER, network, posts
from tests.handlers.posts.test_issue21_internship_scenario_e2e import press
from tests.i18n_helpers import quoted, tr
from tests.webapp_helpers import mini_app

pytestmark = pytest.mark.databases("sqlite", "postgresql")

POSTER, SECOND_ADMIN, COLLEAGUE = 850, 9203, 870
KY, RU, HY = "ky", "ru", "hy"
HOST = "Ала-Тоо <жаштары> & Co"
TITLE = "Фандрайзинг <сабагы>"
STALE = "This button is out of date. Please use the latest message."
GONE = "This call or offer is closed or no longer exists."


def _step(language: str, step: int) -> str:
    return tr(language, "📅 <b>New event</b> · step {step} of {total}", step=step, total=11)


def _quiet(caplog: pytest.LogCaptureFixture) -> None:
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not loud, loud


async def _write_webinar(aibek: Conversation) -> None:
    """From the menu to the preview, in Kyrgyz, with a stranger's slips on the way."""
    await aibek.send("/menu")
    await aibek.click(tr(KY, "📣 Offer or seek"))
    await aibek.click(tr(KY, "🎓 An event we host"))
    assert aibek.last_text().startswith(_step(KY, 1))
    assert aibek.last_buttons()[-2:] == [tr(KY, "« Back"), tr(KY, "✖ Stop")]  # the first step
    await aibek.click(tr(KY, "✖ Stop"))  # not a dead end: 📣 Offer or seek again
    assert aibek.last_text().startswith(tr(KY, "The post was not saved.") + "\n\n")
    assert tr(KY, "🏠 Main menu") in aibek.last_buttons()
    await aibek.click(tr(KY, "🎓 An event we host"))
    await aibek.click("💻 " + tr(KY, "Webinar"))
    await aibek.send("Ж" * 201)
    assert aibek.last_text().startswith(
        tr(KY, "That is too long: at most {limit} characters, and you sent {length}.",
           limit=200, length=201) + "\n\n" + _step(KY, 2)
    )  # fmt: skip
    await aibek.send("Ойлоно элек")
    await aibek.click(tr(KY, "« Back"))  # the title again
    assert aibek.last_text().startswith(_step(KY, 2))
    await aibek.send(TITLE)
    await aibek.send("Эки саат фандрайзинг жөнүндө.")
    for typed, problem in (
        ("32.13.2026 10:00", "There is no such date or time. Please check the day, the month and "
         "the hour."),
        ("01.01.2020 10:00", "That moment has already passed. Please give a future date."),
    ):  # fmt: skip
        await aibek.send(typed)
        assert aibek.last_text().startswith(tr(KY, problem) + "\n\n" + _step(KY, 4))
    await aibek.send("14.12.2026 15:00")
    await aibek.send("14.12.2026 14:00")
    assert aibek.last_text().startswith(tr(KY, "The end must be after the start."))
    await aibek.send("14.12.2026 17:00")
    not_url = tr(KY, "This does not look like a link. Please send one starting with https://")
    await aibek.send("ftp://meet.example.kg/x")
    assert aibek.last_text().startswith(not_url + "\n\n" + _step(KY, 6))
    await aibek.send("https://meet.example.kg/x")
    await aibek.click(tr(KY, "Fundraising"))
    for _ in range(4):  # topics; any focus area, country, language
        await aibek.click(tr(KY, "✔ Done"))
    await aibek.send("катталуу")
    assert aibek.last_text().startswith(not_url + "\n\n" + _step(KY, 11))
    await aibek.click(tr(KY, "Skip"))
    await aibek.click(tr(KY, "« Back"))  # from the preview: the registration link again
    assert aibek.last_text().startswith(_step(KY, 11))
    await aibek.click(tr(KY, "Skip"))


async def test_a_kyrgyz_webinar_with_a_strangers_slips_reviewed_by_two_admins_and_forgers(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, RU)
    await users.touch_user(sessions, SECOND_ADMIN, "Anahit", None, is_admin=True)
    await users.set_language(sessions, SECOND_ADMIN, HY)
    await make_org(sessions, POSTER, language=KY, name=HOST, country="KG", city="Bishkek")
    aibek = Conversation(fake_telegram, TgUser(POSTER, "Aibek", language_code=KY))
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code=RU))
    anahit = Conversation(fake_telegram, TgUser(SECOND_ADMIN, "Anahit", language_code=HY))
    admins = settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID, SECOND_ADMIN})})
    async with event_bot(admins, sessions, fake_telegram, FrozenClock(NOW)):
        await _write_webinar(aibek)
        preview = aibek.last_text()
        assert preview.startswith(tr(KY, "👀 <b>Preview of your event</b>: this is exactly "
                                         "what subscribers will get."))  # fmt: skip
        assert TITLE in preview and "https://meet.example.kg/x" in preview
        assert tr(KY, "🏢 Hosted by {name}", name=escape(quoted(KY, escape(HOST)))) in preview
        await aibek.click(tr(KY, "📨 Submit"))
        assert aibek.last_text().startswith("📨 ")
        # A Skip left on an older step's message, after submitting: out of date.
        await aibek.click(tr(KY, "Skip"))
        assert aibek.alerts[-1] == tr(KY, STALE)
        # Each admin's copy in their language, the host's name escaped.
        for admin, language in ((oleg, RU), (anahit, HY)):
            head = tr(language, "📝 <b>An event to review</b> (#{id})", id=1)
            assert admin.last_text().startswith(head) and TITLE in admin.last_text()
            hosted = tr(
                language, "🏢 Hosted by {name}", name=escape(quoted(language, escape(HOST)))
            )
            assert hosted in admin.last_text()
        # Forged: another post's id, a partner call's, a reason that is none; a non-admin.
        await press(fake_telegram, oleg, ReviewPress(action=ReviewAction.APPROVE, item=99).pack())
        assert oleg.alerts[-1] == tr(RU, "This post no longer exists.")
        forged = ReviewPress(action=ReviewAction.APPROVE, item=1, kind="call").pack()
        await press(fake_telegram, oleg, forged)
        assert oleg.alerts[-1] == tr(RU, "This post no longer exists.")
        forged = ReviewPress(action=ReviewAction.REASON, item=1, reason="spam").pack()
        await press(fake_telegram, oleg, forged)
        assert oleg.alerts[-1] == tr(RU, STALE)
        await press(fake_telegram, aibek, ReviewPress(action=ReviewAction.APPROVE, item=1).pack())
        assert aibek.alerts[-1] == tr(KY, "Only administrators can do this.")
        # Anahit starts rejecting; Oleg approves meanwhile; her comment comes too late.
        await anahit.click(tr(HY, "❌ Reject"))
        await anahit.click(tr(HY, "Incomplete or unclear"))
        await oleg.click(tr(RU, "✅ Approve"))
        titled = escape(tr(HY, "“{name}”", name=escape(TITLE)))
        decided = tr(HY, "✅ {title} was approved by {name}.", title=titled, name="Oleg")
        assert anahit.last_text() == decided and anahit.last_buttons() == []
        await anahit.send("Ավելացրեք <հղումը>")
        assert anahit.last_text() == tr(HY, "{name} has already decided on this post.", name="Oleg")
        assert aibek.last_text() == tr(
            KY,
            "✅ Your event {title} was approved and published: the organisations it suits will "
            "get it.",
            title=escape(tr(KY, "“{name}”", name=escape(TITLE))),
        )
    _quiet(caplog)


async def test_a_russian_member_answers_a_call_from_calls_and_offers_and_a_colleague_again(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ids = await posts(sessions, await network(sessions))
    token, _ = await membership.create_invite(sessions, HOST_RU, NOW)
    await users.touch_user(sessions, COLLEAGUE, "Masha", None, is_admin=False)
    await users.set_language(sessions, COLLEAGUE, RU)
    await membership.join(sessions, COLLEAGUE, token, NOW)
    ivan = Conversation(fake_telegram, TgUser(HOST_RU, "Ivan", language_code=RU))
    masha = Conversation(fake_telegram, TgUser(COLLEAGUE, "Masha", language_code=RU))
    host = quoted(RU, AM_ORG)
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await ivan.send("/menu")
        await ivan.click(tr(RU, "📣 Calls and offers"))
        await ivan.click(tr(RU, "🗂 Kind") + ": " + tr(RU, "any"))
        await ivan.click(tr(RU, "🤝 Partner calls"))
        await ivan.click(tr(RU, "🌍 Country") + ": " + tr(RU, "any"))
        await ivan.click("🇰🇿 " + tr(RU, "Kazakhstan"))
        listing = ivan.last_text()
        assert "Digital <tools> for villages" in listing and "Стажировка" not in listing
        await ivan.click("1")
        assert ivan.last_text().startswith(tr(RU, "📣 <b>A partner call</b>"))
        await ivan.click(tr(RU, "🙋 We're interested"))
        await ivan.send(" ")
        assert ivan.last_text() == tr(RU, "Please write a few words: the message cannot be empty.")
        await ivan.send("я" * 1001)
        assert ivan.last_text() == tr(
            RU,
            "Please write a message of at most {limit} characters (you sent {length}).",
            limit="1\xa0000",
            length="1\xa0001",
        )
        assert ivan.last_buttons() == [tr(RU, "✖ Cancel")]  # the same question, a way out
        await ivan.send("Мы <умеем> & делаем")
        assert ivan.last_text() == tr(
            RU,
            "📨 Your request has been sent to {name}. We will tell you when they answer.",
            name=host,
        )
        # A colleague, from the channel's link, answers the same call: passed on, the
        # organisation's one contact request stands.
        await masha.send(f"/start call_{ids.am_call}")
        await masha.click(tr(RU, "🙋 We're interested"))
        await masha.send("Мы тоже")
        assert masha.last_text() == tr(
            RU,
            "📨 Your message has been passed on to {name}. Your organisation's earlier contact "
            "request to them is still waiting for their answer: it stands for this one too.",
            name=host,
        )
        # Someone new, from the channel, presses 🙋 and 📝 Apply: told to answer one needs
        # an organisation (not "… can post").
        newcomer = Conversation(fake_telegram, TgUser(8999, "Nurlan", language_code=KY))
        no_org = tr(
            KY,
            "Only members of an organisation in the directory can answer posts. Fill in the "
            "questionnaire first.",
        )
        for link, button in ((f"call_{ids.am_call}", "🙋 We're interested"),
                             (f"event_{ids.ru_internship}", "📝 Apply")):  # fmt: skip
            await newcomer.send(f"/start {link}")
            card = newcomer.messages()[-2]["message_id"]  # the menu follows the card
            await newcomer.click(tr(KY, button), message_id=card)
            assert newcomer.alerts[-1] == no_org
        # Their own organisation's internship: nothing to press.
        await ivan.send(f"/start event_{ids.ru_internship}")
        assert ivan.last_text().endswith(
            tr(RU, "This is your organisation's post: others answer it.")
        )
        last = ivan.last_message()
        assert last is not None and not last.get("reply_markup")
        # Links closed, unknown or garbled: said so, then the menu.
        for link in (f"call_{ids.closed_call}", "call_0", "call_99999999999", "event_abc",
                     "event_"):  # fmt: skip
            await ivan.send(f"/start {link}")
            assert ivan.texts()[-2] == tr(RU, GONE), link
            assert tr(RU, "📣 Calls and offers") in ivan.last_buttons()
    _quiet(caplog)


async def test_the_mini_apps_answer_refuses_a_strangers_bodies_in_their_language(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ids = await posts(sessions, await network(sessions))
    again = tr(RU, "This post cannot be answered from here. Please open the list again.")
    async with mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app:
        call = {"kind": "call", "id": ids.am_call, "message": "Мы <умеем>"}
        forged = app.init_data(HOST_RU).replace("hash=", "hash=0")
        for init_data in (forged, None):
            got = await app.call("POST", "/offers/answer", init_data=init_data, body=call)
            assert got == (401, {"error": "unauthorized"})
        for body in (
            {**call, "message": 5},
            {**call, "id": "abc"},
            {**call, "id": 10**30},
            {**call, "kind": "event"},
            [call],
        ):
            status, got = await app.call("POST", "/offers/answer", HOST_RU, body=body)
            assert (status, got["message"]) == (400, again), body
        status, got = await app.call(
            "POST", "/offers/answer", HOST_RU, body={**call, "message": ""}
        )
        assert status == 400 and got["message"] != again  # said what is wrong with it
        status, got = await app.call(
            "POST", "/offers/answer", HOST_RU, body={**call, "id": ids.closed_call}
        )
        assert (status, got["message"]) == (
            409,
            tr(RU, "This post is closed: it takes no more answers."),
        )
        own = {"kind": "call", "id": ids.own_call, "message": "Өзіміз"}
        status, got = await app.call("POST", "/offers/answer", READER, body=own)
        assert (status, got["message"]) == (
            409,
            tr("kk", "This is your own organisation's partner call."),
        )
        status, got = await app.call("POST", "/offers/answer", HOST_RU, body=call)
        assert (status, got["sent"]) == (200, True)
    _quiet(caplog)
