"""The rule engine: a named unit per DfE rule code, the context rules share, and ``validate``.

Each rule is a plain function registered with :func:`rule`. A *child* rule answers "does this child's
record break the rule?" (one failure per rule and child); a *return* rule looks at the whole return
(LA-level and header rules such as 100, 2883, 2886Q) and reports with an empty child id. The rule's
message is the DfE's, read from ``data/cin_census_2025_26_rules.tsv`` (source: DfE CIN census 2025/26
validation rules, via /work/shared/reference/rules); the code ending in ``Q`` makes it a query.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from safehold.returns.cin.domain.census import Census, Child, Episode, collection_period
from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.periods import add_months

RULES_TSV = Path(__file__).resolve().parents[1] / "data" / "cin_census_2025_26_rules.tsv"
SOURCE = "DfE CIN census validation rules 2025/26 (STATUTE.md §6; rules TSV)"

#: Collection years (the year 31 March falls in) that this implementation covers: Sex replaced GenderCurrent in
#: 2024/25, so earlier returns are out of scope for the writer and reader.
ALL_YEARS: tuple[int, ...] = (2025, 2026)


@cache
def dfe_messages() -> dict[str, str]:
    messages: dict[str, str] = {}
    for line in RULES_TSV.read_text(encoding="utf-8").splitlines():
        if line.strip():
            code, message = line.split("\t", 1)
            messages[code.strip()] = message.strip()
    return messages


@dataclass(frozen=True, slots=True)
class Failure:
    rule_code: str
    la_child_id: str
    message: str
    fields: tuple[str, ...]

    def line(self) -> str:
        return f"{self.rule_code}\t{self.la_child_id}\t{self.message}"


@dataclass(frozen=True, slots=True)
class Ctx:
    """What every rule may need about the return as a whole, computed once."""

    year: int
    start: dt.date
    end: dt.date
    reference_date: dt.date
    la_id_counts: Counter[str]
    upn_counts: Counter[str]
    assessment_overdue_before: dt.date  # 8670Q: started before this and still not authorised
    s47_overdue_before: dt.date  # 8675Q: started before this and no ICPC
    nfa_cutoff: dt.date  # 8569Q
    born_25_years_before: dt.date  # 8775Q


ChildCheck = Callable[[Child, Ctx], bool]
ReturnCheck = Callable[[Census, Ctx], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    message: str
    fields: tuple[str, ...]
    years: tuple[int, ...]
    source: str
    child_check: ChildCheck | None = None
    return_check: ReturnCheck | None = None
    #: What a child's record must hold for the rule to have anything to check ("assessments", "section47s",
    #: "cin_plans", "cp_plans", "death"); a child without them is skipped, which keeps a borough fast.
    needs: frozenset[str] = frozenset()

    @property
    def severity(self) -> str:
        return "query" if self.code.endswith("Q") else "error"

    @property
    def la_level(self) -> bool:
        return self.return_check is not None


def child_rule(
    code: str, fields: tuple[str, ...], *, years: tuple[int, ...] = ALL_YEARS, registry: dict[str, Rule]
) -> Callable[[ChildCheck], ChildCheck]:
    def register(fn: ChildCheck) -> ChildCheck:
        registry[code] = Rule(code, dfe_messages()[code], fields, years, SOURCE, child_check=fn)
        return fn

    return register


def return_rule(
    code: str, fields: tuple[str, ...], *, years: tuple[int, ...] = ALL_YEARS, registry: dict[str, Rule]
) -> Callable[[ReturnCheck], ReturnCheck]:
    def register(fn: ReturnCheck) -> ReturnCheck:
        registry[code] = Rule(code, dfe_messages()[code], fields, years, SOURCE, return_check=fn)
        return fn

    return register


_CALENDAR = WorkingDayCalendar()


def make_ctx(census: Census, year: int | None = None) -> Ctx:
    """The census period from the header (ReferenceDate, else Year), or ``year`` when the header has neither."""
    h = census.header
    ref = h.reference_date
    y = year or (h.year if h.year else None) or (ref.year if ref else None)
    if y is None:
        raise ValueError("The collection year is unknown: the header has neither Year nor ReferenceDate")
    if ref is None or year is not None:
        ref = collection_period(y)[1]
    try:
        year_before = ref.replace(year=ref.year - 1)
    except ValueError:  # 29 February
        year_before = ref.replace(year=ref.year - 1, day=28)
    start = year_before + dt.timedelta(days=1)
    _CALENDAR.precompute(start.year - 1, ref.year + 1)
    end_wd = _CALENDAR.roll_forward(ref)
    return Ctx(
        year=y,
        start=start,
        end=ref,
        reference_date=ref,
        la_id_counts=Counter(c.la_child_id for c in census.children if c.la_child_id),
        upn_counts=Counter(c.upn for c in census.children if c.upn),
        # "More than 45 (15) working days before the end of the year", counting the last day as day one.
        assessment_overdue_before=_CALENDAR.add_working_days(end_wd, -44),
        s47_overdue_before=_CALENDAR.add_working_days(end_wd, -14),
        nfa_cutoff=_CALENDAR.roll_forward(start),
        born_25_years_before=add_months(ref, -12 * 25),
    )


def in_period(d: dt.date | None, x: Ctx) -> bool:
    return d is not None and x.start <= d <= x.end


def outside_period(d: dt.date | None, x: Ctx) -> bool:
    """Present and outside the census year (a missing date is not 'outside')."""
    return d is not None and not (x.start <= d <= x.end)


def overlapping(spans: Iterable[tuple[dt.date | None, dt.date | None, object]], limit: dt.date) -> bool:
    """Whether one span starts on or after another's start and no later than its end (or ``limit`` if open).

    ``spans`` are (start, end, identity); two spans with the same identity are the same record. Spans
    without a start are ignored. This is the pairwise test the DfE rules 4014, 8940, 8863Q, 8890 describe.
    """
    items = [(s, e, k) for s, e, k in spans if s is not None]
    for i, (s1, _e1, k1) in enumerate(items):
        for j, (s2, e2, k2) in enumerate(items):
            if i == j or k1 == k2:
                continue
            if s1 >= s2 and s1 <= (e2 if e2 is not None else limit):
                return True
    return False


def requires(registry: dict[str, Rule], needs: dict[str, tuple[str, ...]]) -> None:
    """Record, per rule code, what a child's record must hold for the rule to apply."""
    for code, wanted in needs.items():
        registry[code] = replace(registry[code], needs=frozenset(wanted))


