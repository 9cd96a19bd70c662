"""The public channel (issue 21.7): with CHANNEL_ID set, the open partner calls and hosted
events and internships are posted there in CHANNEL_LANGUAGE, each with a button that opens
it in the bot, exactly once; a call closed (closed_at set by whoever closes it) and an event
cancelled get their posts edited to say so; a channel that refuses the bot is one WARNING
line and one notice to the admins, the posts wait and go out once it accepts, and the bot
goes on answering."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.app import scheduler_duties
from bot.config import Settings
from bot.scheduler import Runtime
from db.engine import Sessions, reading, writing
from db.models import ChannelPost, Event, PartnerCall
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock
from tests.event_helpers import NOW, event_bot
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.find.find_helpers import HOST_AM, READER, call_row, network, posts
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

CHANNEL = -1001234567890
HY = "hy"


def _channel(fake: FakeTelegram) -> list[dict[str, object]]:
    return fake.chat_messages(CHANNEL)


def _urls(message: dict[str, object]) -> list[str]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [button.get("url", "") for row in markup.get("inline_keyboard", []) for button in row]


async def _sweep(runtime: Runtime, settings: Settings) -> int:
    [channel] = [d for d in scheduler_duties(settings).periodic if type(d).__name__ == "Channel"]
    return await channel(runtime)


async def test_open_posts_go_to_the_channel_once_and_closing_edits_them(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    ids = await posts(sessions, await network(sessions))
    changed = settings.model_copy(
        update={
            "channel_id": str(CHANNEL),
            "channel_language": HY,
            "admin_ids": frozenset({ADMIN_ID}),
        }
    )
    clock = FrozenClock(NOW)
    async with event_bot(changed, sessions, fake_telegram, clock) as runtime:
        assert await _sweep(runtime, changed) == 4  # two calls, the internship, the webinar
        assert await _sweep(runtime, changed) == 0  # exactly once
        sent = _channel(fake_telegram)
        texts = [str(m["text"]) for m in sent]
        assert sum(t.startswith(tr(HY, "📣 <b>A partner call</b>")) for t in texts) == 2
        for gone in ("Closed call", "Past call", "Cancelled webinar", "Ended webinar"):
            assert not [t for t in texts if gone in t]
        [am] = [m for m in sent if "Digital <tools> for villages" in str(m["text"])]
        assert _urls(am) == [f"https://t.me/ngo_bridge_test_bot?start=call_{ids.am_call}"]
        assert am["reply_markup"]["inline_keyboard"][0][0]["text"] == tr(HY, "Open in the bot")  # type: ignore[index]
        [internship] = [m for m in sent if "Стажировка в Казани" in str(m["text"])]
        assert _urls(internship) == [
            f"https://t.me/ngo_bridge_test_bot?start=event_{ids.ru_internship}"
        ]
        # The call is closed by whoever closes calls, the webinar cancelled: both edited.
        async with writing(sessions) as session:
            await session.execute(
                update(PartnerCall)
                .where(PartnerCall.id == ids.am_call)
                .values(closed_at=NOW, closed_reason="poster")
            )
            await session.execute(
                update(Event).where(Event.id == ids.kg_webinar).values(status="cancelled")
            )
        clock.advance(minutes=10)
        assert await _sweep(runtime, changed) == 2
        assert await _sweep(runtime, changed) == 0
        edited = {m["message_id"]: m for m in _channel(fake_telegram)}
        for old in (am, *[m for m in sent if "Фандрайзинг вебинары" in str(m["text"])]):
            now_shown = edited[old["message_id"]]
            assert str(now_shown["text"]).startswith(tr(HY, "🚫 <b>Closed</b>: no longer open."))
            assert not now_shown.get("reply_markup")
        assert _urls(edited[internship["message_id"]])  # still open, untouched
        # Opening the link from the channel: the internship's card in the reader's language.
        reader = Conversation(fake_telegram, TgUser(READER, "Aidos", language_code="kk"))
        await reader.send(f"/start event_{ids.ru_internship}")
        assert "Стажировка в Казани" in reader.last_text()
        await reader.send(f"/start call_{ids.am_call}")  # closed since
        assert reader.texts()[-2] == tr("kk", "This call or offer is closed or no longer exists.")


async def test_a_refusing_channel_is_one_warning_and_one_notice_and_nothing_is_lost(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    orgs = await network(sessions)
    changed = settings.model_copy(
        update={"channel_id": str(CHANNEL), "admin_ids": frozenset({ADMIN_ID})}
    )
    async with writing(sessions) as session:
        since = NOW - timedelta(hours=1)
        session.add(call_row(orgs["am"], HOST_AM, "First call", since))
        session.add(call_row(orgs["am"], HOST_AM, "Second call", since))
    fake_telegram.blocked.add(CHANNEL)  # the bot is not the channel's administrator
    clock = FrozenClock(NOW)
    reader = Conversation(fake_telegram, TgUser(READER, "Aidos", language_code="kk"))
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code="ru"))
    async with event_bot(changed, sessions, fake_telegram, clock) as runtime:
        with caplog.at_level(logging.WARNING):
            assert await _sweep(runtime, changed) == 0
            clock.advance(minutes=10)
            assert await _sweep(runtime, changed) == 0  # still refused: said once
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
        assert warnings[0].exc_info is None and str(CHANNEL) in warnings[0].getMessage()
        notice = tr("ru", "⚠️ The channel {channel} refuses the bot's posts (is the bot its "
                    "administrator?). Calls and offers will be posted there once it accepts "
                    "them.", channel=str(CHANNEL))  # fmt: skip
        assert [t for t in admin.texts() if t == notice] == [notice]
        await reader.send("/menu")  # the bot goes on
        assert tr("kk", "📣 Calls and offers") in reader.last_buttons()
        async with reading(sessions) as session:
            shown = (
                await session.scalars(select(ChannelPost.shown).where(ChannelPost.kind == "call"))
            ).all()
            assert sorted(shown) == ["new", "refused"]  # one tried, one waiting: none lost
        # The admin makes the bot the channel's administrator: both go out.
        fake_telegram.blocked.discard(CHANNEL)
        clock.advance(minutes=10)
        assert await _sweep(runtime, changed) == 2
        titles = sorted(str(m["text"]).split("\n")[2] for m in _channel(fake_telegram))
        assert titles == ["🤝 First call", "🤝 Second call"]
        # A later outage is told again.
        fake_telegram.blocked.add(CHANNEL)
        async with writing(sessions) as session:
            session.add(call_row(orgs["am"], HOST_AM, "Third call", NOW))
        clock.advance(minutes=10)
        assert await _sweep(runtime, changed) == 0
        assert len([t for t in admin.texts() if t == notice]) == 2


async def test_a_post_claimed_by_a_stopped_process_is_posted_after_a_while_not_at_once(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    orgs = await network(sessions)
    changed = settings.model_copy(update={"channel_id": str(CHANNEL)})
    async with writing(sessions) as session:
        row = call_row(orgs["am"], HOST_AM, "Claimed call", NOW - timedelta(hours=1))
        session.add(row)
        await session.flush()
        # The process claimed it and stopped (killed) before posting it.
        session.add(ChannelPost(kind="call", post_id=row.id, shown="posting", updated_at=NOW))
    clock = FrozenClock(NOW + timedelta(minutes=5))
    async with event_bot(changed, sessions, fake_telegram, clock) as runtime:
        assert await _sweep(runtime, changed) == 0  # maybe still being posted elsewhere
        clock.advance(minutes=15)
        assert await _sweep(runtime, changed) == 1
        assert await _sweep(runtime, changed) == 0
    assert ["Claimed call" in str(m["text"]) for m in _channel(fake_telegram)] == [True]
