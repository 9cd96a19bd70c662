"""The steps of /event_new as data (bot.steps), and how a typed answer is taken.

Answers are kept in the FSM data in the shape `Draft.dump` gives (the wizard's own step
codes differ from some of those keys: `start` is kept as `starts_at`, `place` as `link` or
`place`, `registration` as `registration_url`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from bot.handlers.events import parsing
from bot.handlers.events.parsing import (
    DESCRIPTION_MAX,
    PLACE_MAX,
    TITLE_MAX,
    EventError,
    EventProblem,
)
from bot.languages import LANGUAGES
from bot.steps import Answers, Kind, Step, applying, next_code, previous_code
from bot.taxonomy import COUNTRIES, EVENT_KINDS, FOCUS_AREAS, TOPICS, Vocabulary

# The interface languages, by their own names (pickers show them untranslated).
INTERFACE_LANGUAGES: Final = Vocabulary("interface_language", dict(LANGUAGES))


def _internship(answers: Answers) -> bool:
    return answers.get("kind") == "internship"


def _text(limit: int) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        return parsing.clean_text(raw, limit)

    return parse


def _place(raw: str) -> str:
    """An online link (normalised, with its scheme) or a place; what looks like a link
    must be a valid one."""
    value = parsing.clean_text(raw, PLACE_MAX if "://" not in raw else parsing.URL_MAX)
    try:
        return parsing.clean_url(value)
    except EventError:
        if "://" in value or value.lower().startswith("www."):
            raise
        return value


STEPS: Final[tuple[Step, ...]] = (
    Step("kind", Kind.CHOICE, vocabulary=EVENT_KINDS),
    Step("title", Kind.TEXT, parse=_text(TITLE_MAX)),
    Step("description", Kind.TEXT, parse=_text(DESCRIPTION_MAX)),
    Step("start", Kind.MOMENT, key="starts_at"),
    Step("end", Kind.MOMENT, key="ends_at"),
    Step("place", Kind.TEXT, parse=_place),
    # Multi-selects: none ticked means everyone.
    Step("topics", Kind.MULTI, vocabulary=TOPICS),
    Step("focus", Kind.MULTI, vocabulary=FOCUS_AREAS),
    Step("countries", Kind.MULTI, vocabulary=COUNTRIES),
    Step("languages", Kind.MULTI, vocabulary=INTERFACE_LANGUAGES),
    # Internships take applications through it, so only they need it.
    Step(
        "registration",
        Kind.TEXT,
        parse=parsing.clean_url,
        optional_if=lambda answers: not _internship(answers),
        key="registration_url",
    ),
    # Not counted until the kind is known: "step 1 of 11", and 12 for an internship.
    Step("deadline", Kind.MOMENT, applies=_internship),
)

BY_CODE: Final[dict[str, Step]] = {step.code: step for step in STEPS}
FIRST_STEP: Final = STEPS[0].code

# Where the wizard can be besides its steps (kept as `step` in the FSM data).
PREVIEW = "preview"
PUBLISH_AT = "publish_at"


def get_step(code: object) -> Step | None:
    """The step called `code`, or None (the preview, or forged or stale input)."""
    return BY_CODE.get(code) if isinstance(code, str) else None


def take(step: Step, raw: str, answers: Answers, zone: str, now: datetime) -> dict[str, Any]:
    """The answers with `raw`, typed in `zone`, as the answer to `step` (raises EventError)."""
    updated = dict(answers)
    if step.kind is Kind.MOMENT:
        moment = parsing.parse_moment(raw, zone, now)
        start = answers.get("starts_at")
        if step.code == "end" and start and moment <= datetime.fromisoformat(start):
            raise EventError(EventProblem.BEFORE_START)
        if step.code == "deadline" and start and moment >= datetime.fromisoformat(start):
            raise EventError(EventProblem.AFTER_START)
        updated[step.answer_key] = moment.isoformat()
        end = answers.get("ends_at")
        if step.code == "start" and end and datetime.fromisoformat(end) <= moment:
            updated.pop("ends_at")  # asked again: it would end before it starts
    elif step.parse is not None:
        value = step.parse(raw)
        if step.code == "place":  # a link keeps its scheme; a place never has one
            updated["link"], updated["place"] = (value, None) if "://" in value else (None, value)
        else:
            updated[step.answer_key] = value
    return updated


def opened(zone: str) -> dict[str, Any]:
    """The wizard's data as /event_new opens it: at the first step, no answers but the
    time zone (`zone`, the admin's, in which dates are typed), a new event."""
    return {"step": FIRST_STEP, "answers": {"time_zone": zone}, "editing": None, "zone": zone}


def after(data: dict[str, Any], answers: dict[str, Any], code: str) -> str:
    """The step after `code`; once the preview was reached, straight back to it (unless a
    changed start needs a new end)."""
    if data.get("complete") and "ends_at" in answers:
        return PREVIEW
    return next_code(STEPS, code, answers) or PREVIEW


def previous(answers: dict[str, Any], code: str) -> str:
    """Where Back leads: the preview's is the last step; the first step's is itself."""
    if code == PUBLISH_AT:
        return PREVIEW
    if code == PREVIEW:
        return applying(STEPS, answers)[-1].code
    return previous_code(STEPS, code, answers) or code