def _holds(child: Child) -> frozenset[str]:
    held = set()
    if child.death_date is not None:
        held.add("death")
    for e in child.episodes:
        if e.assessments:
            held.add("assessments")
        if e.section47s:
            held.add("section47s")
        if e.cin_plans:
            held.add("cin_plans")
        if e.cp_plans:
            held.add("cp_plans")
    return frozenset(held)


def nfa_true(e: Episode) -> bool:
    return e.referral_nfa is True


def nfa_false(e: Episode) -> bool:
    return e.referral_nfa is False


def validate_with(rules: Iterable[Rule], census: Census, year: int | None = None) -> list[Failure]:
    x = make_ctx(census, year)
    failures: list[Failure] = []
    child_rules: list[Rule] = []
    for r in rules:
        if x.year not in r.years:
            continue
        if r.return_check is not None:
            if r.return_check(census, x):
                failures.append(Failure(r.code, "", r.message, r.fields))
        else:
            child_rules.append(r)
    checks = [(r, r.child_check) for r in child_rules if r.child_check is not None]
    by_holding: dict[frozenset[str], list[tuple[Rule, ChildCheck]]] = {}
    for child in census.children:
        held = _holds(child)
        relevant = by_holding.get(held)
        if relevant is None:
            relevant = by_holding[held] = [(r, check) for r, check in checks if r.needs <= held]
        cid = child.la_child_id
        for r, check in relevant:
            if check(child, x):
                failures.append(Failure(r.code, cid, r.message, r.fields))
    return failures
