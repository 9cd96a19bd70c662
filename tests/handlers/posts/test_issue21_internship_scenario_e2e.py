"""Issue 21's strangers, the internship, through the bot's UI only: a Yerevan NGO's member
writes an internship in Armenian in the wizard; two admins get review copies (one in
Russian, one in English); the Russian one approves and the English one's copy says who
decided; subscribers in Kazakh (Asia/Almaty) and Kyrgyz (Asia/Bishkek) get the announcement
in their language and zone; both apply with 📝 Apply (a motivation too long first); a
colleague of the poster accepts the Kazakh one from the host's inbox (the poster's copy
says who decided) and the contacts go both ways; the clock passes
the deadline, the closing duty runs, and the Kyrgyz applicant is told once, in Kyrgyz.
Forged presses (another organisation's ⛔ Close and ✏️ Edit, a non-admin's Approve, a stale
📝 Apply after closing) are refused with a localised alert and change nothing.
(The deadline after a kill -9 is test_closing_restart_e2e.py.)"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from sqlalchemy import select

from bot import users
from bot.config import Settings
from bot.handlers.events.announcer import deliver_due
from bot.handlers.posts import closing
from bot.handlers.posts.callbacks import PostAction, PostPress, ReviewAction, ReviewPress
from bot.handlers.team import membership
from bot.navigation import ApplyPress
from db.engine import Sessions, reading
from db.models import Event, PostAnswer
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot, texts_of
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import quoted, tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

POSTER, KZ, KG, COLLEAGUE, SECOND_ADMIN = 800, 801, 802, 803, 9102
TITLE = "Ամառային <պրակտիկա> Երևանում"
HOST = "Կանաչ Երևան"
START = datetime(2026, 12, 14, 6, 0, tzinfo=UTC)  # 10:00 in Yerevan
END = datetime(2026, 12, 18, 14, 0, tzinfo=UTC)  # 18:00 in Yerevan
DEADLINE = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)  # 18:00 in Yerevan
KZ_MOTIVATION = "Біз <құқық> саласында жастармен жұмыс істейміз"


def moment(when: datetime, language: str, zone: str) -> str:
    """A date and time as Babel shows it in `language`, in `zone`."""
    local = when.astimezone(ZoneInfo(zone))
    date = format_date(local, format="long", locale=language)
    return f"{date}, {format_time(local, 'HH:mm', locale=language)}"


def _title(language: str) -> str:
    """The title quoted, as a parameter of `tr` (which reads the text as HTML)."""
    return escape(quoted(language, escape(TITLE)))


async def press(fake: FakeTelegram, chat: Conversation, data: str) -> None:
    """A press on the chat's newest message with callback data the chat was not offered."""
    update_id = fake.push_callback(chat.user, chat.messages()[-1]["message_id"], data)
    await fake.wait_handled(update_id)


async def _network(sessions: Sessions) -> None:
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "ru")
    await users.touch_user(sessions, SECOND_ADMIN, "Anna", None, is_admin=True)
    await users.set_language(sessions, SECOND_ADMIN, "en")
    await make_org(sessions, POSTER, language="hy", name=HOST, country="AM", city="Yerevan",
                   contact="ani@kanach.am")  # fmt: skip
    # A colleague who joined by a link, in Armenian: the host's inbox is every member's.
    token, _ = await membership.create_invite(sessions, POSTER, NOW)
    await users.touch_user(sessions, COLLEAGUE, "Gor", None, is_admin=False)
    await users.set_language(sessions, COLLEAGUE, "hy")
    await membership.join(sessions, COLLEAGUE, token, NOW)
    await make_org(sessions, KZ, language="kk", name="Заң көмегі", country="KZ",
                   want_learn=["impact"], contact="hello@zan.kz")  # fmt: skip
    await make_org(sessions, KG, language="ky", name="Үмүт", country="KG", city="Bishkek",
                   want_learn=["impact"], contact="umut@kg.org")  # fmt: skip


async def _write(poster: Conversation) -> None:
    """The Armenian member writes the internship in the wizard and submits it."""
    hy = "hy"
    await poster.send("/menu")
    await poster.click(tr(hy, "📣 Offer or seek"))
    await poster.click(tr(hy, "🧑‍🎓 An internship we host"))
    typed = (TITLE, "Երկու շաբաթ մեր թիմում՝ դրամահավաքի վրա։", "14.12.2026 10:00",
             "18.12.2026 18:00", "Երևան, Աբովյան 1")  # fmt: skip
    for answer in typed:  # title, description, start, end, place
        await poster.send(answer)
    every = tr(hy, "✔ Done") + f" ({tr(hy, 'All')})"
    pressed = (tr(hy, "Measuring social impact"), tr(hy, "✔ Done"), every,
               "🇰🇿 " + tr(hy, "Kazakhstan"), "🇰🇬 " + tr(hy, "Kyrgyzstan"), tr(hy, "✔ Done"),
               every, tr(hy, "Skip"))  # fmt: skip
    for button in pressed:
        await poster.click(button)
    await poster.send("2")  # places
    await poster.send("05.12.2026 18:00")  # the application deadline, in Yerevan
    preview = poster.last_text()
    assert tr(hy, "🗓 {when}", when=f"{moment(START, hy, 'Asia/Yerevan')} – "
              f"{moment(END, hy, 'Asia/Yerevan')} (Asia/Yerevan)") in preview  # fmt: skip
    await poster.click(tr(hy, "📨 Submit"))
    assert poster.last_text().startswith("📨")


