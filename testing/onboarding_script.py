"""A whole onboarding conversation, asserted step by step in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.languages import LANGUAGES
from bot.taxonomy import (
    BARRIERS,
    COUNTRIES,
    FOCUS_AREAS,
    FORMATS,
    TOPICS,
    WORK_LANGUAGES,
    Vocabulary,
)
from testing.conversation import Conversation
from testing.i18n import label, plain, tr, trn


@dataclass
class Organisation:
    """What the user answers (codes for buttons, text for typed answers)."""

    name: str = "Фонд <b>«Надежда»</b> & Co"
    country: str = "KZ"
    city: str = "Алматы"
    focus_areas: list[str] = field(default_factory=lambda: ["children", "health"])
    can_share: list[str] = field(default_factory=lambda: ["fundraising", "events"])
    want_learn: list[str] = field(default_factory=lambda: ["impact"])
    formats: list[str] = field(default_factory=lambda: ["webinars", "internships"])
    cross_border: list[str] | None = field(default_factory=lambda: ["AM", "KG"])
    barriers: list[str] = field(default_factory=lambda: ["cost"])
    languages: list[str] = field(default_factory=lambda: ["kk", "ru"])
    description: str = "We help children in hospitals: <i>volunteers</i>, toys, books."
    website: str = "nadezhda.kz"
    contact: str | None = "@nadezhda_fund"


def step_line(language: str, step: int, total: int) -> str:
    """The progress line as the user reads it."""
    return tr(language, "Step {step} of {total}", step=step, total=total)


async def expect_question(
    chat: Conversation, language: str, msgid: str, step: int, total: int
) -> None:
    text = chat.last_text()
    assert step_line(language, step, total) in text, text
    assert tr(language, msgid) in text, text


async def tick(chat: Conversation, language: str, vocabulary: Vocabulary, codes: list[str]) -> None:
    """Tick options one by one, checking the tick and the Done counter after each."""
    for index, code in enumerate(codes, start=1):
        await chat.click(label(language, vocabulary, code))
        assert "✅ " + label(language, vocabulary, code) in chat.last_buttons()
        done = trn(language, "Done: {n} selected ✓", "Done: {n} selected ✓", index)
        assert done in chat.last_buttons(), chat.last_buttons()
    await chat.click(
        trn(language, "Done: {n} selected ✓", "Done: {n} selected ✓", len(codes))
        if codes
        else tr(language, "Done ✓")
    )


async def answer_all(chat: Conversation, language: str, org: Organisation) -> None:
    """From the first question to the summary card."""
    total = 15
    q = "What is your organisation called? Write the name as partners should see it."
    await expect_question(chat, language, q, 1, total)
    await chat.send(org.name)
    await expect_question(chat, language, "In which country is your organisation based?", 2, total)
    await chat.click(label(language, COUNTRIES, org.country))
    await expect_question(chat, language, "In which city or region do you work?", 3, total)
    await chat.send(org.city)
    await expect_question(chat, language, "What are your organisation's focus areas?", 4, total)
    await tick(chat, language, FOCUS_AREAS, org.focus_areas)
    q = "What can your organisation share with others?"
    await expect_question(chat, language, q, 5, total)
    await tick(chat, language, TOPICS, org.can_share)
    q = "What would your organisation like to learn?"
    await expect_question(chat, language, q, 6, total)
    await tick(chat, language, TOPICS, org.want_learn)
    await expect_question(chat, language, "Which cooperation formats suit you?", 7, total)
    await tick(chat, language, FORMATS, org.formats)
    q = "Has your organisation worked with organisations from other countries?"
    await expect_question(chat, language, q, 8, total)
    step = 9
    if org.cross_border:
        await chat.click(tr(language, "Yes"))
        q = "With organisations from which countries?"
        await expect_question(chat, language, q, step, total)
        await tick(chat, language, COUNTRIES, org.cross_border)
        step += 1
    else:
        await chat.click(tr(language, "No"))
        total = 14  # the follow-up question is no longer asked
    q = "What gets in the way of cooperation with other organisations?"
    await expect_question(chat, language, q, step, total)
    await tick(chat, language, BARRIERS, org.barriers)
    q = "In which languages does your organisation work?"
    await expect_question(chat, language, q, step + 1, total)
    await tick(chat, language, WORK_LANGUAGES, org.languages)
    q = "Describe your organisation in a few sentences: what you do and for whom."
    await expect_question(chat, language, q, step + 2, total)
    await chat.send(org.description)
    q = "Your organisation's website, for example https://example.org"
    await expect_question(chat, language, q, step + 3, total)
    await chat.send(org.website)
    q = (
        "A public contact for partners: an e-mail, a Telegram @username or a phone number. "
        "Other organisations see it only after you accept their contact request."
    )
    await expect_question(chat, language, q, step + 4, total)
    if org.contact is None:
        await chat.click(tr(language, "Skip »"))
    else:
        await chat.send(org.contact)
    q = (
        "May we list your organisation in the NGO Bridge directory, "
        "so that other organisations can find you?"
    )
    await expect_question(chat, language, q, step + 5, total)
    await chat.click(tr(language, "Yes, list us"))
    assert tr(language, "✅ That's everything. Please check your answers:") in chat.last_text()


async def onboard_to_summary(chat: Conversation, language: str, org: Organisation) -> None:
    """/start, pick `language`, answer every question: the summary card is shown."""
    await chat.send("/start")
    await chat.click(LANGUAGES[language])
    await answer_all(chat, language, org)


def assert_card(text: str, language: str, org: Organisation) -> None:
    """The card shows every answer in the reader's language; user text literally."""
    assert org.name.replace("  ", " ") in text  # the tags are shown, not interpreted
    assert label(language, COUNTRIES, org.country) in text
    assert org.city in text
    for code in org.focus_areas:
        assert tr(language, FOCUS_AREAS.labels[code]) in text
    for code in org.can_share + org.want_learn:
        assert tr(language, TOPICS.labels[code]) in text
    for code in org.formats:
        assert tr(language, FORMATS.labels[code]) in text
    for code in org.languages:
        assert tr(language, WORK_LANGUAGES.labels[code]) in text
    assert org.description in text
    assert plain(org.name) != org.name  # sanity: the name really carries markup


__all__ = [
    "Organisation",
    "answer_all",
    "assert_card",
    "expect_question",
    "onboard_to_summary",
    "step_line",
    "tick",
]
