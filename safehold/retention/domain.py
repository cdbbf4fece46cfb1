"""Retention periods: when a child's record falls due for disposal review (pure Python, no Django).

A child's record is a set of *record types* (looked after, adoption, child protection, child in need, private
fostering, early help, contacts). Each type has one rule in the retention schedule, and each rule measures its
period from one *basis*:

* ``birthday``: until the Nth anniversary of the child's birth; optionally, if the child died before their 18th
  birthday, for M years beginning with the date of death instead (the looked-after rule's shape);
* ``adoption_order``: N years from the date of the adoption order;
* ``last_activity``: N years from the last activity of that type (the last episode closed, the last contact
  decided).

The record falls due on the *latest* due date of all the types it holds (the longest applicable period governs,
so no type is disposed of early), and never while anything on it is still open (an open episode of any type, or
other open work such as care proceedings: ``Facts.open_work``). A date that cannot be worked out
(no date of birth for a birthday rule) means "not due": a record is never disposed of on a guess.

Anniversaries of 29 February fall on 1 March in other years: the later of the two candidate days, so a period
never ends early.

``DEFAULT_RULES`` is the schedule a new installation starts with. Two rules are statutory and cite their source
(status markers as in STATUTE.md: V, V-sec, UNVERIFIED); the rest are local policy the LA sets.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "DEFAULT_RULES",
    "Basis",
    "Due",
    "Facts",
    "RecordType",
    "RuleSpec",
    "anniversary",
    "due_date",
    "type_due_date",
]


class RecordType(enum.StrEnum):
    LOOKED_AFTER = "looked_after"
    ADOPTION = "adoption"
    CHILD_PROTECTION = "child_protection"
    CHILD_IN_NEED = "child_in_need"
    PRIVATE_FOSTERING = "private_fostering"
    EARLY_HELP = "early_help"
    CONTACT = "contact"


class Basis(enum.StrEnum):
    BIRTHDAY = "birthday"
    ADOPTION_ORDER = "adoption_order"
    LAST_ACTIVITY = "last_activity"


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One row of the retention schedule."""

    record_type: RecordType
    basis: Basis
    years: int
    source: str
    death_years: int | None = None
    statutory: bool = False
    #: A statutory rule may be lengthened by the LA, never shortened below these.
    minimum_years: int | None = None
    minimum_death_years: int | None = None

    def describe(self) -> str:
        if self.basis == Basis.BIRTHDAY:
            text = f"Until the {_ordinal(self.years)} birthday"
        elif self.basis == Basis.ADOPTION_ORDER:
            text = f"{self.years} years from the adoption order"
        else:
            text = f"{self.years} years from the last activity"
        if self.death_years is not None:
            text += f"; if the child died before 18, {self.death_years} years from the date of death"
        return text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True, slots=True)
class Facts:
    """What the record says about one child, gathered by the selector."""

    date_of_birth: dt.date | None
    date_of_death: dt.date | None = None
    #: The record types the child's record holds.
    types: frozenset[RecordType] = frozenset()
    #: Types with something still open (an open episode, an undecided contact...).
    open_types: frozenset[RecordType] = frozenset()
    #: Per type, the date of its last activity (None: not known).
    last_activity: Mapping[RecordType, dt.date | None] = field(default_factory=dict)
    adoption_order_date: dt.date | None = None
    #: Other work still open on the record that is not a record type of its own (care proceedings, an exploitation
    #: panel referral, a subject access request...): nothing is due while any is open.
    open_work: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Due:
    """When the record falls due, and the rule that decided it (the one with the latest date)."""

    due_on: dt.date
    record_type: RecordType
    rule: RuleSpec


