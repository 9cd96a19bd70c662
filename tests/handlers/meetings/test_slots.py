"""The rules of times a call may be proposed for, without a bot: typed times, the days and
time buttons offered, an hour ahead at least, thirty days at most, working hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.handlers.meetings import slots
from bot.handlers.meetings.slots import Slot, SlotProblem

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 13:00 in Yerevan, 14:00 in Almaty


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("15:30", time(15, 30)), (" 9.05 ", time(9, 5)), ("00:00", time(0)), ("23:59", time(23, 59))],
)
def test_typed_times_are_read(typed: str, expected: time) -> None:
    assert slots.parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["", "24:00", "15:60", "1530", "half past four", "15:3", "-1:00"])
def test_what_is_not_a_time_is_refused(typed: str) -> None:
    assert slots.parse_time(typed) is None


def test_forged_codes_are_refused() -> None:
    assert slots.parse_day("2026-13-45") is None and slots.parse_day("tomorrow") is None
    assert slots.parse_time_code("2500") is None and slots.parse_time_code("15:30") is None
    assert slots.parse_day("2026-12-01") == date(2026, 12, 1)


def test_time_buttons_start_an_hour_ahead_and_stop_at_half_past_seven() -> None:
    today = slots.times(date(2026, 11, 27), "Asia/Yerevan", NOW)
    assert today[0] == time(14) and today[-1] == time(19, 30)
    assert len(slots.times(date(2026, 11, 28), "Asia/Yerevan", NOW)) == 22


def test_fourteen_days_from_tomorrow_once_today_has_no_time_left() -> None:
    evening = NOW.replace(hour=16)  # 20:00 in Yerevan
    offered = slots.days(evening, "Asia/Yerevan")
    assert offered[0] == date(2026, 11, 28) and len(offered) == 14
    assert slots.days(NOW, "Asia/Yerevan")[0] == date(2026, 11, 27)


def test_an_hour_ahead_at_least_thirty_days_at_most() -> None:
    assert slots.problem(NOW + timedelta(minutes=59), NOW) is SlotProblem.TOO_SOON
    assert slots.problem(NOW + timedelta(hours=1), NOW) is None
    assert slots.problem(NOW + timedelta(days=30, minutes=1), NOW) is SlotProblem.TOO_FAR
    assert slots.day_problem(date(2026, 11, 26), "Asia/Yerevan", NOW) is SlotProblem.PAST_DAY
    assert slots.day_problem(date(2026, 11, 27), "Asia/Yerevan", NOW) is None


def test_working_hours_of_the_other_side() -> None:
    morning = Slot(slots.at(date(2026, 12, 1), time(7, 30), "Asia/Yerevan"), 30)
    assert slots.outside_hours(morning, "Asia/Almaty")  # 08:30 there
    noon = Slot(slots.at(date(2026, 12, 1), time(12), "Asia/Yerevan"), 60)
    assert not slots.outside_hours(noon, "Asia/Almaty")
    late = Slot(slots.at(date(2026, 12, 1), time(19), "Asia/Yerevan"), 30)
    assert slots.outside_hours(late, "Asia/Almaty")  # ends 20:30 there


def test_a_slot_survives_the_wizard_state() -> None:
    slot = Slot(datetime(2026, 12, 1, 11, tzinfo=UTC), 45)
    assert Slot.unpacked(slot.packed()) == slot