async def test_an_armenian_internship_is_reviewed_announced_applied_to_and_closed(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy, kk, ky, ru, en = "hy", "kk", "ky", "ru", "en"
    await _network(sessions)
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code=hy))
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code=ru))
    anna = Conversation(fake_telegram, TgUser(SECOND_ADMIN, "Anna", language_code=en))
    aidos = Conversation(fake_telegram, TgUser(KZ, "Aidos", language_code=kk))
    aibek = Conversation(fake_telegram, TgUser(KG, "Aibek", language_code=ky))
    clock = FrozenClock(NOW)
    changed = settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID, SECOND_ADMIN})})
    async with event_bot(changed, sessions, fake_telegram, clock) as runtime:
        await _write(poster)
        async with reading(sessions) as session:
            post = await session.scalar(select(Event).where(Event.posted_by == POSTER))
            assert post is not None and post.review == "pending" and post.places == 2
            post_id = post.id
        # Each admin has a copy in their language.
        for admin, language in ((oleg, ru), (anna, en)):
            head = tr(language, "📝 <b>An internship to review</b> (#{id})", id=post_id)
            assert admin.last_text().startswith(head)
            assert trn(language, "👥 {n} place", "👥 {n} places", 2) in admin.last_text()
            assert admin.last_buttons()[:2] == [
                tr(language, "✅ Approve"),
                tr(language, "❌ Reject"),
            ]
        anna_copy = anna.messages()[-1]["message_id"]
        # A member who is no admin forges an Approve: refused, still waiting.
        forged = ReviewPress(action=ReviewAction.APPROVE, item=post_id).pack()
        await aidos.send("/menu")
        await press(fake_telegram, aidos, forged)
        assert aidos.alerts[-1] == tr(kk, "Only administrators can do this.")
        async with reading(sessions) as session:
            row = await session.get(Event, post_id)
            assert row is not None and row.review == "pending"
        await oleg.click(tr(ru, "✅ Approve"))
        assert oleg.last_text() == tr(ru, "✅ You approved {title}.", title=_title(ru))
        [closed] = [m for m in anna.messages() if m["message_id"] == anna_copy]
        assert closed["text"] == tr(
            en, "✅ {title} was approved by {name}.", title=_title(en), name="Oleg"
        )
        assert not closed.get("reply_markup", {}).get("inline_keyboard")
        assert poster.last_text() == tr(
            hy,
            "✅ Your internship {title} was approved and published: the organisations it suits "
            "will get it.",
            title=_title(hy),
        )
        assert await deliver_due(runtime) == 2
        assert await deliver_due(runtime) == 0
        # Each subscriber has it in their language and their zone.
        for chat, language, zone in ((aidos, kk, "Asia/Almaty"), (aibek, ky, "Asia/Bishkek")):
            [got] = [t for t in chat.texts() if TITLE in t]
            span = f"{moment(START, language, zone)} – {moment(END, language, zone)} ({zone})"
            assert tr(language, "🗓 {when}", when=span) in got
            until = moment(DEADLINE, language, zone)
            assert tr(language, "Applications until {date}", date=until) in got
            assert tr(language, "🏢 Hosted by {name}", name=quoted(language, HOST)) in got
            assert tr(language, "📝 Apply") in chat.last_buttons()
        await _apply(fake_telegram, poster, aidos, aibek)
        # Another organisation's member forges ⛔ Close and ✏️ Edit: refused, still open.
        for action in (PostAction.CLOSE, PostAction.EDIT):
            await press(fake_telegram, aibek, PostPress(action=action, item=post_id).pack())
        assert aibek.alerts[-2:] == [
            tr(ky, "Only the member who posted it and the organisation's owners can do this."),
            tr(ky, "This post cannot be edited now."),
        ]
        async with reading(sessions) as session:
            row = await session.get(Event, post_id)
            assert row is not None and row.applications_closed_at is None
        # The deadline passes; the scheduler's closing duty tells the Kyrgyz one, once.
        assert await closing.run_duty(runtime) == 0
        clock.advance(days=9)  # 6 December
        assert await closing.run_duty(runtime) == 1
        assert await closing.run_duty(runtime) == 0
        assert aibek.last_text() == tr(
            ky,
            "🔒 Applications to the internship {title} at {host} have closed, and your "
            "application was not accepted. Thank you for applying: other offers will come.",
            title=_title(ky), host=quoted(ky, HOST),
        )  # fmt: skip
        # 📬 Answers to our posts: closed, one accepted, the other not (closed).
        await poster.send("/menu")
        await poster.click(tr(hy, "📣 Offer or seek"))
        await poster.click(tr(hy, "📬 Answers to our posts"))
        await poster.click("1")
        page = poster.last_text()
        assert tr(hy, "closed") in page and KZ_MOTIVATION in page
        assert tr(hy, "✅ accepted") in page and tr(hy, "🔒 not accepted (closed)") in page
        assert tr(hy, "⛔ Close") not in poster.last_buttons()
        assert tr(hy, "✏️ Edit") not in poster.last_buttons()
        # A stale 📝 Apply on the announcement now: refused.
        announcement = next(m for m in aibek.messages() if TITLE in str(m.get("text")))
        update_id = fake_telegram.push_callback(
            aibek.user, announcement["message_id"], ApplyPress(item=post_id).pack()
        )
        await fake_telegram.wait_handled(update_id)
        assert aibek.alerts[-1] == tr(ky, "This post is closed: it takes no more answers.")
    assert [t for t in texts_of(fake_telegram, KG) if t.startswith("🔒")] == [aibek.last_text()]
    assert not [t for t in texts_of(fake_telegram, KZ) if t.startswith("🔒")]
    async with reading(sessions) as session:
        row = await session.get(Event, post_id)
        assert row is not None and row.closed_reason == "deadline"
        answers = (await session.scalars(select(PostAnswer).order_by(PostAnswer.id))).all()
        assert len(answers) == 2


