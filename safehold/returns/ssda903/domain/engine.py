"""The rule engine: each DfE rule is a named unit registered for the collection years it applies to.

A rule is a generator over a :class:`Context` that yields ``(table, row)`` for every row it flags. The
context indexes the return once (by child, episodes in date order, parsed dates), so a whole borough
validates in well under a second.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from safehold.returns.ssda903.domain.dates import CollectionYear, add_years, parse
from safehold.returns.ssda903.domain.tables import COLUMNS, Episode, Header, Return903

if TYPE_CHECKING:
    from safehold.returns.ssda903.domain.reference import Reference

#: Collection years (the year 31 March falls in) this registry knows.
YEARS: tuple[int, ...] = (2026, 2027)

T = TypeVar("T")
_UNKNOWN: Any = object()
Hit = tuple[str, Any]
RuleFunc = Callable[["Context"], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Failure:
    rule_code: str
    child_id: str
    message: str
    table: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    tables: tuple[str, ...]
    fields: tuple[str, ...]
    years: frozenset[int]
    func: RuleFunc
    needs_previous: bool = False
    #: Reference inputs the rule needs besides the return ("providers", "postcodes", "la": see reference.py).
    needs: tuple[str, ...] = ()
    source: str = "DfE SSDA903 validation rules"

    def fields_in(self, table: str) -> tuple[str, ...]:
        cols = COLUMNS.get(table, ())
        return tuple(f for f in self.fields if f in cols) or self.fields


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    message: str,
    *,
    tables: tuple[str, ...],
    fields: tuple[str, ...] = (),
    years: Iterable[int] = YEARS,
    needs_previous: bool = False,
    needs: Iterable[str] = (),
) -> Callable[[RuleFunc], RuleFunc]:
    """Register ``func`` as DfE rule ``code``. ``tables`` must all be present in the return for it to run."""

    def register(func: RuleFunc) -> RuleFunc:
        if code in REGISTRY:
            raise ValueError(f"rule {code} registered twice")
        REGISTRY[code] = Rule(
            code=code,
            message=message,
            tables=tables,
            fields=fields,
            years=frozenset(years),
            func=func,
            needs_previous=needs_previous,
            needs=tuple(needs),
        )
        return func

    return register


def rules_for_year(year: int) -> dict[str, Rule]:
    _load()
    return {code: r for code, r in REGISTRY.items() if year in r.years}


def _load() -> None:
    from safehold.returns.ssda903.domain import rules  # noqa: F401  (registers every rule)


def blank(value: str) -> bool:
    return value == ""


class Context:
    """The return (and last year's, when given) indexed for the rules."""

    def __init__(self, ret: Return903, previous: Return903 | None = None, reference: Reference | None = None):
        self.ret = ret
        self.previous = previous
        self.reference = reference
        self.cy = CollectionYear(ret.year)
        self.start = self.cy.start
        self.end = self.cy.end

    # --- indexes -------------------------------------------------------------------------------
    @cached_property
    def header_by_child(self) -> dict[str, Header]:
        out: dict[str, Header] = {}
        for h in self.ret.header:
            out.setdefault(h.CHILD, h)
        return out

    @cached_property
    def episodes_by_child(self) -> dict[str, list[Episode]]:
        """Each child's episodes ordered by start date (rows with no readable start last, in file order)."""
        out: dict[str, list[Episode]] = {}
        get = out.get
        for e in self.ret.episodes:
            eps = get(e.CHILD)
            if eps is None:
                out[e.CHILD] = [e]
            else:
                eps.append(e)
        far = dt.date.max
        for eps in out.values():
            if len(eps) > 1:
                eps.sort(key=lambda e: parse(e.DECOM) or far)
        return out

    @cached_property
    def episode_pairs(self) -> list[tuple[Episode, Episode]]:
        """Each (previous, next) pair of a child's consecutive episodes in :attr:`episodes_by_child` order."""
        return [
            pair for eps in self.episodes_by_child.values() if len(eps) > 1 for pair in zip(eps, eps[1:], strict=False)
        ]

    @cached_property
    def children_with_episodes(self) -> frozenset[str]:
        return frozenset(self.episodes_by_child)

    @cached_property
    def dobs(self) -> dict[str, dt.date | None]:
        """Each child's date of birth from the header (None when unreadable)."""
        return {child: parse(h.DOB) for child, h in self.header_by_child.items()}

    def dob(self, child: str) -> dt.date | None:
        return self.dobs.get(child)

    @cached_property
    def _birthdays(self) -> dict[int, dict[str, dt.date | None]]:
        return {}

    def birthday(self, child: str, years: int) -> dt.date | None:
        """The child's ``years``-th birthday (None without a readable date of birth); remembered per child, as
        several rules ask for the same birthdays."""
        known = self._birthdays.get(years)
        if known is None:
            known = self._birthdays[years] = {}
        day = known.get(child, _UNKNOWN)
        if day is _UNKNOWN:
            dob = self.dobs.get(child)
            day = known[child] = add_years(dob, years) if dob is not None else None
        return day  # type: ignore[return-value]

    def rows_by_child(self, table: str) -> dict[str, list[Any]]:
        cache: dict[str, dict[str, list[Any]]] = self.__dict__.setdefault("_rows_by_child", {})
        if table not in cache:
            grouped: dict[str, list[Any]] = {}
            get = grouped.get
            for r, child in zip(self.ret.rows(table), self.column(table, "CHILD"), strict=False):
                rows = get(child)
                if rows is None:
                    grouped[child] = [r]
                else:
                    rows.append(r)
            cache[table] = grouped
        return cache[table]

    # --- derived facts -------------------------------------------------------------------------
    def in_year(self, e: Episode) -> bool:
        """The episode overlaps the collection year."""
        decom, dec = parse(e.DECOM), parse(e.DEC)
        return decom is not None and decom <= self.end and (dec is None or dec >= self.start)

    @cached_property
    def continuously_looked_after(self) -> frozenset[str]:
        """Children looked after throughout the year (the OC2 cohort), as the DfE rules define it:
        in care during the year, with no episode in the year that starts a period of care after
        1 April, ends one (any reason but X1) before 31 March, or is a short break (V3/V4)."""
        start, end = self.start, self.end
        during: set[str] = set()
        broken: set[str] = set()
        column = self.column
        for child, decom, dec, rne, rec, ls in zip(
            column("Episodes", "CHILD"),
            self.dates("Episodes", "DECOM"),
            self.dates("Episodes", "DEC"),
            column("Episodes", "RNE"),
            column("Episodes", "REC"),
            column("Episodes", "LS"),
            strict=False,
        ):
            in_year = decom is not None and decom <= end and (dec is None or dec >= start)
            if in_year:
                during.add(child)
                if ls in ("V3", "V4"):
                    broken.add(child)
            if rne == "S" and decom is not None and start < decom <= end:
                broken.add(child)
            elif rec != "X1" and dec is not None and start <= dec < end:
                broken.add(child)
        return frozenset(during - broken)

    @cached_property
    def _last_dated_episode(self) -> dict[str, Episode]:
        out: dict[str, Episode] = {}
        for child, eps in self.episodes_by_child.items():
            for e in reversed(eps):  # undated episodes sort last
                if parse(e.DECOM) is not None:
                    out[child] = e
                    break
        return out

    def last_episode(self, child: str) -> Episode | None:
        """The child's latest episode with a readable start date."""
        return self._last_dated_episode.get(child)

    # --- columns ---------------------------------------------------------------------------------
    def column(self, table: str, field: str) -> list[str]:
        """``field`` of every row of ``table``, in file order (read once per return and shared, so a rule can
        ``zip`` the rows with the values it tests instead of looking the attribute up on every row)."""
        cache: dict[tuple[str, str], list[str]] = self.__dict__.setdefault("_columns", {})
        values = cache.get((table, field))
        if values is None:
            values = cache[table, field] = list(map(attrgetter(field), self.ret.rows(table)))
        return values

    def distinct(self, table: str, field: str) -> frozenset[str]:
        """The distinct values of ``field`` in ``table``: a rule about single values can test these first and
        pass over the rows only when one of them fails."""
        cache: dict[tuple[str, str], frozenset[str]] = self.__dict__.setdefault("_distinct", {})
        values = cache.get((table, field))
        if values is None:
            values = cache[table, field] = frozenset(self.column(table, field))
        return values

    def distinct_tuples(self, table: str, *fields: str) -> frozenset[tuple[str, ...]]:
        """The distinct combinations of ``fields`` in ``table`` (as :meth:`distinct`, for several fields)."""
        cache: dict[tuple[str, tuple[str, ...]], frozenset[tuple[str, ...]]] = self.__dict__.setdefault(
            "_distinct_tuples", {}
        )
        values = cache.get((table, fields))
        if values is None:
            values = cache[table, fields] = frozenset(zip(*(self.column(table, f) for f in fields), strict=True))
        return values

    def dates(self, table: str, field: str) -> list[dt.date | None]:
        """``field`` of every row of ``table`` read as a date (None when blank or not a date), in file order."""
        cache: dict[tuple[str, str], list[dt.date | None]] = self.__dict__.setdefault("_dates", {})
        values = cache.get((table, field))
        if values is None:
            values = cache[table, field] = list(map(parse, self.column(table, field)))
        return values

    def rows_with(self, table: str, field: str, values: Iterable[str]) -> list[Any]:
        """The rows of ``table`` whose ``field`` is one of ``values``, in file order: a rule about, say, one
        placement type loops over these (often none) instead of over the whole table."""
        distinct = self.distinct(table, field)
        present = distinct.intersection(values)
        if not present:
            return []
        if len(present) == len(distinct):
            return self.ret.rows(table)
        cache: dict[tuple[str, str, frozenset[str]], list[Any]] = self.__dict__.setdefault("_rows_with", {})
        rows = cache.get((table, field, present))
        if rows is None:
            rows = cache[table, field, present] = [
                r for r, v in zip(self.ret.rows(table), self.column(table, field), strict=False) if v in present
            ]
        return rows

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """A value computed once per return and shared by every rule that asks for it under ``key`` (e.g. an
        index several rules of a module use). ``key`` should name the module that builds it."""
        cache: dict[str, Any] = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = build()
        value: T = cache[key]
        return value


def validate(ret: Return903, previous: Return903 | None = None, reference: Reference | None = None) -> list[Failure]:
    """Run every rule of the return's collection year; rules needing last year's return run only with it, and
    rules needing reference data (Ofsted's provider list, the postcode directory, the LA's code) only with it."""
    ctx = Context(ret, previous, reference)
    failures: list[Failure] = []
    # The rules allocate many small tuples over a large, long-lived set of rows: pausing the cyclic
    # garbage collector (nothing here makes cycles) roughly halves the run time on a large borough.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for r in rules_for_year(ret.year).values():
            if not all(ret.has(t) for t in r.tables):
                continue
            if r.needs_previous and previous is None:
                continue
            if r.needs and (reference is None or not reference.provides(r.needs)):
                continue  # as the DfE tool skips rules whose reference lists were not loaded
            failures.extend(run_rule(r, ctx))
    finally:
        if was_enabled:
            gc.enable()
    return failures


def run_rule(r: Rule, ctx: Context) -> Iterator[Failure]:
    seen: set[tuple[str, str, int]] = set()
    for table, row in r.func(ctx):
        key = (table, row.CHILD, id(row))
        if key in seen:
            continue
        seen.add(key)
        yield Failure(r.code, row.CHILD, r.message, table, r.fields_in(table))
