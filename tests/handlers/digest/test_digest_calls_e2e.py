"""The weekly digest brings the week's new partner calls (issue 21.6) chosen as calls are
announced: the reader's organisation can share the call's topics, is in a wanted country,
is not the host, and the reader has "📣 Partner calls" on; a call already announced to
them, an older one, a closed one and their own are left out. Its button opens the call with
"🙋 We're interested"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot import users
from bot.config import Settings
from bot.handlers.digest.sending import deliver_digests
from db.engine import Sessions, writing
from db.models import PartnerCall, PartnerCallNotice
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org, set_org
from tests.event_helpers import event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.find.find_helpers import call_row
from tests.i18n_helpers import end_of_day, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

MONDAY_MORNING = datetime(2026, 11, 30, 5, 5, tzinfo=UTC)  # 10:05 in Almaty
READER, HOST, OTHER, CALLS_OFF = 9201, 9202, 9203, 9204
KK = "kk"


async def _calls(sessions: Sessions) -> dict[str, int]:
    """The reader (Kazakhstan, can share digital tools), an Armenian host, and its calls."""
    long_ago = MONDAY_MORNING - timedelta(days=30)
    reader = await make_org(sessions, READER, language=KK, name="Цифрлық қадам", country="KZ",
                            can_share=["digital"])  # fmt: skip
    off = await make_org(sessions, CALLS_OFF, language="ru", country="KZ", can_share=["digital"])
    await users.set_partner_calls_on(sessions, CALLS_OFF, False)
    host = await make_org(sessions, HOST, language="hy", name="Կանաչ Երևան", country="AM")
    other = await make_org(sessions, OTHER, language="ru", name="Другие", country="RU")
    for org_id in (reader, off, host, other):
        await set_org(sessions, org_id, created_at=long_ago)
    days = MONDAY_MORNING - timedelta(days=2)
    async with writing(sessions) as session:
        rows = {
            "new": call_row(host, HOST, "Digital <villages>", days),
            "announced": call_row(host, HOST, "Already told", days),
            "old": call_row(host, HOST, "Last month", MONDAY_MORNING - timedelta(days=9)),
            "legal": call_row(host, HOST, "Lawyers wanted", days, topics=["legal"]),
            "russia": call_row(host, HOST, "For Russia only", days, countries=["RU"]),
            "own": call_row(reader, READER, "Our own call", days, time_zone="Asia/Almaty"),
            "closed": call_row(host, HOST, "Closed already", days, closed_at=days),
            "pending": call_row(other, OTHER, "Not approved", days, review="pending"),
        }
        session.add_all(rows.values())
        await session.flush()
        ids: dict[str, int] = {key: row.id for key, row in rows.items()}
        session.add(PartnerCallNotice(call_id=ids["announced"], user_id=READER, state="sent"))
    return ids


async def test_the_digest_brings_new_partner_calls_not_announced_yet(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    ids = await _calls(sessions)
    reader = Conversation(fake_telegram, TgUser(READER, "Aidos", language_code=KK))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(MONDAY_MORNING)) as runtime:
        assert await deliver_digests(runtime) == 1  # the reader only: nothing for the others
        digest = reader.last_text()
        assert digest.startswith(tr(KK, "📰 <b>Your week in NGO Bridge</b>"))
        assert tr(KK, "New partner calls for you:") in digest
        assert "Digital <villages>" in digest
        for left_out in ("Already told", "Last month", "Lawyers wanted", "For Russia only",
                         "Our own call", "Closed already", "Not approved"):  # fmt: skip
            assert left_out not in digest
        # The deadline in the reader's language, at the end of the poster's day.
        assert end_of_day(KK, date(2027, 3, 1), "Asia/Yerevan") in digest
        await reader.click("🤝 Digital <villages>")
        assert reader.last_text().startswith(tr(KK, "📣 <b>A partner call</b>"))
        assert reader.last_buttons()[0] == tr(KK, "🙋 We're interested")
    async with writing(sessions) as session:
        call = await session.get(PartnerCall, ids["new"])
        assert call is not None and call.review == "approved"
    assert not [m for m in fake_telegram.chat_messages(CALLS_OFF) if "Digital" in str(m)]
