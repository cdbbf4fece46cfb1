"""Worklists: overdue now, due in the next 10 working days and drift, for a worker, a team and
the LA, always within what the user may see. Now is Mon 2 Mar 2026 (no bank holiday from 2 Jan
to 2 Apr 2026)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.casework import services as cw
from safehold.core.testing import allocate, make_child
from safehold.timescales import selectors as sel

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def borough(personas):
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False):
        # A (team, social worker): referral Mon 5 Jan, no decision: due Tue 6 Jan, overdue by
        # 7-9 Jan (3), 12-16 (8), 19-23 (13), 26-30 (18), Feb: 23, 28, 33, 38, Mon 2 Mar (39) WD.
        a = make_child(given_name="Ada", family_name="Ayres")
        allocate(a, personas.social_worker)
        cw.referral_create(actor=None, child=a, referral_date=D(2026, 1, 5), source="2A", primary_need="N1")

        # B (team, colleague): referral Fri 20 Feb decided by the strategy discussion on Mon 23 Feb
        # (on time); ICPC 15 WD after Mon 23 Feb: 24-27 (4), 2-6 Mar (9), 9-13 (14), Mon 16 Mar (15).
        b = make_child(given_name="Ben", family_name="Bell")
        allocate(b, personas.colleague)
        ep = cw.referral_create(actor=None, child=b, referral_date=D(2026, 2, 20), source="6", primary_need="N1")
        cw.strategy_discussion_record(actor=None, episode=ep, held_on=D(2026, 2, 23), start_section47=True)

        # C (other team): referral Mon 16 Feb, no decision: due Tue 17 Feb, overdue by
        # 18-20 Feb (3), 23-27 (8), Mon 2 Mar (9) WD.
        c = make_child(given_name="Cal", family_name="Cole")
        allocate(c, personas.other_worker)
        cw.referral_create(actor=None, child=c, referral_date=D(2026, 2, 16), source="2A", primary_need="N1")

        # D (team, social worker): referral and assessment Mon 26 Jan (decision on time); CIN plan
        # Mon 26 Jan, no visit: cin_visit 20 WD: 27-30 Jan (4), 2-6 (9), 9-13 (14), 16-20 (19), Mon 23 Feb
        # (20); overdue by 24-27 Feb (4), Mon 2 Mar (5) WD. The assessment (45 WD: 30 Mar) is open.
        d = make_child(given_name="Dee", family_name="Dunn")
        allocate(d, personas.social_worker)
        ep = cw.referral_create(actor=None, child=d, referral_date=D(2026, 1, 26), source="2A", primary_need="N1")
        cw.assessment_start(actor=None, episode=ep, start_date=D(2026, 1, 26))
        cw.cin_plan_start(actor=None, episode=ep, start_date=D(2026, 1, 26))
        yield {"a": a, "b": b, "c": c, "d": d}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False):
        yield


def keys(qs) -> list[tuple[str, str]]:
    return [(d.child.given_name, d.rule_code) for d in qs]


def test_overdue_now_for_a_worker_team_and_the_la(personas, borough):
    # The social worker sees their team's children (A, B, D), never the other team's (C).
    assert keys(sel.overdue_now(user=personas.social_worker)) == [
        ("Ada", "referral_decision"),  # due 6 Jan
        ("Dee", "cin_visit"),  # due 23 Feb
    ]
    mine = sel.overdue_now(user=personas.team_manager, worker_id=personas.social_worker.staff.pk)
    assert keys(mine) == [("Ada", "referral_decision"), ("Dee", "cin_visit")]
    assert keys(sel.overdue_now(user=personas.team_manager, worker_id=personas.colleague.staff.pk)) == []
    assert keys(sel.overdue_now(user=personas.director, team_id=personas.other_team.pk)) == [
        ("Cal", "referral_decision")
    ]
    assert keys(sel.overdue_now(user=personas.director)) == [
        ("Ada", "referral_decision"),
        ("Cal", "referral_decision"),
        ("Dee", "cin_visit"),
    ]
    assert keys(sel.overdue_now(user=personas.director, rule="cin_visit")) == [("Dee", "cin_visit")]
    assert [d.child.given_name for d in sel.overdue_now(user=personas.director, sort="child")] == ["Ada", "Cal", "Dee"]
    assert [d.child.given_name for d in sel.overdue_now(user=personas.director, sort="-due")] == ["Dee", "Cal", "Ada"]


def test_a_worker_never_sees_another_teams_children_whatever_the_filter(personas, borough):
    assert keys(sel.overdue_now(user=personas.other_worker, team_id=personas.team.pk)) == []
    assert keys(sel.overdue_now(user=personas.social_worker, team_id=personas.other_team.pk)) == []
    assert keys(sel.overdue_now(user=personas.other_worker)) == [("Cal", "referral_decision")]
    assert sel.drift(user=personas.other_worker, team_id=personas.team.pk) == []
    assert keys(sel.due_soon(user=personas.other_worker)) == []
    assert sel.deadlines_visible_to(personas.councillor).count() == 0
    assert sel.deadlines_visible_to(personas.nobody).count() == 0


def test_due_in_the_next_10_working_days(personas, borough):
    # 10 WD after Mon 2 Mar is Mon 16 Mar: B's ICPC falls exactly on the horizon.
    assert keys(sel.due_soon(user=personas.team_manager)) == [("Ben", "icpc")]
    assert keys(sel.due_soon(user=personas.team_manager, working_days=9)) == []
    assert keys(sel.due_soon(user=personas.team_manager, worker_id=personas.colleague.staff.pk)) == [("Ben", "icpc")]
    assert keys(sel.due_soon(user=personas.team_manager, worker_id=personas.social_worker.staff.pk)) == []


def test_drift_list(personas, borough):
    rows = sel.drift(user=personas.director)
    # A: overdue 39 WD (> 10). D: a visit overdue (5 WD, but any missed visit is drift). C: 9 WD, not > 10.
    assert [(r.child_name, r.worst_rule, r.worst_working_days, r.visit_overdue) for r in rows] == [
        ("Ada Ayres", "referral_decision", 39, False),
        ("Dee Dunn", "cin_visit", 5, True),
    ]
    assert rows[0].url == f"/children/{borough['a'].pk}/"
    assert rows[0].worker_name == str(personas.social_worker.staff)
    assert rows[1].last_visit is None

    margin5 = sel.drift(user=personas.director, margin=5)
    assert [(r.child_name, r.worst_working_days) for r in margin5] == [
        ("Ada Ayres", 39),
        ("Cal Cole", 9),
        ("Dee Dunn", 5),
    ]
    # "More than" the margin: C's 9 WD is not drift with a margin of 9.
    assert [r.child_name for r in sel.drift(user=personas.director, margin=9)] == ["Ada Ayres", "Dee Dunn"]
    assert [r.child_name for r in sel.drift(user=personas.director, margin=5, sort="child")] == [
        "Ada Ayres",
        "Cal Cole",
        "Dee Dunn",
    ]
    assert [r.child_name for r in sel.drift(user=personas.team_manager, margin=5)] == ["Ada Ayres", "Dee Dunn"]
    assert [r.child_name for r in sel.drift(user=personas.director, team_id=personas.other_team.pk, margin=5)] == [
        "Cal Cole"
    ]


def test_drift_counts_working_days_from_a_weekend(personas, borough):
    # On Sat 28 Feb, C's deadline (Tue 17 Feb) is 8 WD overdue: 18-20 (3), 23-27 (8).
    with time_machine.travel(dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC), tick=False):
        assert "Cal Cole" in [r.child_name for r in sel.drift(user=personas.director, margin=7)]
        assert "Cal Cole" not in [r.child_name for r in sel.drift(user=personas.director, margin=8)]


def test_a_visit_clears_the_visit_drift(personas, borough):
    cw.visit_record(actor=None, child=borough["d"], visit_type="cin", visited_on=D(2026, 2, 27), seen=True)
    assert [r.child_name for r in sel.drift(user=personas.director)] == ["Ada Ayres"]


def test_filter_options_only_name_visible_workers_and_teams(personas, borough):
    options = sel.filter_options(user=personas.social_worker)
    assert {pk for pk, _ in options["teams"]} == {personas.team.pk}
    assert personas.other_worker.staff.pk not in {pk for pk, _ in options["workers"]}
