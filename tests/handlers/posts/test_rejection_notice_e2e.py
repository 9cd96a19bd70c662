"""A rejection notice's ✏️ Edit once the post moved on: a Kazakh NGO's partner call is
rejected, its three members are told; one edits and submits it again from her notice (whose
button then goes), the second's ✏️ says it was already sent for review again (an alert in
Russian) and loses its button; approved, the third's says it was published since. A
stranger's forged press is refused as before."""

from __future__ import annotations

import pytest

from bot import users
from bot.config import Settings
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.handlers.team import membership
from db.engine import Sessions, reading, writing
from db.models import PartnerCall
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.find.find_helpers import call_row
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

POSTER, COLLEAGUE, THIRD, STRANGER = 870, 871, 873, 872
TITLE = "Open courts <together>"


def _buttons(chat: Conversation, message_id: int) -> list[object]:
    [message] = [m for m in chat.messages() if m["message_id"] == message_id]
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return list(markup.get("inline_keyboard") or [])


async def test_an_old_rejection_notice_says_the_post_moved_on_and_loses_its_button(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    kk, ru, hy = "kk", "ru", "hy"
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, ru)
    host = await make_org(sessions, POSTER, language=kk, name="Заң көмегі", country="KZ")
    token, _ = await membership.create_invite(sessions, POSTER, NOW)
    await users.touch_user(sessions, COLLEAGUE, "Irina", None, is_admin=False)
    await users.set_language(sessions, COLLEAGUE, ru)
    await membership.join(sessions, COLLEAGUE, token, NOW)
    await users.touch_user(sessions, THIRD, "Dana", None, is_admin=False)
    await users.set_language(sessions, THIRD, kk)
    await membership.join(sessions, THIRD, token, NOW)
    await make_org(sessions, STRANGER, language=hy, name="Կանաչ", country="AM")
    async with writing(sessions) as session:
        row = call_row(host, POSTER, TITLE, NOW, review="pending", reviewed_by=None,
                       time_zone="Asia/Almaty")  # fmt: skip
        session.add(row)
        await session.flush()
        call_id = row.id
    aigul = Conversation(fake_telegram, TgUser(POSTER, "Aigul", language_code=kk))
    irina = Conversation(fake_telegram, TgUser(COLLEAGUE, "Irina", language_code=ru))
    dana = Conversation(fake_telegram, TgUser(THIRD, "Dana", language_code=kk))
    ani = Conversation(fake_telegram, TgUser(STRANGER, "Ani", language_code=hy))
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code=ru))
    changed = settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID})})
    async with event_bot(changed, sessions, fake_telegram, FrozenClock(NOW)):
        await oleg.send("/review")
        await oleg.click(f"🤝 #{call_id}")
        await oleg.click(tr(ru, "❌ Reject"))
        await oleg.click(tr(ru, "Incomplete or unclear"))
        await oleg.send("Please say what the partner does.")
        aigul_notice = aigul.messages()[-1]["message_id"]
        irina_notice = irina.messages()[-1]["message_id"]
        dana_notice = dana.messages()[-1]["message_id"]
        assert irina.last_buttons() == [tr(ru, "✏️ Edit and submit again")]
        # A stranger forges the notice's press: refused, as any edit of another's post.
        await ani.send("/menu")
        forged = PostPress(action=PostAction.REDO, item=call_id, kind="call").pack()
        update_id = fake_telegram.push_callback(ani.user, ani.messages()[-1]["message_id"], forged)
        await fake_telegram.wait_handled(update_id)
        assert ani.alerts[-1] == tr(hy, "This post cannot be edited now.")
        # Aigul edits from her notice and submits it again, unchanged.
        await aigul.click(tr(kk, "✏️ Edit and submit again"), message_id=aigul_notice)
        assert TITLE in aigul.last_text()
        await aigul.click(tr(kk, "📨 Submit"))
        async with reading(sessions) as session:
            call = await session.get(PartnerCall, call_id)
            assert call is not None and call.review == "pending"
        assert not _buttons(aigul, aigul_notice)  # the notice she edited it from
        # Irina's notice: already sent for review again; its button goes.
        await irina.click(tr(ru, "✏️ Edit and submit again"), message_id=irina_notice)
        assert not _buttons(irina, irina_notice)
        assert irina.alerts[-1] == tr(ru, "✏️ This post has already been sent for review again.")
        # Approved: Dana's old notice says it was published since.
        await oleg.click(tr(ru, "✅ Approve"))
        before = len(dana.messages())
        await dana.click(tr(kk, "✏️ Edit and submit again"), message_id=dana_notice)
        assert not _buttons(dana, dana_notice)
        assert len(dana.messages()) == before  # no preview opened
        assert dana.alerts[-1] == tr(
            kk, "✏️ This post has been published since: edit it from 📬 Answers to our posts."
        )
