"""Command menus per language, the main menu, settings and the admin command."""

from __future__ import annotations

from bot import users
from bot.handlers.onboarding import profiles
from bot.languages import LANGUAGES
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.db.test_database import ANSWERS
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr, trn


def _descriptions(fake: FakeTelegram, key: tuple[str, int | None, str | None]) -> dict[str, str]:
    return {c["command"]: c["description"] for c in fake.commands[key]}


async def test_command_menus_per_language_and_for_admins(running_bot: FakeTelegram) -> None:
    for language in LANGUAGES:
        menu = _descriptions(running_bot, ("default", None, language))
        assert menu["help"] == tr(language, "Help")
        assert menu["language"] == tr(language, "Change the language")
        assert "stats" not in menu
    assert _descriptions(running_bot, ("default", None, None))["help"] == tr("ru", "Help")
    admin_menu = _descriptions(running_bot, ("chat", ADMIN_ID, None))
    assert admin_menu["stats"] == tr("ru", "Network statistics")

    # Choosing a language sets this chat's menu in it.
    chat = Conversation(running_bot, TgUser(5001, "Ashot", language_code="ru"))
    await chat.send("/start")
    await chat.click(LANGUAGES["hy"])
    assert _descriptions(running_bot, ("chat", 5001, None))["help"] == tr("hy", "Help")
    assert "stats" not in _descriptions(running_bot, ("chat", 5001, None))


async def test_main_menu_settings_and_language_have_no_dead_ends(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await users.touch_user(sessions, 5002, "Olga", None, is_admin=False)
    await users.set_language(sessions, 5002, "ru")
    await profiles.save_profile(sessions, 5002, ANSWERS)
    chat = Conversation(running_bot, TgUser(5002, "Olga", language_code="ru"))

    await chat.send("/start")  # onboarded: straight to the menu
    assert tr("ru", "🏠 Main menu. What would you like to do?") in chat.last_text()
    await chat.click(tr("ru", "👤 My profile"))
    assert "Fund <Hope>" in chat.last_text()
    assert "@fund_kz" in chat.last_text()  # the owner sees their own contact
    await chat.click(tr("ru", "🏠 Main menu"))
    await chat.click(tr("ru", "⚙️ Settings"))
    assert "Русский" in chat.last_text()
    await chat.click(tr("ru", "🌐 Change language"))
    await chat.click(LANGUAGES["ky"])
    assert tr("ky", "🏠 Main menu. What would you like to do?") in chat.last_text()
    await chat.click(tr("ky", "❓ Help"))
    await chat.click(tr("ky", "🏠 Main menu"))
    await chat.send("/settings")
    assert "Кыргызча" in chat.last_text()
    await chat.send("/cancel")
    assert tr("ky", "There is nothing to cancel.") in chat.texts()


async def test_stats_for_admins_only(running_bot: FakeTelegram, sessions: Sessions) -> None:
    for user_id in (6001, 6002):
        await users.touch_user(sessions, user_id, "U", None, is_admin=False)
        await profiles.save_profile(sessions, user_id, ANSWERS)

    stranger = Conversation(running_bot, TgUser(6003, "Eve", language_code="en"))
    await stranger.send("/stats")
    assert tr("en", "That command is for the network's administrators.") in stranger.texts()
    assert "KZ" not in " ".join(stranger.texts())

    admin = Conversation(running_bot, TgUser(ADMIN_ID, "Admin", language_code="en"))
    await admin.send("/stats")
    text = admin.last_text()
    assert trn("en", "{n} organisation", "{n} organisations", 2) in text
    assert trn("en", "{n} user", "{n} users", 4) in text
    assert "🇰🇿 " + tr("en", "Kazakhstan") + ": 2" in text
