"""Issue 21's strangers, the partner call, through the bot's UI only: a Kazakh NGO's member
writes a partner call in Kazakh; an admin rejects it in Russian with a reason and a comment;
the poster reads both in Kazakh, edits the call from the notice and submits it again; it is
approved; a matching Russian organisation gets it in Russian and answers "🙋 We're
interested" (after leaving the question once by ✖ Cancel and once by /menu, when what it
typed next was sent nowhere); the host accepts; the poster closes the call from "📬 Answers to our posts"; a
week later "Was a partner found?" is answered Yes, and stored. Forged presses (another
organisation's ⛔ Close and ✏️ Edit, a non-admin's Approve, a stale "🙋 We're interested"
after closing) are refused with a localised alert and change nothing."""

from __future__ import annotations

from datetime import date
from html import escape

import pytest
from sqlalchemy import select

from bot import users
from bot.config import Settings
from bot.handlers.contacts import texts as contact_texts
from bot.handlers.onboarding.questionnaire import NAME_MAX
from bot.handlers.posts import announcing, answer_texts, audience, calls, closing
from bot.handlers.posts.callbacks import PostAction, PostPress, ReviewAction, ReviewPress
from bot.i18n import create_i18n
from db.engine import Sessions, reading
from db.models import ContactRequest, PartnerCall, PostAnswer
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot, texts_of
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.posts.test_issue21_internship_scenario_e2e import press
from tests.i18n_helpers import end_of_day, quoted, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

POSTER, RU_ORG, AM_ORG = 810, 811, 812
HOST = "Ашық қоғам"
TITLE = "Ашық <деректер> жобасына серіктес"
DESCRIPTION = "Грантқа бірлескен өтінім: ашық деректер порталы."
BETTER = "Грантқа бірлескен өтінім: ашық деректер порталы, 12 ай, екі ел."
NOTE = "Жобаның мерзімін <нақты> жазыңыз"


def _title(language: str) -> str:
    return escape(quoted(language, escape(TITLE)))


async def _network(sessions: Sessions) -> None:
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "ru")
    await make_org(sessions, POSTER, language="kk", name=HOST, country="KZ", city="Almaty",
                   contact="hello@ashyq.kz")  # fmt: skip
    await make_org(sessions, RU_ORG, language="ru", name="Открытые данные", country="RU",
                   city="Moscow", can_share=["digital"], contact="info@opendata.ru")  # fmt: skip
    await make_org(sessions, AM_ORG, language="hy", name="Կանաչ", country="AM", city="Yerevan",
                   can_share=["digital"])  # fmt: skip


async def _write(aigul: Conversation) -> None:
    kk = "kk"
    await aigul.send("/menu")
    await aigul.click(tr(kk, "📣 Offer or seek"))
    await aigul.click(tr(kk, "🤝 We seek a partner"))
    await aigul.send(TITLE)
    await aigul.send(DESCRIPTION)
    await aigul.click(tr(kk, "Digital tools"))
    await aigul.click(tr(kk, "✔ Done"))
    await aigul.click("🇷🇺 " + tr(kk, "Russia"))
    await aigul.click(tr(kk, "✔ Done"))
    await aigul.send("01.03.2027")
    await aigul.send("Erasmus+")
    await aigul.click(tr(kk, "✔ Done") + f" ({tr(kk, 'All')})")
    assert tr(kk, "🏢 Hosted by {name}", name=quoted(kk, HOST)) in aigul.last_text()
    await aigul.click(tr(kk, "📨 Submit"))
    assert aigul.last_text().startswith("📨")


