"""The retention periods, without a database: anniversaries, the death rule, the longest rule governing."""

from __future__ import annotations

import datetime as dt

import pytest

from safehold.retention.choices import BasisChoice, RecordTypeChoice
from safehold.retention.domain import (
    DEFAULT_RULES,
    Basis,
    Facts,
    RecordType,
    RuleSpec,
    anniversary,
    due_date,
    type_due_date,
)

D = dt.date
RULES = {r.record_type: r for r in DEFAULT_RULES}
T = RecordType


def test_choices_match_the_domain() -> None:
    assert [c.value for c in RecordTypeChoice] == [t.value for t in RecordType]
    assert [c.value for c in BasisChoice] == [b.value for b in Basis]
    assert {r.record_type for r in DEFAULT_RULES} == set(RecordType)


def test_statutory_defaults_cite_their_regulations() -> None:
    la = RULES[T.LOOKED_AFTER]
    assert (la.basis, la.years, la.death_years, la.statutory) == (Basis.BIRTHDAY, 75, 15, True)
    assert "SI 2010/959" in la.source and "reg 50" in la.source
    adoption = RULES[T.ADOPTION]
    assert (adoption.basis, adoption.years, adoption.statutory) == (Basis.ADOPTION_ORDER, 100, True)
    assert "SI 2005/888" in adoption.source
    for record_type in (T.CHILD_PROTECTION, T.CHILD_IN_NEED, T.PRIVATE_FOSTERING, T.EARLY_HELP, T.CONTACT):
        assert not RULES[record_type].statutory
        assert RULES[record_type].source.startswith("Local policy")


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2000, 6, 15), 75, D(2075, 6, 15)),
        (D(2000, 2, 29), 75, D(2075, 3, 1)),  # a common year: the later day, never early
        (D(2000, 2, 29), 100, D(2100, 3, 1)),  # 2100 is not a leap year
        (D(2000, 2, 29), 4, D(2004, 2, 29)),
        (D(2000, 12, 31), 1, D(2001, 12, 31)),
    ],
)
def test_anniversary(start: dt.date, years: int, expected: dt.date) -> None:
    assert anniversary(start, years) == expected


def test_looked_after_until_the_75th_birthday() -> None:
    facts = Facts(date_of_birth=D(1950, 4, 2), types=frozenset({T.LOOKED_AFTER}))
    assert type_due_date(RULES[T.LOOKED_AFTER], facts) == D(2025, 4, 2)


def test_looked_after_child_who_died_before_18_is_kept_15_years_from_death() -> None:
    facts = Facts(date_of_birth=D(2000, 1, 10), date_of_death=D(2010, 5, 1), types=frozenset({T.LOOKED_AFTER}))
    assert type_due_date(RULES[T.LOOKED_AFTER], facts) == D(2025, 5, 1)


def test_death_on_or_after_the_18th_birthday_does_not_shorten_the_period() -> None:
    on_birthday = Facts(date_of_birth=D(2000, 1, 10), date_of_death=D(2018, 1, 10))
    assert type_due_date(RULES[T.LOOKED_AFTER], on_birthday) == D(2075, 1, 10)
    day_before = Facts(date_of_birth=D(2000, 1, 10), date_of_death=D(2018, 1, 9))
    assert type_due_date(RULES[T.LOOKED_AFTER], day_before) == D(2033, 1, 9)


def test_adoption_100_years_from_the_order() -> None:
    facts = Facts(date_of_birth=D(1920, 1, 1), adoption_order_date=D(1925, 7, 8), types=frozenset({T.ADOPTION}))
    assert type_due_date(RULES[T.ADOPTION], facts) == D(2025, 7, 8)


def test_last_activity_rules_count_from_the_last_closure() -> None:
    facts = Facts(date_of_birth=D(2001, 1, 1), last_activity={T.CHILD_PROTECTION: D(2010, 3, 31)})
    assert type_due_date(RULES[T.CHILD_PROTECTION], facts) == D(2045, 3, 31)
    assert type_due_date(RULES[T.CONTACT], Facts(date_of_birth=None)) is None


def test_the_longest_applicable_rule_governs() -> None:
    # An adopted child who was looked after: 75th birthday (2088) vs 100 years from the order (2120).
    facts = Facts(
        date_of_birth=D(2013, 5, 5),
        types=frozenset({T.LOOKED_AFTER, T.ADOPTION, T.CONTACT}),
        last_activity={T.CONTACT: D(2014, 1, 1)},
        adoption_order_date=D(2020, 9, 1),
    )
    due = due_date(RULES, facts)
    assert due is not None
    assert (due.due_on, due.record_type) == (D(2120, 9, 1), T.ADOPTION)


def test_nothing_is_due_while_anything_is_open_or_a_date_is_missing() -> None:
    base = {"types": frozenset({T.CHILD_IN_NEED, T.CONTACT}), "last_activity": {T.CONTACT: D(1990, 1, 1)}}
    assert due_date(RULES, Facts(date_of_birth=D(1960, 1, 1), **base)) is not None  # type: ignore[arg-type]
    assert due_date(RULES, Facts(date_of_birth=D(1960, 1, 1), open_types=frozenset({T.CONTACT}), **base)) is None  # type: ignore[arg-type]
    assert due_date(RULES, Facts(date_of_birth=None, **base)) is None  # type: ignore[arg-type]
    assert due_date(RULES, Facts(date_of_birth=D(1960, 1, 1))) is None  # holds nothing: nothing to dispose of


def test_a_local_rule_can_be_lengthened_as_data() -> None:
    longer = {**RULES, T.CHILD_IN_NEED: RuleSpec(T.CHILD_IN_NEED, Basis.BIRTHDAY, 40, "Local policy", death_years=6)}
    facts = Facts(date_of_birth=D(1980, 8, 1), types=frozenset({T.CHILD_IN_NEED}))
    default_due, longer_due = due_date(RULES, facts), due_date(longer, facts)
    assert default_due is not None and longer_due is not None
    assert (default_due.due_on, longer_due.due_on) == (D(2010, 8, 1), D(2020, 8, 1))
    assert longer_due.rule.describe() == (
        "Until the 40th birthday; if the child died before 18, 6 years from the date of death"
    )
