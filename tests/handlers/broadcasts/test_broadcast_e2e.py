"""Admin broadcasts end to end: the real bot, the fake Bot API server (with Telegram's
limits and real 429s where a test turns them on) and an SQLite file."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.delivery.broadcaster import Broadcaster
from bot.delivery.limiter import PER_CHAT_INTERVAL
from bot.handlers.broadcasts.callbacks import BroadcastAction, BroadcastPress
from db.engine import Sessions, reading
from db.models import Broadcast, Delivery, User
from tests.broadcast_helpers import plain_users
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser

pytestmark = pytest.mark.databases("sqlite", "postgresql")

FIRST = 20_000  # recipients' user ids start here


@asynccontextmanager
async def running(
    settings: Settings,
    sessions: Sessions,
    fake: FakeTelegram,
    *,
    rate: float = 1000,
) -> AsyncIterator[Broadcaster]:
    """The bot polling `fake` with BROADCAST_RATE = `rate` and Telegram's own pace in one
    chat (these tests turn the fake's limits on); yields its broadcaster."""
    settings = settings.model_copy(
        update={"broadcast_rate": rate, "chat_interval": PER_CHAT_INTERVAL}
    )
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=FrozenClock())
    async with polling(dp, bot, fake):
        yield dp["broadcaster"]


def admin_chat(fake: FakeTelegram) -> Conversation:
    return Conversation(fake, TgUser(ADMIN_ID, "Admin", language_code="en"))


async def status_text(fake: FakeTelegram, word: str, within: float = 30) -> str:
    """Wait until the admin's status message says `word`; its text."""

    def found() -> str:
        for message in reversed(fake.chat_messages(ADMIN_ID)):
            text = str(message.get("text", ""))
            if "Broadcast #" in text and word in text:
                return text
        return ""

    return await fake.wait_for(found, timeout=within)


def received(fake: FakeTelegram, user_id: int) -> list[dict[str, Any]]:
    """Messages a recipient has from the bot."""
    return fake.chat_messages(user_id)


async def states(sessions: Sessions) -> dict[int, str]:
    async with reading(sessions) as session:
        rows = await session.execute(select(Delivery.user_id, Delivery.state))
        return {user_id: state for user_id, state in rows}


