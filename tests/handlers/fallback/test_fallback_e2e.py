"""The catch-all: what no other handler takes gets a hint and the menu, a press nobody
expects gets an alert in the presser's language, and nothing from a group is answered."""

from __future__ import annotations

from sqlalchemy import select

from bot import users
from bot.handlers.broadcasts.callbacks import BroadcastAction, BroadcastPress
from bot.handlers.events.callbacks import EventAdminAction, EventAdminPress
from bot.handlers.moderation.callbacks import AdminAction, AdminPress
from bot.handlers.stats.callbacks import StatsAction, StatsPress
from bot.navigation import MenuAction, MenuPress
from db.engine import Sessions, reading
from db.models import User
from testing.conversation import Conversation
from testing.fake_bot_api import FakeTelegram, TgUser
from testing.i18n import tr
from tests.conftest import ADMIN_ID
from tests.directory_helpers import make_org

NOT_UNDERSTOOD = "I did not understand that. Please use the menu below or send /help."
STALE = "This button is out of date. Please use the latest message."
ADMINS_ONLY = "Only administrators can do this."
MEMBER_MENU = "🏠 Main menu. What would you like to do?"
GROUP = -1009876543210

# Admins' buttons of four features, as a forger (or a former admin) would press them.
ADMIN_PRESSES = (
    AdminPress(action=AdminAction.BAN, item=1).pack(),
    BroadcastPress(action=BroadcastAction.SEND, item=1).pack(),
    EventAdminPress(action=EventAdminAction.DONE, item=1).pack(),
    StatsPress(action=StatsAction.CHART).pack(),
)


def _inaccessible(message_id: int, chat_id: int) -> dict[str, object]:
    """A message as Telegram sends it once it is no longer accessible (date 0)."""
    return {"message_id": message_id, "date": 0, "chat": {"id": chat_id, "type": "private"}}


async def _press(fake: FakeTelegram, chat: Conversation, message_id: int, data: str) -> str:
    """Press `data` on the chat's message `message_id`; the alert it got."""
    before = len(chat.alerts)
    await fake.wait_handled(fake.push_callback(chat.user, message_id, data))
    assert len(chat.alerts) == before + 1, data
    assert fake.answers_for(chat.user.id)[-1].show_alert, data
    return chat.alerts[-1]


async def test_stray_text_and_unknown_commands_get_the_hint_and_the_menu(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await make_org(sessions, 8201, language="kk", name="Hope")
    chat = Conversation(running_bot, TgUser(8201, "Dana", language_code="ru"))
    for stray in ("сәлем", "/whatever", "https://example.org"):
        actions = await chat.send(stray, expect=2)
        assert len(actions) == 2, stray
        assert chat.texts()[-2:] == [tr("kk", NOT_UNDERSTOOD), tr("kk", MEMBER_MENU)], stray
        assert tr("kk", "👤 My profile") in chat.last_buttons()

    # An admin's unknown command is not taken for an admin command.
    await users.touch_user(sessions, ADMIN_ID, "Admin", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "en")
    admin = Conversation(running_bot, TgUser(ADMIN_ID, "Admin", language_code="ru"))
    await admin.send("/statistics", expect=2)
    assert admin.texts()[-2] == tr("en", NOT_UNDERSTOOD)


async def test_stale_and_forged_presses_get_an_alert_in_the_pressers_language(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await make_org(sessions, 8202, language="hy", name="Hope")
    chat = Conversation(running_bot, TgUser(8202, "Ani", language_code="en"))
    await chat.send("/menu")
    menu = chat.last_message()
    assert menu is not None
    screen = (menu["text"], menu["reply_markup"])

    for forged in (
        "garbage",
        "m:nowhere",
        "zz:1:2:3",
        MenuPress(action=MenuAction.HOME).pack()[:-1],
    ):
        assert await _press(running_bot, chat, menu["message_id"], forged) == tr("hy", STALE)
    # The admins' buttons of four features, pressed by someone who is not an admin.
    for data in ADMIN_PRESSES:
        assert await _press(running_bot, chat, menu["message_id"], data) == tr("hy", ADMINS_ONLY)
    # A menu button on a message Telegram no longer sends (too old): out of date.
    home = MenuPress(action=MenuAction.HOME).pack()
    gone = _inaccessible(menu["message_id"], chat.chat_id)
    await running_bot.wait_handled(running_bot.push_press_on(chat.user, gone, home))
    assert chat.alerts[-1] == tr("hy", STALE)
    assert running_bot.method_calls("editMessageText") == []
    assert (menu["text"], menu["reply_markup"]) == screen
    assert running_bot.unanswered_callbacks == []


async def test_an_admins_press_on_a_message_gone_is_out_of_date_not_refused(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    """The admin routers let a press on a message Telegram no longer sends fall through;
    the catch-all says it is out of date, not "administrators only". (Moderation's and
    broadcasts' presses are answered by their own routers.)"""
    await users.touch_user(sessions, ADMIN_ID, "Admin", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "ky")
    admin = Conversation(running_bot, TgUser(ADMIN_ID, "Admin", language_code="en"))
    await admin.send("/menu")
    message = _inaccessible(admin.messages()[-1]["message_id"], admin.chat_id)
    for data in ADMIN_PRESSES[2:]:  # the events wizard's and /stats' presses
        before = len(admin.alerts)
        await running_bot.wait_handled(running_bot.push_press_on(admin.user, message, data))
        assert admin.alerts[before:] == [tr("ky", STALE)], data
    assert tr("ky", ADMINS_ONLY) not in admin.alerts
    assert running_bot.unanswered_callbacks == []


async def test_nothing_said_or_pressed_in_a_group_is_answered(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    """Stray words, a sticker and a press in a supergroup: no hint there, no alert, and the
    sender is not even recorded as a user (commands in a group are tried in
    tests/kernel/test_hostile_e2e.py)."""
    person = TgUser(8203, "Lurker", language_code="ru")
    group_message = {
        "message_id": 1,
        "chat": {"id": GROUP, "type": "supergroup", "title": "NGO chat"},
        "date": 0,
        "text": "menu",
    }
    updates = [
        running_bot.push_message(person, "привет, бот", chat_id=GROUP),
        running_bot.push_sticker(person, chat_id=GROUP),
        running_bot.push_press_on(person, group_message, MenuPress(action=MenuAction.HOME).pack()),
    ]
    for update in updates:
        await running_bot.wait_handled(update)
    assert running_bot.chat_messages(GROUP) == []
    assert running_bot.chat_messages(person.id) == []
    assert running_bot.answers_for(person.id) == []
    async with reading(sessions) as session:
        assert await session.scalar(select(User).where(User.id == person.id)) is None
    # The same words in private reach the catch-all.
    await users.touch_user(sessions, person.id, "Lurker", None, is_admin=False)
    chat = Conversation(running_bot, person)
    await chat.send("привет, бот", expect=2)
    assert tr("ru", NOT_UNDERSTOOD) in chat.texts()
