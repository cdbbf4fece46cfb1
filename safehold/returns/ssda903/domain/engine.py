"""The rule engine: each DfE rule is a named unit registered for the collection years it applies to.

A rule is a generator over a :class:`Context` that yields ``(table, row)`` for every row it flags. The
context indexes the return once (by child, episodes in date order, parsed dates), so a whole borough
validates in well under a second.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from safehold.returns.ssda903.domain.dates import CollectionYear, add_years, parse
from safehold.returns.ssda903.domain.tables import COLUMNS, Episode, Header, Return903

#: Collection years (the year 31 March falls in) this registry knows.
YEARS: tuple[int, ...] = (2026, 2027)

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

    def __init__(self, ret: Return903, previous: Return903 | None = None):
        self.ret = ret
        self.previous = previous
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
        out: dict[str, list[Episode]] = defaultdict(list)
        for e in self.ret.episodes:
            out[e.CHILD].append(e)
        far = dt.date.max
        for eps in out.values():
            eps.sort(key=lambda e: parse(e.DECOM) or far)
        return dict(out)

    @cached_property
    def children_with_episodes(self) -> frozenset[str]:
        return frozenset(e.CHILD for e in self.ret.episodes)

    @cached_property
    def _dobs(self) -> dict[str, dt.date | None]:
        return {child: parse(h.DOB) for child, h in self.header_by_child.items()}

    def dob(self, child: str) -> dt.date | None:
        return self._dobs.get(child)

    def birthday(self, child: str, years: int) -> dt.date | None:
        dob = self.dob(child)
        return add_years(dob, years) if dob is not None else None

    def rows_by_child(self, table: str) -> dict[str, list[Any]]:
        cache: dict[str, dict[str, list[Any]]] = self.__dict__.setdefault("_rows_by_child", {})
        if table not in cache:
            grouped: dict[str, list[Any]] = defaultdict(list)
            for r in self.ret.rows(table):
                grouped[r.CHILD].append(r)
            cache[table] = dict(grouped)
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
        out = set()
        for child, eps in self.episodes_by_child.items():
            during = False
            broken = False
            for e in eps:
                decom, dec = parse(e.DECOM), parse(e.DEC)
                in_year = decom is not None and decom <= self.end and (dec is None or dec >= self.start)
                during = during or in_year
                if e.RNE == "S" and decom is not None and self.start < decom <= self.end:
                    broken = True
                if e.REC != "X1" and dec is not None and self.start <= dec < self.end:
                    broken = True
                if e.LS in ("V3", "V4") and in_year:
                    broken = True
            if during and not broken:
                out.add(child)
        return frozenset(out)

    def last_episode(self, child: str) -> Episode | None:
        eps = self.episodes_by_child.get(child)
        if not eps:
            return None
        dated = [e for e in eps if parse(e.DECOM) is not None]
        return dated[-1] if dated else None


def validate(ret: Return903, previous: Return903 | None = None) -> list[Failure]:
    """Run every rule of the return's collection year; rules needing last year's return run only with it."""
    ctx = Context(ret, previous)
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
