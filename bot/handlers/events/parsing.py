"""Typed event input: dates in a zone, texts and links, with reasons."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

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
