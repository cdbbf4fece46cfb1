"""Early help clocks in the timescales engine: the local standards are materialised with every other deadline, so
an overdue early help assessment or review shows in the ``/deadlines/`` worklists (overdue, due soon, per worker
and per team), owned by the council lead practitioner; closing early help stops the clocks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from safehold.early_help import selectors, services
from safehold.early_help.tests.builders import OPENED, early_help_contact, open_episode, organisation
from safehold.frontend.tests.journey import NOW
from safehold.timescales import selectors as worklists
from safehold.timescales.models import Deadline
from safehold.timescales.services import deadlines_refresh_all

pytestmark = pytest.mark.django_db

#: 30 working days after Tue 3 Jun 2025 (no bank holidays): 4-6 Jun (3), 9-13 (8), 16-20 (13), 23-27 (18),
#: 30 Jun-4 Jul (23), 7-11 Jul (28), Mon 14 (29), Tue 15 Jul (30).
ASSESSMENT_DUE = dt.date(2025, 7, 15)
LATER = dt.datetime(2025, 7, 21, 10, tzinfo=dt.UTC)  # Mon 21 Jul: the assessment is overdue


def _started(sw: Any) -> Any:
    with time_machine.travel(NOW, tick=False):
        case, episode = open_episode(sw)
        services.assessment_start(actor=sw, episode=episode, start_date=OPENED, organisation=organisation())
    return case, episode


def test_an_overdue_early_help_assessment_is_in_the_worklists(personas: Any, client: Client) -> None:
    sw = personas.social_worker
    case, episode = _started(sw)
    [row] = Deadline.objects.filter(child=case.child, rule_code="eh_assessment")
    assert (row.start_date, row.due_date, row.met_on, row.state) == (OPENED, ASSESSMENT_DUE, None, "due")
    assert row.start_ref.startswith("eh_assessment:")
    assert (row.worker_id, row.team_id) == (sw.staff.pk, personas.team.pk)  # the allocated worker's
    with time_machine.travel(NOW, tick=False):
        soon = worklists.due_soon(user=sw, worker_id=sw.staff.pk, working_days=15)
        assert "eh_assessment" in set(soon.values_list("rule_code", flat=True))
    with time_machine.travel(LATER, tick=False):
        for scope in ({"worker_id": sw.staff.pk}, {"team_id": personas.team.pk}, {}):
            overdue = worklists.overdue_now(user=sw, **scope)
            assert overdue.filter(child=case.child, rule_code="eh_assessment").exists(), scope
        assert not worklists.overdue_now(user=sw, team_id=personas.other_team.pk).exists()
        client.force_login(personas.team_manager)
        page = client.get(f"/deadlines/?view=overdue&team={personas.team.pk}&rule=eh_assessment").content.decode()
        assert "Early help assessment completed" in page and case.child.family_name in page
        # The worker who cannot see the child does not see the deadline either.
        assert not worklists.overdue_now(user=personas.other_worker).filter(rule_code="eh_assessment").exists()
        # The episode page shows the same clock as the engine.
        [due] = [d for d in selectors.episode_view(user=sw, episode=episode).due if d.rule.code == "eh_assessment"]
        assert due.due == ASSESSMENT_DUE and due.overdue(LATER.date())


def test_completion_meets_the_clock_starts_reviews_and_closure_stops_them(personas: Any) -> None:
    sw = personas.social_worker
    case, episode = _started(sw)
    a = episode.assessments.get()
    with time_machine.travel(LATER, tick=False):
        services.assessment_complete(
            actor=sw, assessment=a, expected_version=a.version, completed_date=dt.date(2025, 7, 18), needs="Routines"
        )
        rows = {r.rule_code: r for r in Deadline.objects.filter(child=case.child, rule_code__startswith="eh_")}
        assert rows["eh_assessment"].state == "met_late" and rows["eh_assessment"].met_on == dt.date(2025, 7, 18)
        # Review: 6 weeks from completion (Fri 18 Jul -> Fri 29 Aug), owned like the assessment.
        assert (rows["eh_review"].start_date, rows["eh_review"].due_date) == (
            dt.date(2025, 7, 18),
            dt.date(2025, 8, 29),
        )
        assert rows["eh_review"].start_ref.startswith(f"early_help:{episode.pk}@")
        episode.refresh_from_db()
        services.episode_close(
            actor=sw,
            episode=episode,
            expected_version=episode.version,
            closed_on=dt.date(2025, 7, 21),
            outcome="needs_met",
        )
        codes = set(
            Deadline.objects.filter(child=case.child, met_on__isnull=True, stopped_on__isnull=True).values_list(
                "rule_code", flat=True
            )
        )
        assert not {c for c in codes if c.startswith("eh_")}
        assert Deadline.objects.filter(child=case.child, rule_code="eh_assessment", met_on__isnull=False).exists()


def test_a_council_lead_practitioner_owns_the_early_help_clocks(personas: Any) -> None:
    """The lead practitioner and their team own the family's early help deadlines (not the child's allocation);
    the nightly refresh gives the same rows as the refresh on each write."""
    from safehold.core.testing import make_staff
    from safehold.workforce.choices import StaffRole

    sw = personas.social_worker
    eh_worker = make_staff(team=personas.other_team, role=StaffRole.EARLY_HELP_WORKER)
    with time_machine.travel(NOW, tick=False):
        case = early_help_contact(sw)
        episode = services.early_help_open_from_contact(
            actor=sw, contact=case["contact"], opened_on=OPENED, lead_staff=eh_worker
        )
        services.consent_record(actor=sw, episode=episode, given_by="Jo", given_on=OPENED, scopes=["lead"])
        services.assessment_start(actor=sw, episode=episode, start_date=OPENED, organisation=organisation())
    row = Deadline.objects.get(child=case.child, rule_code="eh_assessment")
    assert (row.worker_id, row.team_id) == (eh_worker.pk, personas.other_team.pk)
    allocated = Deadline.objects.filter(child=case.child).exclude(rule_code__startswith="eh_").first()
    assert allocated is None or allocated.worker_id == sw.staff.pk
    before = sorted(Deadline.objects.values_list("child_id", "rule_code", "start_ref", "due_date", "worker_id"))
    with time_machine.travel(NOW, tick=False):
        deadlines_refresh_all()
    after = sorted(Deadline.objects.values_list("child_id", "rule_code", "start_ref", "due_date", "worker_id"))
    assert after == before
