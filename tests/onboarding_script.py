"""Kept for the move: this now lives in :mod:`testing.onboarding_script` (outside tests/, which bench/
uses too). Tests may keep importing from here."""

from testing.onboarding_script import (
    Organisation,
    answer_all,
    assert_card,
    expect_question,
    onboard_to_summary,
    step_line,
    tick,
)

__all__ = [
    "Organisation",
    "answer_all",
    "assert_card",
    "expect_question",
    "onboard_to_summary",
    "step_line",
    "tick",
]