async def _apply(
    fake: FakeTelegram, poster: Conversation, aidos: Conversation, aibek: Conversation
) -> None:
    """Both apply (the Kyrgyz one too long first); the host accepts the Kazakh one from its
    inbox; the contacts go both ways, and only then."""
    hy, kk, ky = "hy", "kk", "ky"
    await aibek.click(tr(ky, "📝 Apply"))
    question = aibek.messages()[-1]["message_id"]
    assert aibek.last_buttons() == [tr(ky, "✖ Cancel")]
    await aibek.send("ж" * 1001)
    assert aibek.last_text() == tr(
        ky,
        "Please write a message of at most {limit} characters (you sent {length}).",
        limit=format_decimal(1000, locale=ky), length=format_decimal(1001, locale=ky),
    )  # fmt: skip
    await aibek.send("Биз <жаштар> менен иштейбиз")
    [asked] = [m for m in aibek.messages() if m["message_id"] == question]
    assert not asked.get("reply_markup", {}).get("inline_keyboard")  # answered: no ✖ Cancel
    assert aibek.last_text() == tr(
        ky,
        "📨 Your request has been sent to {name}. We will tell you when they answer.",
        name=quoted(ky, HOST),
    )
    await aidos.click(tr(kk, "📝 Apply"))
    await aidos.send(KZ_MOTIVATION)
    assert aidos.last_text().startswith("📨")
    assert poster.texts()[-2] == tr(
        hy, "📝 {name} applies to your internship {title}:",
        name=quoted(hy, "Заң көмегі"), title=_title(hy),
    ) + "\n\n" + KZ_MOTIVATION  # fmt: skip
    seen = "".join(poster.texts())  # no contacts before the host accepts
    assert "hello@zan.kz" not in seen and "umut@kg.org" not in seen
    assert "ani@kanach.am" not in "".join(aidos.texts() + aibek.texts())
    # The host's inbox is every member's: Gor, a colleague, accepts the Kazakh one (his
    # newest request); Ani's copy says who decided.
    gor = Conversation(fake, TgUser(COLLEAGUE, "Gor", language_code=hy))
    assert gor.texts()[-2] == poster.texts()[-2]
    await gor.click(tr(hy, "✅ Accept"))
    assert "hello@zan.kz" in gor.last_text()
    assert tr(hy, "✅ Accepted by {name}.", name="Gor") in poster.last_text()
    assert not poster.messages()[-1].get("reply_markup", {}).get("inline_keyboard")
    # 📨 Contact requests: the Kyrgyz one still waits there.
    await poster.send("/menu")
    await poster.click(tr(hy, "📨 Contact requests"))
    assert trn(hy, "📨 {n} request is waiting for your answer.",
               "📨 {n} requests are waiting for your answer.", 1) in poster.last_text()  # fmt: skip
    assert "Үмүт" in poster.last_text()
    await fake.wait_for(lambda: "ani@kanach.am" in "".join(aidos.texts()))
    # Accepted, the Kazakh applicant takes part: the calendar file comes last, in Kazakh.
    calendar = aidos.last_message() or {}
    assert calendar["document"]["file_name"].endswith(".ics")
    assert calendar["caption"] == tr(
        kk,
        "✅ Your application to <b>{title}</b> was accepted: you are taking part. The "
        "calendar file is below; we will remind you a day and an hour before it starts.",
        title=escape(TITLE),
    )
    assert "ani@kanach.am" not in "".join(aibek.texts())
