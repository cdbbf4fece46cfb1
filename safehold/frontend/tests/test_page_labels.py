"""The labels the caseload and the child's record work out in Python (rather than with template filters per cell)
read as the filters would give them, and the record skips no event when it skips a query."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.casework import selectors, services
from safehold.core.testing import allocate, make_child
from safehold.frontend.tests.journey import NOW, build

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    "on, at",
    [
        (dt.date(2025, 9, 3), None),
        (dt.date(2025, 12, 25), None),
        # 23:30 UTC on 31 March is 00:30 the next day in London (summer time).
        (dt.date(2025, 4, 1), dt.datetime(2025, 3, 31, 23, 30, 5, tzinfo=dt.UTC)),
        (dt.date(2025, 1, 7), dt.datetime(2025, 1, 7, 9, 5, tzinfo=dt.UTC)),
    ],
)
def test_timeline_labels_read_as_the_date_filters_give_them(on: dt.date, at: dt.datetime | None) -> None:
    event = selectors.TimelineEvent(on, "note", "A note", at=at)
    if at is None:
        assert event.datetime_attr == dateformat.format(on, "Y-m-d")
        assert event.when == dateformat.format(on, "j F Y")
    else:
        local = timezone.localtime(at)
        assert event.datetime_attr == dateformat.format(local, "c")
        assert event.when == f"{dateformat.format(on, 'j F Y')} at {dateformat.time_format(local, 'H:i')}"


def test_child_record_timeline_shows_local_times_and_every_kind_of_meeting(client, personas) -> None:
    case = build("cp_plan", personas.social_worker)
    services.core_group_record(actor=None, plan=case["cp_plan"], held_on=dt.date(2025, 6, 20))
    services.case_note_add(
        actor=None, child=case.child, subject="Home visit", body="Text", author=personas.social_worker.staff
    )
    client.force_login(personas.social_worker)
    body = client.get(f"/children/{case.child.pk}/").content.decode()
    # NOW is 11:00 UTC on 30 June 2025: 12:00 in London.
    assert '<time datetime="2025-06-30T12:00:00+01:00">30 June 2025 at 12:00</time> · Case notes' in body
    assert '<time datetime="2025-06-20">20 June 2025</time> · Core groups and plan reviews' in body
    assert "Core group meeting" in body
    assert "Strategy discussion: Section 47 enquiry started" in body
    assert "Initial child protection conference: child protection plan" in body
    assert f"by {personas.social_worker.staff.full_name}" in body


def test_child_in_need_plan_reviews_are_in_the_timeline(client, personas) -> None:
    case = build("cin_plan", personas.social_worker)
    services.cin_plan_review_record(actor=None, plan=case["cin_plan"], held_on=dt.date(2025, 6, 25))
    client.force_login(personas.social_worker)
    body = client.get(f"/children/{case.child.pk}/?type=meeting").content.decode()
    assert "Child in need plan review" in body
    assert "1 event," in body


def test_a_record_without_an_episode_reads_no_meeting_tables(client, personas) -> None:
    fresh = build("decided", personas.social_worker)  # a contact, no episode
    planned = build("cp_plan", personas.social_worker)
    client.force_login(personas.social_worker)

    def tables(url: str) -> set[str]:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).content.decode()
        assert "Contact received from" in body
        return {m for q in ctx.captured_queries for m in re.findall(r'FROM "(casework_\w+)"', q["sql"])}

    meetings = {"casework_strategydiscussion", "casework_conference", "casework_coregroup", "casework_cinplanreview"}
    assert meetings - {"casework_cinplanreview"} <= tables(f"/children/{planned.child.pk}/")
    assert not meetings & tables(f"/children/{fresh.child.pk}/")


def test_caseload_cells_and_sort_values(client, personas) -> None:
    build("cp_plan", personas.social_worker, given_name="Bea", family_name="Zed", date_of_birth=dt.date(2015, 9, 3))
    unborn = make_child(
        given_name="Cal", family_name="Yew", sex="U", date_of_birth=None, expected_date_of_birth=dt.date(2025, 8, 1)
    )
    allocate(unborn, personas.social_worker)
    client.force_login(personas.social_worker)
    body = client.get("/").content.decode()
    assert 'data-sort-value="2015-09-03">3 Sep 2015</td>' in body
    assert re.search(r'data-sort-value="2025-\d\d-\d\d"><span class="sh-nowrap">\d{1,2} \w{3} 2025</span>', body)
    assert 'data-sort-value="">Unborn</td>' in body  # no date of birth
    assert 'data-sort-value=""><span class="sh-nowrap">None open</span>' in body  # the unborn child: no deadline
    assert 'data-sort-value="">Not seen</td>' in body
    assert f'href="/children/{unborn.pk}/">Cal Yew</a>' in body
