"""Calendar-period arithmetic: months, weeks and hours (STATUTE.md section 9, subtlety 5).

Months clamp to the end of the target month: "3 months after 31 January" is 30 April (the safe
reading), and "1 month after 31 January 2024" is 29 February 2024. Weeks are exact multiples of
seven days. Hours are elapsed time.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

__all__ = ["add_hours", "add_months", "add_weeks", "days_in_month"]

D = TypeVar("D", bound=date)


def days_in_month(year: int, month: int) -> int:
    """Number of days in ``month`` of ``year`` (leap years handled)."""
    return _stdlib_calendar.monthrange(year, month)[1]


def add_months(d: D, n: int) -> D:
    """The same day of the month ``n`` months later (earlier if ``n < 0``), clamped to month end.

    Works for ``date`` and ``datetime`` (the time of day is kept).
    Examples: 2024-01-31 + 1 = 2024-02-29; 2023-01-31 + 1 = 2023-02-28; 2024-02-29 + 12 = 2025-02-28.
    """
    months = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(months, 12)
    month = month0 + 1
    day = min(d.day, days_in_month(year, month))
    return d.replace(year=year, month=month, day=day)


def add_weeks(d: D, n: int) -> D:
    """``d`` plus ``7 * n`` days (for ``date`` or ``datetime``)."""
    return d + timedelta(weeks=n)


def add_hours(dt: datetime, n: int) -> datetime:
    """``dt`` plus ``n`` hours of elapsed time.

    For an aware datetime the arithmetic is done in UTC and the result converted back to the
    original zone, so "72 hours" across a clock change is 72 real hours (the wall-clock result
    moves by 71 or 73 hours). A naive datetime is treated as wall-clock time.
    """
    if dt.tzinfo is not None and dt.utcoffset() is not None:
        return (dt.astimezone(UTC) + timedelta(hours=n)).astimezone(dt.tzinfo)
    return dt + timedelta(hours=n)
