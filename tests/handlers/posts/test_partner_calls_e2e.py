"""Partner calls end to end (issue 21): a Yerevan NGO posts a call in Armenian (a title too
long and a past deadline are asked again), an admin approves it in Russian, and a Kazakh
organisation whose can-share topics match gets it in Kazakh; a non-matching one, one in a
country not wanted, one whose member turned "📣 Partner calls" off, and the poster's own
organisation do not. The Kazakh NGO answers "We're interested" with a message (too long
first): both of the host's members get it with the request, one accepts, the other's copy
closes, the contacts are exchanged. Forged presses are refused."""

from __future__ import annotations

from datetime import date
from html import escape

import pytest
from babel.numbers import format_decimal
from sqlalchemy import select

from bot import users
from bot.config import Settings
from bot.handlers.events.callbacks import EventAdminAction
from bot.handlers.posts import announcing as call_announcing
from bot.handlers.posts import audience as call_audience
from bot.handlers.posts.callbacks import (
    PostAction,
    PostPress,
    PostStepPress,
    ReviewAction,
    ReviewPress,
)
from bot.handlers.team import membership
from db.engine import Sessions, reading
from db.models import PartnerCall, PartnerCallNotice
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot, texts_of
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import end_of_day, quoted, tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

POSTER, KZ_MATCH, KZ_OFF, KZ_OTHER, RU_MATCH, COLLEAGUE = 720, 721, 722, 723, 724, 725
TITLE = "Թվային <գործիքներ> համայնքների համար"
HOST = "Կանաչ Երևան"


async def _network(sessions: Sessions) -> None:
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "ru")
    # The poster's own organisation could share the topic too: never told of its own call.
    await make_org(sessions, POSTER, language="hy", name=HOST, country="AM", city="Yerevan",
                   can_share=["digital"], contact="ani@kanach.am")  # fmt: skip
    # A colleague who joined by a link, in Russian: the host's inbox is every member's.
    token, _ = await membership.create_invite(sessions, POSTER, NOW)
    await users.touch_user(sessions, COLLEAGUE, "Irina", None, is_admin=False)
    await users.set_language(sessions, COLLEAGUE, "ru")
    await membership.join(sessions, COLLEAGUE, token, NOW)
    await make_org(sessions, KZ_MATCH, language="kk", name="Цифрлық қадам", country="KZ",
                   can_share=["digital", "legal"], contact="hello@step.kz")  # fmt: skip
    await make_org(sessions, KZ_OFF, language="ru", name="Тихий фонд", country="KZ",
                   can_share=["digital"])  # fmt: skip
    await users.set_partner_calls_on(sessions, KZ_OFF, False)
    await make_org(sessions, KZ_OTHER, language="kk", name="Заң көмегі", country="KZ",
                   can_share=["legal"])  # fmt: skip
    await make_org(sessions, RU_MATCH, language="ru", name="Цифра", country="RU",
                   can_share=["digital"])  # fmt: skip


