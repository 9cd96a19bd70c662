"""Whole onboardings through real HTTP, in each interface language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.languages import LANGUAGES
from db import repositories
from db.engine import Sessions
from db.models import Membership, User
from db.models import Organisation as OrganisationRow
from tests.conversation import Conversation
from tests.fake_telegram import FakeTelegram, TgUser
from tests.fsm_helpers import fsm_of
from tests.i18n_helpers import tr, trn
from tests.onboarding_script import Organisation, answer_all, assert_card, onboard_to_summary


@pytest.mark.parametrize("language", ["ru", "kk", "hy", "ky", "en"])
async def test_whole_onboarding_in_each_language(
    running_bot: FakeTelegram, sessions: Sessions, language: str
) -> None:
    chat = Conversation(running_bot, TgUser(1000 + len(language), "Nur", language_code=language))
    org = Organisation()

    await chat.send("/start")
    assert (
        tr(language, "🌐 Choose the language of the bot. You can change it later with /language.")
        in chat.last_text()
    )
    assert "✓ " + LANGUAGES[language] in chat.last_buttons()  # pre-selected from Telegram
    await chat.click(LANGUAGES[language])
    await answer_all(chat, language, org)
    assert_card(chat.last_text(), language, org)

    await chat.click(tr(language, "✅ Confirm"))
    texts = chat.texts()
    assert tr(language, "🎉 Your organisation's profile is saved.") in texts
    assert tr(language, "🏠 Main menu. What would you like to do?") in chat.last_text()
    assert tr(language, "👤 My profile") in chat.last_buttons()

    async with sessions() as session:
        user = await session.get(User, chat.user.id)
        assert user is not None and user.language == language
        row = await session.scalar(
            select(OrganisationRow).join(Membership).where(Membership.user_id == chat.user.id)
        )
        assert row is not None
        assert row.name == "Фонд <b>«Надежда»</b> & Co"
        assert (row.country, row.city, row.website, row.contact) == (
            "KZ",
            "Алматы",
            "https://nadezhda.kz",
            "@nadezhda_fund",
        )
        assert row.cross_border and row.listed
        tags = {(tag.kind, tag.code) for tag in row.tags}
        assert {("focus", "children"), ("focus", "health"), ("share", "fundraising"),
                ("learn", "impact"), ("format", "webinars"), ("xb_country", "AM"),
                ("xb_country", "KG"), ("barrier", "cost"), ("language", "kk")} <= tags  # fmt: skip


async def test_profile_shows_the_card_and_changes_one_answer(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    chat = Conversation(running_bot, TgUser(2001, "Ani", language_code="hy"))
    await onboard_to_summary(chat, "hy", Organisation(cross_border=None))
    await chat.click(tr("hy", "✅ Confirm"))

    await chat.send("/profile")
    assert "Алматы" in chat.last_text()
    await chat.click(tr("hy", "✏️ Change an answer"))
    await chat.click(tr("hy", "City or region"))
    assert tr("hy", "In which city or region do you work?") in chat.last_text()
    await chat.send("Gyumri")
    assert tr("hy", "✅ Saved.") in chat.last_text()
    assert "Gyumri" in chat.last_text()

    # Saying "yes" to cross-border cooperation asks the follow-up question, then saves.
    await chat.click(tr("hy", "✏️ Change an answer"))
    await chat.click(tr("hy", "Cross-border cooperation"))
    await chat.click(tr("hy", "Yes"))
    assert tr("hy", "With organisations from which countries?") in chat.last_text()
    # Back from the follow-up question returns to "yes / no", and Back again changes nothing.
    await chat.click(tr("hy", "« Back"))
    assert (
        tr("hy", "Has your organisation worked with organisations from other countries?")
        in chat.last_text()
    )
    await chat.click(tr("hy", "« Back"))
    assert "Gyumri" in chat.last_text() and tr("hy", "✏️ Change an answer") in chat.last_buttons()
    _, data = await fsm_of(sessions, 2001)
    assert data == {}
    await chat.click(tr("hy", "✏️ Change an answer"))
    await chat.click(tr("hy", "Cross-border cooperation"))
    await chat.click(tr("hy", "Yes"))
    await chat.click(tr("hy", "Russia"))
    await chat.click(trn("hy", "Done: {n} selected ✓", "Done: {n} selected ✓", 1))
    assert tr("hy", "✅ Saved.") in chat.last_text()

    async with sessions() as session:
        row = await session.scalar(
            select(OrganisationRow).join(Membership).where(Membership.user_id == 2001)
        )
        assert row is not None and row.city == "Gyumri" and row.cross_border
        assert ("xb_country", "RU") in {(tag.kind, tag.code) for tag in row.tags}


@pytest.mark.allow_errors  # a failing save is the point
async def test_a_failure_while_saving_is_explained_and_nothing_is_half_written(
    running_bot: FakeTelegram,
    sessions: Sessions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = Conversation(running_bot, TgUser(2002, "Daniyar", language_code="ru"))
    await onboard_to_summary(chat, "ru", Organisation())

    real_replace_tags = repositories.replace_tags

    def broken_replace_tags(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(repositories, "replace_tags", broken_replace_tags)
    await chat.click(tr("ru", "✅ Confirm"))
    assert chat.alerts[-1] == tr("ru", "Sorry, something went wrong on our side. Please try again.")
    async with sessions() as session:  # the organisation row was rolled back with its tags
        assert await session.scalar(select(OrganisationRow)) is None
    state, _ = await fsm_of(sessions, 2002)
    assert state == "Questionnaire:review"  # the summary still waits for Confirm

    monkeypatch.setattr(repositories, "replace_tags", real_replace_tags)
    await chat.click(tr("ru", "✅ Confirm"))
    assert tr("ru", "🎉 Your organisation's profile is saved.") in chat.texts()


async def test_changing_an_answer_on_the_summary_and_backing_out(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    chat = Conversation(running_bot, TgUser(2003, "Bakyt", language_code="ky"))
    await onboard_to_summary(chat, "ky", Organisation(cross_border=None))

    await chat.click(tr("ky", "✏️ Change an answer"))
    await chat.click(tr("ky", "Cross-border cooperation"))
    await chat.click(tr("ky", "Yes"))
    await chat.click(tr("ky", "« Back"))  # from "which countries" to "yes / no"
    await chat.click(tr("ky", "« Back"))  # and out: the summary, unchanged
    assert tr("ky", "✅ That's everything. Please check your answers:") in chat.last_text()

    await chat.click(tr("ky", "✏️ Change an answer"))
    await chat.click(tr("ky", "City or region"))
    await chat.send("Каракол")
    assert "Каракол" in chat.last_text()  # back on the summary with the new city
    await chat.click(tr("ky", "✅ Confirm"))
    async with sessions() as session:
        row = await session.scalar(
            select(OrganisationRow).join(Membership).where(Membership.user_id == 2003)
        )
        assert row is not None and row.city == "Каракол" and not row.cross_border
