"""The times a call may be proposed for: days and times offered, a typed time read, each
slot checked (an hour ahead at least, thirty days at most) and placed in two zones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

LENGTHS: Final = (30, 45, 60)
MAX_SLOTS: Final = 3
DAYS_OFFERED: Final = 14
MIN_AHEAD: Final = timedelta(hours=1)
MAX_AHEAD: Final = timedelta(days=30)
OPEN_PER_PAIR: Final = 3
REMIND_BEFORE: Final = timedelta(minutes=15)
FOLLOW_UP_AFTER: Final = timedelta(days=1)
WORK_START: Final = time(9)  # a slot outside 09:00–20:00 for the other side is flagged
WORK_END: Final = time(20)
FIRST_BUTTON: Final = time(9)  # time buttons every 30 minutes, 09:00 … 19:30
LAST_BUTTON: Final = time(19, 30)
STEP: Final = timedelta(minutes=30)
TYPED: Final = re.compile(r"^\s*([01]?\d|2[0-3])\s*[:.]\s*([0-5]\d)\s*$")
DAY_CODE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_CODE: Final = re.compile(r"^([01]\d|2[0-3])([0-5]\d)$")


class SlotProblem(StrEnum):
    """Why a slot cannot be offered."""

    NOT_A_TIME = "not_a_time"
    PAST_DAY = "past_day"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"


@dataclass(frozen=True)
class Slot:
    """A start (UTC) and a length in minutes."""

    starts_at: datetime
    minutes: int

    @property
    def ends_at(self) -> datetime:
        """When the call ends."""
        return self.starts_at + timedelta(minutes=self.minutes)

    def packed(self) -> list[str | int]:
        """As kept in the wizard's state."""
        return [self.starts_at.astimezone(UTC).isoformat(), self.minutes]

    @classmethod
    def unpacked(cls, value: list[str | int]) -> Slot:
        """From the wizard's state."""
        return cls(datetime.fromisoformat(str(value[0])), int(value[1]))


def today(now: datetime, zone: str) -> date:
    """The date it is in `zone`."""
    return now.astimezone(ZoneInfo(zone)).date()


def days(now: datetime, zone: str) -> list[date]:
    """The next 14 days in `zone`, today included while a time button is left on it."""
    first = today(now, zone)
    if not times(first, zone, now):
        first += timedelta(days=1)
    return [first + timedelta(days=n) for n in range(DAYS_OFFERED)]


def times(day: date, zone: str, now: datetime) -> list[time]:
    """The time buttons of `day`: every 30 minutes in working hours, an hour ahead at least."""
    found = []
    moment = datetime.combine(day, FIRST_BUTTON)
    last = datetime.combine(day, LAST_BUTTON)
    while moment <= last:
        if at(day, moment.time(), zone) >= now + MIN_AHEAD:
            found.append(moment.time())
        moment += STEP
    return found


def at(day: date, clock_time: time, zone: str) -> datetime:
    """`clock_time` on `day` in `zone`, as a UTC moment."""
    return datetime.combine(day, clock_time, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def parse_day(code: str) -> date | None:
    """A day's callback code ("2026-12-08"), or None if forged."""
    if not DAY_CODE.match(code):
        return None
    try:
        return date.fromisoformat(code)
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    """A typed time ("15:30", "9.00"), or None if it is not one."""
    found = TYPED.match(text)
    return time(int(found[1]), int(found[2])) if found else None


def parse_time_code(code: str) -> time | None:
    """A time button's code ("1530"), or None if forged."""
    found = TIME_CODE.match(code)
    return time(int(found[1]), int(found[2])) if found else None


def time_code(value: time) -> str:
    """A time button's code."""
    return value.strftime("%H%M")


def day_problem(day: date, zone: str, now: datetime) -> SlotProblem | None:
    """Whether a day can hold a slot (today or later, within 30 days)."""
    if day < today(now, zone):
        return SlotProblem.PAST_DAY
    if at(day, time(0), zone) > now + MAX_AHEAD:
        return SlotProblem.TOO_FAR
    return None


def problem(starts_at: datetime, now: datetime) -> SlotProblem | None:
    """Whether a start can be offered: an hour ahead at least, thirty days at most."""
    if starts_at < now + MIN_AHEAD:
        return SlotProblem.TOO_SOON
    if starts_at > now + MAX_AHEAD:
        return SlotProblem.TOO_FAR
    return None


def outside_hours(slot: Slot, zone: str) -> bool:
    """Whether the call falls outside 09:00–20:00 in `zone` (start or end)."""
    tz = ZoneInfo(zone)
    start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
    return start.time() < WORK_START or end.date() != start.date() or end.time() > WORK_END
