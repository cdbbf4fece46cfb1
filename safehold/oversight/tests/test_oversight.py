"""Supervision, management decisions and the leadership dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from safehold.audit.models import AccessEvent
from safehold.casework import services as cw
from safehold.core.testing import allocate, make_child
from safehold.oversight import indicators, selectors, services
from safehold.oversight.indicators import Figure
from safehold.oversight.models import ManagementDecision, Supervision, SupervisionAction, SupervisionDiscussion
from safehold.oversight.selectors import LA, Scope

pytestmark = [pytest.mark.django_db, pytest.mark.urls("safehold.oversight.tests.urls")]
TODAY = dt.date(2025, 6, 16)


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 6, 16, 12, tzinfo=dt.UTC), tick=False):
        yield


def _supervise(personas, child, *, held_on=TODAY, due=TODAY + dt.timedelta(days=7)):  # type: ignore[no-untyped-def]
    sup = services.supervision_record(
        actor=personas.team_manager,
        manager=personas.team_manager.staff,
        worker=personas.social_worker.staff,
        held_on=held_on,
    )
    services.supervision_discussion_add(
        actor=personas.team_manager,
        supervision=sup,
        child=child,
        discussion="Progress",
        decision="Continue",
        impact_analysis="Attendance improving",
        action="Visit school",
        action_owner=personas.social_worker.staff,
        action_due=due,
    )
    return sup


def test_figure_suppression() -> None:
    """3 of 10 → 30.0% normally; for a councillor a numerator of 3 (1–4) is "fewer than 5"; 0 of 10 is shown."""
    assert Figure(3, 10, "percent").display() == "30.0%"
    assert Figure(3, 10, "percent").display(suppress=True) == "fewer than 5"
    assert Figure(0, 10, "percent").display(suppress=True) == "0.0%"
    assert Figure(6, 12, "percent").display(suppress=True) == "50.0%"
    assert Figure(0, 0, "percent").display() == "No data"
    assert Figure(2, 0, "count").display(suppress=True) == "fewer than 5"
    assert Figure(Decimal(15), Decimal("1.5"), "ratio").display() == "10.0"


def test_supervision_coverage_and_actions(personas) -> None:  # type: ignore[no-untyped-def]
    """Two children allocated to the worker; one discussed today → 1 of 2 = 50.0% for worker, team and LA.
    The action is due in 7 days: open, not overdue; at 8 days on, overdue (1)."""
    a, b = make_child(), make_child()
    allocate(a, personas.social_worker)
    allocate(b, personas.social_worker)
    _supervise(personas, a)
    worker = Scope("worker", str(personas.social_worker.staff.pk))
    for scope in (worker, Scope("team", str(personas.team.pk)), LA):
        cov = selectors.supervision_coverage(scope=scope)
        assert (cov.discussed, cov.total, cov.percent) == (1, 2, 50.0)
    assert selectors.supervision_coverage_by(level="worker")[worker.key].percent == 50.0
    assert selectors.actions_overdue().count() == 0
    assert selectors.actions_overdue(as_of=TODAY + dt.timedelta(days=8)).count() == 1
    # Five weeks later the discussion is outside the 4-week window.
    assert selectors.supervision_coverage(scope=LA, as_of=TODAY + dt.timedelta(weeks=5)).discussed == 0
    oversight = selectors.child_oversight(child=a)
    assert len(oversight.discussions) == 1 and len(oversight.actions) == 1


def test_without_oversight_counts_decisions_and_signoffs(personas) -> None:  # type: ignore[no-untyped-def]
    """Three open children: one discussed in supervision, one with a management decision → 1 of 3 without."""
    a, b, c = make_child(), make_child(), make_child()
    for ch in (a, b, c):
        allocate(ch, personas.social_worker)
    _supervise(personas, a)
    services.management_decision_record(
        actor=personas.team_manager,
        child=b,
        kind="step_down",
        decided_on=TODAY,
        decided_by=personas.team_manager.staff,
        decision="Step down",
        rationale="Needs met by early help",
    )
    cov = selectors.without_oversight_count(scope=LA)
    assert (cov.discussed, cov.total) == (1, 3)
    rows = list(selectors.children_without_oversight(user=personas.team_manager))
    assert [r.child_id for r in rows] == [c.pk]
    assert selectors.child_oversight(child=b).register[0]["rationale"] == "Needs met by early help"


def test_a_sign_off_just_after_local_midnight_counts_from_that_day(personas) -> None:  # type: ignore[no-untyped-def]
    """The 6-week window to 14 July 2025 starts on 2 June. A contact decided at 23:30 UTC on 1 June is 00:30 on
    2 June in London (BST): inside the window, so the child has oversight (0 of 1 without). Decided an hour
    earlier (23:30 on 1 June in London) it is outside (1 of 1 without)."""
    inside, outside = make_child(), make_child()
    for child, at in ((inside, dt.datetime(2025, 6, 1, 23, 30, tzinfo=dt.UTC)),
                      (outside, dt.datetime(2025, 6, 1, 22, 30, tzinfo=dt.UTC))):  # fmt: skip
        allocate(child, personas.social_worker)
        with time_machine.travel(at, tick=False):
            contact = cw.contact_record(actor=None, child=child, received_at=at, source="2A", summary="Call")
            cw.contact_decide(
                actor=None, contact=contact, expected_version=contact.version, outcome="nfa", threshold_level="1",
                reason="No concerns", decided_at=at,
            )  # fmt: skip
    as_of = dt.date(2025, 7, 14)
    assert as_of - dt.timedelta(weeks=6) == dt.date(2025, 6, 2)
    rows = list(selectors.children_without_oversight(user=personas.team_manager, as_of=as_of))
    assert [r.child_id for r in rows] == [outside.pk]


def test_rereferrals_within_12_months(personas) -> None:  # type: ignore[no-untyped-def]
    """Child A: referrals 2024-01-10 (closed 2024-03-01) and 2024-10-01 → the second is within 12 months.
    Child B: one referral 2024-11-01. In the year to 2025-06-16 (from 2024-06-17): 2 referrals, 1 re-referral
    = 50.0%. The 2024-01-10 referral is outside the period."""
    a, b = make_child(), make_child()
    ep = cw.referral_create(actor=None, child=a, referral_date=dt.date(2024, 1, 10), source="2A")
    cw.episode_close(
        actor=None, episode=ep, expected_version=ep.version, closure_date=dt.date(2024, 3, 1), reason="RC1"
    )
    cw.referral_create(actor=None, child=a, referral_date=dt.date(2024, 10, 1), source="2A")
    cw.referral_create(actor=None, child=b, referral_date=dt.date(2024, 11, 1), source="2A")
    first, last = indicators.period(TODAY)
    fig = indicators.rereferrals(LA, first, last)
    assert (fig.numerator, fig.denominator, fig.value) == (1, 2, 50.0)


def test_caseload_and_agency(personas) -> None:  # type: ignore[no-untyped-def]
    """Three children allocated to the social worker and none to the colleague (both 1.0 FTE): 3 ÷ 2 = 1.5
    per FTE in the team. Agency: no agency staff → 0 of the social-work FTE = 0.0%."""
    for _ in range(3):
        allocate(make_child(), personas.social_worker)
    team = Scope("team", str(personas.team.pk))
    fig = indicators.caseload_average(team, TODAY, TODAY)
    assert (fig.numerator, fig.denominator, fig.value) == (3, Decimal(2), 1.5)
    assert indicators.agency_rate(LA, TODAY, TODAY).value == 0.0


def test_national_figures_loaded() -> None:
    nat = indicators.national_figures()
    assert nat["assessments_within_45_working_days_pct"].value == 85.7
    assert nat["assessments_within_45_working_days_pct"].year_ending == dt.date(2025, 3, 31)


def test_dashboard_overdue_equals_worklist(client, personas) -> None:  # type: ignore[no-untyped-def]
    """The dashboard's overdue-actions figure is the overdue worklist's row count (same selector)."""
    child = make_child()
    allocate(child, personas.social_worker)
    _supervise(personas, child, held_on=TODAY - dt.timedelta(days=10), due=TODAY - dt.timedelta(days=1))
    client.force_login(personas.director)
    response = client.get("/oversight/")
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r["indicator"].code == "overdue_actions")
    assert row["figure"].numerator == selectors.actions_overdue().count() == 1
    client.force_login(personas.social_worker)
    worklist = client.get("/oversight/actions/")
    assert len(worklist.context["rows"]) == 1 and b"Overdue" in worklist.content


def test_lead_member_aggregates_only(client, personas) -> None:  # type: ignore[no-untyped-def]
    child = make_child()
    allocate(child, personas.social_worker)
    client.force_login(personas.councillor)
    response = client.get("/oversight/")
    assert response.status_code == 200
    assert b"fewer than 5" in response.content
    assert response.context["breakdown"] == []
    assert client.get(f"/oversight/?level=team&key={personas.team.pk}").status_code == 404
    assert client.get(f"/oversight/children/?level=team&key={personas.team.pk}").status_code in (302, 404)
    assert client.get(f"/oversight/child/{child.pk}/").status_code in (302, 404)
    csv = client.get("/oversight/?format=csv").content.decode()
    assert "fewer than 5" in csv and child.family_name not in csv


def test_drill_down_and_export_logged(client, personas) -> None:  # type: ignore[no-untyped-def]
    child = make_child()
    allocate(child, personas.social_worker)
    client.force_login(personas.head_of_service)
    assert client.get(f"/oversight/?level=team&key={personas.team.pk}").status_code == 200
    assert client.get("/oversight/indicators/assessments_45wd/").status_code == 200
    assert b"<svg" in client.get("/oversight/indicators/assessments_45wd/").content
    worker = personas.social_worker.staff.pk
    page = client.get(f"/oversight/children/?level=worker&key={worker}")
    assert child.full_name.encode() in page.content
    before = AccessEvent.objects.filter(kind="export", child_id=child.pk).count()
    export = client.get(f"/oversight/children/?level=worker&key={worker}&format=csv")
    assert child.family_name in export.content.decode()
    assert AccessEvent.objects.filter(kind="export", child_id=child.pk).count() == before + 1


def test_invalid_forms_write_nothing(client, personas) -> None:  # type: ignore[no-untyped-def]
    child = make_child()
    allocate(child, personas.social_worker)
    client.force_login(personas.team_manager)
    response = client.post("/oversight/supervision/new/", {"worker": "", "held_on_day": "40"})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    assert Supervision.objects.count() == 0
    sup = services.supervision_record(
        actor=None, manager=personas.team_manager.staff, worker=personas.social_worker.staff, held_on=TODAY
    )
    response = client.post(
        f"/oversight/supervision/{sup.pk}/",
        {"child": str(child.pk), "discussion": "x", "decision": "", "impact_analysis": "", "action": "Do it"},
    )
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    assert SupervisionDiscussion.objects.count() == 0 and SupervisionAction.objects.count() == 0
    response = client.post(f"/oversight/child/{child.pk}/decision/", {"kind": "closure", "decision": "Close"})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    assert ManagementDecision.objects.count() == 0
    # A valid supervision discussion through the page.
    response = client.post(
        f"/oversight/supervision/{sup.pk}/",
        {
            "child": str(child.pk),
            "discussion": "Progress",
            "decision": "Continue",
            "impact_analysis": "Better",
            "action": "Visit",
            "action_owner": str(personas.social_worker.staff.pk),
            "action_due_day": "20",
            "action_due_month": "6",
            "action_due_year": "2025",
        },
    )
    assert response.status_code == 302
    assert SupervisionAction.objects.get().owner == personas.social_worker.staff
