"""The catch-all: what no feature took is answered, and a press of a kind an admin feature
marks AdminsOnly, by anyone else, is said to be for the administrators (fallback imports
none of those features)."""

from __future__ import annotations

from bot.handlers.broadcasts.callbacks import BroadcastAction, BroadcastPress
from bot.handlers.events.callbacks import EventAdminAction, EventAdminPress
from bot.handlers.moderation.callbacks import AdminAction, AdminPress
from bot.handlers.stats.callbacks import StatsAction, StatsPress
from tests.conversation import Conversation
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

ADMINS_ONLY = "Only administrators can do this."
OUT_OF_DATE = "This button is out of date. Please use the latest message."


async def _press(fake: FakeTelegram, chat: Conversation, data: str) -> str:
    update_id = fake.push_callback(chat.user, chat.messages()[-1]["message_id"], data)
    await fake.wait_handled(update_id)
    return chat.alerts[-1]


async def test_a_strangers_admin_presses_are_for_administrators_and_the_rest_out_of_date(
    running_bot: FakeTelegram,
) -> None:
    stranger = Conversation(running_bot, TgUser(6101, "Eve", language_code="en"))
    await stranger.send("hello", expect=2)
    not_understood = "I did not understand that. Please use the menu below or send /help."
    assert stranger.texts()[-2] == tr("en", not_understood)  # then the main menu
    assert stranger.messages()[-1]["reply_markup"]["inline_keyboard"]
    for kind in (
        StatsPress(action=StatsAction.VIEW),
        BroadcastPress(action=BroadcastAction.SEND),
        AdminPress(action=AdminAction.BAN, item=1),
        EventAdminPress(action=EventAdminAction.CANCEL, item=1),
    ):
        assert await _press(running_bot, stranger, kind.pack()) == tr("en", ADMINS_ONLY)
    # An admin prefix on data that is none of those kinds, or nobody's prefix: out of date.
    for forged in ("adm:forged:1", "sta:nowhere", "zz:1"):
        assert await _press(running_bot, stranger, forged) == tr("en", OUT_OF_DATE)
