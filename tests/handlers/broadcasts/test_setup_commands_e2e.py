"""Commands while a broadcast is being set up: /help is answered and the setup stays;
/menu (or any other command) leaves it, shows what it shows anywhere (a menu whose buttons
work), and the old setup screen sends nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.handlers.broadcasts.callbacks import BroadcastAction, BroadcastPress
from db.engine import Sessions, reading
from db.models import Broadcast
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser

pytestmark = pytest.mark.databases("sqlite", "postgresql")


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("/menu", "🏠 Main menu"),
        ("/events", "No upcoming events yet."),
    ],
)
async def test_a_command_leaves_the_setup_and_its_screen_sends_nothing(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    command: str,
    shown: str,
) -> None:
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=FrozenClock())
    async with polling(dp, bot, fake_telegram):
        await admin.send("/broadcast Hello")
        panel = admin.messages()[-1]["message_id"]
        await admin.send("/help")  # answered inside: the setup's buttons still work
        await admin.click("🌍 Country", message_id=panel)
        assert "🇰🇿 Kazakhstan" in admin.last_buttons()
        await admin.send(command)
        assert admin.last_text().startswith(shown)
        assert "I did not understand" not in admin.texts()[-2]
        await admin.send("/menu")
        await admin.click("⚙️ Settings")  # the menu works: no wizard state in the way
        assert "⚙️" in admin.last_text()
        send = BroadcastPress(action=BroadcastAction.SEND)
        update_id = fake_telegram.push_callback(admin.user, panel, send.pack())
        await fake_telegram.wait_handled(update_id)
        assert "no longer being prepared" in (fake_telegram.answers_for(ADMIN_ID)[-1].text or "")
    async with reading(sessions) as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 0
