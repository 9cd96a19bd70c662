"""Each chat's menu button opens the Mini App in the user's language, labelled in it, once
they have one; chats not yet seen keep the default button; nothing without WEBAPP_URL."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.languages import LANGUAGES
from db.engine import Sessions
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org
from tests.fake_telegram import JSON, FakeTelegram, TgUser
from tests.i18n_helpers import tr
from tests.webapp_helpers import WEBAPP_URL, mini_app

pytestmark = pytest.mark.databases("sqlite")

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
NEW, KNOWN = 720, 721


def _chat_buttons(fake: FakeTelegram, chat_id: int) -> list[JSON]:
    return [
        call["menu_button"]
        for call in fake.method_calls("setChatMenuButton")
        if call.get("chat_id") == chat_id
    ]


def _button(language: str) -> JSON:
    return {
        "type": "web_app",
        "text": tr(language, "🗂 Directory"),
        "web_app": {"url": f"{WEBAPP_URL}/?lang={language}"},
    }


async def test_the_menu_button_follows_the_users_language(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, KNOWN, language="ky")
    newcomer = Conversation(fake_telegram, TgUser(NEW, "Aru", language_code="kk"))
    known = Conversation(fake_telegram, TgUser(KNOWN, "Bek", language_code="ru"))
    async with mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)):
        [default] = fake_telegram.method_calls("setChatMenuButton")
        assert "chat_id" not in default  # everyone not yet seen: the default language
        assert default["menu_button"] == _button(settings.default_language)
        await newcomer.send("/start")  # the language picker: no language yet, no button
        assert _chat_buttons(fake_telegram, NEW) == []
        await newcomer.click(LANGUAGES["kk"])
        assert await fake_telegram.wait_for(lambda: _chat_buttons(fake_telegram, NEW)) == [
            _button("kk")
        ]
        assert tr("kk", "🗂 Directory") != tr("hy", "🗂 Directory")
        await newcomer.send("/language")
        await newcomer.click(LANGUAGES["hy"])
        assert _chat_buttons(fake_telegram, NEW)[-1] == _button("hy")
        await known.send("/start")  # in their stored language, not Telegram's
        assert tr("ky", "🏠 Main menu. What would you like to do?") in known.last_text()
        buttons = await fake_telegram.wait_for(lambda: _chat_buttons(fake_telegram, KNOWN))
        assert buttons == [_button("ky")]
        assert fake_telegram.menu_buttons[KNOWN] == _button("ky")
        assert fake_telegram.menu_buttons[None] == _button(settings.default_language)


async def test_a_chat_refusing_its_menu_button_is_no_error(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await make_org(sessions, KNOWN, language="hy")
    known = Conversation(fake_telegram, TgUser(KNOWN, "Bek", language_code="hy"))
    async with mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)):
        fake_telegram.fail_next("setChatMenuButton", 403, "Forbidden: bot was blocked by the user")
        with caplog.at_level(logging.INFO, logger="bot.handlers.webapp.server"):
            await known.send("/start")
            await fake_telegram.wait_for(lambda: _chat_buttons(fake_telegram, KNOWN))
            await known.send("/menu")  # the bot carries on
        assert tr("hy", "🏠 Main menu. What would you like to do?") in known.last_text()
        [refused] = [r for r in caplog.records if "menu button of chat" in r.getMessage()]
        assert refused.levelno == logging.INFO
        assert "blocked" in refused.getMessage()
        assert KNOWN not in fake_telegram.menu_buttons  # the default one stays


async def test_no_menu_button_without_webapp_url(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    assert settings.webapp_url is None
    await make_org(sessions, KNOWN, language="kk")
    newcomer = Conversation(fake_telegram, TgUser(NEW, "Aru", language_code="kk"))
    known = Conversation(fake_telegram, TgUser(KNOWN, "Bek", language_code="kk"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await newcomer.send("/start")
        await newcomer.click(LANGUAGES["kk"])
        await known.send("/start")
        await known.send("/menu")  # handled after /start's last call
        assert tr("kk", "🏠 Main menu. What would you like to do?") in known.last_text()
    assert fake_telegram.method_calls("setChatMenuButton") == []
