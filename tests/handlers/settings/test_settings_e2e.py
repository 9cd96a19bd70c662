"""/settings: each switch toggles and the screen is redrawn in place, a time zone is chosen
from the picker (or the picker left), and forged values are refused without a change."""

from __future__ import annotations

from sqlalchemy import select

from bot.handlers.settings.callbacks import SettingsAction, SettingsPress
from db.engine import Sessions, reading
from db.models import User
from testing.conversation import Conversation
from testing.fake_bot_api import FakeTelegram, TgUser
from testing.i18n import tr
from tests.directory_helpers import make_org

STALE = "This button is out of date. Please use the latest message."
NOT_UNDERSTOOD = "I did not understand that. Please use the menu below or send /help."


async def _stored(
    sessions: Sessions, user_id: int
) -> tuple[bool, bool, str | None, list[str] | None]:
    """What the user's settings are in the database: announcements, digest, zone, kinds."""
    async with reading(sessions) as session:
        user = await session.scalar(select(User).where(User.id == user_id))
        assert user is not None
        return user.events_on, user.digest_on, user.time_zone, user.event_kinds


async def test_each_switch_toggles_and_the_screen_is_redrawn_in_place(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await make_org(sessions, 8301, language="ru", name="Hope")
    chat = Conversation(running_bot, TgUser(8301, "Olga", language_code="ru"))
    await chat.send("/settings")
    screen = chat.last_message()
    assert screen is not None
    assert tr("ru", "📅 Event announcements: {state}", state=tr("ru", "on")) in chat.last_text()
    assert chat.last_button_rows()[:2] == [
        [tr("ru", "🔔 Event announcements: on")],
        [tr("ru", "📰 Weekly digest: on")],
    ]

    switches = (
        ("🔔 Event announcements: on", "🔕 Event announcements: off", (False, True)),
        ("🔕 Event announcements: off", "🔔 Event announcements: on", (True, True)),
        ("📰 Weekly digest: on", "📰 Weekly digest: off", (True, False)),
        ("📰 Weekly digest: off", "📰 Weekly digest: on", (True, True)),
        ("📣 Partner calls: on", "📣 Partner calls: off", (True, True)),
    )
    for pressed, shown, stored in switches:
        await chat.click(tr("ru", pressed))
        assert tr("ru", shown) in chat.last_buttons(), pressed
        assert (await _stored(sessions, 8301))[:2] == stored, pressed
        last = chat.last_message()
        assert last is not None and last["message_id"] == screen["message_id"], pressed
    async with reading(sessions) as session:
        assert await session.scalar(select(User.partner_calls_on).where(User.id == 8301)) is False
    await chat.click(tr("ru", "📣 Partner calls: off"))
    assert tr("ru", "📣 Partner calls: on") in chat.last_buttons()
    state = tr("ru", "on")
    assert tr("ru", "📅 Event announcements: {state}", state=state) in chat.last_text()
    assert len(chat.messages()) == 1  # one screen, redrawn each time

    # A kind of events unticked in its picker, which is redrawn in place too; Done returns.
    await chat.click(tr("ru", "📅 Kinds of events"))
    assert tr("ru", "📅 Which kinds of events should we announce to you?") in chat.last_text()
    ticked = [b for b in chat.last_buttons() if b.startswith("✅ ")]
    assert len(ticked) == 5  # none chosen yet: all kinds
    await chat.click(ticked[0])
    assert ticked[0] not in chat.last_buttons() and ticked[0][2:] in chat.last_buttons()
    await chat.click(tr("ru", "✔ Done"))
    settings_screen = tr("ru", "⚙️ Settings\n\nLanguage: {language}").format(language="Русский")
    assert chat.last_text().startswith(settings_screen)
    assert len((await _stored(sessions, 8301))[3] or []) == 4
    assert len(chat.messages()) == 1


async def test_a_time_zone_is_chosen_in_the_picker_and_back_leaves_it_as_it_was(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await make_org(sessions, 8302, language="hy", name="Hope", country="AM")
    chat = Conversation(running_bot, TgUser(8302, "Ani", language_code="hy"))
    await chat.send("/settings")
    assert tr("hy", "Time zone: {zone}", zone="Asia/Yerevan") in chat.last_text()

    await chat.click(tr("hy", "🕒 Time zone"))
    assert "✅ Asia/Yerevan" in chat.last_buttons()  # the country's zone, ticked
    await chat.click("Europe/Moscow")
    answer = running_bot.answers_for(8302)[-1]
    assert answer.text == tr(
        "hy", "🕒 Time zone: {zone}. Dates are shown in it from now on.", zone="Europe/Moscow"
    )
    assert not answer.show_alert  # a passing note, not an alert to dismiss
    assert tr("hy", "Time zone: {zone}", zone="Europe/Moscow") in chat.last_text()
    assert (await _stored(sessions, 8302))[2] == "Europe/Moscow"

    await chat.click(tr("hy", "🕒 Time zone"))
    assert "✅ Europe/Moscow" in chat.last_buttons() and "Asia/Yerevan" in chat.last_buttons()
    await chat.click(tr("hy", "« Back"))
    assert tr("hy", "Time zone: {zone}", zone="Europe/Moscow") in chat.last_text()
    assert tr("hy", "🕒 Time zone") in chat.last_buttons()
    # Back ended the wait for a zone typed by name: a zone's name now is just words.
    await chat.send("Asia/Tashkent", expect=2)
    assert tr("hy", NOT_UNDERSTOOD) in chat.texts()
    assert (await _stored(sessions, 8302))[2] == "Europe/Moscow"
    assert len(chat.messages()) == 3  # the settings screen, the hint, the menu


async def test_forged_values_are_refused_in_the_users_language_and_change_nothing(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await make_org(sessions, 8303, language="kk", name="Hope")
    chat = Conversation(running_bot, TgUser(8303, "Dana", language_code="ru"))
    await chat.send("/settings")
    screen = chat.last_message()
    assert screen is not None
    before = await _stored(sessions, 8303)
    edits = len(running_bot.method_calls("editMessageText"))

    forged = (
        SettingsPress(action=SettingsAction.ZONE, value="-1"),
        SettingsPress(action=SettingsAction.ZONE, value="abc"),
        SettingsPress(action=SettingsAction.ZONE, value="1000"),
        SettingsPress(action=SettingsAction.ZONE, value="0012"),
        SettingsPress(action=SettingsAction.ZONE, value="\u0663"),  # Arabic-Indic 3: not a zone
        SettingsPress(action=SettingsAction.KIND, value="Webinar"),
        SettingsPress(action=SettingsAction.KIND),
        SettingsPress(action=SettingsAction.TOPIC, value="fundraising "),
        SettingsPress(action=SettingsAction.TOPIC),
    )
    for press in forged:
        alerts = len(chat.alerts)
        update = running_bot.push_callback(chat.user, screen["message_id"], press.pack())
        await running_bot.wait_handled(update)
        assert chat.alerts[alerts:] == [tr("kk", STALE)], press
        assert running_bot.answers_for(8303)[-1].show_alert, press
    assert await _stored(sessions, 8303) == before
    assert len(running_bot.method_calls("editMessageText")) == edits  # the screen stayed
    assert running_bot.unanswered_callbacks == []
