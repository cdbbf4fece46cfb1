"""The pure clock families for strategy decisions, personal adviser visits (CLR reg 8) and the PLO timetable with
court extensions (CA89 s.32(5)). Expected dates are worked out by hand."""

from __future__ import annotations

from datetime import date

from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.deadlines import (
    ClockContext,
    ClockEvent,
    Deadline,
    EventKind,
    child_deadlines,
    pa_visit_deadlines,
    proceedings_deadlines,
    s47_deadlines,
)

CTX = ClockContext(WorkingDayCalendar())
E = EventKind


def test_a_discussion_held_in_answer_to_a_decision_meets_it_without_starting_an_icpc_clock() -> None:
    events = [
        ClockEvent(E.STRATEGY_DECISION, date(2026, 5, 21), "strategy:1"),
        ClockEvent(E.STRATEGY_HELD, date(2026, 5, 26), "strategy:1"),
    ]
    # Thu 21 May + 3 WD = Fri 22 (1), Mon 25 May bank holiday, Tue 26 (2), Wed 27 May (3).
    assert s47_deadlines(events, CTX) == [
        Deadline("strategy_discussion", date(2026, 5, 21), date(2026, 5, 27), date(2026, 5, 26), "strategy:1")
    ]


def test_a_lapsed_decision_stops_its_clock_and_keeps_a_missed_one() -> None:
    lapsed_early = [
        ClockEvent(E.STRATEGY_DECISION, date(2026, 5, 21), "strategy:1"),
        ClockEvent(E.STRATEGY_DECISION_LAPSED, date(2026, 5, 22), "strategy:1"),
    ]
    assert s47_deadlines(lapsed_early, CTX) == []
    lapsed_late = [
        ClockEvent(E.STRATEGY_DECISION, date(2026, 5, 21), "strategy:1"),
        ClockEvent(E.STRATEGY_DECISION_LAPSED, date(2026, 6, 1), "strategy:1"),
    ]
    (missed,) = s47_deadlines(lapsed_late, CTX)
    assert (missed.due, missed.met_on, missed.stopped_on) == (date(2026, 5, 27), None, date(2026, 6, 1))


def test_pa_visits_chain_from_the_last_visit_per_spell_of_accommodation() -> None:
    events = [
        ClockEvent(E.PA_ACCOMMODATION_START, date(2024, 12, 24), "pacc:1"),
        ClockEvent(E.PA_VISIT, date(2024, 12, 30), "pacc:1"),
        ClockEvent(E.PA_VISIT, date(2024, 12, 30), "pacc:1"),  # the same day twice counts once
        ClockEvent(E.PA_VISIT, date(2025, 2, 28), "pacc:1"),
        ClockEvent(E.PA_ACCOMMODATION_END, date(2025, 3, 31), "pacc:1"),
        ClockEvent(E.PA_ACCOMMODATION_START, date(2025, 9, 1), "pacc:2"),
    ]
    got = [(d.rule_code, d.start, d.due, d.met_on, d.ref) for d in pa_visit_deadlines(events, CTX)]
    assert got == [
        # 24 Dec + 7 days = 31 Dec (calendar days: Christmas counts).
        ("pa_visit_first", date(2024, 12, 24), date(2024, 12, 31), date(2024, 12, 30), "pacc:1"),
        # 30 Dec + 2 months = 28 Feb 2025 (no 30 February).
        ("pa_visit", date(2024, 12, 30), date(2025, 2, 28), date(2025, 2, 28), "pacc:1"),
        # The link from 28 Feb (due 28 Apr) is dropped: the accommodation ended on 31 Mar, before it fell due.
        ("pa_visit_first", date(2025, 9, 1), date(2025, 9, 8), None, "pacc:2"),
    ]
    assert {d.rule_code for d in child_deadlines(events, CTX)} == {"pa_visit_first", "pa_visit"}


def test_plo_due_date_moves_to_the_latest_extension_and_never_earlier_than_26_weeks() -> None:
    issued = [ClockEvent(E.APPLICATION_ISSUED, date(2026, 1, 5), "proceedings:1")]
    (plain,) = proceedings_deadlines(issued, CTX)
    assert plain.due == date(2026, 7, 5)  # 26 weeks beginning with Mon 5 Jan
    extended = [
        *issued,
        ClockEvent(E.PROCEEDINGS_EXTENDED, date(2026, 8, 30), "proceedings:1"),
        ClockEvent(E.PROCEEDINGS_EXTENDED, date(2026, 10, 23), "proceedings:1"),
        ClockEvent(E.PROCEEDINGS_EXTENDED, date(2026, 6, 1), "proceedings:2"),  # another case's extension
        ClockEvent(E.PROCEEDINGS_CONCLUDED, date(2026, 10, 20), "proceedings:1"),
    ]
    (d,) = proceedings_deadlines(extended, CTX)
    assert (d.start, d.due, d.met_on) == (date(2026, 1, 5), date(2026, 10, 23), date(2026, 10, 20))