def anniversary(start: dt.date, years: int) -> dt.date:
    """The ``years``-th anniversary of ``start``; 29 February maps to 1 March in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        return dt.date(start.year + years, 3, 1)


def type_due_date(rule: RuleSpec, facts: Facts) -> dt.date | None:
    """When the record of ``rule.record_type`` may be disposed of, or None if that cannot be worked out."""
    if rule.basis == Basis.BIRTHDAY:
        if facts.date_of_birth is None:
            return None
        if (
            rule.death_years is not None
            and facts.date_of_death is not None
            and facts.date_of_death < anniversary(facts.date_of_birth, 18)
        ):
            return anniversary(facts.date_of_death, rule.death_years)
        return anniversary(facts.date_of_birth, rule.years)
    if rule.basis == Basis.ADOPTION_ORDER:
        if facts.adoption_order_date is None:
            return None
        return anniversary(facts.adoption_order_date, rule.years)
    last = facts.last_activity.get(rule.record_type)
    if last is None:
        return None
    return anniversary(last, rule.years)


def due_date(rules: Mapping[RecordType, RuleSpec], facts: Facts) -> Due | None:
    """The date the whole record falls due, or None (nothing held, something open, or a date unknown)."""
    if not facts.types or facts.open_types or facts.open_work:
        return None
    best: Due | None = None
    for record_type in _ordered(facts.types):
        rule = rules.get(record_type)
        if rule is None:
            return None
        when = type_due_date(rule, facts)
        if when is None:
            return None
        if best is None or when > best.due_on:
            best = Due(due_on=when, record_type=record_type, rule=rule)
    return best


def _ordered(types: Iterable[RecordType]) -> list[RecordType]:
    order = list(RecordType)
    return sorted(types, key=order.index)


LOCAL_POLICY: Final = (
    "Local policy: the LA sets this period in its own retention schedule. The default follows published LA "
    "schedules (for example North Somerset Council: child in need and early help records until the child is 30, "
    "six years from death if the child died before 18; Blackpool and North Somerset: child protection records 35 "
    "years after the case closed). Change it to match your schedule."
)

DEFAULT_RULES: Final[tuple[RuleSpec, ...]] = (
    RuleSpec(
        record_type=RecordType.LOOKED_AFTER,
        basis=Basis.BIRTHDAY,
        years=75,
        death_years=15,
        statutory=True,
        minimum_years=75,
        minimum_death_years=15,
        source=(
            "Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959), reg 50: the "
            "responsible authority retains the child's case record until the 75th anniversary of the child's "
            "birth or, if the child dies before 18, for 15 years beginning with the date of death. Status V-sec: "
            "the England text was not read; the same wording was read in the predecessor Arrangements for "
            "Placement of Children (General) Regulations 1991 reg 9 and the Welsh 2007 and 2015 regulations, and "
            "LA schedules (Blackpool, Devon, North Somerset) cite it."
        ),
    ),
    RuleSpec(
        record_type=RecordType.ADOPTION,
        basis=Basis.ADOPTION_ORDER,
        years=100,
        statutory=True,
        minimum_years=100,
        source=(
            "Disclosure of Adoption Information (Post-Commencement Adoptions) Regulations 2005 (SI 2005/888), "
            "reg 6 (preservation of section 56 information): kept for at least 100 years from the date of the "
            "adoption order. Status V-sec: the regulation's title was read on legislation.gov.uk, its text only in "
            "LA schedules (Devon: 100 years from the adoption order, citing these regulations)."
        ),
    ),
    RuleSpec(record_type=RecordType.CHILD_PROTECTION, basis=Basis.LAST_ACTIVITY, years=35, source=LOCAL_POLICY),
    RuleSpec(record_type=RecordType.CHILD_IN_NEED, basis=Basis.BIRTHDAY, years=30, death_years=6, source=LOCAL_POLICY),
    RuleSpec(
        record_type=RecordType.PRIVATE_FOSTERING, basis=Basis.BIRTHDAY, years=30, death_years=6, source=LOCAL_POLICY
    ),
    RuleSpec(record_type=RecordType.EARLY_HELP, basis=Basis.BIRTHDAY, years=30, death_years=6, source=LOCAL_POLICY),
    RuleSpec(record_type=RecordType.CONTACT, basis=Basis.LAST_ACTIVITY, years=6, source=LOCAL_POLICY),
)
