"""England and Wales working-day calendar.

A *working day* is any day other than a Saturday, a Sunday, a bank or public holiday in England and
Wales (Christmas Day and Good Friday included; substitute "observed" days included), an extra bank
holiday passed in (for one proclaimed at short notice, before the ``holidays`` package knows of it)
or a closure day of the local authority passed in. Bank holidays come from
``holidays.country_holidays("GB", subdiv="ENG")`` (STATUTE.md section 9).

Counting conventions (STATUTE.md section 9, subtlety 4)
-------------------------------------------------------
Default (``start_counts_as_day_one=False``): the start date is **day 0** and the due date is the
N-th working day *after* it, whatever kind of day the start is. "Within 45 working days of a
referral on Monday 1 December 2025" gives Thursday 5 February 2026. This fits the DfE duration bands
("started and finished the same day" = 0 days).

``start_counts_as_day_one=True`` reproduces the DfE CIN validator exactly, which computes
``start + pandas.offsets.CustomBusinessDay(n - 1)``. pandas hands that to ``numpy.busday_offset``
with ``roll="forward"`` when the offset ``n - 1 <= 0`` and ``roll="backward"`` when ``n - 1 > 0``.
Hence:

* start on a working day: the start is day 1 and the due date is ``n - 1`` working days after it,
  one working day earlier than the default convention.
* start on a non-working day (weekend, bank holiday, closure), ``n == 1``: rolled *forward* to the
  next working day, which is the due date (the same as the default convention).
* start on a non-working day, ``n >= 2``: rolled *backward* to the previous working day, which is
  then treated as day 1. The due date is the ``(n - 1)``-th working day after the start, one
  working day earlier than the default convention, and the same date as for a start on that
  previous working day. (A reading of "roll forward to the next working day, then add ``n - 1``"
  would give the default convention's date here instead; that is not what pandas does.)
* ``n < 1`` is refused: the validator never asks for it and numpy's answer (a date before the
  start) is not a deadline.

Performance
-----------
``is_working_day`` is a weekday test plus set look-ups against a per-year cache of bank holidays.
Arithmetic (``add_working_days``, ``working_days_between``, ``next_working_day``...) uses a table
built once over a range of years: the sorted list of working-day ordinals plus a prefix count of
working days for every calendar day, so each call is O(1) after the table exists. The table grows
on demand (rebuilt for the wider range, then swapped in with one assignment, so concurrent readers
always see a consistent table). Call :meth:`WorkingDayCalendar.precompute` before bulk work to
build it once for the years you need.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version as _package_version

import holidays

__all__ = ["WorkingDayCalendar"]

_MARGIN_YEARS = 1


@dataclass(frozen=True, slots=True)
class _Table:
    """Working days between 1 January ``first_year`` and 31 December ``last_year`` inclusive."""

    first_year: int
    last_year: int
    first_ordinal: int
    last_ordinal: int
    # working_ordinals[i] is the ordinal of the (i + 1)-th working day in the range.
    working_ordinals: tuple[int, ...]
    # cumulative[k] = number of working days in [first_ordinal, first_ordinal + k].
    cumulative: tuple[int, ...]


class WorkingDayCalendar:
    """England and Wales working days, with local-authority closures and extra bank holidays.

    Instances are immutable in configuration (the closure and extra-holiday sets are frozen) and
    cache derived data internally, so one instance can be shared for a whole bulk run.
    """

    def __init__(
        self,
        closures: frozenset[date] = frozenset(),
        extra_bank_holidays: frozenset[date] = frozenset(),
    ) -> None:
        self._closures = frozenset(closures)
        self._extra = frozenset(extra_bank_holidays)
        self._non_working_extra = self._closures | self._extra
        self._holidays_by_year: dict[int, frozenset[date]] = {}
        self._table: _Table | None = None

    # ------------------------------------------------------------------ configuration
    @property
    def closures(self) -> frozenset[date]:
        """Local-authority closure days (not working days)."""
        return self._closures

    @property
    def extra_bank_holidays(self) -> frozenset[date]:
        """Bank holidays added on top of the ``holidays`` package (e.g. newly proclaimed ones)."""
        return self._extra

    @property
    def fingerprint(self) -> str:
        """A short digest of everything that decides which days are working days.

        Store it beside materialised deadlines: when it changes (a new closure, a newly
        proclaimed bank holiday, a new ``holidays`` release) the due dates must be recomputed.
        """
        parts = [f"holidays={_package_version('holidays')}"]
        parts += [f"c{d.isoformat()}" for d in sorted(self._closures)]
        parts += [f"x{d.isoformat()}" for d in sorted(self._extra)]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    # ------------------------------------------------------------------ day tests
    def bank_holidays(self, year: int) -> frozenset[date]:
        """England and Wales bank and public holidays in ``year`` from ``holidays`` (cached).

        Includes both a holiday falling at a weekend and its weekday substitute; excludes the
        extra bank holidays and closures passed to this calendar.
        """
        cached = self._holidays_by_year.get(year)
        if cached is None:
            cached = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())
            self._holidays_by_year[year] = cached
        return cached

    def is_working_day(self, d: date) -> bool:
        """True unless ``d`` is a weekend, bank holiday, extra bank holiday or closure day."""
        if d.weekday() >= 5:
            return False
        if d in self._non_working_extra:
            return False
        return d not in self.bank_holidays(d.year)

    # ------------------------------------------------------------------ bulk table
    def precompute(self, first_year: int, last_year: int) -> None:
        """Build (or widen) the working-day table to cover ``first_year``..``last_year``.

        Optional: arithmetic builds what it needs on demand. Call it before bulk work so the
        table is built once instead of grown a few times.
        """
        if first_year > last_year:
            raise ValueError("first_year must not be after last_year")
        table = self._table
        if table is not None and table.first_year <= first_year and table.last_year >= last_year:
            return
        if table is not None:
            first_year = min(first_year, table.first_year)
            last_year = max(last_year, table.last_year)
        self._table = self._build_table(first_year, last_year)

    def _build_table(self, first_year: int, last_year: int) -> _Table:
        first_ordinal = date(first_year, 1, 1).toordinal()
        last_ordinal = date(last_year, 12, 31).toordinal()
        working: list[int] = []
        cumulative: list[int] = []
        count = 0
        day = date(first_year, 1, 1)
        one = timedelta(days=1)
        for ordinal in range(first_ordinal, last_ordinal + 1):
            if self.is_working_day(day):
                count += 1
                working.append(ordinal)
            cumulative.append(count)
            if ordinal != last_ordinal:
                day += one
        return _Table(
            first_year=first_year,
            last_year=last_year,
            first_ordinal=first_ordinal,
            last_ordinal=last_ordinal,
            working_ordinals=tuple(working),
            cumulative=tuple(cumulative),
        )

    def _table_for(self, d: date) -> _Table:
        table = self._table
        if table is None or not table.first_year < d.year < table.last_year:
            # Keep a year of margin either side so a start near a year boundary has room.
            self.precompute(d.year - _MARGIN_YEARS, d.year + _MARGIN_YEARS)
            table = self._table
            assert table is not None
        return table

    def _count_through(self, table: _Table, d: date) -> int:
        """Working days from the table start up to and including ``d``."""
        return table.cumulative[d.toordinal() - table.first_ordinal]

    def _nth(self, table: _Table, index: int) -> date | None:
        """The working day at 0-based ``index`` in the table, or None if outside it."""
        if 0 <= index < len(table.working_ordinals):
            return date.fromordinal(table.working_ordinals[index])
        return None

    def _grow_for(self, d: date, n: int) -> None:
        # A year in England and Wales has at least 240 working days.
        years = abs(n) // 240 + 1 + _MARGIN_YEARS
        self.precompute(max(d.year - years, date.min.year), min(d.year + years, date.max.year))

    # ------------------------------------------------------------------ arithmetic
    def add_working_days(self, start: date, n: int, *, start_counts_as_day_one: bool = False) -> date:
        """The due date ``n`` working days from ``start``.

        Default convention: ``start`` is day 0 and the result is the ``n``-th working day after
        it (``n == 0`` returns ``start`` itself; negative ``n`` counts back: the ``|n|``-th working
        day before ``start``).

        ``start_counts_as_day_one=True``: the DfE CIN validator's
        ``start + CustomBusinessDay(n - 1)``. A working-day start is day 1. For a non-working
        start, ``n == 1`` rolls forward to the next working day and ``n >= 2`` rolls back to the
        previous working day, which is day 1 (see the module docstring). ``n`` must be >= 1.
        """
        if start_counts_as_day_one and n < 1:
            raise ValueError("with start_counts_as_day_one the number of working days must be >= 1")
        for _attempt in range(64):
            table = self._table_for(start)
            through = self._count_through(table, start)
            if start_counts_as_day_one:
                if n == 1:
                    index = through if not self.is_working_day(start) else through - 1
                else:
                    # Roll back to the last working day <= start (index through - 1), add n - 1.
                    index = through - 1 + (n - 1)
            elif n > 0:
                index = through + n - 1
            elif n == 0:
                return start
            else:
                before = through - (1 if self.is_working_day(start) else 0)
                index = before + n
            result = self._nth(table, index)
            if result is not None:
                return result
            self._grow_for(start, n)
        raise OverflowError("working-day arithmetic did not converge")  # pragma: no cover

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days after ``a`` up to and including ``b``; negative if ``b < a``.

        ``working_days_between(a, add_working_days(a, n)) == n`` for every ``n >= 0``.
        """
        if b < a:
            return -self.working_days_between(b, a)
        self._table_for(a)
        self._table_for(b)
        table = self._table
        assert table is not None
        return self._count_through(table, b) - self._count_through(table, a)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        return self.add_working_days(d, -1)

    def roll_forward(self, d: date) -> date:
        """``d`` if it is a working day, otherwise the next working day."""
        return d if self.is_working_day(d) else self.next_working_day(d)

    def roll_backward(self, d: date) -> date:
        """``d`` if it is a working day, otherwise the previous working day."""
        return d if self.is_working_day(d) else self.previous_working_day(d)