async def test_a_kazakh_partner_call_is_rejected_edited_approved_answered_and_finds_a_partner(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    kk, ru, hy = "kk", "ru", "hy"
    await _network(sessions)
    aigul = Conversation(fake_telegram, TgUser(POSTER, "Aigul", language_code=kk))
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code=ru))
    ivan = Conversation(fake_telegram, TgUser(RU_ORG, "Ivan", language_code=ru))
    ani = Conversation(fake_telegram, TgUser(AM_ORG, "Ani", language_code=hy))
    clock = FrozenClock(NOW)
    changed = settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID})})
    async with event_bot(changed, sessions, fake_telegram, clock) as runtime:
        await _write(aigul)
        async with reading(sessions) as session:
            call = await session.scalar(select(PartnerCall))
            assert call is not None and call.review == "pending"
            call_id = call.id
        # Rejected in Russian, with a reason and a comment.
        first_copy = oleg.messages()[-1]["message_id"]
        await oleg.click(tr(ru, "❌ Reject"))
        await oleg.click(tr(ru, "Incomplete or unclear"))
        await oleg.send(NOTE)
        assert oleg.last_text() == tr(ru, "❌ You rejected {title}.", title=_title(ru))
        notice = aigul.last_text()
        assert notice == "\n".join(
            (
                tr(kk, "❌ Your partner call {title} was not approved.", title=_title(kk)),
                tr(kk, "Reason: {reason}", reason=tr(kk, "Incomplete or unclear")),
                tr(kk, "Comment: {note}", note=escape(NOTE)),
                "",
                tr(kk, "You can edit it and submit it again."),
            )
        )
        # Another organisation's member forges ✏️ Edit: refused.
        await ani.send("/menu")
        await press(fake_telegram, ani, PostPress(action=PostAction.EDIT, item=call_id,
                                                  kind="call").pack())  # fmt: skip
        assert ani.alerts[-1] == tr(hy, "This post cannot be edited now.")
        # The poster edits from the notice: the description, then submits again.
        await aigul.click(tr(kk, "✏️ Edit and submit again"))
        assert TITLE in aigul.last_text()
        for _ in range(6):  # languages, programme, deadline, countries, topics, description
            await aigul.click(tr(kk, "« Back"))
        await aigul.send(BETTER)
        await aigul.click(tr(kk, "📨 Submit"))
        assert aigul.last_text().startswith("📨")
        assert BETTER in oleg.last_text()
        # A member who is no admin forges an Approve: refused, still waiting.
        approve = ReviewPress(action=ReviewAction.APPROVE, item=call_id, kind="call").pack()
        await press(fake_telegram, ani, approve)
        assert ani.alerts[-1] == tr(hy, "Only administrators can do this.")
        async with reading(sessions) as session:
            row = await session.get(PartnerCall, call_id)
            assert row is not None and row.review == "pending" and row.description == BETTER
        await oleg.click(tr(ru, "✅ Approve"))
        assert aigul.last_text().startswith("✅")
        # The first round's copy still says what was decided then.
        [first] = [m for m in oleg.messages() if m["message_id"] == first_copy]
        assert first["text"] == tr(ru, "❌ You rejected {title}.", title=_title(ru))
        assert await audience.expand_due(runtime) == 1  # queued by the scheduler
        assert await announcing.deliver_due(runtime) == 1  # the Russian one; not Armenia
        assert await announcing.deliver_due(runtime) == 0
        got = ivan.last_text()
        assert got.startswith(tr(ru, "📣 <b>A partner call</b>")) and BETTER in got
        assert (
            tr(
                ru,
                "We seek a partner · answers until {date}",
                date=end_of_day("ru", date(2027, 3, 1), "Asia/Almaty"),
            )
            in got
        )
        assert not [t for t in texts_of(fake_telegram, AM_ORG) if TITLE in t]
        announcement = ivan.messages()[-1]["message_id"]
        # He changes his mind: ✖ Cancel under the question; or he goes to the menu, and
        # what he types next is no answer.
        await ivan.click(tr(ru, "🙋 We're interested"))
        assert ivan.last_buttons() == [tr(ru, "✖ Cancel")]
        await ivan.click(tr(ru, "✖ Cancel"))
        assert ivan.last_text() == tr(ru, "Cancelled.")
        await ivan.click(tr(ru, "🙋 We're interested"), message_id=announcement)
        await ivan.send("/menu")
        await ivan.send("Привет")
        assert not [t for t in aigul.texts() if "Привет" in t]
        await ivan.click(tr(ru, "🙋 We're interested"), message_id=announcement)
        await ivan.send("Мы делаем <порталы> открытых данных")
        assert ivan.last_text() == tr(
            ru,
            "📨 Your request has been sent to {name}. We will tell you when they answer.",
            name=quoted(ru, HOST),
        )
        assert "info@opendata.ru" not in "".join(aigul.texts())
        await aigul.click(tr(kk, "✅ Accept"))
        assert "info@opendata.ru" in aigul.last_text()
        await fake_telegram.wait_for(lambda: "hello@ashyq.kz" in ivan.last_text())
        # Another organisation's member forges ⛔ Close: refused, still open.
        close = PostPress(action=PostAction.CLOSE, item=call_id, kind="call").pack()
        await press(fake_telegram, ani, close)
        assert ani.alerts[-1] == tr(
            hy, "Only the member who posted it and the organisation's owners can do this."
        )
        # The poster closes it from 📬 Answers to our posts.
        await aigul.send("/menu")
        await aigul.click(tr(kk, "📣 Offer or seek"))
        await aigul.click(tr(kk, "📬 Answers to our posts"))
        await aigul.click("1")
        assert tr(kk, "✅ accepted") in aigul.last_text()
        await aigul.click(tr(kk, "⛔ Close"))
        assert aigul.alerts[-1] == tr(
            kk,
            "⛔ {title} is closed: it takes no more answers. Those not accepted are told.",
            title=quoted(kk, "TITLE"),
        ).replace("TITLE", TITLE)  # an alert is plain text: the title as typed, not escaped
        # Closed: neither ⛔ Close nor ✏️ Edit (which would only be refused) is offered.
        assert tr(kk, "⛔ Close") not in aigul.last_buttons()
        assert tr(kk, "✏️ Edit") not in aigul.last_buttons()
        assert tr(kk, "« Our posts") in aigul.last_buttons()
        # A stale "We're interested" on the announcement: refused.
        interest = PostPress(action=PostAction.INTEREST, item=call_id).pack()
        update_id = fake_telegram.push_callback(ivan.user, announcement, interest)
        await fake_telegram.wait_handled(update_id)
        assert ivan.alerts[-1] == tr(ru, "This post is closed: it takes no more answers.")
        # A week later: was a partner found? Yes.
        clock.advance(days=7, minutes=1)
        assert await closing.run_duty(runtime) == 1
        assert await closing.run_duty(runtime) == 0
        assert aigul.last_text() == tr(
            kk, "🤝 Your partner call {title} closed a week ago. Was a partner found?",
            title=_title(kk),
        )  # fmt: skip
        assert aigul.last_buttons() == [tr(kk, "✅ Yes"), tr(kk, "✖️ No")]
        await aigul.click(tr(kk, "✅ Yes"))
        assert aigul.last_text() == tr(
            kk, "🎉 Thank you! We are glad the network helped you find a partner."
        )
    async with reading(sessions) as session:
        row = await session.get(PartnerCall, call_id)
        assert row is not None and row.closed_reason == "poster" and row.partner_found is True
        [answer] = (await session.scalars(select(PostAnswer))).all()
        request = await session.get(ContactRequest, answer.request_id)
        assert request is not None and request.status == "accepted"
    assert not [t for t in texts_of(fake_telegram, RU_ORG) if t.startswith("🔒")]


def test_alerts_naming_a_long_title_or_name_fit_telegrams_200_characters() -> None:
    """An alert over 200 characters is refused by Telegram (the press would fail): ⛔ Close
    of a call with the longest title, 📨 Request contact of an organisation with the
    longest name. Alerts are plain text: nothing escaped."""
    i18n = create_i18n("en")
    for language in ("en", "ru", "kk", "hy", "ky"):
        with i18n.context(), i18n.use_locale(language):
            alerts = (
                answer_texts.closed_by_you("Ж&" * (calls.TITLE_MAX // 2)),
                contact_texts.request_sent_alert("Ж&" * (NAME_MAX // 2)),
            )
        for alert in alerts:
            assert len(alert) <= 200 and "&amp;" not in alert, (language, alert)
