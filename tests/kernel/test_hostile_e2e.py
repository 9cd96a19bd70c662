"""Updates from people being odd end quietly: a user who blocked the bot between a command
and its answer, group and channel messages, a flood in a group."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from db.engine import Sessions, reading
from db.models import User
from tests.conversation import Conversation
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser, inline_buttons

GROUP = -1001234567890


async def _user_row(sessions: Sessions, user_id: int) -> User | None:
    async with reading(sessions) as session:
        return await session.scalar(select(User).where(User.id == user_id))


async def test_a_user_who_blocked_the_bot_before_the_reply_is_marked_inactive_quietly(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = TgUser(7301, "Aigerim", language_code="kk")
    bot, dp = create_bot(settings), create_dispatcher(settings, sessions)
    async with polling(dp, bot, fake_telegram):
        chat = Conversation(fake_telegram, user)
        await chat.send("/start")
        fake_telegram.blocked.add(user.id)  # blocks the bot; /help is already on its way
        caplog.clear()
        caplog.set_level(logging.INFO, logger="bot")
        update = fake_telegram.push_message(user, "/help")
        await fake_telegram.wait_handled(update)
    row = await _user_row(sessions, user.id)
    assert row is not None and row.is_active is False
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in caplog.records if r.exc_info]  # one line, no traceback
    assert any("cannot be written to" in r.getMessage() for r in caplog.records)


async def test_group_messages_reach_nothing(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """40 commands in a supergroup (channel posts are not even asked for): no answer there, no flood notice, no user row, and the
    sender's private allowance is untouched."""
    settings = settings.model_copy(update={"throttle": "5/minute"})
    member = TgUser(7302, "Lurker", language_code="ru")
    bot, dp = create_bot(settings), create_dispatcher(settings, sessions)
    async with polling(dp, bot, fake_telegram):
        last = 0
        for _ in range(40):
            last = fake_telegram.push_message(
                member, f"/help@{fake_telegram.bot_username}", chat_id=GROUP
            )
        await fake_telegram.wait_handled(last)
        assert fake_telegram.chat_messages(GROUP) == []
        assert await _user_row(sessions, member.id) is None
        # In private, the full allowance is there: five updates, five answers.
        chat = Conversation(fake_telegram, member)
        await chat.send("/start")
        for _ in range(4):
            await chat.send("/help", expect=1)
        assert all("⏳" not in text for text in chat.texts())
    row = await _user_row(sessions, member.id)
    assert row is not None


async def test_ticking_on_a_question_the_user_deleted_shows_it_again(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The edit meets "message to edit not found": the question comes again, with the tick,
    and nothing is logged as an error (the suite's guard checks too)."""
    user = TgUser(7303, "Nurlan", language_code="en")
    bot, dp = create_bot(settings), create_dispatcher(settings, sessions)
    async with polling(dp, bot, fake_telegram):
        chat = Conversation(fake_telegram, user)
        await chat.send("/start")
        await chat.click("English", expect=2)
        await chat.send("Steppe Fund")
        await chat.click("🇰🇿 Kazakhstan")
        await chat.send("Almaty")
        question = chat.messages()[-1]
        assert "focus areas" in question["text"]
        button = next(
            b for b in inline_buttons(question["reply_markup"]) if b["text"] == "Education"
        )
        fake_telegram.delete_by_user(user.id, question["message_id"])
        update = fake_telegram.push_press_on(user, question, str(button["callback_data"]))
        await fake_telegram.wait_handled(update)
    again = chat.messages()[-1]
    assert again["message_id"] != question["message_id"] and "focus areas" in again["text"]
    assert "✅ Education" in [b["text"] for b in inline_buttons(again["reply_markup"])]
    assert fake_telegram.unanswered_callbacks == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
