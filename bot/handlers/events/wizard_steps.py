"""The steps of /event_new as data (bot.steps), and how a typed answer is taken: dates in
the admin's zone, texts and links, with the reason when one is not.

Answers are kept in the FSM data in the shape `Draft.dump` gives (the wizard's own step
codes differ from some of those keys: `start` is kept as `starts_at`, `place` as `link` or
`place`, `registration` as `registration_url`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo

from bot.languages import LANGUAGES
from bot.steps import Answers, Kind, Step, applying, next_code, previous_code
from bot.taxonomy import COUNTRIES, EVENT_KINDS, FOCUS_AREAS, TOPICS, Vocabulary
from bot.validation import AnswerError, normalise_url

TITLE_MAX: Final = 200


DESCRIPTION_MAX: Final = 3000


PLACE_MAX: Final = 300


URL_MAX: Final = 512


HORIZON: Final = timedelta(days=3 * 365)  # events further ahead are typing mistakes


DATE_FORMATS: Final = ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")


_DATE_SHAPE = re.compile(
    r"^(\d{1,2})[./](\d{1,2})[./](\d{4})\s+(\d{1,2})[:.](\d{2})$|"
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2})[:.](\d{2})$"
)


class EventProblem(StrEnum):
    """Why an answer in /event_new was not taken."""

    FORMAT = "format"  # not a date and time
    IMPOSSIBLE = "impossible"  # 31.02, 25:00
    PAST = "past"
    TOO_FAR = "too_far"
    BEFORE_START = "before_start"
    AFTER_START = "after_start"  # an application deadline after the start
    LATE_PUBLICATION = "late_publication"  # published only after it starts
    TOO_LONG = "too_long"
    EMPTY = "empty"
    NOT_URL = "not_url"


class EventError(Exception):
    """An answer that cannot be taken; `limit` for TOO_LONG."""

    def __init__(self, problem: EventProblem, limit: int = 0, length: int = 0) -> None:
        super().__init__(problem.value)
        self.problem, self.limit, self.length = problem, limit, length


def parse_moment(text: str, zone: str, now: datetime) -> datetime:
    """`14.12.2026 15:00` or `2026-12-14 15:00` in `zone`, as an aware UTC moment."""
    cleaned = " ".join(text.split())
    shape = _DATE_SHAPE.match(cleaned)
    if shape is None:
        raise EventError(EventProblem.FORMAT)
    normalised = re.sub(r"[./]", ".", cleaned) if shape.group(1) else cleaned.replace("T", " ")
    normalised = re.sub(r"(\d)\.(\d{2})$", r"\1:\2", normalised)
    for pattern in ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"):
        try:
            local = datetime.strptime(normalised, pattern)
        except ValueError:
            continue
        moment = local.replace(tzinfo=ZoneInfo(zone)).astimezone(now.tzinfo)
        if moment <= now:
            raise EventError(EventProblem.PAST)
        if moment > now + HORIZON:
            raise EventError(EventProblem.TOO_FAR)
        return moment
    raise EventError(EventProblem.IMPOSSIBLE)


def publication_moment(text: str, zone: str, now: datetime, starts_at: str) -> datetime:
    """When to publish, typed as `parse_moment` takes it: before the start (`starts_at`, as
    the wizard keeps it), else EventError."""
    when = parse_moment(text, zone, now)
    if when >= datetime.fromisoformat(starts_at):
        raise EventError(EventProblem.LATE_PUBLICATION)
    return when


def clean_text(text: str | None, limit: int) -> str:
    """Trimmed text within `limit` characters."""
    value = (text or "").strip()
    if not value:
        raise EventError(EventProblem.EMPTY)
    if len(value) > limit:
        raise EventError(EventProblem.TOO_LONG, limit, len(value))
    return value


def clean_url(text: str | None) -> str:
    """An http(s) URL within the length limit."""
    value = clean_text(text, URL_MAX)
    try:
        return normalise_url(value)
    except AnswerError:
        raise EventError(EventProblem.NOT_URL) from None


# The interface languages, by their own names (pickers show them untranslated).
INTERFACE_LANGUAGES: Final = Vocabulary("interface_language", dict(LANGUAGES))


def _internship(answers: Answers) -> bool:
    return answers.get("kind") == "internship"


def _text(limit: int) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        return clean_text(raw, limit)

    return parse


def _place(raw: str) -> str:
    """An online link (normalised, with its scheme) or a place; what looks like a link
    must be a valid one."""
    value = clean_text(raw, PLACE_MAX if "://" not in raw else URL_MAX)
    try:
        return clean_url(value)
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
        parse=clean_url,
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
        moment = parse_moment(raw, zone, now)
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
