"""What waits for a team manager (the team page's three figures): counted in one prepared statement, among the
children the manager may see, in the manager's teams only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.casework import selectors, services
from safehold.casework.models import CINEpisode
from safehold.core.testing import make_child
from safehold.frontend.tests.journey import NOW, TODAY, build
from safehold.workforce import selectors as workforce
from safehold.workforce.services import allocation_set

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _ask_to_close(child, worker) -> None:  # type: ignore[no-untyped-def]
    episode = CINEpisode.objects.get(child=child, closure_date__isnull=True)
    services.closure_request(
        actor=worker, episode=episode, expected_version=episode.version, closure_date=TODAY, reason="RC7",
        summary="Needs met", requested_by=worker.staff,
    )


def test_the_three_figures_count_the_managers_visible_children_in_their_teams(personas) -> None:  # type: ignore[no-untyped-def]
    """In the manager's team: one completed assessment, one closure request and one child with no named worker
    count; a restricted child with each of those does not (the manager is not on its access list); nor does
    anything in the other team. So 1, 1 and 1, the same as the selectors' own querysets count."""
    sw, other = personas.social_worker, personas.other_worker
    assessed = build("completed", sw)
    closing = build("episode", sw)
    _ask_to_close(closing.child, sw)
    hidden = build("completed", sw, restricted=True)
    _ask_to_close(hidden.child, sw)
    elsewhere = build("completed", other)
    _ask_to_close(elsewhere.child, other)
    for team, restricted in ((personas.team, False), (personas.team, True), (personas.other_team, False)):
        allocation_set(
            actor=None, child=make_child(restricted=restricted), team=team, worker=None, start_date=dt.date(2025, 1, 6)
        )
    manager = personas.team_manager
    team_ids = workforce.managed_team_ids(user=manager)
    assert team_ids == {personas.team.pk}

    got = selectors.waiting_for_team(user=manager, team_ids=team_ids)

    assert got == {"unallocated": 1, "assessments": 1, "approvals": 1}
    assert got == {
        "unallocated": workforce.unallocated_allocations(user=manager, team_ids=team_ids).count(),
        "assessments": selectors.assessments_awaiting_signoff(user=manager, team_ids=team_ids).count(),
        "approvals": selectors.approvals_awaiting(user=manager, team_ids=team_ids).count(),
    }
    # The other team's manager sees its own figures from the same compiled statement.
    assert selectors.waiting_for_team(user=manager, team_ids={personas.other_team.pk}) == {
        "unallocated": 0, "assessments": 0, "approvals": 0,  # not their children: not visible to this manager
    }
    # Run again after the manager signs the assessment off: the compiled statement counts the new state.
    assessment = assessed.objects["assessment"]
    assessment.refresh_from_db()
    services.assessment_authorise(
        actor=manager, assessment=assessment, expected_version=assessment.version, authorised_date=TODAY,
        manager=manager.staff,
    )
    assert selectors.waiting_for_team(user=manager, team_ids=team_ids) == {
        "unallocated": 1, "assessments": 0, "approvals": 1,
    }
    assert selectors.waiting_for_team(user=personas.social_worker, team_ids=team_ids) == {
        "unallocated": 1, "assessments": 0, "approvals": 1,  # a worker in the team sees the team's children
    }
    assert selectors.waiting_for_team(user=personas.partner, team_ids=team_ids) == {
        "unallocated": 0, "assessments": 0, "approvals": 0,  # a partner sees no child: nothing waits for them
    }
