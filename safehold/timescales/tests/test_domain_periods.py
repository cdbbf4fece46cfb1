"""Calendar-period arithmetic: months clamp at month end, weeks are 7 days, hours are elapsed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehold.timescales.domain.periods import add_hours, add_months, add_weeks, days_in_month

LONDON = ZoneInfo("Europe/London")
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
months = st.integers(min_value=-240, max_value=240)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 1, 31), 3, date(2025, 4, 30)),  # "3 months from 31 Jan" is 30 April
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2023, 12, 31), 2, date(2024, 2, 29)),
        (date(2026, 5, 17), 0, date(2026, 5, 17)),
    ],
)
def test_add_months_vectors(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


def test_add_months_keeps_time_of_day() -> None:
    start = datetime(2024, 1, 31, 9, 30, tzinfo=LONDON)
    assert add_months(start, 1) == datetime(2024, 2, 29, 9, 30, tzinfo=LONDON)


@given(dates, months)
def test_add_months_properties(start: date, n: int) -> None:
    result = add_months(start, n)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == n
    assert result.day == min(start.day, days_in_month(result.year, result.month))
    if n >= 0:
        assert result >= start


@given(dates.filter(lambda d: d.day <= 28), months)
def test_add_months_is_invertible_below_day_29(start: date, n: int) -> None:
    assert add_months(add_months(start, n), -n) == start


def test_add_weeks() -> None:
    assert add_weeks(date(2026, 3, 20), 1) == date(2026, 3, 27)
    assert add_weeks(date(2026, 3, 27), 6) == date(2026, 5, 8)
    assert add_weeks(date(2026, 1, 5), 26) == date(2026, 7, 6)


@given(dates, st.integers(min_value=-500, max_value=500))
def test_add_weeks_is_seven_days_each(start: date, n: int) -> None:
    assert (add_weeks(start, n) - start) == timedelta(days=7 * n)


def test_add_hours_is_elapsed_time_across_clock_changes() -> None:
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026: 72 real hours ends at 21:00 BST.
    spring = add_hours(datetime(2026, 3, 27, 20, 0, tzinfo=LONDON), 72)
    assert spring == datetime(2026, 3, 30, 21, 0, tzinfo=LONDON)
    assert (spring.hour, spring.utcoffset()) == (21, timedelta(hours=1))
    # Clocks go back on Sunday 25 October 2026: 72 real hours from 20:00 BST ends at 19:00 GMT.
    autumn = add_hours(datetime(2026, 10, 23, 20, 0, tzinfo=LONDON), 72)
    assert (autumn.day, autumn.hour, autumn.utcoffset()) == (26, 19, timedelta(0))


def test_add_hours_without_clock_change() -> None:
    start = datetime(2026, 6, 1, 8, 15, tzinfo=LONDON)
    assert add_hours(start, 72) == datetime(2026, 6, 4, 8, 15, tzinfo=LONDON)
