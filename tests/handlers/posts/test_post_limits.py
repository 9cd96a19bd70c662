"""The limits of posting (issue 21): at most three open partner calls per organisation (the
refusal, in the member's language, says when the earliest closes; a closed one frees a
place), and the same title and description twice within a day refused (whatever the kind,
case and spacing aside), free again a day later."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date

from bot.config import Settings
from bot.handlers.posts import calls, posting
from bot.handlers.posts.posting import PostRefusal, PostRefused
from db.engine import Sessions, writing
from db.models import PartnerCall
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot, webinar
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

POSTER = 760
ZONE = "Asia/Yerevan"


def _call(title: str, deadline: str) -> dict[str, object]:
    return {
        "title": title, "description": "A project on open data.", "topics": [],
        "countries": [], "deadline": deadline, "programme": None, "languages": [],
    }  # fmt: skip


async def test_a_fourth_open_partner_call_is_refused_until_one_closes(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hy = "hy"
    await make_org(sessions, POSTER, language=hy, name="Կանաչ", country="AM")
    ids = []
    for n, deadline in enumerate(("2027-03-01", "2027-02-01", "2027-04-01")):
        call, how = await calls.submit(sessions, POSTER, _call(f"Call {n}", deadline), ZONE, NOW)
        assert how == "review"
        ids.append(call.id)
    with pytest.raises(PostRefused) as refused:
        await calls.submit(sessions, POSTER, _call("Call 4", "2027-05-01"), ZONE, NOW)
    assert refused.value.reason is PostRefusal.OPEN_CALLS
    assert refused.value.until == date(2027, 2, 1)
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code=hy))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await poster.send("/menu")
        await poster.click(tr(hy, "📣 Offer or seek"))
        await poster.click(tr(hy, "🤝 We seek a partner"))
        assert poster.alerts[-1] == trn(
            hy,
            "Your organisation already has {n} open partner call. You can post another once "
            "one closes: the earliest deadline is {date}.",
            "Your organisation already has {n} open partner calls. You can post another once "
            "one closes: the earliest deadline is {date}.",
            3,
            date=format_date(date(2027, 2, 1), format="medium", locale=hy),  # Babel, as the bot
        )
        # One closes: a place is free.
        async with writing(sessions) as session:
            row = await session.get(PartnerCall, ids[1])
            assert row is not None
            row.review, row.closed_at, row.closed_reason = "approved", NOW, "poster"
        await poster.click(tr(hy, "🤝 We seek a partner"))
        assert tr(hy, "🤝 <b>We seek a partner</b> · step {step} of {total}", step=1, total=7) in (
            poster.last_text()
        )


async def test_the_same_text_twice_within_a_day_is_refused_whatever_the_kind(
    sessions: Sessions,
) -> None:
    await make_org(sessions, POSTER, language="hy", name="Կանաչ", country="AM")
    first = await posting.submit(
        sessions, POSTER, webinar().dump(), NOW,
        editing=None, review_mode="all", default_language="ru",
    )  # fmt: skip
    again = webinar(title="  MEASURING impact   <for REAL> ").dump()  # case and spacing aside
    with pytest.raises(PostRefused) as refused:
        await posting.submit(
            sessions, POSTER, again, NOW + timedelta(hours=3),
            editing=None, review_mode="all", default_language="ru",
        )  # fmt: skip
    assert refused.value.reason is PostRefusal.REPEATED
    assert refused.value.until == NOW + timedelta(days=1)
    assert refused.value.zone == "UTC"  # shown in the draft's zone
    as_call = {**_call("Measuring impact <for real>", "2027-03-01"),
               "description": "Two hours on indicators."}  # fmt: skip
    with pytest.raises(PostRefused) as refused:
        await calls.submit(sessions, POSTER, as_call, ZONE, NOW + timedelta(hours=5))
    assert refused.value.reason is PostRefusal.REPEATED
    # A day later it may be posted again.
    later = NOW + timedelta(days=1, minutes=1)
    done = await posting.submit(
        sessions, POSTER, again, later, editing=None, review_mode="all", default_language="ru"
    )
    assert done.how == "review" and first.event.id != done.event.id


async def test_a_preview_submitted_past_its_deadline_is_refused_saying_so(
    sessions: Sessions,
) -> None:
    """An internship whose application deadline, or a call whose deadline, passed while its
    preview stayed open: refused as such (not "cannot be edited"), nothing stored."""
    await make_org(sessions, POSTER, language="hy", name="Կանաչ", country="AM")
    late = NOW + timedelta(days=10)  # after the internship's deadline, before its start
    internship = webinar(kind="internship", places=2, deadline=NOW + timedelta(days=3))
    with pytest.raises(PostRefused) as refused:
        await posting.submit(
            sessions, POSTER, internship.dump(), late, editing=None, review_mode="all",
            default_language="ru", kinds=("internship",),
        )  # fmt: skip
    assert refused.value.reason is PostRefusal.DEADLINE_PASSED
    with pytest.raises(PostRefused) as refused:
        await calls.submit(sessions, POSTER, _call("Open data", "2026-12-01"), ZONE, late)
    assert refused.value.reason is PostRefusal.DEADLINE_PASSED
