"""The Mini App and the chat: a request made in the Mini App reaches the other side in the chat
and both get contacts, events and I'll attend send the calendar file and plan reminders,
and the buttons that open the Mini App appear only with WEBAPP_URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.handlers.events import drafts, publishing
from bot.handlers.events.drafts import Draft
from db.engine import Sessions, reading
from db.models import Notice
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.webapp.test_webapp_api import ME, NOW, OTHER, _app
from tests.i18n_helpers import plain, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")


async def test_a_request_from_the_mini_app_reaches_the_other_side_in_the_chat_and_both_get_contacts(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ME, language="kk", name="Asker Fund", contact="asker@example.kz")
    target = await make_org(
        sessions, OTHER, language="hy", name="Owner NGO", country="AM", contact="+374 10 123456"
    )
    targets = [await make_org(sessions, 750 + i, name=f"T{i}", country="KG") for i in range(10)]
    owner = Conversation(fake_telegram, TgUser(OTHER, "Ashot", language_code="hy"))
    asker = Conversation(fake_telegram, TgUser(ME, "Aigerim", language_code="kk"))
    async with await _app(settings, sessions, fake_telegram) as app:
        status, body = await app.call("POST", f"/cards/{target}/request", ME)
        assert status == 200 and body == {
            "sent": True,
            "message": plain(
                tr(
                    "kk",
                    "📨 Your request has been sent to {name}. We will tell you when they answer.",
                    name="«Owner NGO»",
                )
            ),
        }
        incoming = await fake_telegram.wait_for(lambda: owner.messages())
        text = incoming[-1]["text"]
        assert (
            plain(
                tr(
                    "hy",
                    "📨 <b>{name}</b> would like to get in touch with your organisation.",
                    name="Asker Fund",
                )
            )
            in text
        )
        assert "asker@example.kz" not in text
        status, body = await app.call("POST", f"/cards/{target}/request", ME)
        assert body["sent"] is False and body["reason"] == "duplicate"
        assert body["message"] == tr(
            "kk", "A request between your organisations is already waiting for an answer."
        )
        await owner.click(tr("hy", "✅ Accept"))
        assert "+374 10 123456" in asker.last_text()
        assert "asker@example.kz" in owner.last_text()
        for org in targets[:9]:
            assert (await app.call("POST", f"/cards/{org}/request", ME))[1]["sent"] is True
        status, body = await app.call("POST", f"/cards/{targets[9]}/request", ME)
        assert body["sent"] is False and body["reason"] == "limit"
        status, body = await app.call("POST", "/cards/1/request", ME)
        assert body["reason"] == "self"


SENT = (
    "✅ You are on the list for {title}. The calendar file has been sent to your chat with "
    "the bot; we will remind you there a day and an hour before."
)
UNSENT = (
    "✅ You are on the list for {title}, but the calendar file could not be sent: please "
    "open the chat with the bot and send /start."
)


def _webinar(start: datetime) -> Draft:
    return Draft(
        kind="webinar",
        title="Impact <101>",
        description="Indicators.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="UTC",
        link="https://meet.example.org/i",
        topics=("impact",),
    )


async def test_events_for_the_user_and_ill_attend_sends_the_calendar_file_and_plans_reminders(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ME, language="ru", country="KZ", want_learn=["impact"])
    start = datetime(2026, 12, 14, 15, 0, tzinfo=UTC)
    event = await drafts.save(sessions, _webinar(start), ADMIN_ID, NOW)
    assert await publishing.publish(sessions, event, NOW, "ru") is not None
    draft_only = await drafts.save(sessions, _webinar(start), ADMIN_ID, NOW)
    chat = Conversation(fake_telegram, TgUser(ME, "Ivan", language_code="ru"))
    async with await _app(settings, sessions, fake_telegram) as app:
        status, body = await app.call("GET", "/events", ME)
        assert status == 200 and [item["id"] for item in body["items"]] == [event]
        item = body["items"][0]
        assert item["title"] == "Impact <101>" and item["going"] is False
        assert "20:00" in item["when"]  # 15:00 UTC in Almaty, the organisation's zone
        status, body = await app.call("POST", f"/events/{event}/attend", ME)
        assert body == {
            "ok": True,
            "message": tr("ru", SENT).format(title="«Impact <101>»"),
        }
        document = (await fake_telegram.wait_for(lambda: chat.messages()))[-1]
        assert document["document"]["file_name"] == f"event-{event}.ics"
        assert b"SUMMARY:Impact <101>" in fake_telegram.file_bytes(document["document"]["file_id"])
        async with reading(sessions) as session:
            reminders = await session.scalar(
                select(func.count())
                .select_from(Notice)
                .where(Notice.user_id == ME, Notice.kind != "announce")
            )
        assert reminders == 2
        assert (await app.call("GET", "/events", ME))[1]["items"][0]["going"] is True
        status, body = await app.call("POST", f"/events/{draft_only}/attend", ME)
        assert body == {"ok": False, "message": tr("ru", "This event is no longer available.")}
        assert (await app.call("POST", "/events/1/attend", init_data="forged"))[0] == 401
        # Blocked the bot since: the RSVP stands, and the page does not claim a file was sent.
        await make_org(sessions, OTHER, language="kk", country="KZ")
        fake_telegram.blocked.add(OTHER)
        status, body = await app.call("POST", f"/events/{event}/attend", OTHER)
        assert body == {
            "ok": True,
            "message": tr("kk", UNSENT).format(title="«Impact <101>»"),
        }
        assert (await app.call("GET", "/events", OTHER))[1]["items"][0]["going"] is True


async def test_the_buttons_appear_only_with_webapp_url(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ME, language="en")
    chat = Conversation(fake_telegram, TgUser(ME, "Anna", language_code="en"))
    async with await _app(settings, sessions, fake_telegram) as app:
        await chat.send("/menu")
        [opener] = [
            button
            for row in chat.last_message()["reply_markup"]["inline_keyboard"]  # type: ignore[index]
            for button in row
            if "web_app" in button
        ]
        assert opener["text"] == "🗂 Directory"
        assert opener["web_app"]["url"] == "https://bridge.example.org/app/?lang=en"
        [menu_button] = fake_telegram.method_calls("setChatMenuButton")
        assert menu_button["menu_button"]["web_app"]["url"].startswith(
            "https://bridge.example.org/app/"
        )
        async with app.http.get(f"{app.base}/?lang=hy") as page:
            html = await page.text()
            assert page.status == 200 and '"tab_directory":"🗂 Տեղեկատու"' in html
    from tests.directory_helpers import bot_with_clock

    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await chat.send("/menu")
        markup = chat.last_message()["reply_markup"]  # type: ignore[index]
        assert not any("web_app" in b for row in markup["inline_keyboard"] for b in row)
    assert len(fake_telegram.method_calls("setChatMenuButton")) == 1
