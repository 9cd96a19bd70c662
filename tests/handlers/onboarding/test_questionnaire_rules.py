"""The questionnaire's rules, without Telegram: order, conditions, validation."""

from __future__ import annotations

import pytest

from bot.handlers.onboarding.questionnaire import (
    BY_CODE,
    STEPS,
    choose,
    finish_multi,
    first_unanswered,
    is_complete,
    next_step,
    parse_text,
    position,
    previous_step,
    toggle,
    without_stale,
)
from bot.validation import AnswerError, Problem, normalise_contact, normalise_url


def test_cross_border_countries_are_asked_only_after_yes() -> None:
    assert next_step("cross_border", {"cross_border": False}) == "barriers"
    assert next_step("cross_border", {"cross_border": True}) == "cross_border_countries"
    assert position("consent", {"cross_border": False}) == (14, 14)
    assert position("consent", {"cross_border": True}) == (15, 15)
    assert position("name", {}) == (1, 15)
    assert previous_step("barriers", {"cross_border": True}) == "cross_border_countries"


def test_answers_to_steps_that_no_longer_apply_are_dropped() -> None:
    answers = {"cross_border": False, "cross_border_countries": ["KZ"]}
    assert without_stale(answers) == {"cross_border": False}


def test_first_step_has_no_previous_and_last_has_no_next() -> None:
    assert previous_step(STEPS[0].code, {}) is None
    assert next_step("consent", {}) is None


def test_a_required_multi_select_needs_a_tick_and_an_optional_one_does_not() -> None:
    with pytest.raises(AnswerError) as caught:
        finish_multi(BY_CODE["focus_areas"], [])
    assert caught.value.problem is Problem.NEED_CHOICE
    assert finish_multi(BY_CODE["barriers"], []) == []


def test_toggle_keeps_vocabulary_order_and_refuses_forged_codes() -> None:
    step = BY_CODE["focus_areas"]
    selected = toggle(step, [], "health")
    selected = toggle(step, selected, "children")
    assert selected == ["children", "health"]
    assert toggle(step, selected, "health") == ["children"]
    with pytest.raises(AnswerError):
        toggle(step, selected, "'; DROP TABLE users; --")
    with pytest.raises(AnswerError):
        choose(BY_CODE["country"], "XX")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", Problem.EMPTY),
        ("   \n\t  ", Problem.EMPTY),
        ("x", Problem.TOO_SHORT),
        ("x" * 5000, Problem.TOO_LONG),
    ],
)
def test_bad_names_are_refused(raw: str, problem: Problem) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_text(BY_CODE["name"], raw)
    assert caught.value.problem is problem


def test_text_is_trimmed_and_spaces_folded_but_markup_is_kept_literally() -> None:
    assert parse_text(BY_CODE["name"], "  <b>Fund</b>   «Hope»\n ") == "<b>Fund</b> «Hope»"
    description = parse_text(BY_CODE["description"], "Line one is here.\n\n\n  Line two  ")
    assert description == "Line one is here.\nLine two"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("example.org", "https://example.org"),
        ("http://ngo.kz/about?a=1", "http://ngo.kz/about?a=1"),
        ("https://қор.қаз", "https://қор.қаз"),
    ],
)
def test_urls_are_normalised(raw: str, expected: str) -> None:
    assert normalise_url(raw) == expected


@pytest.mark.parametrize(
    "raw", ["not a url", "javascript:alert(1)", "ftp://x.org", "https://localhost", "http://a"]
)
def test_bad_urls_are_refused(raw: str) -> None:
    with pytest.raises(AnswerError) as caught:
        normalise_url(raw)
    assert caught.value.problem is Problem.BAD_URL


@pytest.mark.parametrize(
    "raw", ["info@ngo.kz", "@ngo_bridge", "+7 700 123 45 67", "+374 10 123456", "ngo.am/contact"]
)
def test_contacts_accept_email_username_phone_and_link(raw: str) -> None:
    assert normalise_contact(raw)


@pytest.mark.parametrize("raw", ["info@", "@ab", "call me", "12", "a@b", "<script>@x.org"])
def test_bad_contacts_are_refused(raw: str) -> None:
    with pytest.raises(AnswerError) as caught:
        normalise_contact(raw)
    assert caught.value.problem is Problem.BAD_CONTACT


def test_completeness_follows_the_conditional_step() -> None:
    answers = {
        "name": "Fund",
        "country": "KZ",
        "city": "Almaty",
        "focus_areas": ["health"],
        "can_share": ["fundraising"],
        "want_learn": ["impact"],
        "formats": ["webinars"],
        "cross_border": True,
        "barriers": None,
        "languages": ["ru"],
        "description": None,
        "website": None,
        "contact": None,
        "consent": True,
    }
    assert first_unanswered(answers) == "cross_border_countries"
    assert is_complete({**answers, "cross_border": False})
    assert is_complete({**answers, "cross_border_countries": ["AM"]})
