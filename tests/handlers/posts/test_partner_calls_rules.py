"""Partner call announcements left unfinished by a stopped process: at start the ones it
had claimed are given up (never sent twice), and the scheduler's duty sends the pending ones
once. An approved call is marked, not queued nor sent, by the decision (the scheduler
queues its audience); a recipient in their quiet
hours gets it when they end, not before. A call rejected from /review: the host is told the
reason and the comment, it is not announced; the poster edits it from the notice and it goes
to review again."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot import users
from bot.config import Settings
from bot.handlers.posts import review
from bot.handlers.posts.announcing import deliver_due, give_up_interrupted, next_due
from bot.handlers.posts.audience import expand_due
from db.engine import Sessions, reading, writing
from db.models import PartnerCall, PartnerCallNotice
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot, texts_of
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HOST, WAITING, CLAIMED = 730, 731, 732


async def test_the_sweep_finishes_an_interrupted_announcement_once(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    host = await make_org(sessions, HOST, language="hy", name="Կանաչ", country="AM")
    await make_org(sessions, WAITING, language="ky", name="Үмүт", country="KG")
    await make_org(sessions, CLAIMED, language="ru", name="Надежда", country="KG")
    async with writing(sessions) as session:
        call = PartnerCall(
            host_organisation_id=host, posted_by=HOST, title="Open data", description="…",
            topics=[], countries=[], languages=[], deadline=date(2027, 3, 1),
            time_zone="Asia/Yerevan", review="approved", created_at=NOW,
        )  # fmt: skip
        session.add(call)
        await session.flush()
        session.add_all(
            [
                PartnerCallNotice(call_id=call.id, user_id=WAITING, state="pending"),
                PartnerCallNotice(call_id=call.id, user_id=CLAIMED, state="sending"),
            ]
        )
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)) as runtime:
        assert await give_up_interrupted(sessions, NOW) == 1  # at start: the claimed row
        assert await deliver_due(runtime) == 1
        assert await deliver_due(runtime) == 0
    [got] = [t for t in texts_of(fake_telegram, WAITING) if "Open data" in t]
    assert got.startswith(tr("ky", "📣 <b>A partner call</b>"))
    assert not [t for t in texts_of(fake_telegram, CLAIMED) if "Open data" in t]
    async with reading(sessions) as session:
        states = dict(
            (
                await session.execute(select(PartnerCallNotice.user_id, PartnerCallNotice.state))
            ).all()
        )
        assert states == {WAITING: "sent", CLAIMED: "failed"}


async def test_a_recipient_in_quiet_hours_gets_the_call_when_they_end_not_before(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    host = await make_org(sessions, HOST, language="hy", name="Կանաչ", country="AM")
    await make_org(sessions, WAITING, language="ky", name="Үмүт", country="KG")  # Bishkek
    await make_org(sessions, CLAIMED, language="hy", name="Արև", country="AM")  # Yerevan
    night = NOW.replace(hour=16)  # 22:00 in Bishkek (quiet), 20:00 in Yerevan
    async with writing(sessions) as session:
        call = PartnerCall(
            host_organisation_id=host, posted_by=HOST, title="Open data", description="…",
            topics=[], countries=[], languages=[], deadline=date(2027, 3, 1),
            time_zone="Asia/Yerevan", review="pending", created_at=NOW,
        )  # fmt: skip
        session.add(call)
        await session.flush()
        call_id = call.id
    decision = await review.decide(
        sessions, {ADMIN_ID}, ADMIN_ID, call_id, night, approve=True, kind=review.CALL
    )
    assert decision.organisations == 2
    assert not texts_of(fake_telegram, WAITING) and not texts_of(fake_telegram, CLAIMED)
    morning = (night + timedelta(days=1)).replace(hour=3)  # 09:00 in Bishkek
    clock = FrozenClock(night)
    async with event_bot(settings, sessions, fake_telegram, clock) as runtime:
        assert await expand_due(runtime) == 2  # both queued by the scheduler, not the press
        assert await deliver_due(runtime) == 1  # Yerevan: at once
        assert await next_due(sessions) == morning
        clock.moment = morning - timedelta(minutes=1)
        assert await deliver_due(runtime) == 0  # Bishkek: still night
        assert not [t for t in texts_of(fake_telegram, WAITING) if "Open data" in t]
        clock.moment = morning
        assert await deliver_due(runtime) == 1
        assert await deliver_due(runtime) == 0
    for user_id in (WAITING, CLAIMED):
        assert len([t for t in texts_of(fake_telegram, user_id) if "Open data" in t]) == 1
    assert await next_due(sessions) is None


async def test_a_partner_call_rejected_with_a_reason_is_edited_and_submitted_again(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "ru")
    host = await make_org(sessions, HOST, language="ky", name="Үмүт", country="KG")
    await make_org(sessions, WAITING, language="ky", name="Жаңы", country="KG")
    async with writing(sessions) as session:
        call = PartnerCall(
            host_organisation_id=host, posted_by=HOST, title="Open data", description="…",
            topics=[], countries=[], languages=[], deadline=date(2027, 3, 1),
            time_zone="Asia/Bishkek", review="pending", created_at=NOW,
        )  # fmt: skip
        session.add(call)
        await session.flush()
        call_id = call.id
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code="ru"))
    poster = Conversation(fake_telegram, TgUser(HOST, "Aibek", language_code="ky"))
    changed = settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID})})
    async with event_bot(changed, sessions, fake_telegram, FrozenClock(NOW)):
        await oleg.send("/review")
        await oleg.click(f"🤝 #{call_id}")
        await oleg.click(tr("ru", "❌ Reject"))
        await oleg.click(tr("ru", "Off topic for the network"))
        await oleg.send("Уточните <тему>")
        notice = poster.last_text()
        assert notice.startswith(tr("ky", "❌ Your partner call {title} was not approved.",
                                    title=tr("ky", "“{name}”", name="Open data")))  # fmt: skip
        assert "Уточните <тему>" in notice
        async with reading(sessions) as session:
            row = await session.get(PartnerCall, call_id)
            assert row is not None and row.review == "rejected"
            assert row.review_reason == "off_topic"
            assert await session.scalar(select(PartnerCallNotice)) is None  # never announced
        # Edited from the notice: its preview, Back to the programme, a new one, Submit.
        await poster.click(tr("ky", "✏️ Edit and submit again"))
        assert "Open data" in poster.last_text()
        assert tr(
            "ky",
            "👀 <b>Preview of your partner call</b>: this is exactly what the organisations it suits will get.",
        ) in (poster.last_text())
        await poster.click(tr("ky", "« Back"))  # the working languages
        await poster.click(tr("ky", "« Back"))  # the grant or programme
        await poster.send("Erasmus+ KA2")
        assert "Erasmus+ KA2" in poster.last_text()  # straight back to the preview
        await poster.click(tr("ky", "📨 Submit"))
        assert oleg.last_text().startswith(
            tr("ru", "📝 <b>A partner call to review</b> (#{id})", id=call_id)
        )
        assert "Erasmus+ KA2" in oleg.last_text()
    async with reading(sessions) as session:
        row = await session.get(PartnerCall, call_id)
        assert row is not None and row.review == "pending" and row.programme == "Erasmus+ KA2"
        assert row.review_reason is None
        assert await session.scalar(select(PartnerCallNotice)) is None
