"""The pure core: local-standard clocks, the step-up measure and the history summary (no database)."""

from __future__ import annotations

import datetime as dt

from safehold.early_help import domain
from safehold.timescales.domain.calendar import WorkingDayCalendar

CAL = WorkingDayCalendar()


def test_rules_are_local_standards() -> None:
    for rule in domain.LOCAL_RULES.values():
        assert rule.local and rule.source.status == "local standard"


def test_assessment_due_30_working_days_after_start() -> None:
    facts = domain.EpisodeFacts(1, None, assessment_start=dt.date(2025, 6, 2))
    [due] = domain.deadlines(facts, CAL)
    assert due.rule is domain.EH_ASSESSMENT
    assert due.due == dt.date(2025, 7, 14)  # 30 working days, no bank holidays in between
    assert due.met_on is None and due.overdue(dt.date(2025, 7, 15)) and not due.overdue(dt.date(2025, 7, 14))


def test_review_chain_every_six_weeks_from_completion_then_each_review() -> None:
    facts = domain.EpisodeFacts(1, None, dt.date(2025, 6, 2), dt.date(2025, 6, 20), (dt.date(2025, 7, 25),))
    ds = domain.deadlines(facts, CAL)
    reviews = [d for d in ds if d.rule is domain.EH_REVIEW]
    assert [(r.start, r.due, r.met_on) for r in reviews] == [
        (dt.date(2025, 6, 20), dt.date(2025, 8, 1), dt.date(2025, 7, 25)),
        (dt.date(2025, 7, 25), dt.date(2025, 9, 5), None),
    ]


def test_closed_episode_has_no_open_clock() -> None:
    facts = domain.EpisodeFacts(1, dt.date(2025, 6, 10), assessment_start=dt.date(2025, 6, 2))
    assert domain.deadlines(facts, CAL) == []


def test_step_ups_within_twelve_months_of_closure() -> None:
    closed = dt.date(2024, 5, 1)
    m = domain.step_ups_after_closure([
        domain.ClosedEpisode(1, closed, (dt.date(2025, 5, 1),)),  # exactly 12 months: counts
        domain.ClosedEpisode(2, closed, (dt.date(2025, 5, 2),)),  # after the window
        domain.ClosedEpisode(3, closed, (dt.date(2023, 1, 1),)),  # before closure
        domain.ClosedEpisode(4, closed),
    ])
    assert (m.closed, m.stepped_up_within_window, m.episode_ids, m.percent) == (4, 1, (1,), 25.0)
    assert domain.step_ups_after_closure([]).percent is None


def test_history_summary_names_goals_scores_and_team() -> None:
    text = domain.history_summary(domain.HistoryFacts(
        opened_on=dt.date(2025, 6, 3), origin="Front door", lead="Ann (Oak)", reason="Attendance",
        needs="Routines", assessment_start=dt.date(2025, 6, 3), assessment_completed=None,
        goals=[("School every day", 4), ("Bedtime", None)], taf=["Ms Head (Oak)"], reviews=1,
        why_step_up="Disclosure",
    ))
    for part in ("Disclosure", "3 June 2025", "completed not recorded", "School every day (4/10)",
                 "Bedtime (no score)", "Ms Head (Oak)", "Reviews held: 1"):
        assert part in text
