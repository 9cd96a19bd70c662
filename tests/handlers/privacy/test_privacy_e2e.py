"""Your data: see what is stored, download it as a file, delete it all (and only one's own)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import ColumnElement, func, select

from bot.handlers.contacts import introductions
from bot.handlers.moderation import reports
from bot.handlers.privacy.callbacks import DataAction, DataPress
from bot.languages import LANGUAGES
from db.engine import Sessions, writing
from db.models import ContactRequest, Event, Notice, Organisation, Report, User
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import make_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

NOW = datetime.now(UTC)
OWNER, OTHER, NEWCOMER = 7201, 7202, 7203


async def _count(sessions: Sessions, model: type, *where: ColumnElement[bool]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def _a_pending_reminder(sessions: Sessions, user_id: int) -> None:
    async with writing(sessions) as session:
        event = Event(
            kind="webinar", title="Impact 101", description="", starts_at=NOW + timedelta(days=3),
            ends_at=NOW + timedelta(days=3, hours=1), time_zone="Asia/Almaty", topics=[],
            focus=[], countries=[], languages=[], status="published", created_by=1,
        )  # fmt: skip
        session.add(event)
        await session.flush()
        session.add(
            Notice(event_id=event.id, user_id=user_id, kind="day", due_at=NOW + timedelta(days=2))
        )


async def test_see_download_and_delete_everything(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    mine = await make_org(
        sessions, OWNER, language="ru", name="Фонд <Надежда>", contact="@nadezhda_fund"
    )
    theirs = await make_org(sessions, OTHER, language="en", name="Bridge Armenia", country="AM")
    await introductions.request_contact(sessions, OTHER, mine, NOW)
    assert await reports.report(sessions, OWNER, theirs, "spam", NOW)
    await _a_pending_reminder(sessions, OWNER)
    chat = Conversation(running_bot, TgUser(OWNER, "Gulnara", language_code="ru"))

    # From the settings screen, as from /mydata: what is stored, in the user's language.
    await chat.send("/settings")
    await chat.click(tr("ru", "🗂 My data"))
    summary = chat.last_text()
    assert tr("ru", "🗂 <b>Your data</b>").replace("<b>", "").replace("</b>", "") in summary
    assert "Фонд <Надежда>" in summary  # the name shown literally, not as markup
    assert trn("ru", "{n} contact request", "{n} contact requests", 1) in summary
    assert trn("ru", "{n} report you made", "{n} reports you made", 1) in summary

    # Download: one JSON file with the profile, its contacts, the request and the report.
    await chat.click(tr("ru", "📤 Download my data"))
    document = chat.messages()[-1]
    assert document["document"]["file_name"] == f"ngo_bridge_{OWNER}.json"
    assert document["caption"] == tr(
        "ru", "Everything NGO Bridge stores about you, as a JSON file."
    )
    data = json.loads(running_bot.file_bytes(document["document"]["file_id"]))
    assert data["user"]["telegram_id"] == OWNER
    assert data["user"]["weekly_digest"] is True
    assert data["organisation"]["name"] == "Фонд <Надежда>"
    assert data["organisation"]["contact"] == "@nadezhda_fund"
    assert data["organisation"]["tags"]["focus"] == ["children"]
    [request] = data["contact_requests"]
    assert (request["direction"], request["other_organisation"]) == ("received", "Bridge Armenia")
    assert data["reports_made"][0]["organisation"] == "Bridge Armenia"
    assert data["questionnaire_in_progress"] is None

    # Delete asks first; "keep" changes nothing.
    await chat.send("/mydata")
    await chat.click(tr("ru", "🗑 Delete my data"))
    assert "NGO Bridge" in chat.last_text() and tr("ru", "🗑 Yes, delete everything") in (
        chat.last_buttons()
    )
    await chat.click(tr("ru", "« Keep my data"))
    assert await _count(sessions, Organisation, Organisation.id == mine) == 1

    await chat.click(tr("ru", "🗑 Delete my data"))
    await chat.click(tr("ru", "🗑 Yes, delete everything"))
    assert chat.last_text() == tr(
        "ru",
        "Your data is deleted. If you write to the bot again, you start as a new user: "
        "send /start.",
    )
    assert await _count(sessions, User, User.id == OWNER) == 0
    assert await _count(sessions, Organisation, Organisation.id == mine) == 0
    assert await _count(sessions, ContactRequest) == 0
    assert await _count(sessions, Report) == 0
    assert await _count(sessions, Notice, Notice.user_id == OWNER) == 0
    # The other organisation is untouched.
    assert await _count(sessions, Organisation, Organisation.id == theirs) == 1

    # The confirmation pressed again, out of date: no error, nothing left behind.
    confirm_message = chat.messages()[-1]["message_id"]
    press = running_bot.push_callback(
        chat.user, confirm_message, DataPress(action=DataAction.CONFIRM).pack()
    )
    await running_bot.wait_handled(press)
    assert running_bot.unanswered_callbacks == []
    assert await _count(sessions, User, User.id == OWNER) == 0

    # Writing again starts afresh: the language picker of a new user.
    await chat.send("/start")
    assert "✓ " + LANGUAGES["ru"] in chat.last_buttons()


async def test_a_forged_data_press_does_nothing(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    mine = await make_org(sessions, OWNER, language="en", name="Kept")
    chat = Conversation(running_bot, TgUser(OWNER, "Gulnara", language_code="en"))
    await chat.send("/mydata")
    summary = chat.messages()[-1]["message_id"]
    for data in ("d:everything", "d:confirm:" + "x" * 40, "d:"):
        press = running_bot.push_callback(chat.user, summary, data)
        await running_bot.wait_handled(press)
    assert running_bot.unanswered_callbacks == []
    stale = tr("en", "This button is out of date. Please use the latest message.")
    assert [answer.text for answer in running_bot.answers_for(OWNER)[-3:]] == [stale] * 3
    assert await _count(sessions, Organisation, Organisation.id == mine) == 1
    assert await _count(sessions, User, User.id == OWNER) == 1


async def test_the_download_includes_an_unfinished_questionnaire(
    running_bot: FakeTelegram,
) -> None:
    chat = Conversation(running_bot, TgUser(NEWCOMER, "Aram", language_code="hy"))
    await chat.send("/start")
    await chat.click(LANGUAGES["hy"])
    await chat.send("Կամուրջ")  # the organisation's name, first question
    await chat.send("/mydata", expect=2)  # the questionnaire waits meanwhile
    summary = chat.messages()[-2]
    assert tr("hy", "No organisation profile.") in summary["text"]
    assert chat.last_text().startswith("⏸")
    await chat.click(tr("hy", "📤 Download my data"), message_id=summary["message_id"])
    document = chat.messages()[-1]
    data = json.loads(running_bot.file_bytes(document["document"]["file_id"]))
    assert data["organisation"] is None
    assert data["user"]["language"] == "hy"
    assert "Կամուրջ" in json.dumps(data["questionnaire_in_progress"], ensure_ascii=False)


async def test_deleting_everything_forgets_an_admins_parked_questionnaire(
    running_bot: FakeTelegram,
) -> None:
    """An admin's command parks the questionnaire apart from the chat's state: deleting
    one's data deletes it too."""
    chat = Conversation(running_bot, TgUser(ADMIN_ID, "Admin", language_code="en"))
    await chat.send("/start")
    await chat.click(LANGUAGES["en"], expect=2)
    await chat.send("Bridge Fund")  # the organisation's name, first question
    await chat.send("/mydata", expect=2)  # the questionnaire waits meanwhile
    summary = chat.messages()[-2]["message_id"]
    await chat.send("/event_new")  # the questionnaire is parked, the event wizard runs
    await chat.click(tr("en", "🗑 Delete my data"), message_id=summary)
    await chat.click(tr("en", "🗑 Yes, delete everything"), message_id=summary)
    replies = await chat.send("/mydata")  # no questionnaire waits any more: no reminder
    assert len(replies) == 1
    assert tr("en", "No organisation profile.") in str(replies[0].text)
