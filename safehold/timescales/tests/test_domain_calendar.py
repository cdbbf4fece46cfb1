"""WorkingDayCalendar: hand-checked vectors (STATUTE.md section 9) and properties.

Every expected date below was worked out by hand from a printed calendar and the gov.uk England
and Wales bank-holiday list, not by running the code.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehold.timescales.domain.calendar import WorkingDayCalendar

CAL = WorkingDayCalendar()

dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
counts = st.integers(min_value=0, max_value=300)
positive_counts = st.integers(min_value=1, max_value=300)


def _stepping(cal: WorkingDayCalendar, start: date, n: int) -> date:
    """Oracle: the n-th working day after start, one day at a time."""
    d, seen = start, 0
    while seen < n:
        d += timedelta(days=1)
        if cal.is_working_day(d):
            seen += 1
    return d


# --------------------------------------------------------------------------- STATUTE 9 vectors
# (rule, start, column A = our default "day after is working day 1", column B = start is day 1)
STATUTE_VECTORS = [
    ("assessment 45", date(2025, 12, 1), 45, date(2026, 2, 5), date(2026, 2, 4)),
    ("icpc 15", date(2025, 12, 18), 15, date(2026, 1, 13), date(2026, 1, 12)),
    ("first review 20, Easter 2026", date(2026, 3, 20), 20, date(2026, 4, 21), date(2026, 4, 20)),
    ("core group 10, Christmas 2026", date(2026, 12, 21), 10, date(2027, 1, 7), date(2027, 1, 6)),
    ("referral decision 1", date(2026, 12, 24), 1, date(2026, 12, 29), date(2026, 12, 24)),
]


@pytest.mark.parametrize(("label", "start", "n", "col_a", "col_b"), STATUTE_VECTORS)
def test_statute_section_9_vectors(label: str, start: date, n: int, col_a: date, col_b: date) -> None:
    assert CAL.add_working_days(start, n) == col_a, label
    assert CAL.add_working_days(start, n, start_counts_as_day_one=True) == col_b, label


# --------------------------------------------------------------------------- holidays
@pytest.mark.parametrize(
    "day",
    [
        date(2022, 6, 2),  # Spring bank holiday moved for the Platinum Jubilee
        date(2022, 6, 3),  # Platinum Jubilee
        date(2022, 9, 19),  # State funeral of Queen Elizabeth II
        date(2023, 5, 8),  # Coronation of King Charles III
        date(2022, 12, 26),  # Boxing Day (Monday)
        date(2022, 12, 27),  # Christmas Day substitute (Tuesday)
        date(2023, 1, 2),  # New Year substitute
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 12, 28),  # Boxing Day substitute
        date(2027, 12, 27),  # Christmas Day substitute
        date(2027, 12, 28),  # Boxing Day substitute
    ],
)
def test_bank_holidays_are_not_working_days(day: date) -> None:
    assert day.weekday() < 5
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2022, 5, 30),  # the usual last-Monday-of-May holiday did not happen in 2022
        date(2026, 12, 24),  # Christmas Eve is a working day
        date(2026, 12, 29),
        date(2027, 1, 4),
    ],
)
def test_ordinary_weekdays_are_working_days(day: date) -> None:
    assert CAL.is_working_day(day)


def test_weekends_are_not_working_days() -> None:
    assert not CAL.is_working_day(date(2026, 3, 21))  # Saturday
    assert not CAL.is_working_day(date(2026, 3, 22))  # Sunday


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Christmas 2022: Sun 25, Mon 26 (Boxing Day), Tue 27 (Christmas substitute), Mon 2 Jan 2023.
        (date(2022, 12, 23), 1, date(2022, 12, 28)),
        (date(2022, 12, 23), 5, date(2023, 1, 4)),
        # Easter 2023: Good Friday 7 April, Easter Monday 10 April.
        (date(2023, 4, 6), 1, date(2023, 4, 11)),
        # State funeral, Monday 19 September 2022.
        (date(2022, 9, 16), 1, date(2022, 9, 20)),
        (date(2022, 9, 7), 15, date(2022, 9, 29)),
        # Coronation, Monday 8 May 2023 (and May Day, Monday 1 May 2023).
        (date(2023, 5, 5), 1, date(2023, 5, 9)),
        (date(2023, 5, 5), 5, date(2023, 5, 15)),
        (date(2023, 4, 28), 3, date(2023, 5, 4)),
        # Platinum Jubilee: Thursday 2 and Friday 3 June 2022; Monday 30 May 2022 was a working day.
        (date(2022, 6, 1), 1, date(2022, 6, 6)),
        (date(2022, 5, 27), 1, date(2022, 5, 30)),
        # Christmas 2026: Fri 25, Mon 28 (Boxing Day substitute), Fri 1 Jan 2027.
        (date(2026, 12, 25), 10, date(2027, 1, 12)),
        # Weekend starts (default convention).
        (date(2025, 12, 20), 15, date(2026, 1, 14)),
        (date(2026, 3, 21), 1, date(2026, 3, 23)),
        # Good Friday start.
        (date(2026, 4, 3), 1, date(2026, 4, 7)),
        (date(2026, 4, 3), 2, date(2026, 4, 8)),
        # n = 0 is the start itself; negative n counts back.
        (date(2026, 3, 21), 0, date(2026, 3, 21)),
        (date(2027, 1, 4), -1, date(2026, 12, 31)),
        (date(2026, 4, 7), -1, date(2026, 4, 2)),
    ],
)
def test_default_convention_vectors(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Working-day starts: the start is day 1.
        (date(2023, 4, 6), 2, date(2023, 4, 11)),
        (date(2025, 12, 19), 15, date(2026, 1, 13)),
        (date(2026, 4, 2), 1, date(2026, 4, 2)),
        # Saturday start, n >= 2: pandas rolls back to Friday 19 Dec, which becomes day 1.
        (date(2025, 12, 20), 15, date(2026, 1, 13)),
        # Saturday start, n == 1: pandas rolls forward to Monday.
        (date(2026, 3, 21), 1, date(2026, 3, 23)),
        # Good Friday start: n == 1 rolls forward to Tuesday 7 April; n == 2 rolls back to
        # Thursday 2 April (day 1) and then adds one working day.
        (date(2026, 4, 3), 1, date(2026, 4, 7)),
        (date(2026, 4, 3), 2, date(2026, 4, 7)),
        # Christmas Day 2026 start: rolls back to Thursday 24 December, then 9 working days.
        (date(2026, 12, 25), 10, date(2027, 1, 11)),
    ],
)
def test_start_counts_as_day_one_vectors(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n, start_counts_as_day_one=True) == expected


def test_start_counts_as_day_one_refuses_n_below_one() -> None:
    with pytest.raises(ValueError, match=">= 1"):
        CAL.add_working_days(date(2026, 1, 5), 0, start_counts_as_day_one=True)


# --------------------------------------------------------------------------- closures and extras
def test_closure_days_are_skipped() -> None:
    closures = frozenset({date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)})
    cal = WorkingDayCalendar(closures=closures)
    assert not cal.is_working_day(date(2026, 12, 30))
    assert cal.add_working_days(date(2026, 12, 24), 1) == date(2027, 1, 4)
    assert cal.add_working_days(date(2026, 12, 24), 1, start_counts_as_day_one=True) == date(2026, 12, 24)
    assert cal.add_working_days(date(2026, 12, 29), 2) == date(2027, 1, 5)
    # A closure start under the validator convention rolls back to Thursday 24 December.
    assert cal.add_working_days(date(2026, 12, 29), 2, start_counts_as_day_one=True) == date(2027, 1, 4)


def test_extra_bank_holiday_is_skipped() -> None:
    proclaimed = WorkingDayCalendar(extra_bank_holidays=frozenset({date(2026, 6, 15)}))
    assert CAL.add_working_days(date(2026, 6, 12), 1) == date(2026, 6, 15)
    assert proclaimed.add_working_days(date(2026, 6, 12), 1) == date(2026, 6, 16)
    assert proclaimed.fingerprint != CAL.fingerprint
    assert WorkingDayCalendar().fingerprint == CAL.fingerprint


# --------------------------------------------------------------------------- other methods
def test_working_days_between() -> None:
    assert CAL.working_days_between(date(2025, 12, 1), date(2026, 2, 5)) == 45
    assert CAL.working_days_between(date(2026, 2, 5), date(2025, 12, 1)) == -45
    assert CAL.working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1
    assert CAL.working_days_between(date(2026, 3, 21), date(2026, 3, 22)) == 0
    assert CAL.working_days_between(date(2026, 3, 23), date(2026, 3, 23)) == 0


def test_next_previous_and_rolls() -> None:
    assert CAL.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert CAL.previous_working_day(date(2027, 1, 4)) == date(2026, 12, 31)
    assert CAL.roll_forward(date(2026, 12, 26)) == date(2026, 12, 29)
    assert CAL.roll_backward(date(2026, 12, 26)) == date(2026, 12, 24)
    assert CAL.roll_forward(date(2026, 12, 24)) == date(2026, 12, 24)


def test_far_dates_grow_the_table() -> None:
    cal = WorkingDayCalendar()
    far = cal.add_working_days(date(2020, 1, 1), 5000)
    assert cal.working_days_between(date(2020, 1, 1), far) == 5000
    # 1 January 2020 is a bank holiday, so the working days after `back` up to it number 4999.
    back = cal.add_working_days(date(2020, 1, 1), -5000)
    assert cal.working_days_between(back, date(2020, 1, 1)) == 4999


def test_precompute_rejects_reversed_range() -> None:
    with pytest.raises(ValueError, match="first_year"):
        WorkingDayCalendar().precompute(2030, 2020)


def test_bulk_arithmetic_is_fast() -> None:
    cal = WorkingDayCalendar()
    cal.precompute(2015, 2035)
    starts = [date(2020, 1, 1) + timedelta(days=i % 3650) for i in range(100_000)]
    began = time.perf_counter()
    for start in starts:
        cal.add_working_days(start, 45)
    assert time.perf_counter() - began < 3.0


# --------------------------------------------------------------------------- properties
@given(dates, counts)
def test_due_is_never_before_start(start: date, n: int) -> None:
    assert CAL.add_working_days(start, n) >= start
    if n >= 1:
        assert CAL.add_working_days(start, n, start_counts_as_day_one=True) >= start


@given(dates, dates, positive_counts, st.booleans())
def test_monotonic_in_start(a: date, b: date, n: int, day_one: bool) -> None:
    a, b = min(a, b), max(a, b)
    assert CAL.add_working_days(a, n, start_counts_as_day_one=day_one) <= CAL.add_working_days(
        b, n, start_counts_as_day_one=day_one
    )


@given(dates, positive_counts, positive_counts, st.booleans())
def test_monotonic_in_n(start: date, m: int, n: int, day_one: bool) -> None:
    m, n = min(m, n), max(m, n)
    assert CAL.add_working_days(start, m, start_counts_as_day_one=day_one) <= CAL.add_working_days(
        start, n, start_counts_as_day_one=day_one
    )
    if m < n:
        assert CAL.add_working_days(start, m) < CAL.add_working_days(start, n)


@settings(max_examples=60)
@given(
    dates,
    positive_counts,
    st.booleans(),
    st.frozensets(st.dates(min_value=date(2015, 1, 1), max_value=date(2037, 12, 31)), max_size=40),
)
def test_due_is_never_weekend_holiday_or_closure(start: date, n: int, day_one: bool, closures: frozenset[date]) -> None:
    cal = WorkingDayCalendar(closures=closures)
    due = cal.add_working_days(start, n, start_counts_as_day_one=day_one)
    assert due.weekday() < 5
    assert due not in holidays.country_holidays("GB", subdiv="ENG", years=due.year)
    assert due not in closures


@given(dates, positive_counts)
def test_conventions_differ_by_one_working_day_on_working_day_starts(start: date, n: int) -> None:
    start = CAL.roll_forward(start)
    col_a = CAL.add_working_days(start, n)
    col_b = CAL.add_working_days(start, n, start_counts_as_day_one=True)
    assert CAL.next_working_day(col_b) == col_a
    assert CAL.working_days_between(col_b, col_a) == 1


@given(dates, st.integers(min_value=2, max_value=300))
def test_non_working_start_under_day_one_convention_acts_like_previous_working_day(start: date, n: int) -> None:
    col_a = CAL.add_working_days(start, n)
    col_b = CAL.add_working_days(start, n, start_counts_as_day_one=True)
    assert CAL.working_days_between(col_b, col_a) == 1
    assert col_b == CAL.add_working_days(CAL.roll_backward(start), n, start_counts_as_day_one=True)


@given(dates, counts)
def test_table_matches_day_by_day_stepping(start: date, n: int) -> None:
    assert CAL.add_working_days(start, n) == _stepping(CAL, start, n)


@given(dates, counts)
def test_between_inverts_add(start: date, n: int) -> None:
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@given(dates, positive_counts)
def test_negative_n_walks_back_to_the_last_working_day_on_or_before_start(start: date, n: int) -> None:
    assert CAL.add_working_days(CAL.add_working_days(start, n), -n) == CAL.roll_backward(start)
