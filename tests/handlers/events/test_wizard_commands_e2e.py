"""Commands inside the admins' event wizard: a command is never taken as the answer to a
step. /menu (or any other command) leaves the wizard and does what it does anywhere, and the
words typed next are not an answer; /help is answered inside; /cancel stops it. Leaving an
edit changes nothing of the published event."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.handlers.events import drafts
from db.engine import Sessions, reading
from db.models import Event
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock
from tests.event_helpers import NOW, event_bot, published
from tests.fake_telegram import FakeTelegram, TgUser

pytestmark = pytest.mark.databases("sqlite", "postgresql")

MENU = "🏠 Main menu"
NOT_UNDERSTOOD = "I did not understand that. Please use the menu below or send /help."
TITLE_STEP = "step 2 of 11"
STALE = "This button is out of date. Please use the latest message."


async def _events(sessions: Sessions) -> int:
    async with reading(sessions) as session:
        return int(await session.scalar(select(func.count()).select_from(Event)) or 0)


async def test_menu_at_the_title_step_shows_the_menu_and_no_event_is_titled_menu(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await admin.send("/event_new")
        wizard = admin.messages()[-1]["message_id"]
        await admin.click("Webinar")
        assert TITLE_STEP in admin.last_text()
        await admin.send("/menu")
        assert admin.last_text().startswith(MENU)  # the menu, not "✓ /menu"
        assert "/menu" not in admin.last_text()
        assert "📅 Events" in admin.last_buttons()
        await admin.send("Measuring impact")  # the wizard is left: not a title
        assert admin.texts()[-2] == NOT_UNDERSTOOD
        await admin.click("« Back", message_id=wizard)  # the old wizard's buttons are stale
        assert admin.alerts[-1] == STALE
        await admin.send("/event_new")  # a new wizard starts afresh
        assert "step 1 of 11" in admin.last_text()
        await admin.click("Webinar")
        await admin.send("Measuring impact")
        assert "step 3 of 11" in admin.last_text()
    assert await _events(sessions) == 0  # nothing stored, least of all "/menu"


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("/events", "No upcoming events yet."),
        ("/settings", "⚙️"),
        ("/events_admin", "No drafts, scheduled or upcoming events."),
    ],
)
async def test_another_command_in_the_wizard_does_what_it_does_anywhere(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    command: str,
    shown: str,
) -> None:
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await admin.send("/event_new")
        await admin.click("Webinar")
        await admin.send(command)
        assert shown in admin.last_text()
        assert "✓" not in admin.last_text()
        await admin.send("Measuring impact")
        assert admin.texts()[-2] == NOT_UNDERSTOOD
    assert await _events(sessions) == 0


async def test_help_stays_in_the_wizard_and_cancel_stops_it(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await admin.send("/event_new")
        wizard = admin.messages()[-1]["message_id"]
        await admin.click("Webinar")
        await admin.send("/help")
        await admin.send("Measuring impact")  # still the title
        assert "step 3 of 11" in admin.last_text()
        await admin.send("/cancel")
        assert admin.texts()[-2] == "Cancelled."
        assert admin.last_text().startswith(MENU)
        await admin.send("Two hours on indicators.")
        assert admin.texts()[-2] == NOT_UNDERSTOOD
        await admin.click("« Back", message_id=wizard)
        assert admin.alerts[-1] == STALE
    assert await _events(sessions) == 0


async def test_a_command_leaves_an_edit_and_the_published_event_is_unchanged(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    event_id = await published(sessions)
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await admin.send("/events_admin")
        await admin.click(f"✏️ #{event_id}")
        for _ in range(8):  # back to when it starts, a typed step
            await admin.click("« Back")
        assert "When does it start?" in admin.last_text()
        await admin.send("/menu")
        assert admin.last_text().startswith(MENU)
        await admin.send("/events_admin")  # the list, as ever
        assert f"✏️ #{event_id}" in admin.last_buttons()
    info = await drafts.load(sessions, event_id)
    assert info is not None and info.status == "published"
    assert info.draft.title == "Measuring impact <for real>"
    assert await _events(sessions) == 1
