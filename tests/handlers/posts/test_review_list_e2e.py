"""/review's list redrawn after a decision (issue 21): two admins list the partner calls
waiting; Anna approves one from her list, and Oleg's list (in Russian) loses its "🤝 #n"
at once; his old button pressed anyway is answered with who decided. The last one
rejected, both lists say nothing waits."""

from __future__ import annotations

from datetime import date

import pytest

from bot import users
from bot.config import Settings
from bot.handlers.posts.callbacks import ReviewAction, ReviewPress
from db.engine import Sessions, writing
from db.models import PartnerCall
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

ANNA, HOST = 9102, 810


async def _waiting_call(sessions: Sessions, host: int, title: str) -> int:
    async with writing(sessions) as session:
        call = PartnerCall(
            host_organisation_id=host, posted_by=HOST, title=title, description="A project.",
            topics=[], countries=[], languages=[], deadline=date(2027, 3, 1),
            time_zone="Asia/Almaty", review="pending", created_at=NOW,
        )  # fmt: skip
        session.add(call)
        await session.flush()
        return call.id


async def test_a_decision_redraws_the_other_admins_review_list(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "ru")
    await users.touch_user(sessions, ANNA, "Anna", None, is_admin=True)
    await users.set_language(sessions, ANNA, "en")
    host = await make_org(sessions, HOST, language="kk", name="Заң көмегі", country="KZ")
    first = await _waiting_call(sessions, host, "Open data")
    second = await _waiting_call(sessions, host, "Clean water")
    admins = settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID, ANNA})})
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code="ru"))
    anna = Conversation(fake_telegram, TgUser(ANNA, "Anna", language_code="en"))
    async with event_bot(admins, sessions, fake_telegram, FrozenClock(NOW)):
        await oleg.send("/review")
        olegs = oleg.messages()[-1]
        assert oleg.last_buttons() == [f"🤝 #{first}", f"🤝 #{second}"]
        await anna.send("/review")
        annas = anna.messages()[-1]["message_id"]
        await anna.click(f"🤝 #{first}", message_id=annas)
        await anna.click("✅ Approve")
        # Oleg's list: drawn again, in Russian, the approved call gone.
        assert oleg.messages()[-1]["message_id"] == olegs["message_id"]
        assert oleg.last_buttons() == [f"🤝 #{second}"]
        assert f"#{first} " not in oleg.last_text()
        assert oleg.last_text().startswith(
            trn("ru", "📝 {n} post is waiting for review:",
                "📝 {n} posts are waiting for review:", 1)
        )  # fmt: skip
        assert next(b for b in anna.messages() if b["message_id"] == annas)["reply_markup"] == {
            "inline_keyboard": [[{"text": f"🤝 #{second}", "callback_data": ReviewPress(
                action=ReviewAction.OPEN, item=second, kind="call").pack()}]]
        }  # fmt: skip
        # His old button pressed anyway (a stale copy of the list): who decided.
        stale = ReviewPress(action=ReviewAction.OPEN, item=first, kind="call").pack()
        await fake_telegram.wait_handled(
            fake_telegram.push_callback(oleg.user, olegs["message_id"], stale)
        )
        assert oleg.alerts[-1] == tr("ru", "{name} has already decided on this post.", name="Anna")
        # Oleg rejects the other from his list: both lists say nothing waits.
        await oleg.click(f"🤝 #{second}", message_id=olegs["message_id"])
        await oleg.click(tr("ru", "❌ Reject"))
        await oleg.click(tr("ru", "Incomplete or unclear"))
        await oleg.send("Нужно больше деталей")
        for chat, language, message_id in (
            (oleg, "ru", olegs["message_id"]),
            (anna, "en", annas),
        ):
            [listed] = [m for m in chat.messages() if m["message_id"] == message_id]
            assert listed["text"] == tr(language, "No posts are waiting for review.")
            assert not (listed.get("reply_markup") or {}).get("inline_keyboard")
