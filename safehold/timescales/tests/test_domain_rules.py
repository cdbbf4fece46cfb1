"""Rule registry: exact codes, sources, each rule's due date (hand-checked) and local overrides."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.rules import LOCAL_STANDARD, RULES, Unit, When, with_local_amounts

CAL = WorkingDayCalendar()
LONDON = ZoneInfo("Europe/London")

STATUTORY = {
    "referral_decision",
    "assessment",
    "icpc",
    "core_group_first",
    "cp_review_first",
    "cp_review_next",
    "care_plan",
    "cla_review_first",
    "cla_review_second",
    "cla_review_next",
    "health_initial",
    "cla_visit_first",
    "cla_visit_next_year1",
    "cla_visit_next_after",
    "pf_visit_first",
    "pf_visit_next_year1",
    "pf_visit_next_after",
    "pathway_plan_review",
    "pa_visit",
    "pa_visit_first",
    "rhi",
    "health_review_under5",
    "health_review_over5",
    "pep_initial",
    "plo_proceedings",
}
LOCAL = {
    "contact_decision",
    "cp_visit",
    "cin_visit",
    "cin_plan_review_first",
    "cin_plan_review_next",
    "core_group_next",
    "strategy_discussion",
    "exploitation_review",
    "eh_assessment",
    "eh_review",
}


def test_registry_has_exactly_the_required_codes() -> None:
    assert set(RULES) == STATUTORY | LOCAL
    assert all(code == rule.code for code, rule in RULES.items())


def test_every_rule_has_a_source_and_clock_text() -> None:
    for rule in RULES.values():
        assert rule.source.document.strip(), rule.code
        assert rule.source.reference.strip(), rule.code
        assert rule.source.status in {"V", "V-sec", LOCAL_STANDARD}, rule.code
        assert rule.title and rule.starts and rule.stops and rule.restarts, rule.code
        assert rule.amount >= 1, rule.code


def test_local_flags_and_statuses() -> None:
    assert {code for code, rule in RULES.items() if rule.local} == LOCAL
    for code in LOCAL:
        assert RULES[code].source.status == LOCAL_STANDARD
    for code in STATUTORY:
        assert RULES[code].source.status != LOCAL_STANDARD


def test_selected_units_amounts_and_sources() -> None:
    assert (RULES["assessment"].unit, RULES["assessment"].amount) == (Unit.WORKING_DAYS, 45)
    assert (RULES["rhi"].unit, RULES["rhi"].amount) == (Unit.HOURS, 72)
    assert (RULES["plo_proceedings"].unit, RULES["plo_proceedings"].amount) == (Unit.CALENDAR_WEEKS, 26)
    assert "s.32(1)(a)(ii)" in RULES["plo_proceedings"].source.reference
    assert "reg 33" in RULES["cla_review_first"].source.reference
    assert "reg 28" in RULES["cla_visit_first"].source.reference
    assert "reg 4(2)" in RULES["care_plan"].source.reference
    assert "reg 8" in RULES["pf_visit_next_after"].source.reference
    assert RULES["pep_initial"].source.status == "V-sec"


# Expected dates worked out by hand from the calendar (bank holidays per gov.uk).
DUE_VECTORS: list[tuple[str, When, When]] = [
    ("referral_decision", date(2026, 12, 24), date(2026, 12, 29)),
    ("assessment", date(2025, 12, 1), date(2026, 2, 5)),
    ("icpc", date(2025, 12, 18), date(2026, 1, 13)),
    ("core_group_first", date(2026, 12, 21), date(2027, 1, 7)),
    ("cp_review_first", date(2025, 11, 30), date(2026, 2, 28)),
    ("cp_review_next", date(2025, 8, 31), date(2026, 2, 28)),
    ("care_plan", date(2026, 3, 27), date(2026, 4, 14)),
    ("cla_review_first", date(2026, 3, 20), date(2026, 4, 21)),
    ("cla_review_second", date(2026, 4, 21), date(2026, 7, 21)),
    ("cla_review_next", date(2026, 7, 21), date(2027, 1, 21)),
    ("health_initial", date(2026, 3, 20), date(2026, 4, 21)),
    ("cla_visit_first", date(2026, 3, 20), date(2026, 3, 27)),
    ("cla_visit_next_year1", date(2026, 3, 27), date(2026, 5, 8)),
    ("cla_visit_next_after", date(2026, 5, 31), date(2026, 8, 31)),
    ("pf_visit_first", date(2026, 12, 23), date(2027, 1, 6)),
    ("pf_visit_next_year1", date(2026, 1, 6), date(2026, 2, 17)),
    ("pf_visit_next_after", date(2026, 1, 6), date(2026, 3, 31)),
    ("pathway_plan_review", date(2026, 8, 31), date(2027, 2, 28)),
    ("pa_visit", date(2023, 12, 31), date(2024, 2, 29)),
    ("pa_visit_first", date(2026, 12, 22), date(2026, 12, 29)),  # calendar days: 25 and 28 Dec count
    (
        "rhi",
        datetime(2026, 3, 27, 20, 0, tzinfo=LONDON),
        datetime(2026, 3, 30, 21, 0, tzinfo=LONDON),  # clocks went forward on 29 March
    ),
    ("health_review_under5", date(2026, 8, 31), date(2027, 2, 28)),
    ("health_review_over5", date(2024, 2, 29), date(2025, 2, 28)),
    ("pep_initial", date(2026, 3, 20), date(2026, 4, 21)),
    # 26 weeks *beginning with* Monday 5 January 2026 ends on Sunday 5 July 2026.
    ("plo_proceedings", date(2026, 1, 5), date(2026, 7, 5)),
    ("contact_decision", date(2026, 4, 2), date(2026, 4, 7)),
    ("cp_visit", date(2026, 5, 18), date(2026, 6, 2)),
    ("cin_visit", date(2026, 8, 3), date(2026, 9, 1)),
    ("cin_plan_review_first", date(2026, 11, 30), date(2027, 2, 28)),
    ("cin_plan_review_next", date(2027, 2, 28), date(2027, 5, 28)),
    ("core_group_next", date(2026, 1, 7), date(2026, 2, 18)),
    ("strategy_discussion", date(2026, 5, 21), date(2026, 5, 27)),
    ("exploitation_review", date(2026, 11, 30), date(2027, 2, 28)),  # 3 calendar months, clamped
    ("eh_assessment", date(2025, 12, 15), date(2026, 1, 29)),  # 30 WD over 25, 26 Dec and 1 Jan
    ("eh_review", date(2025, 12, 31), date(2026, 2, 11)),  # 6 calendar weeks
]


def test_due_vectors_cover_every_rule() -> None:
    assert {code for code, _, _ in DUE_VECTORS} == set(RULES)


@pytest.mark.parametrize(("code", "start", "expected"), DUE_VECTORS)
def test_rule_due(code: str, start: When, expected: When) -> None:
    assert RULES[code].due(start, CAL) == expected


@pytest.mark.parametrize(
    ("code", "start", "expected"),
    [
        ("referral_decision", date(2026, 12, 24), date(2026, 12, 24)),
        ("assessment", date(2025, 12, 1), date(2026, 2, 4)),
        ("icpc", date(2025, 12, 18), date(2026, 1, 12)),
        ("core_group_first", date(2026, 12, 21), date(2027, 1, 6)),
        ("cla_review_first", date(2026, 3, 20), date(2026, 4, 20)),
        # Only working-day rules are affected by the convention.
        ("cla_visit_first", date(2026, 3, 20), date(2026, 3, 27)),
    ],
)
def test_rule_due_with_start_as_day_one(code: str, start: date, expected: date) -> None:
    assert RULES[code].due(start, CAL, start_counts_as_day_one=True) == expected


def test_datetime_start_uses_its_date_for_day_based_rules() -> None:
    assert RULES["icpc"].due(datetime(2025, 12, 18, 16, 45, tzinfo=LONDON), CAL) == date(2026, 1, 13)


def test_hour_rule_needs_a_datetime() -> None:
    with pytest.raises(TypeError, match="datetime"):
        RULES["rhi"].due(date(2026, 3, 27), CAL)


def test_with_local_amounts_changes_only_local_rules() -> None:
    rules = with_local_amounts({"cp_visit": 20, "core_group_next": 4})
    assert rules["cp_visit"].amount == 20
    assert rules["core_group_next"].amount == 4
    assert RULES["cp_visit"].amount == 10  # the registry is untouched
    assert rules["icpc"] is RULES["icpc"]
    assert rules["cp_visit"].due(date(2026, 5, 18), CAL) == date(2026, 6, 16)
    assert rules["core_group_next"].due(date(2026, 1, 7), CAL) == date(2026, 2, 4)


def test_with_local_amounts_builds_on_a_given_base() -> None:
    first = with_local_amounts({"cp_visit": 20})
    second = with_local_amounts({"cin_visit": 10}, first)
    assert (second["cp_visit"].amount, second["cin_visit"].amount) == (20, 10)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"icpc": 10}, "statutory"),
        ({"cla_review_first": 30}, "statutory"),
        ({"no_such_rule": 3}, "unknown"),
        ({"cp_visit": 0}, "positive"),
        ({"cp_visit": -5}, "positive"),
        ({"cp_visit": True}, "positive"),
    ],
)
def test_with_local_amounts_refuses(overrides: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        with_local_amounts(overrides)