async def test_a_partner_call_in_armenian_is_approved_and_reaches_the_matching_kazakh_ngo(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await _network(sessions)
    hy = "hy"
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code=hy))
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code="ru"))
    stranger = Conversation(fake_telegram, TgUser(KZ_OTHER, "Aigerim", language_code="kk"))
    clock = FrozenClock(NOW)  # 27.11.2026 13:00 in Yerevan
    changed = settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID})})
    async with event_bot(changed, sessions, fake_telegram, clock) as runtime:
        await poster.send("/menu")
        await poster.click(tr(hy, "📣 Offer or seek"))
        await poster.click(tr(hy, "🤝 We seek a partner"))
        assert tr(hy, "🤝 <b>We seek a partner</b> · step {step} of {total}", step=1, total=7) in (
            poster.last_text()
        )
        await poster.send("x" * 121)  # too long: the same step again
        assert poster.last_text().startswith(
            tr(hy, "That is too long: at most {limit} characters, and you sent {length}.",
               limit=120, length=121)
        )  # fmt: skip
        await poster.send(TITLE)
        await poster.send("Համատեղ ծրագիր թվային գործիքների մասին։")
        await poster.click(tr(hy, "Digital tools"))
        await poster.click(tr(hy, "✔ Done"))
        await poster.click("🇰🇿 " + tr(hy, "Kazakhstan"))
        await poster.click(tr(hy, "✔ Done"))
        await poster.send("27.11.2026")  # today in Yerevan: too soon
        assert poster.last_text().startswith(tr(hy, "The deadline must be tomorrow or later."))
        await poster.send("01.01.2028")
        assert poster.last_text().startswith(tr(hy, "The deadline must be within a year."))
        await poster.send("01.03.2027")
        assert poster.last_text().startswith(
            tr(hy, "✓ {value}", value=end_of_day(hy, date(2027, 3, 1), "Asia/Yerevan"))
        )
        await poster.send("Erasmus+")
        await poster.click(tr(hy, "✔ Done") + f" ({tr(hy, 'All')})")  # any working language
        preview = poster.last_text()
        assert (
            tr(
                hy,
                "👀 <b>Preview of your partner call</b>: this is exactly what the organisations it suits will get.",
            )
            in preview
        )
        assert TITLE in preview and "Erasmus+" in preview
        assert tr(hy, "🏢 Hosted by {name}", name=quoted(hy, HOST)) in preview
        await poster.click(tr(hy, "📨 Submit"))
        async with reading(sessions) as session:
            call = await session.scalar(select(PartnerCall).where(PartnerCall.posted_by == POSTER))
            assert call is not None and call.review == "pending"
            assert call.topics == ["digital"] and call.countries == ["KZ"]
            call_id = call.id
        # The admin has it in Russian, with Approve and Reject; /review lists it.
        head = tr("ru", "📝 <b>A partner call to review</b> (#{id})", id=call_id)
        assert oleg.last_text().startswith(head) and TITLE in oleg.last_text()
        await oleg.send("/review")
        assert f"🤝 #{call_id}" in oleg.last_buttons()
        # Someone who is not an admin forges an Approve of the call: refused.
        await stranger.send("/menu")
        forged = ReviewPress(action=ReviewAction.APPROVE, item=call_id, kind="call").pack()
        update_id = fake_telegram.push_callback(
            stranger.user, stranger.messages()[-1]["message_id"], forged
        )
        await fake_telegram.wait_handled(update_id)
        assert stranger.alerts[-1] == tr("kk", "Only administrators can do this.")
        await oleg.click(f"🤝 #{call_id}")  # a second copy, with Approve and Reject
        assert oleg.last_text().startswith(head)
        await oleg.click(tr("ru", "✅ Approve"))
        # It suits the two Kazakh organisations that can share digital tools (one's only
        # member turned partner calls off): told by number, their people queued later.
        assert oleg.last_text() == "\n".join((
            tr("ru", "✅ You approved {title}.", title=escape(tr("ru", "“{name}”",
                                                                name=escape(TITLE)))),
            trn("ru", "👥 It suits {n} organisation.", "👥 It suits {n} organisations.", 2),
        ))  # fmt: skip
        assert poster.last_text() == "\n".join((
            tr(hy, "✅ Your partner call {title} was approved and published: the organisations "
                   "it suits will get it.", title=escape(tr(hy, "“{name}”", name=escape(TITLE)))),
            trn(hy, "👥 It suits {n} organisation.", "👥 It suits {n} organisations.", 2),
        ))  # fmt: skip
        # A second press on an old copy: decided already.
        late = ReviewPress(action=ReviewAction.APPROVE, item=call_id, kind="call").pack()
        update_id = fake_telegram.push_callback(oleg.user, oleg.messages()[-1]["message_id"], late)
        await fake_telegram.wait_handled(update_id)
        assert oleg.alerts[-1] == tr("ru", "You have already decided on this post.")
        # The press answered before anyone got the call: the scheduler sends it, once.
        assert not [t for t in texts_of(fake_telegram, KZ_MATCH) if TITLE in t]
        assert await call_audience.expand_due(runtime) == 1  # KZ_OFF's member: switched off
        assert await call_announcing.deliver_due(runtime) == 1
        assert await call_announcing.deliver_due(runtime) == 0
        await _answer(fake_telegram, call_id)
    head = tr("kk", "📣 <b>A partner call</b>")
    [got] = [t for t in texts_of(fake_telegram, KZ_MATCH) if t.startswith(head)]
    assert TITLE in got
    assert tr("kk", "🏢 Hosted by {name}", name=quoted("kk", HOST)) in got
    assert (
        tr(
            "kk",
            "We seek a partner · answers until {date}",
            date=end_of_day("kk", date(2027, 3, 1), "Asia/Yerevan"),
        )
        in got
    )
    for left_out in (KZ_OFF, KZ_OTHER, RU_MATCH, POSTER):
        assert not [t for t in texts_of(fake_telegram, left_out) if TITLE in t and "📣" in t]
    async with reading(sessions) as session:
        notices = (await session.scalars(select(PartnerCallNotice))).all()
        assert [(n.user_id, n.state) for n in notices] == [(KZ_MATCH, "sent")]


