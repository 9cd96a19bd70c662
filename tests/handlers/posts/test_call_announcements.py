"""Partner call announcements left unfinished by a stopped process: at start the ones it
had claimed are given up (never sent twice), and the sweep sends the pending ones once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.handlers.posts.announcing import give_up_interrupted, resume_announcements
from db.engine import Sessions, reading, writing
from db.models import PartnerCall, PartnerCallNotice
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot, texts_of
from tests.fake_telegram import FakeTelegram
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
        assert await resume_announcements(runtime) == 1
        assert await resume_announcements(runtime) == 0
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
