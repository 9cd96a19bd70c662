"""Internships end to end (issue 21): a Yerevan NGO posts an internship in Armenian; places
"0", "51" and "abc" and an application deadline after the start are refused on the same
step; the preview shows the places and the deadline; an admin approves it in Russian and a
Kazakh subscriber's announcement shows them, the deadline in Asia/Almaty."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import select

from bot import users
from bot.config import Settings
from bot.handlers.events.announcer import deliver_due
from db.engine import Sessions, reading
from db.models import Event
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot, texts_of
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import quoted, tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

POSTER, KZ_KK = 740, 741
TITLE = "Ամառային <պրակտիկա> ՀԿ-ում"
HOST = "Կանաչ Երևան"
DEADLINE = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)  # 18:00 in Yerevan, 19:00 in Almaty


def _deadline_in(language: str, zone: str) -> str:
    local = DEADLINE.astimezone(ZoneInfo(zone))
    return f"{format_date(local, format='long', locale=language)}, {local:%H:%M}"


async def test_an_internship_posted_in_armenian_reaches_a_kazakh_subscriber_with_its_places(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy = "hy"
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "ru")
    await make_org(sessions, POSTER, language=hy, name=HOST, country="AM", city="Yerevan")
    await make_org(sessions, KZ_KK, language="kk", country="KZ", want_learn=["impact"])
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code=hy))
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code="ru"))
    changed = settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID})})
    async with event_bot(changed, sessions, fake_telegram, FrozenClock(NOW)) as runtime:
        await poster.send("/menu")
        await poster.click(tr(hy, "📣 Offer or seek"))
        await poster.click(tr(hy, "🧑‍🎓 An internship we host"))
        assert tr(hy, "🧑‍🎓 <b>New internship</b> · step {step} of {total}", step=1, total=12) in (
            poster.last_text()
        )
        typed = (TITLE, "Երկու ամիս մեր թիմում՝ դրամահավաքի վրա։", "14.12.2026 10:00",
                 "18.12.2026 18:00", "Երևան, Աբովյան 1")  # fmt: skip
        for answer in typed:  # title, description, start, end, place
            await poster.send(answer)
        every = tr(hy, "✔ Done") + f" ({tr(hy, 'All')})"
        # Topics; any focus area; Kazakhstan; every language; no registration link
        # (applications come through the bot).
        pressed = (tr(hy, "Measuring social impact"), tr(hy, "✔ Done"), every,
                   "🇰🇿 " + tr(hy, "Kazakhstan"), tr(hy, "✔ Done"), every, tr(hy, "Skip"))  # fmt: skip
        for button in pressed:
            await poster.click(button)
        places = tr(hy, "How many interns can you host? A number from {least} to {most}.",
                    least=1, most=50)  # fmt: skip
        assert places in poster.last_text()
        for bad in ("0", "51", "abc"):  # the same step again, saying why
            await poster.send(bad)
            assert poster.last_text().startswith(
                tr(hy, "Please send a whole number from {least} to {most}, for example 2.",
                   least=1, most=50)
            )  # fmt: skip
            assert places in poster.last_text()
        await poster.send("2")
        assert tr(hy, "The application deadline (date and time, time zone {zone}).",
                  zone="Asia/Yerevan") in poster.last_text()  # fmt: skip
        await poster.send("15.12.2026 10:00")  # after the start
        assert poster.last_text().startswith(
            tr(hy, "Applications must close before the event starts.")
        )
        await poster.send("05.12.2026 18:00")
        preview = poster.last_text()
        assert (
            tr(
                hy,
                "👀 <b>Preview of your internship</b>: this is exactly what subscribers will get.",
            )
            in preview
        )
        assert TITLE in preview and trn(hy, "👥 {n} place", "👥 {n} places", 2) in preview
        assert tr(hy, "Applications until {date}", date=_deadline_in(hy, "Asia/Yerevan")) in (
            preview
        )
        assert tr(hy, "🏢 Hosted by {name}", name=quoted(hy, HOST)) in preview
        await poster.click(tr(hy, "📨 Submit"))
        async with reading(sessions) as session:
            post = await session.scalar(select(Event).where(Event.posted_by == POSTER))
            assert post is not None and post.kind == "internship" and post.places == 2
            assert post.deadline == DEADLINE and post.review == "pending"
            post_id = post.id
        # Each says it is an internship: the receipt, the admin's copy, /review.
        title_hy = escape(quoted(hy, escape(TITLE)))
        assert poster.last_text() == tr(
            hy,
            "📨 Your internship {title} was sent for review. You and your colleagues will be "
            "told when an administrator decides.",
            title=title_hy,
        )
        copy = oleg.last_text()
        assert copy.startswith(tr("ru", "📝 <b>An internship to review</b> (#{id})", id=post_id))
        copy_id = int(oleg.messages()[-1]["message_id"])
        await oleg.send("/review")
        assert f"#{post_id} 🎓 {tr('ru', 'Internship')}: " in oleg.last_text()
        # The admin sees the places in Russian, and approves.
        assert trn("ru", "👥 {n} place", "👥 {n} places", 2) in copy
        await oleg.click(tr("ru", "✅ Approve"), message_id=copy_id)
        assert await deliver_due(runtime) == 1
        assert await deliver_due(runtime) == 0
    [got] = [t for t in texts_of(fake_telegram, KZ_KK) if TITLE in t]
    assert trn("kk", "👥 {n} place", "👥 {n} places", 2) in got
    assert tr("kk", "Applications until {date}", date=_deadline_in("kk", "Asia/Almaty")) in got
    assert tr("kk", "🏢 Hosted by {name}", name=quoted("kk", HOST)) in got
    assert not [t for t in texts_of(fake_telegram, POSTER) if t.startswith("🎓 ")]
    approved = "✅ Your internship {title} was approved and published: the organisations it suits "
    before, after = tr(hy, approved + "will get it.", title="\x00").split("\x00")
    [told] = [t for t in texts_of(fake_telegram, POSTER) if t.startswith(before)]
    assert told == before + f"«{TITLE}»" + after  # (tr would read the title's <…> as a tag)
