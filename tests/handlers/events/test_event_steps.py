"""The event wizard's steps as data (bot.steps), its typed answers, and how its presses are
routed: a press that does not fit the current step, or comes after the wizard closed, is
out of date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.handlers.events import texts
from bot.handlers.events.callbacks import EventAdminAction, EventAdminPress
from bot.handlers.events.wizard_steps import (
    BY_CODE,
    STEPS,
    EventError,
    EventProblem,
    get_step,
    take,
)
from bot.languages import LANGUAGES
from bot.steps import Kind, applying, next_code, position, previous_code
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
INTERNSHIP = {"kind": "internship"}


def test_the_deadline_is_asked_of_internships_only() -> None:
    assert position(STEPS, "kind", {}) == (1, 11)  # not counted while the kind is unknown
    assert position(STEPS, "kind", INTERNSHIP) == (1, 12)
    assert next_code(STEPS, "registration", {"kind": "webinar"}) is None
    assert next_code(STEPS, "registration", INTERNSHIP) == "deadline"
    assert [step.code for step in applying(STEPS, INTERNSHIP)][-2:] == ["registration", "deadline"]
    assert previous_code(STEPS, "title", {}) == "kind"
    assert previous_code(STEPS, "kind", {}) is None


def test_only_the_registration_link_may_be_skipped_and_not_for_internships() -> None:
    skippable = [step.code for step in STEPS if step.optional_for({"kind": "webinar"})]
    assert skippable == ["registration"]
    assert not any(step.optional_for(INTERNSHIP) for step in STEPS)


def test_every_step_has_a_prompt_and_the_pickers_offer_what_drafts_keep() -> None:
    assert set(texts.PROMPTS) == set(BY_CODE)
    multi = {step.code: step.vocabulary for step in STEPS if step.kind is Kind.MULTI}
    assert list(multi) == ["topics", "focus", "countries", "languages"]
    assert multi["languages"] is not None and multi["languages"].codes == tuple(LANGUAGES)
    assert [step.code for step in STEPS if step.kind is Kind.CHOICE] == ["kind"]
    assert get_step("preview") is None and get_step(None) is None


@pytest.mark.parametrize(
    ("typed", "link", "place"),
    [
        ("https://meet.example.org/x", "https://meet.example.org/x", None),
        ("meet.example.org", "https://meet.example.org", None),
        ("Almaty, Abay avenue 10", None, "Almaty, Abay avenue 10"),
    ],
)
def test_the_place_is_kept_as_a_link_or_a_place(
    typed: str, link: str | None, place: str | None
) -> None:
    answers = take(BY_CODE["place"], typed, {"kind": "webinar"}, "UTC", NOW)
    assert (answers["link"], answers["place"]) == (link, place)


def test_what_looks_like_a_link_must_be_one() -> None:
    with pytest.raises(EventError) as caught:
        take(BY_CODE["place"], "www.bad link", {}, "UTC", NOW)
    assert caught.value.problem is EventProblem.NOT_URL


def test_dates_are_kept_in_utc_under_their_own_keys_and_checked_against_the_start() -> None:
    answers = take(BY_CODE["start"], "14.12.2026 20:00", {}, "Asia/Almaty", NOW)
    assert answers == {"starts_at": "2026-12-14T15:00:00+00:00"}
    with pytest.raises(EventError) as caught:
        take(BY_CODE["end"], "14.12.2026 19:00", answers, "Asia/Almaty", NOW)
    assert caught.value.problem is EventProblem.BEFORE_START
    answers = take(BY_CODE["end"], "14.12.2026 22:00", answers, "Asia/Almaty", NOW)
    with pytest.raises(EventError) as caught:
        take(BY_CODE["deadline"], "15.12.2026 10:00", answers, "Asia/Almaty", NOW)
    assert caught.value.problem is EventProblem.AFTER_START
    later = take(BY_CODE["start"], "15.12.2026 10:00", answers, "Asia/Almaty", NOW)
    assert "ends_at" not in later  # it would end before it starts: asked again
    registration = take(BY_CODE["registration"], "apply.example.org", {}, "UTC", NOW)
    assert registration == {"registration_url": "https://apply.example.org"}


async def test_wizard_presses_that_do_not_fit_the_step_are_out_of_date(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))

    async def forge(press: EventAdminPress, message_id: int) -> str:
        update_id = fake_telegram.push_callback(admin.user, message_id, press.pack())
        await fake_telegram.wait_handled(update_id)
        return admin.alerts[-1]

    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=FrozenClock(NOW))
    async with polling(dp, bot, fake_telegram):
        await admin.send("/event_new")
        wizard = admin.messages()[-1]["message_id"]
        for press in (
            EventAdminPress(action=EventAdminAction.SKIP),  # not an optional step
            EventAdminPress(action=EventAdminAction.DONE),  # not a multi-select
            EventAdminPress(action=EventAdminAction.TICK, code="impact"),
            EventAdminPress(action=EventAdminAction.KIND),  # no kind at all
            EventAdminPress(action=EventAdminAction.PUBLISH),  # not on the preview
            EventAdminPress(action=EventAdminAction.PUBLISH_AT),
            EventAdminPress(action=EventAdminAction.DRAFT),
            EventAdminPress(
                action=EventAdminAction.KIND, item=7, code="webinar"
            ),  # not a list press
        ):
            assert "out of date" in await forge(press, wizard), press
        assert "step 1 of 11" in admin.last_text()  # still where it was
        await admin.click("Internship")
        assert "step 2 of 12" in admin.last_text()
        assert "out of date" in await forge(
            EventAdminPress(action=EventAdminAction.KIND, code="webinar"), wizard
        )
        for typed in ("Summer school", "Six weeks.", "01.06.2027 09:00", "12.07.2027 18:00"):
            await admin.send(typed)
        await admin.send("Almaty")
        assert "Which topics" in admin.last_text()
        topics = admin.messages()[-1]["message_id"]
        for press in (
            EventAdminPress(action=EventAdminAction.TICK),  # no value at all
            EventAdminPress(action=EventAdminAction.TICK, code="KZ"),  # another step's
            EventAdminPress(action=EventAdminAction.SKIP),
        ):
            assert "out of date" in await forge(press, topics), press
        await admin.click("Measuring social impact")
        assert "✅ Measuring social impact" in admin.last_buttons()
        await admin.click("✖ Stop")
        assert admin.last_text() == "The event was not saved."
        assert "out of date" in await forge(EventAdminPress(action=EventAdminAction.BACK), wizard)
        missing = EventAdminPress(action=EventAdminAction.EDIT, item=999)
        assert await forge(missing, wizard) == "This event is already cancelled."