async def test_a_text_broadcast_reaches_the_chosen_country_only_once_each(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    kazakh = [FIRST + i for i in range(3)]
    russian = [FIRST + 10 + i for i in range(2)]
    for user_id in kazakh:
        await make_org(sessions, user_id, country="KZ", name=f"KZ {user_id}")
    for user_id in russian:
        await make_org(sessions, user_id, country="RU", name=f"RU {user_id}")
    await plain_users(sessions, [FIRST + 20])  # no organisation: only "everyone" reaches them
    admin = admin_chat(fake_telegram)
    async with running(settings, sessions, fake_telegram) as broadcaster:
        typed = "/broadcast Registration for the fundraising webinar is open"
        bold = {"type": "bold", "offset": typed.index("fundraising"), "length": 11}
        command = {"type": "bot_command", "offset": 0, "length": 10}
        await admin.send(typed, entities=[command, bold])  # formatted in the admin's client
        preview, panel = admin.texts()[-2:]
        assert preview == "Registration for the fundraising webinar is open"
        assert "Everyone who uses the bot" in panel
        assert "It will reach 7 users." in panel  # 6 users and the admin
        await admin.click("🌍 Country")
        await admin.click("Kazakhstan")
        assert "✅ 🇰🇿 Kazakhstan" in admin.last_buttons()
        await admin.click("✔ Done")
        assert "Countries: 🇰🇿 Kazakhstan" in admin.last_text()
        assert "It will reach 3 users." in admin.last_text()
        await admin.click("✅ Send to 3 users")
        report = await status_text(fake_telegram, "finished")
        await broadcaster.wait(1)
    assert "Sent: 3 · Blocked the bot: 0 · Failed: 0" in report
    assert "▓▓▓▓▓▓▓▓▓▓ 100%" in report
    for user_id in kazakh:
        [message] = received(fake_telegram, user_id)
        assert message["text"] == "Registration for the fundraising webinar is open"
        assert message["entities"][0]["type"] == "bold"  # the admin's formatting kept
    for user_id in [*russian, FIRST + 20]:
        assert received(fake_telegram, user_id) == []
    assert set((await states(sessions)).values()) == {"sent"}


async def test_a_photo_sent_as_a_reply_is_copied_to_a_language_audience(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await plain_users(sessions, [FIRST, FIRST + 1], language="hy")
    await plain_users(sessions, [FIRST + 2], language="ru")
    admin = admin_chat(fake_telegram)
    async with running(settings, sessions, fake_telegram) as broadcaster:
        await admin.send_photo("Our <i>forum</i> in Yerevan")
        photo = fake_telegram.user_messages(ADMIN_ID)[-1]
        await admin.send("/broadcast", reply_to_message=photo)
        assert admin.messages()[-2]["photo"]  # the preview is the photo itself
        await admin.click("🗣 Language")
        await admin.click("Հայերեն")
        await admin.click("✔ Done")
        await admin.click("✅ Send to 2 users")
        await status_text(fake_telegram, "finished")
        await broadcaster.wait(1)
    for user_id in (FIRST, FIRST + 1):
        [message] = received(fake_telegram, user_id)
        assert message["photo"] and message["caption"] == "Our <i>forum</i> in Yerevan"
    assert received(fake_telegram, FIRST + 2) == []
    copies = fake_telegram.method_calls("copyMessage")
    assert sorted(c["chat_id"] for c in copies if c["chat_id"] != ADMIN_ID) == [FIRST, FIRST + 1]


async def test_only_admins_can_broadcast_and_bad_input_gets_a_clear_answer(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await plain_users(sessions, [FIRST])
    stranger = Conversation(fake_telegram, TgUser(FIRST, "Stranger", language_code="en"))
    admin = admin_chat(fake_telegram)
    async with running(settings, sessions, fake_telegram):
        await stranger.send("/broadcast Buy now")
        assert stranger.texts()[-2] == "That command is for the network's administrators."
        # A forged Send and Stop from a non-admin: refused, nothing happens.
        for forged in (
            BroadcastPress(action=BroadcastAction.SEND),
            BroadcastPress(action=BroadcastAction.STOP, item=1),
        ):
            update_id = fake_telegram.push_callback(
                stranger.user, stranger.messages()[-1]["message_id"], forged.pack()
            )
            await fake_telegram.wait_handled(update_id)
            assert fake_telegram.answers_for(FIRST)[-1].text == "Only administrators can do this."
        await admin.send("/broadcast")
        assert "Write the text after the command" in admin.last_text()
        await admin.send("/broadcast    ")
        assert "Write the text after the command" in admin.last_text()
        await admin.send("/broadcast " + "x" * 4097)
        assert "at most 4,096 characters, and you sent 4,097" in admin.last_text()
        await admin.send("/broadcast Hello")
        panel_id = admin.messages()[-1]["message_id"]
        # A forged tick with an unknown country is refused; the screen stays.
        forged_tick = BroadcastPress(action=BroadcastAction.TICK, kind="countries", code="XX")
        update_id = fake_telegram.push_callback(admin.user, panel_id, forged_tick.pack())
        await fake_telegram.wait_handled(update_id)
        assert "out of date" in (fake_telegram.answers_for(ADMIN_ID)[-1].text or "")
        await admin.click("🌍 Country")
        await admin.click("Tajikistan")  # nobody there
        await admin.click("✔ Done")
        await admin.click("✅ Send to 0 users")
        assert "Nobody matches this audience" in admin.alerts[-1]
        await admin.click("✖ Cancel")
        assert admin.last_text() == "The broadcast was not sent."
        await admin.send("/broadcast Hello again")
        await admin.send("/cancel")  # leaves the setup too; its buttons go
        assert admin.texts()[-2] == "Cancelled."
        assert admin.messages()[-3].get("reply_markup") is None
        # The old screen's buttons no longer send anything.
        stale = BroadcastPress(action=BroadcastAction.SEND)
        update_id = fake_telegram.push_callback(admin.user, panel_id, stale.pack())
        await fake_telegram.wait_handled(update_id)
        assert "no longer being prepared" in (fake_telegram.answers_for(ADMIN_ID)[-1].text or "")
        await admin.send("/broadcast_cancel")
        assert admin.last_text() == "No broadcast is running."
        await admin.send("/broadcasts")
        assert admin.last_text() == "No broadcasts yet."
    async with reading(sessions) as session:
        assert await session.scalar(select(Broadcast.id)) is None
    assert received(fake_telegram, FIRST)[-1]["text"] != "Buy now"


async def test_stop_keeps_what_was_sent_and_the_report_says_how_far_it_got(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    recipients = [FIRST + i for i in range(60)]
    await plain_users(sessions, recipients)
    admin = admin_chat(fake_telegram)
    async with running(settings, sessions, fake_telegram, rate=10) as broadcaster:
        await admin.send("/broadcast Slow news")
        await admin.click("✅ Send to 61 users")
        await fake_telegram.wait_for(
            lambda: sum(bool(received(fake_telegram, u)) for u in recipients) >= 10
        )
        live = await status_text(fake_telegram, "left")  # edited in place every few seconds
        assert "sending" in live and "Remaining: " in live and "messages a second" in live
        assert "░" in live and "▓" in live
        assert "⏹ Stop the broadcast" in admin.last_buttons()
        await admin.send("/broadcast_cancel")
        assert admin.last_text() == "Broadcast #1 is stopped. What was sent stays sent."
        report = await status_text(fake_telegram, "cancelled")
        await broadcaster.wait(1)
        await admin.send("/broadcasts")
        history = admin.last_text()
    got = sum(len(received(fake_telegram, u)) for u in recipients)
    assert 10 <= got < 60
    assert f"Sent: {got} ·" in report or f"Sent: {got + 1} ·" in report  # +1: the admin
    assert "(stopped)" in report
    assert "#1 ·" in history and "cancelled" in history and "To 61 users" in history
    left = Counter((await states(sessions)).values())
    assert left["pending"] == 61 - left["sent"] > 0


async def test_a_429_in_one_chat_holds_that_chat_and_the_same_message_is_sent_once(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    recipients = [FIRST + i for i in range(20)]
    await plain_users(sessions, recipients)
    admin = admin_chat(fake_telegram)
    async with running(settings, sessions, fake_telegram, rate=50) as broadcaster:
        await admin.send("/broadcast Once each")
        mark = len(fake_telegram.calls)
        fake_telegram.fail_next("sendMessage", 429, retry_after=1)  # the broadcast's first
        await admin.click("✅ Send to 21 users")
        await status_text(fake_telegram, "finished")
        await broadcaster.wait(1)
    [flooded] = [i for i, e in enumerate(fake_telegram.errors) if e[2] == 429]
    flooded_chat = fake_telegram.errors[flooded][1]["chat_id"]
    flooded_at = fake_telegram.error_times[flooded]
    tries = [p for m, p in fake_telegram.calls[mark:] if m == "sendMessage"]
    assert [p["chat_id"] for p in tries].count(flooded_chat) == 2  # the 429, then once more
    for user_id in recipients:
        assert [m.get("text") for m in received(fake_telegram, user_id)] == ["Once each"]
    admin_texts = [m.get("text") for m in received(fake_telegram, ADMIN_ID)]
    assert admin_texts.count("Once each") == 2  # the preview, and the admin's own copy
    # The flooded chat waited retry_after; the others did not wait for it.
    after = [(t - flooded_at, c) for t, c in fake_telegram.accepted_sends if t > flooded_at]
    assert len(after) == 21
    assert min(t for t, c in after if c == flooded_chat) >= 0.95
    assert sum(t < 0.95 for t, c in after if c != flooded_chat) >= 15


async def test_429s_in_several_chats_at_once_pause_every_sender(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    recipients = [FIRST + i for i in range(20)]
    await plain_users(sessions, recipients)
    admin = admin_chat(fake_telegram)
    async with running(settings, sessions, fake_telegram, rate=50) as broadcaster:
        await admin.send("/broadcast Once each")
        fake_telegram.fail_next("sendMessage", 429, retry_after=1, times=3)  # three chats
        await admin.click("✅ Send to 21 users")
        await status_text(fake_telegram, "finished")
        await broadcaster.wait(1)
    floods = [i for i, e in enumerate(fake_telegram.errors) if e[2] == 429]
    assert len({fake_telegram.errors[i][1]["chat_id"] for i in floods}) == 3
    third = fake_telegram.error_times[floods[-1]]
    for user_id in recipients:
        assert [m.get("text") for m in received(fake_telegram, user_id)] == ["Once each"]
    # The global limit, not one chat's: everyone waited (but sends already on their way).
    after = [t - third for t, _ in fake_telegram.accepted_sends if t > third]
    assert sum(t < 0.95 for t in after) <= 2 and len(after) >= 18


async def test_blocked_deactivated_and_unknown_chats_are_marked_and_never_retried(
    settings: Settings,
    sessions: Sessions,
    engine: AsyncEngine,
    fake_telegram: FakeTelegram,
) -> None:
    recipients = [FIRST + i for i in range(200)]
    await plain_users(sessions, recipients)
    blocked = set(recipients[100:110])  # 5 %
    deactivated = set(recipients[110:112])  # 1 %
    missing = set(recipients[112:114])  # 1 %
    fake_telegram.blocked |= blocked
    fake_telegram.deactivated |= deactivated
    fake_telegram.missing |= missing
    fake_telegram.limit(100)  # Telegram's limits, with real 429s
    commits = 0

    def count_commit(*_: object) -> None:
        nonlocal commits
        commits += 1

    event.listen(engine.sync_engine, "commit", count_commit)
    admin = admin_chat(fake_telegram)
    async with running(settings, sessions, fake_telegram, rate=100) as broadcaster:
        await admin.send("/broadcast To everyone")
        fake_telegram.fail_next("sendMessage", 502, "Bad Gateway")  # tried again, after a wait
        await admin.click("✅ Send to 201 users")
        started = commits
        report = await status_text(fake_telegram, "finished")
        await broadcaster.wait(1)
        during = commits - started
    event.remove(engine.sync_engine, "commit", count_commit)
    assert "Sent: 187 · Blocked the bot: 12 · Failed: 2" in report
    final = await states(sessions)
    assert {u for u, s in final.items() if s == "blocked"} == blocked | deactivated
    assert {u for u, s in final.items() if s == "failed"} == missing
    refusals = Counter(p["chat_id"] for _, p, code, _ in fake_telegram.errors if code < 429)
    for user_id in blocked | deactivated | missing:
        assert refusals[user_id] == 1  # never retried
    [(_, gateway, _, _)] = [e for e in fake_telegram.errors if e[2] == 502]
    # The message that met the 502 was tried again after a short wait, and arrived once
    # (it may be the admin's copy, the first in user-id order: the admin has the preview too).
    texts = [m.get("text") for m in received(fake_telegram, gateway["chat_id"])]
    assert texts.count("To everyone") == 1 + (gateway["chat_id"] == ADMIN_ID)
    async with reading(sessions) as session:
        inactive = set(await session.scalars(select(User.id).where(User.is_active.is_(False))))
        rows = await session.execute(select(Delivery.user_id, Delivery.error))
        errors = {user_id: error for user_id, error in rows}
    assert inactive == blocked | deactivated  # never sent anything again until they write
    assert fake_telegram.flood_errors <= 5  # paced under the limit: 429s are rare (jitter)
    assert errors[recipients[100]] == "Forbidden: bot was blocked by the user"
    assert errors[recipients[110]] == "Forbidden: user is deactivated"
    assert errors[recipients[112]] == "Bad Request: chat not found"
    assert during < 201 / 5  # outcomes are written in batches, not one commit per message
    # Telegram's limits held: never more than 100 accepted in one second.
    times = [t for t, _ in fake_telegram.accepted_sends]
    assert all(sum(1 for u in times[i:] if u - t < 1.0) <= 100 for i, t in enumerate(times))
    # A blocked user who writes again is active again, and is in the next audience.
    fake_telegram.blocked.discard(recipients[100])
    async with running(settings, sessions, fake_telegram):
        await Conversation(fake_telegram, TgUser(recipients[100], "Back")).send("/help")
        await admin.send("/broadcast Again")
        assert "It will reach 190 users." in admin.last_text()  # 201 - 12 + 1


async def test_a_user_gets_answers_promptly_while_a_broadcast_runs(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    recipients = [FIRST + i for i in range(100)]
    await plain_users(sessions, recipients)
    user = Conversation(fake_telegram, TgUser(FIRST + 500, "Busy", language_code="en"))
    admin = admin_chat(fake_telegram)
    async with running(settings, sessions, fake_telegram, rate=25) as broadcaster:
        await admin.send("/broadcast Long one")
        await admin.click("✅ Send to 101 users")
        started = time.monotonic()
        await user.send("/help")  # answered while the broadcast has seconds to go
        assert "Help" in user.last_text() or user.last_text()
        answered = time.monotonic()
        still_sending = sum(bool(received(fake_telegram, u)) for u in recipients) < 100
        await admin.send("/broadcast_cancel")
        await broadcaster.wait(1)
    assert still_sending
    assert answered - started < 4  # far less than the broadcast's four seconds


async def test_two_broadcasts_at_once_share_the_rate(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await plain_users(sessions, [FIRST + i for i in range(40)], language="en")
    await plain_users(sessions, [FIRST + 100 + i for i in range(40)], language="ru")
    fake_telegram.limit(30)
    admin = admin_chat(fake_telegram)
    async with running(settings, sessions, fake_telegram, rate=30) as broadcaster:
        for language, label in (("en", "English"), ("ru", "Русский")):
            await admin.send(f"/broadcast For {language}")
            await admin.click("🗣 Language")
            await admin.click(label)
            await admin.click("✔ Done")
            await admin.click("✅ Send to")
        for broadcast_id in (1, 2):
            await broadcaster.wait(broadcast_id)
    for user_id in [FIRST + i for i in range(40)] + [FIRST + 100 + i for i in range(40)]:
        assert len(received(fake_telegram, user_id)) == 1
    # Two senders at 30/s each would draw dozens; a few come from arrival jitter on a
    # busy machine (Telegram counts on its own clock).
    assert fake_telegram.flood_errors <= 5


async def test_a_chatty_user_neither_stalls_a_broadcast_nor_loses_an_answer(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """Telegram's limits on (30/s, and one a second per chat after a short burst): one of
    the recipients sends two commands a second while a broadcast runs at L = 30/s."""
    recipients = [FIRST + i for i in range(150)]
    await plain_users(sessions, recipients)
    chatty = TgUser(FIRST + 75, "Chatty", language_code="en")  # their copy comes mid-way
    fake_telegram.add_user(chatty)
    fake_telegram.limit(30, per_chat=True)
    admin = admin_chat(fake_telegram)
    commands = ["/help", "/settings"]
    sent: list[str] = []
    async with running(settings, sessions, fake_telegram, rate=30) as broadcaster:
        await admin.send("/broadcast News for everyone")
        await admin.click("✅ Send to 151 users")
        while not await _finished(fake_telegram) and len(sent) < 40:
            sent.append(commands[len(sent) % 2])
            fake_telegram.push_message(chatty, sent[-1])
            await asyncio.sleep(0.5)  # two commands a second for the whole broadcast
        await broadcaster.wait(1)

        def answers() -> list[str]:
            texts = [m.get("text", "") for m in received(fake_telegram, chatty.id)]
            return [
                "/settings" if text.startswith("⚙️ Settings") else "/help"
                for text in texts
                if text != "News for everyone"
            ]

        await fake_telegram.wait_for(lambda: len(answers()) >= len(sent), timeout=len(sent) + 10)
    assert len(sent) >= 8  # the user was busy for the whole broadcast
    assert answers() == sent  # every answer, once, in order
    copies: list[float] = []
    for user_id in recipients:
        texts = [m.get("text") for m in received(fake_telegram, user_id)]
        assert texts.count("News for everyone") == 1
        accepted = [t for t, chat in fake_telegram.accepted_sends if chat == user_id]
        copies.append(accepted[texts.index("News for everyone")])
    copies.sort()
    rate = (len(copies) - 1) / (copies[-1] - copies[0])
    # Before, this user held the broadcast to ~0.07 of L. The 0.90 target itself is checked
    # in virtual time (tests/kernel/test_limiter.py) and measured by bench/broadcast.py; here, on a
    # machine that may be busy with other work (0.75 of L was once missed by a hair), a wide
    # margin that still tells the two designs apart sevenfold keeps the check honest.
    assert rate >= 0.5 * 30, f"{rate:.1f} messages a second"
    assert fake_telegram.flood_errors <= 3  # spaced under the limits, not fired into 429s


async def _finished(fake: FakeTelegram) -> bool:
    return any(
        "Broadcast #" in str(m.get("text", "")) and "finished" in str(m.get("text", ""))
        for m in fake.chat_messages(ADMIN_ID)
    )
