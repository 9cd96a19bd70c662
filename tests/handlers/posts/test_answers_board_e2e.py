"""📬 Answers to our posts, paged: nine partner calls of an organisation, eight a page,
newest first, « Previous and Next »; a colleague who neither posted a call nor owns the
organisation reads its answers but is offered no ⛔ Close (and a forged one is refused),
while ✏️ Edit carries the call's kind."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot import users
from bot.config import Settings
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.handlers.team import membership
from db.engine import Sessions
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.posts.answer_helpers import partner_call
from tests.i18n_helpers import tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

OWNER, COLLEAGUE = 790, 791


async def test_our_posts_are_paged_and_only_the_poster_or_an_owner_may_close(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    ru = "ru"
    host = await make_org(sessions, OWNER, language="kk", name="Қадам", country="KZ")
    token, _ = await membership.create_invite(sessions, OWNER, NOW)
    await users.touch_user(sessions, COLLEAGUE, "Irina", None, is_admin=False)
    await users.set_language(sessions, COLLEAGUE, ru)
    await membership.join(sessions, COLLEAGUE, token, NOW)
    calls = [
        await partner_call(sessions, host, OWNER, NOW + timedelta(minutes=n), date(2027, 3, 1))
        for n in range(9)
    ]
    irina = Conversation(fake_telegram, TgUser(COLLEAGUE, "Irina", language_code=ru))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await irina.send("/menu")
        await irina.click(tr(ru, "📣 Offer or seek"))
        await irina.click(tr(ru, "📬 Answers to our posts"))
        assert trn(ru, "{n} post", "{n} posts", 9) in irina.last_text()
        assert [str(n) for n in range(1, 9)] == irina.last_buttons()[:8]
        assert tr(ru, "Next »") in irina.last_buttons()
        await irina.click(tr(ru, "Next »"))
        assert irina.last_buttons()[0] == "1"
        assert tr(ru, "« Previous") in irina.last_buttons()
        await irina.click("1")  # the oldest call: Irina did not post it, she is no owner
        assert tr(ru, "No answers yet.") in irina.last_text()
        assert tr(ru, "⛔ Close") not in irina.last_buttons()
        assert tr(ru, "✏️ Edit") in irina.last_buttons()
        forged = PostPress(action=PostAction.CLOSE, item=calls[0], kind="call").pack()
        update_id = fake_telegram.push_callback(
            irina.user, irina.messages()[-1]["message_id"], forged
        )
        await fake_telegram.wait_handled(update_id)
        assert irina.alerts[-1] == tr(
            ru, "Only the member who posted it and the organisation's owners can do this."
        )
        edit = irina.messages()[-1]["reply_markup"]["inline_keyboard"]
        [data] = [b["callback_data"] for row in edit for b in row if b["text"] == tr(ru, "✏️ Edit")]
        assert PostPress.unpack(data) == PostPress(
            action=PostAction.EDIT, item=calls[0], kind="call"
        )
