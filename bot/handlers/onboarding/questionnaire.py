"""The onboarding questionnaire (DESIGN.md 3.1): steps, order, validation.

Answers travel as a JSON-able dict keyed by step code: text steps hold a string,
choice steps a taxonomy code, multi-select steps a list of codes, yes/no steps a bool,
skipped optional steps `None`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

# Answers, Kind and Step are re-exported: the feature's modules import them from here.
from bot.handlers.onboarding.callbacks import StepAction
from bot.navigation import Refused
from bot.steps import Answers as Answers
from bot.steps import Kind as Kind
from bot.steps import Step as Step
from bot.steps import applying, next_code, previous_code, toggled
from bot.steps import position as step_position
from bot.taxonomy import BARRIERS, COUNTRIES, FOCUS_AREAS, FORMATS, TOPICS, WORK_LANGUAGES
from bot.validation import AnswerError, Problem, clean_text, normalise_contact, normalise_url


def _text(min_length: int, max_length: int, *, multiline: bool = False) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        return clean_text(raw, min_length=min_length, max_length=max_length, multiline=multiline)

    return parse


NAME_MAX, CITY_MAX, DESCRIPTION_MAX = 150, 100, 1000

STEPS: Final[tuple[Step, ...]] = (
    Step("name", Kind.TEXT, parse=_text(2, NAME_MAX)),
    Step("country", Kind.CHOICE, vocabulary=COUNTRIES),
    Step("city", Kind.TEXT, parse=_text(2, CITY_MAX)),
    Step("focus_areas", Kind.MULTI, vocabulary=FOCUS_AREAS),
    Step("can_share", Kind.MULTI, vocabulary=TOPICS),
    Step("want_learn", Kind.MULTI, vocabulary=TOPICS),
    Step("formats", Kind.MULTI, vocabulary=FORMATS),
    Step("cross_border", Kind.YES_NO),
    Step(
        "cross_border_countries",
        Kind.MULTI,
        vocabulary=COUNTRIES,
        # Counted while undecided, so that "Step n of total" only ever shrinks.
        applies=lambda answers: answers.get("cross_border") is not False,
    ),
    Step("barriers", Kind.MULTI, optional=True, vocabulary=BARRIERS),
    Step("languages", Kind.MULTI, vocabulary=WORK_LANGUAGES),
    Step("description", Kind.TEXT, optional=True, parse=_text(10, DESCRIPTION_MAX, multiline=True)),
    Step("website", Kind.TEXT, optional=True, parse=normalise_url),
    Step("contact", Kind.TEXT, optional=True, parse=normalise_contact),
    Step("consent", Kind.YES_NO),
)

BY_CODE: Final[dict[str, Step]] = {step.code: step for step in STEPS}
FIRST_STEP: Final = STEPS[0].code


def get_step(code: object) -> Step | None:
    """The step called `code`, or None for anything else (forged or stale input)."""
    return BY_CODE.get(code) if isinstance(code, str) else None


def asked_steps(answers: Answers) -> list[Step]:
    """The steps that apply given the answers so far, in order."""
    return applying(STEPS, answers)


def position(code: str, answers: Answers) -> tuple[int, int]:
    """`(n, total)` for "Step n of total"."""
    return step_position(STEPS, code, answers)


def next_step(code: str, answers: Answers) -> str | None:
    """The step after `code`, or None when the questionnaire is complete."""
    return next_code(STEPS, code, answers)


def previous_step(code: str, answers: Answers) -> str | None:
    """The step before `code`, or None on the first one."""
    return previous_code(STEPS, code, answers)


def is_answered(step: Step, answers: Answers) -> bool:
    """Whether `step` has a usable answer (a skip counts for optional steps)."""
    if step.code not in answers:
        return False
    value = answers[step.code]
    return step.optional or (value is not None and value != [] and value != "")


def first_unanswered(answers: Answers) -> str | None:
    """Where to resume: the first applicable step without a usable answer."""
    for step in asked_steps(answers):
        if not is_answered(step, answers):
            return step.code
    return None


def parse_text(step: Step, raw: str) -> str:
    """Validate a typed answer to a text step; raises `AnswerError`."""
    if step.kind is not Kind.TEXT or step.parse is None:
        raise AnswerError(Problem.NEED_BUTTON)
    return step.parse(raw)


def choose(step: Step, value: str) -> str:
    """Validate a single choice (a button press); raises `AnswerError` for unknown codes."""
    if step.vocabulary is None or value not in step.vocabulary:
        raise AnswerError(Problem.NEED_BUTTON)
    return value


def toggle(step: Step, selected: list[str], value: str) -> list[str]:
    """Tick or untick `value`, keeping the vocabulary's order."""
    choose(step, value)
    return toggled(step, selected, value)


def finish_multi(step: Step, selected: list[str]) -> list[str]:
    """Check a multi-select on Done: a required one needs at least one tick."""
    assert step.vocabulary is not None
    clean = [code for code in step.vocabulary.codes if code in set(selected)]
    if not clean and not step.optional:
        raise AnswerError(Problem.NEED_CHOICE)
    return clean


# The kind of question each answering press belongs to (Skip and Keep may fit any question).
_PRESS_KINDS: Final = {
    StepAction.PICK: Kind.CHOICE,
    StepAction.TOGGLE: Kind.MULTI,
    StepAction.DONE: Kind.MULTI,
    StepAction.YES: Kind.YES_NO,
    StepAction.NO: Kind.YES_NO,
}


def pressed(step: Step, action: StepAction, value: str, answers: Answers) -> Any:
    """The answer a press under `step` gives: an option picked (`value`), an option ticked or
    unticked, Done under the ticks, Yes, No, Skip (an optional question: no answer) or Keep
    (the answer already given, when changing one answer of a saved profile). Raises
    `AnswerError`: a required
    multiple choice needs a tick (NEED_CHOICE); a press the question does not have, or an
    option it does not offer, needs one of its own buttons (NEED_BUTTON)."""
    kind = _PRESS_KINDS.get(action)
    if kind is not None and step.kind is not kind:
        raise AnswerError(Problem.NEED_BUTTON)
    if action is StepAction.PICK:
        return choose(step, value)
    if action is StepAction.TOGGLE:
        return toggle(step, answers.get(step.code) or [], value)
    if action is StepAction.DONE:
        return finish_multi(step, answers.get(step.code) or [])
    if action is StepAction.SKIP:
        if not step.optional:
            raise AnswerError(Problem.NEED_BUTTON)
        return [] if step.kind is Kind.MULTI else None
    if action is StepAction.KEEP:
        if not answers.get(step.code):
            raise AnswerError(Problem.NEED_BUTTON)
        return answers[step.code]
    return action is StepAction.YES


def changeable(code: str, answers: Answers) -> Step:
    """The step of an answer to change from the summary (`code`, from a press); one that
    is unknown or does not apply to `answers` is refused as out of date."""
    step = get_step(code)
    if step is None or not step.applies_to(answers):
        raise Refused
    return step


def without_stale(answers: Answers) -> dict[str, Any]:
    """Drop answers to steps that no longer apply (e.g. countries after "no cross-border")."""
    kept = {step.code for step in asked_steps(answers)}
    return {code: value for code, value in answers.items() if code in kept}


def is_complete(answers: Answers) -> bool:
    """Every applicable step has an answer (a skip counts)."""
    return first_unanswered(answers) is None
