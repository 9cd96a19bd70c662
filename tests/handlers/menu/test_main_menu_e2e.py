"""The main menu as each kind of user sees it, in their language, and the ways back to it."""

from __future__ import annotations

from bot import users
from bot.handlers.team import membership
from db.engine import Sessions
from testing.conversation import Conversation
from testing.fake_bot_api import FakeTelegram, TgUser
from testing.i18n import tr
from tests.conftest import ADMIN_ID
from tests.directory_helpers import FrozenClock, make_org

NEWCOMER_MENU = (
    "🏠 Main menu. Fill in the questionnaire about your organisation to appear in the "
    "directory and get partner suggestions."
)
MEMBER_MENU = "🏠 Main menu. What would you like to do?"


def _rows(language: str, *, has_profile: bool) -> list[list[str]]:
    """The main menu's buttons, row by row, as `language` says them."""
    t = {
        key: tr(language, msgid)
        for key, msgid in {
            "search": "🔎 Find partners",
            "suggest": "⭐ Suggested for you",
            "profile": "👤 My profile",
            "onboard": "📝 Fill in the questionnaire",
            "inbox": "📨 Contact requests",
            "events": "📅 Events",
            "post": "📣 Offer or seek",
            "find": "📣 Calls and offers",
            "settings": "⚙️ Settings",
            "help": "❓ Help",
        }.items()
    }
    if has_profile:
        return [
            [t["search"], t["suggest"]],
            [t["profile"], t["inbox"]],
            [t["events"], t["post"]],  # members post what their organisation offers
            [t["find"]],  # and find what others post
            [t["settings"], t["help"]],
        ]
    return [[t["search"]], [t["onboard"]], [t["events"]], [t["find"]], [t["settings"], t["help"]]]


async def test_a_newcomer_a_member_a_colleague_and_an_admin_each_see_their_menu(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    # A newcomer who chose Kazakh and has not filled in the questionnaire.
    await users.touch_user(sessions, 8101, "Aigerim", None, is_admin=False)
    await users.set_language(sessions, 8101, "kk")
    newcomer = Conversation(running_bot, TgUser(8101, "Aigerim", language_code="ru"))
    await newcomer.send("/menu")
    assert newcomer.last_text() == tr("kk", NEWCOMER_MENU)
    assert newcomer.last_button_rows() == _rows("kk", has_profile=False)

    # A member of the network (their organisation is saved), in Armenian.
    await make_org(sessions, 8102, language="hy", name="Hope")
    member = Conversation(running_bot, TgUser(8102, "Ani", language_code="en"))
    await member.send("/menu")
    assert member.last_text() == tr("hy", MEMBER_MENU)
    assert member.last_button_rows() == _rows("hy", has_profile=True)

    # A colleague who joined that organisation by a link (a member, not an owner): the same.
    now = FrozenClock().now()
    token, _ = await membership.create_invite(sessions, 8102, now)
    await users.touch_user(sessions, 8105, "Aram", None, is_admin=False)
    await users.set_language(sessions, 8105, "en")
    await membership.join(sessions, 8105, token, now)
    colleague = Conversation(running_bot, TgUser(8105, "Aram", language_code="hy"))
    await colleague.send("/menu")
    assert colleague.last_text() == tr("en", MEMBER_MENU)
    assert colleague.last_button_rows() == _rows("en", has_profile=True)

    # An admin gets no button of their own in the menu: their tools are commands. Without
    # a profile of their own, they are invited to the questionnaire like anyone else.
    admin = Conversation(running_bot, TgUser(ADMIN_ID, "Admin", language_code="ru"))
    await admin.send("/menu")
    assert admin.last_text() == tr("ru", NEWCOMER_MENU)
    assert admin.last_button_rows() == _rows("ru", has_profile=False)
    await make_org(sessions, ADMIN_ID, language="ru", name="Network")
    await admin.send("/menu")
    assert admin.last_text() == tr("ru", MEMBER_MENU)
    assert admin.last_button_rows() == _rows("ru", has_profile=True)


async def test_help_and_back_to_the_menu_change_the_same_message(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await make_org(sessions, 8103, language="ky", name="Hope")
    chat = Conversation(running_bot, TgUser(8103, "Bakyt", language_code="ky"))
    await chat.send("/menu")
    menu = chat.last_message()
    assert menu is not None

    await chat.click(tr("ky", "❓ Help"))
    shown = chat.last_message()
    assert shown is not None and shown["message_id"] == menu["message_id"]  # edited in place
    assert "/mydata" in chat.last_text() and "/profile" in chat.last_text()
    assert chat.last_button_rows() == [[tr("ky", "🏠 Main menu")]]

    await chat.click(tr("ky", "🏠 Main menu"))
    back = chat.last_message()
    assert back is not None and back["message_id"] == menu["message_id"]
    assert chat.last_text() == tr("ky", MEMBER_MENU)
    assert chat.last_button_rows() == _rows("ky", has_profile=True)
    assert len(chat.messages()) == 1  # nothing piled up in the chat


async def test_help_sent_as_a_command_offers_the_way_back_and_cancel_leads_to_the_menu(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await users.touch_user(sessions, 8104, "Lusine", None, is_admin=False)
    await users.set_language(sessions, 8104, "hy")
    chat = Conversation(running_bot, TgUser(8104, "Lusine", language_code="hy"))

    await chat.send("/help")
    assert "/start" in chat.last_text()
    assert chat.last_button_rows() == [[tr("hy", "🏠 Main menu")]]
    await chat.click(tr("hy", "🏠 Main menu"))
    assert chat.last_text() == tr("hy", NEWCOMER_MENU)

    # /cancel with nothing to cancel says so, then shows the menu as a new message.
    await chat.send("/cancel", expect=2)
    assert chat.texts()[-2:] == [tr("hy", "There is nothing to cancel."), tr("hy", NEWCOMER_MENU)]
    assert chat.last_button_rows() == _rows("hy", has_profile=False)