async def _answer(fake_telegram: FakeTelegram, call_id: int) -> None:
    """The Kazakh NGO answers "We're interested"; the host's two members get the message
    and the request, Ani accepts, Irina's copy closes, the contacts are exchanged."""
    kk, hy = "kk", "hy"
    kz = Conversation(fake_telegram, TgUser(KZ_MATCH, "Aidos", language_code=kk))
    ani = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code=hy))
    irina = Conversation(fake_telegram, TgUser(COLLEAGUE, "Irina", language_code="ru"))
    other = Conversation(fake_telegram, TgUser(KZ_OTHER, "Aigerim", language_code=kk))
    # The host's own member cannot answer its call (a forged press).
    forged = PostPress(action=PostAction.INTEREST, item=call_id).pack()
    update_id = fake_telegram.push_callback(ani.user, ani.messages()[-1]["message_id"], forged)
    await fake_telegram.wait_handled(update_id)
    assert ani.alerts[-1] == tr(hy, "This is your own organisation's partner call.")
    await kz.click(tr(kk, "🙋 We're interested"))
    assert kz.last_text().startswith("🙋")
    await kz.send("y" * 1001)  # too long: asked again
    assert kz.last_text() == tr(
        kk,
        "Please write a message of at most {limit} characters (you sent {length}).",
        limit=format_decimal(1000, locale=kk),
        length=format_decimal(1001, locale=kk),
    )
    message = "Біз <цифрлық> құралдарды үйретеміз"
    await kz.send(message)
    assert kz.last_text() == tr(
        kk,
        "📨 Your request has been sent to {name}. We will tell you when they answer.",
        name=quoted(kk, HOST),
    )
    for member in (ani, irina):  # the message (escaped, shown as typed), then the request
        assert message in member.texts()[-2]
        assert "hello@step.kz" not in member.texts()[-1]  # no contacts before accepting
    assert "ani@kanach.am" not in "".join(texts_of(fake_telegram, KZ_MATCH))
    assert ani.last_buttons()[:2] == [tr(hy, "✅ Accept"), tr(hy, "✖️ Decline")]
    await ani.click(tr(hy, "✅ Accept"))
    assert "hello@step.kz" in ani.last_text()
    assert tr("ru", "✅ Accepted by {name}.", name="Ani") in irina.last_text()
    assert irina.last_buttons() == []
    assert "ani@kanach.am" in kz.last_text()
    assert not [t for t in other.texts() if message in t]


async def test_a_partner_call_being_written_survives_a_restart_and_forged_steps_are_refused(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy = "hy"
    await make_org(sessions, POSTER, language=hy, name=HOST, country="AM")
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code=hy))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await poster.send("/menu")
        await poster.click(tr(hy, "📣 Offer or seek"))
        await poster.click(tr(hy, "🤝 We seek a partner"))
        await poster.send(TITLE)
    # A new process: the answers so far are in the database.
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await poster.send("Համատեղ ծրագիր։")
        assert tr(hy, "🤝 <b>We seek a partner</b> · step {step} of {total}", step=3, total=7) in (
            poster.last_text()
        )
        # A value that is not a topic, and Skip on a step that cannot be skipped: refused.
        for action, code in ((EventAdminAction.TICK, "nonsense"), (EventAdminAction.SKIP, "")):
            forged = PostStepPress(action=action, code=code).pack()
            update_id = fake_telegram.push_callback(
                poster.user, poster.messages()[-1]["message_id"], forged
            )
            await fake_telegram.wait_handled(update_id)
            assert poster.alerts[-1] == tr(
                hy, "This button is out of date. Please use the latest message."
            )
        await poster.click(tr(hy, "« Back"))
        await poster.click(tr(hy, "« Back"))
        assert tr(hy, "🤝 <b>We seek a partner</b> · step {step} of {total}", step=1, total=7) in (
            poster.last_text()
        )
        await poster.click(tr(hy, "✖ Stop"))
        assert poster.last_text().startswith(tr(hy, "The post was not saved.") + "\n\n")
        assert tr(hy, "🏠 Main menu") in poster.last_buttons()  # never a message without a way on
    async with reading(sessions) as session:
        assert await session.scalar(select(PartnerCall)) is None
