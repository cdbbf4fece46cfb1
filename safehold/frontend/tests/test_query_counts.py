"""The number of queries of the caseload, child record and team pages does not grow with the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.casework import services
from safehold.core.testing import allocate, make_child
from safehold.frontend.tests.journey import NOW, build
from safehold.workforce.services import allocation_set

pytestmark = pytest.mark.django_db

#: Ceilings, a little above the real counts (caseload 7; child record 24 with a child protection plan; team pages 9
#: to 13); equality between small and large is the point.
MAX_QUERIES = {"caseload": 10, "child": 30, "team": 16}


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm up: the first request of a session also writes the session (idle timeout)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(n: int, add: Callable[[int], None]) -> None:
    for i in range(n):
        add(i)


def test_caseload_queries_do_not_grow_with_children(client, personas, django_assert_max_num_queries) -> None:
    client.force_login(personas.social_worker)
    build("cp_plan", personas.social_worker)
    _grow(4, lambda i: allocate(make_child(), personas.social_worker))
    small = _count(client, "/")
    _grow(45, lambda i: allocate(make_child(), personas.social_worker))
    large = _count(client, "/")
    assert small == large
    with django_assert_max_num_queries(MAX_QUERIES["caseload"]):
        client.get("/")


def test_child_record_queries_do_not_grow_with_events(client, personas, django_assert_max_num_queries) -> None:
    case = build("cp_plan", personas.social_worker)
    client.force_login(personas.social_worker)
    staff = personas.social_worker.staff

    def visit_and_note(i: int) -> None:
        day = dt.date(2025, 6, 17) + dt.timedelta(days=i % 13)
        services.visit_record(actor=None, child=case.child, visit_type="cp", visited_on=day, seen=True, worker=staff)
        services.case_note_add(actor=None, child=case.child, subject=f"Note {i}", body="Text", author=staff)
        services.core_group_record(actor=None, plan=case["cp_plan"], held_on=day)

    _grow(5, visit_and_note)
    small = _count(client, f"/children/{case.child.pk}/")
    _grow(45, visit_and_note)
    large = _count(client, f"/children/{case.child.pk}/")
    assert small == large
    with django_assert_max_num_queries(MAX_QUERIES["child"]):
        client.get(f"/children/{case.child.pk}/")


@pytest.mark.parametrize("url", ["/team/", "/team/unallocated/", "/team/sign-off/", "/team/overdue/", "/team/drift/"])
def test_team_page_queries_do_not_grow_with_children(client, personas, url, django_assert_max_num_queries) -> None:
    client.force_login(personas.team_manager)
    workers = [personas.social_worker, personas.colleague]

    def add(i: int) -> None:
        if i % 3 == 0:
            child = make_child()
            allocation_set(actor=None, child=child, team=personas.team, worker=None, start_date=dt.date(2025, 6, 2))
        else:
            # Completed assessments and new child in need plans both wait for the manager's sign-off.
            build("completed" if i % 3 == 1 else "cin_plan", workers[i % 2])

    _grow(6, add)
    small = _count(client, url)
    _grow(48, add)
    large = _count(client, url)
    assert small == large
    with django_assert_max_num_queries(MAX_QUERIES["team"]):
        client.get(url)
