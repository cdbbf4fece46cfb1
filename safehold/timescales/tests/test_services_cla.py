"""Looked-after clocks driven through the real services (STATUTE.md sections 2, 4 and 9.1).

Every expected date is counted by hand in the comment beside it. England and Wales bank holidays
used: 2025: 25 and 26 Dec; 2026: 1 Jan, 3 Apr (Good Friday), 6 Apr (Easter Monday), 4 May.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
import time_machine

from safehold.casework.services import visit_record
from safehold.core.testing import allocate, make_child
from safehold.looked_after import services as la
from safehold.timescales.models import Deadline
from safehold.timescales.services import deadlines_refresh_child

pytestmark = pytest.mark.django_db

D = dt.date
UTC = dt.UTC


@contextmanager
def on(day: dt.date, hour: int = 12):
    """Freeze 'now' at midday UTC on ``day`` (the same date in Europe/London)."""
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC), tick=False):
        yield


def rows(child, rule: str) -> list[Deadline]:
    return list(Deadline.objects.filter(child=child, rule_code=rule).order_by("start_date", "start_at", "pk"))


def one(child, rule: str) -> Deadline:
    found = rows(child, rule)
    assert len(found) == 1, [(d.start_date, d.due_date) for d in found]
    return found[0]


def start_care(child, start: dt.date, placement_type: str = "U6", provider: str = "PR1"):
    return la.period_of_care_start(
        actor=None,
        child=child,
        start_date=start,
        legal_status="V2",
        category_of_need="N1",
        placement_type=placement_type,
        placement_provider=provider,
    )


def cla_visit(child, day: dt.date) -> None:
    visit_record(actor=None, child=child, visit_type="cla", visited_on=day, seen=True)


def test_reviews_care_plan_health_and_pep_and_a_new_period_restarts_them(personas):
    child = make_child()  # born 14 Mar 2015: over 5 throughout
    allocate(child, personas.social_worker)
    staff = personas.social_worker.staff

    with on(D(2026, 1, 14)):
        start_care(child, D(2026, 1, 12))  # Mon 12 Jan 2026
    # 20 WD after Mon 12 Jan: 13-16 Jan (4), 19-23 (9), 26-30 (14), 2-6 Feb (19), Mon 9 Feb (20).
    first = one(child, "cla_review_first")
    assert (first.start_date, first.due_date, first.state) == (D(2026, 1, 12), D(2026, 2, 9), "due")
    assert (first.worker_id, first.team_id) == (staff.pk, personas.team.pk)
    assert one(child, "health_initial").due_date == D(2026, 2, 9)
    assert one(child, "pep_initial").due_date == D(2026, 2, 9)
    # Care plan: 10 WD from the first placement (Mon 12 Jan): 13-16 Jan (4), 19-23 (9), Mon 26 Jan (10).
    assert one(child, "care_plan").due_date == D(2026, 1, 26)
    # First visit within a week of the placement: 12 Jan + 7 days.
    assert one(child, "cla_visit_first").due_date == D(2026, 1, 19)

    with on(D(2026, 1, 21)):
        la.care_plan_record(actor=None, child=child, plan_date=D(2026, 1, 20))
        cla_visit(child, D(2026, 1, 16))
    plan = one(child, "care_plan")
    assert (plan.met_on, plan.state) == (D(2026, 1, 20), "met_on_time")
    assert one(child, "cla_visit_first").state == "met_on_time"
    # Next visit runs from the actual visit (Fri 16 Jan) + 6 weeks = Fri 27 Feb.
    nxt = one(child, "cla_visit_next_year1")
    assert (nxt.start_date, nxt.due_date, nxt.state) == (D(2026, 1, 16), D(2026, 2, 27), "due")

    with on(D(2026, 2, 12)):
        la.lac_review_record(actor=None, child=child, held_on=D(2026, 2, 6), participation="PN1")
        la.pep_record(actor=None, child=child, pep_date=D(2026, 2, 9))
        la.health_check_record(actor=None, child=child, kind="initial_health", done_on=D(2026, 2, 12))
    assert one(child, "cla_review_first").state == "met_on_time"
    # Second review: 3 months from the actual first review (Fri 6 Feb) = 6 May.
    second = one(child, "cla_review_second")
    assert (second.start_date, second.due_date, second.state) == (D(2026, 2, 6), D(2026, 5, 6), "due")
    assert one(child, "pep_initial").state == "met_on_time"  # on the due day itself
    assert one(child, "health_initial").state == "met_late"  # 12 Feb after 9 Feb
    # Review health assessment (child over 5): 12 months from 12 Feb 2026.
    assert one(child, "health_review_over5").due_date == D(2027, 2, 12)

    with on(D(2026, 3, 25)):
        # An early second review (IRO request) resets the next: 6 months from 20 Mar = 20 Sep.
        la.lac_review_record(actor=None, child=child, held_on=D(2026, 3, 20), participation="PN1")
    assert one(child, "cla_review_second").state == "met_on_time"
    after = one(child, "cla_review_next")
    assert (after.start_date, after.due_date) == (D(2026, 3, 20), D(2026, 9, 20))
    # The 6-weekly visit due 27 Feb was missed.
    assert one(child, "cla_visit_next_year1").state == "overdue"

    with on(D(2026, 4, 10)):
        la.period_of_care_end(actor=None, child=child, end_date=D(2026, 4, 1), reason_ceased="E4A")
        # The period ended before the next review was due: the clock stopped, nothing owed.
        assert rows(child, "cla_review_next") == []
        # The visit missed before the period ended stays visible, unmet, with the stop date.
        missed = one(child, "cla_visit_next_year1")
        assert (missed.state, missed.stopped_on, missed.met_on) == ("overdue", D(2026, 4, 1), None)

        start_care(child, D(2026, 4, 8))  # Wed 8 Apr 2026: a new period restarts the 20 WD clocks
    firsts = rows(child, "cla_review_first")
    assert [(d.start_date, d.state) for d in firsts] == [(D(2026, 1, 12), "met_on_time"), (D(2026, 4, 8), "due")]
    # 20 WD after Wed 8 Apr 2026: Thu 9 (1), Fri 10 (2), 13-17 Apr (7), 20-24 (12), 27 Apr-1 May (17),
    # Mon 4 May bank holiday, Tue 5 (18), Wed 6 (19), Thu 7 May (20).
    assert firsts[1].due_date == D(2026, 5, 7)
    assert rows(child, "health_initial")[-1].due_date == D(2026, 5, 7)
    # Care plan for the new period: 10 WD after Wed 8 Apr: 9, 10 (2), 13-17 (7), 20 (8), 21 (9), Wed 22 Apr (10).
    plans = rows(child, "care_plan")
    assert [(d.due_date, d.state) for d in plans] == [(D(2026, 1, 26), "met_on_time"), (D(2026, 4, 22), "due")]


def test_health_reviews_every_6_months_under_5_then_12_months():
    child = make_child(date_of_birth=D(2021, 3, 1))  # 5th birthday Sun 1 Mar 2026
    with on(D(2026, 3, 4)):
        start_care(child, D(2026, 1, 12))
        la.health_check_record(actor=None, child=child, kind="initial_health", done_on=D(2026, 1, 20))
        # Initial assessment at 4 years old: the review is due 6 months later, 20 Jul 2026.
        assert one(child, "health_review_under5").due_date == D(2026, 7, 20)
        # An early review after the 5th birthday meets it and starts a 12-month clock (2 Mar 2027).
        la.health_check_record(actor=None, child=child, kind="review_health", done_on=D(2026, 3, 2))
    under5 = one(child, "health_review_under5")
    assert (under5.met_on, under5.state) == (D(2026, 3, 2), "met_on_time")
    over5 = one(child, "health_review_over5")
    assert (over5.start_date, over5.due_date, over5.state) == (D(2026, 3, 2), D(2027, 3, 2), "due")


def visit_chain(child, prefix: str = "cla_visit") -> list[tuple[str, dt.date, dt.date, str]]:
    found = Deadline.objects.filter(child=child, rule_code__startswith=prefix).order_by("start_date")
    return [(d.rule_code, d.start_date, d.due_date, d.state) for d in found]


def test_visits_run_from_the_last_visit_and_a_new_placement_restarts_them(personas):
    child = make_child()
    allocate(child, personas.colleague)
    with on(D(2025, 6, 5)):
        start_care(child, D(2025, 1, 6), placement_type="U4")  # Mon 6 Jan 2025, long-term foster placement
        for day in (D(2025, 1, 10), D(2025, 2, 14), D(2025, 6, 2)):
            cla_visit(child, day)
        assert visit_chain(child) == [
            # 6 Jan + 1 week = 13 Jan; visited 10 Jan.
            ("cla_visit_first", D(2025, 1, 6), D(2025, 1, 13), "met_on_time"),
            # From the actual visit 10 Jan + 6 weeks = 21 Feb; visited 14 Feb.
            ("cla_visit_next_year1", D(2025, 1, 10), D(2025, 2, 21), "met_on_time"),
            # 14 Feb + 6 weeks = 28 Mar; visited 2 Jun: late.
            ("cla_visit_next_year1", D(2025, 2, 14), D(2025, 3, 28), "met_late"),
            # From the last actual visit (2 Jun), not the last due date: 2 Jun + 6 weeks = 14 Jul.
            ("cla_visit_next_year1", D(2025, 6, 2), D(2025, 7, 14), "due"),
        ]

    with on(D(2026, 3, 2)):
        cla_visit(child, D(2026, 1, 15))
        # (Met deadlines that fell due more than HISTORY_DAYS ago are no longer stored.)
        chain = [row for row in visit_chain(child) if row[1] >= D(2025, 6, 2)]
        assert chain == [
            # 2 Jun 2025 is in the placement's first year (to 6 Jan 2026): 6 weeks, met 15 Jan 2026: late.
            ("cla_visit_next_year1", D(2025, 6, 2), D(2025, 7, 14), "met_late"),
            # 15 Jan 2026 is after the first year and the placement is long-term (U4): 3 months = 15 Apr.
            ("cla_visit_next_after", D(2026, 1, 15), D(2026, 4, 15), "due"),
        ]
        stored = Deadline.objects.filter(child=child, rule_code__startswith="cla_visit")
        assert {d.worker_id for d in stored} == {personas.colleague.staff.pk}

        # A change of legal status alone (RNE L) restarts nothing: no new 1-week visit, same chain.
        before = visit_chain(child)
        la.legal_status_change(actor=None, child=child, change_date=D(2026, 2, 2), legal_status="C2")
        assert visit_chain(child) == before
        assert rows(child, "cla_visit_first") == []

        # A new placement (Mon 16 Feb) restarts the 1-week visit; the old placement's clock stops.
        la.placement_change(
            actor=None,
            child=child,
            change_date=D(2026, 2, 16),
            placement_type="U6",
            placement_provider="PR4",
            reason_place_change="CARPL",
        )
        assert rows(child, "cla_visit_next_after") == []  # was due 15 Apr, after the placement ended
        firsts = rows(child, "cla_visit_first")
        # 16 Feb + 7 days = 23 Feb, not yet visited on 2 Mar: overdue.
        assert [(d.start_date, d.due_date, d.state) for d in firsts][-1] == (D(2026, 2, 16), D(2026, 2, 23), "overdue")

        cla_visit(child, D(2026, 2, 27))
        assert rows(child, "cla_visit_first")[-1].state == "met_late"
        # The new placement is in its first year: 27 Feb + 6 weeks = 10 Apr.
        year1 = rows(child, "cla_visit_next_year1")[-1]
        assert (year1.start_date, year1.due_date, year1.state) == (D(2026, 2, 27), D(2026, 4, 10), "due")


def test_private_fostering_visits_and_the_end_of_the_arrangement(personas):
    child = make_child(date_of_birth=D(2012, 5, 5))
    carer = make_child(date_of_birth=D(1980, 1, 1))
    allocate(child, personas.social_worker)

    def pf_visit(day: dt.date) -> None:
        visit_record(actor=None, child=child, visit_type="pf", visited_on=day, seen=True)

    with on(D(2025, 3, 3)):
        arrangement = la.private_fostering_notify(actor=None, child=child, carer=carer, notified_on=D(2025, 1, 6))
        # 7 WD after Mon 6 Jan 2025: 7-10 Jan (4), 13 (5), 14 (6), Wed 15 Jan (7).
        assert one(child, "pf_visit_first").due_date == D(2025, 1, 15)
        assert one(child, "pf_visit_first").state == "overdue"
        for day in (D(2025, 1, 14), D(2025, 2, 20)):
            pf_visit(day)
        assert visit_chain(child, "pf_visit") == [
            ("pf_visit_first", D(2025, 1, 6), D(2025, 1, 15), "met_on_time"),
            # 14 Jan + 6 weeks = 25 Feb; visited 20 Feb.
            ("pf_visit_next_year1", D(2025, 1, 14), D(2025, 2, 25), "met_on_time"),
            # 20 Feb + 6 weeks = 3 Apr.
            ("pf_visit_next_year1", D(2025, 2, 20), D(2025, 4, 3), "due"),
        ]
    with on(D(2026, 3, 2)):
        pf_visit(D(2026, 1, 20))
        assert visit_chain(child, "pf_visit")[-2:] == [
            # Next visit 20 Jan 2026: late.
            ("pf_visit_next_year1", D(2025, 2, 20), D(2025, 4, 3), "met_late"),
            # 20 Jan 2026 is in year 2 (from 6 Jan 2026): 12 weeks = 20 Jan + 84 days = 14 Apr.
            ("pf_visit_next_after", D(2026, 1, 20), D(2026, 4, 14), "due"),
        ]
        arrangement.refresh_from_db()
        la.private_fostering_end(
            actor=None, arrangement=arrangement, expected_version=arrangement.version, end_date=D(2026, 2, 27)
        )
        # The arrangement ended before the next visit fell due: the clock stopped.
        assert rows(child, "pf_visit_next_after") == []


def test_return_home_interview_72_hours_including_across_the_clock_change(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    with on(D(2026, 3, 2)):
        ep = la.missing_episode_record(
            actor=None, child=child, kind="M", started_at=dt.datetime(2026, 2, 20, 18, 0, tzinfo=UTC)
        )
        la.missing_return_record(actor=None, episode=ep, returned_at=dt.datetime(2026, 2, 21, 9, 30, tzinfo=UTC))
        # Sat 21 Feb 09:30 GMT + 72 hours = Tue 24 Feb 09:30 GMT; not offered by 2 Mar.
        d = one(child, "rhi")
        assert (d.due_at, d.due_date, d.state) == (
            dt.datetime(2026, 2, 24, 9, 30, tzinfo=UTC),
            D(2026, 2, 24),
            "overdue",
        )
        assert d.worker_id == personas.social_worker.staff.pk
        la.return_interview_record(
            actor=None, episode=ep, offered_at=dt.datetime(2026, 2, 24, 9, 0, tzinfo=UTC), accepted=True
        )
        assert one(child, "rhi").state == "met_on_time"

    with on(D(2026, 4, 1)):
        ep2 = la.missing_episode_record(
            actor=None, child=child, kind="A", started_at=dt.datetime(2026, 3, 27, 8, 0, tzinfo=UTC)
        )
        la.missing_return_record(actor=None, episode=ep2, returned_at=dt.datetime(2026, 3, 27, 10, 0, tzinfo=UTC))
        # Fri 27 Mar 10:00 GMT + 72 real hours = Mon 30 Mar 10:00 UTC = 11:00 BST (clocks went forward on 29 Mar).
        second = rows(child, "rhi")[-1]
        assert second.due_at == dt.datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
        # Offered at 11:30 BST (10:30 UTC): half an hour late.
        la.return_interview_record(actor=None, episode=ep2, offered_at=dt.datetime(2026, 3, 30, 10, 30, tzinfo=UTC))
        assert rows(child, "rhi")[-1].state == "met_late"


def test_pathway_plan_reviews_every_6_months_until_21(personas):
    leaver = make_child(date_of_birth=D(2007, 1, 15))  # 21 on 15 Jan 2028
    older = make_child(date_of_birth=D(2005, 4, 1))  # 21 on 1 Apr 2026
    with on(D(2026, 3, 2)):
        for child, end in ((leaver, D(2025, 1, 15)), (older, D(2023, 4, 1))):
            start_care(child, D(2021, 1, 4))
            la.period_of_care_end(actor=None, child=child, end_date=end, reason_ceased="E17")

        la.pathway_plan_review_record(actor=None, child=leaver, held_on=D(2025, 10, 1))
        # First plan 1 Oct 2025 + 6 months = 1 Apr 2026.
        first = one(leaver, "pathway_plan_review")
        assert (first.start_date, first.due_date, first.state) == (D(2025, 10, 1), D(2026, 4, 1), "due")
        # An early review (10 Feb) resets the next: 10 Aug 2026.
        la.pathway_plan_review_record(actor=None, child=leaver, held_on=D(2026, 2, 10))
        assert [(d.start_date, d.due_date, d.state) for d in rows(leaver, "pathway_plan_review")] == [
            (D(2025, 10, 1), D(2026, 4, 1), "met_on_time"),
            (D(2026, 2, 10), D(2026, 8, 10), "due"),
        ]

        la.pathway_plan_review_record(actor=None, child=older, held_on=D(2025, 6, 10))
        # 10 Jun 2025 + 6 months = 10 Dec 2025, missed.
        assert one(older, "pathway_plan_review").state == "overdue"
        la.pathway_plan_review_record(actor=None, child=older, held_on=D(2025, 12, 1))
        # The next would be due 1 Jun 2026, after the 21st birthday (1 Apr 2026): the duty ends first.
        assert [(d.due_date, d.state) for d in rows(older, "pathway_plan_review")] == [(D(2025, 12, 10), "met_on_time")]


def test_a_state_moves_from_due_to_overdue_when_time_passes(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    with on(D(2026, 1, 14)):
        start_care(child, D(2026, 1, 12))
    assert one(child, "cla_visit_first").state == "due"  # due 19 Jan
    with on(D(2026, 1, 20)):
        deadlines_refresh_child(child_id=child.pk)
    assert one(child, "cla_visit_first").state == "overdue"
