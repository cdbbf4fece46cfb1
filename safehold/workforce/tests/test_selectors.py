"""Team-manager selectors: managed teams, the unallocated queue and weighted caseloads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from safehold.core.testing import make_child
from safehold.frontend.tests.journey import NOW, build
from safehold.workforce import selectors
from safehold.workforce.choices import ServiceArea
from safehold.workforce.services import allocation_set, team_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def test_managed_teams_include_sub_teams_and_nobody_else(personas) -> None:
    sub = team_create(actor=None, name="Sub team", service_area=ServiceArea.CHILD_IN_NEED, parent=personas.team)
    assert selectors.managed_team_ids(user=personas.team_manager) == {personas.team.pk, sub.pk}
    assert selectors.managed_team_ids(user=personas.social_worker) == set()
    assert selectors.managed_team_ids(user=personas.analyst) == set()  # no staff record


def test_weights_are_documented_values() -> None:
    assert selectors.CASELOAD_WEIGHTS == {
        "cp": Decimal("1.5"),
        "cla": Decimal("1.25"),
        "cin": Decimal("1"),
        "assessment": Decimal("1"),
        "other": Decimal("1"),
    }


def test_caseloads_count_each_child_once_at_its_heaviest_weight(personas) -> None:
    build("cp_plan", personas.social_worker)
    build("assessment", personas.social_worker)
    build("cin_plan", personas.colleague)
    loads = {load.staff_id: load for load in selectors.caseloads_by_worker(team_ids={personas.team.pk})}
    mine = loads[personas.social_worker.staff.pk]
    assert (mine.children, mine.weighted) == (2, Decimal("2.5"))
    assert mine.by_category == {"cp": 1, "assessment": 1}
    assert not mine.over_limit
    theirs = loads[personas.colleague.staff.pk]
    assert (theirs.children, theirs.weighted) == (1, Decimal("1"))
    assert personas.team_manager.staff.pk not in loads  # managers hold no caseload
    assert personas.other_worker.staff.pk not in loads  # another team


def test_unallocated_queue_is_the_teams_children_without_a_worker(personas) -> None:
    waiting = make_child()
    allocation_set(actor=None, child=waiting, team=personas.team, worker=None, start_date=dt.date(2025, 6, 1))
    elsewhere = make_child()
    allocation_set(actor=None, child=elsewhere, team=personas.other_team, worker=None, start_date=dt.date(2025, 6, 1))
    build("fresh", personas.social_worker)
    queue = list(selectors.unallocated_for(user=personas.team_manager, team_ids={personas.team.pk}))
    assert [a.child_id for a in queue] == [waiting.pk]
    assert selectors.category_of(queue[0]) == "other"
    # A worker sees no queue for a team they do not manage, even if asked for it.
    assert list(selectors.unallocated_for(user=personas.other_worker, team_ids={personas.team.pk})) == []


def test_workers_for_allocation_are_case_holders_still_in_post(personas) -> None:
    options = dict(selectors.workers_for_allocation(team_ids={personas.team.pk}))
    assert personas.social_worker.staff.pk in options and personas.colleague.staff.pk in options
    assert personas.team_manager.staff.pk not in options
    assert personas.business_support.staff.pk not in options


def test_the_caseload_pages_are_the_workers_visible_children_in_name_order(personas) -> None:  # type: ignore[no-untyped-def]
    """Five children allocated to the worker (one restricted: not on its access list, so not shown), one to a
    colleague: the caseload is the four, by family name, a page at a time, with the figures the page shows."""
    from django.core.paginator import Paginator

    sw = personas.social_worker
    for family in ("Evans", "Ahmed", "Clarke", "Baker"):
        build("fresh", sw, family_name=family)
    build("assessment", sw, family_name="Davies")  # an open assessment: its clock is running
    build("fresh", sw, family_name="Aaron", restricted=True)
    build("fresh", personas.colleague, family_name="Abbott")
    rows = selectors.CaseloadRows(sw)
    expected = ["Ahmed", "Baker", "Clarke", "Davies", "Evans"]
    assert rows.count() == len(rows) == 5
    assert [c.family_name for c in rows[0:2]] == expected[:2]
    assert [c.family_name for c in rows[2:5]] == expected[2:]
    assert [c.family_name for c in rows[4:6]] == ["Evans"]
    page = Paginator(rows, 2).get_page(3)  # type: ignore[arg-type,var-annotated]
    assert [c.family_name for c in page.object_list] == ["Evans"] and page.paginator.num_pages == 3
    # The same children and figures as the queryset the API pages through.
    queryset = list(selectors.caseload_for(user=sw))
    assert [c.pk for c in rows[0:5]] == [c.pk for c in queryset]
    figures = ("next_due", "next_rule", "overdue", "last_visit", "on_cp_plan", "on_cin_plan", "looked_after")
    assert [tuple(getattr(c, f) for f in figures) for c in rows[0:5]] == [
        tuple(getattr(c, f) for f in figures) for c in queryset
    ]
    davies = rows[3:4][0]
    assert davies.family_name == "Davies" and davies.next_rule and davies.next_due is not None
    # No staff record: no caseload, and nothing asked of the database.
    nobody = selectors.CaseloadRows(personas.analyst)
    assert nobody.count() == 0 and nobody[0:25] == []
