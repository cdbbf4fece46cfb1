"""Who has viewed this child (DPO and managers), and what the record said on a date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safehold.audit.models import AccessEvent
from safehold.audit.selectors import record_as_at, record_changes
from safehold.audit.services import access_record
from safehold.core.testing import allocate, make_child
from safehold.people.models import Person
from safehold.people.services import person_update

pytestmark = pytest.mark.django_db


def _views(child, user, n, when=None):
    for _ in range(n):
        if when is None:
            access_record(actor=user, kind="view", child_id=child.pk, path=f"/children/{child.pk}/")
        else:
            with time_machine.travel(when, tick=False):
                access_record(actor=user, kind="view", child_id=child.pk, path=f"/children/{child.pk}/")


@pytest.fixture
def child(personas):
    c = make_child(given_name="Viewed")
    allocate(c, personas.social_worker)
    return c


def test_dpo_and_the_manager_see_who_viewed_others_do_not(client, personas, child):
    _views(child, personas.social_worker, 2)
    for who in ("dpo", "team_manager"):
        client.force_login(getattr(personas, who))
        response = client.get(f"/audit/children/{child.pk}/access/")
        assert response.status_code == 200, who
        assert personas.social_worker.username in response.content.decode()
    for who in ("social_worker", "other_worker", "analyst", "partner", "councillor"):
        client.force_login(getattr(personas, who))
        assert client.get(f"/audit/children/{child.pk}/access/").status_code == 404, who


def test_filter_by_user_and_date(client, personas, child):
    march = dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC)
    may = dt.datetime(2025, 5, 10, 12, tzinfo=dt.UTC)
    _views(child, personas.social_worker, 3, when=march)
    _views(child, personas.colleague, 2, when=may)
    client.force_login(personas.dpo)
    url = f"/audit/children/{child.pk}/access/"
    by_user = client.get(url, {"user": personas.colleague.pk}).context["page"]
    assert by_user.paginator.count == 2
    by_date = client.get(url, {"date_from": "2025-03-01", "date_to": "2025-03-31"}).context["page"]
    assert by_date.paginator.count == 3
    bad = client.get(url, {"date_from": "2025-05-01", "date_to": "2025-03-01"})
    assert "govuk-error-summary" in bad.content.decode()


def test_the_page_is_paginated_with_a_constant_number_of_queries(client, personas, child):
    client.force_login(personas.dpo)
    url = f"/audit/children/{child.pk}/access/"
    _views(child, personas.social_worker, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _views(child, personas.colleague, 120)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    page = response.context["page"]
    assert page.paginator.num_pages == 3 and len(page.object_list) == 50
    assert client.get(url, {"page": 3}).status_code == 200


def test_what_the_record_said_on_a_date(client, personas, child):
    before_change = timezone.now()
    with time_machine.travel(before_change + dt.timedelta(days=2), tick=False):
        person_update(actor=personas.social_worker, person=child, expected_version=child.version, given_name="Renamed")
    as_was = record_as_at(Person, object_id=child.pk, at=before_change + dt.timedelta(days=1))
    assert as_was is not None and as_was.given_name == "Viewed"
    as_is = record_as_at(Person, object_id=child.pk, at=before_change + dt.timedelta(days=3))
    assert as_is is not None and as_is.given_name == "Renamed"
    assert record_as_at(Person, object_id=child.pk, at=before_change - dt.timedelta(days=400)) is None
    history = record_changes(object_type="people.Person", object_id=child.pk)
    assert history[-1]["changed"]["given_name"] == ("Viewed", "Renamed")

    client.force_login(personas.team_manager)
    day = (before_change + dt.timedelta(days=1)).date().isoformat()
    response = client.get(f"/audit/children/{child.pk}/as-at/", {"date": day})
    assert response.status_code == 200 and response.context["rows"][0] == ("First name", "Viewed")
    assert AccessEvent.objects.filter(child_id=child.pk, actor_id=personas.team_manager.pk).exists()
    later = (before_change + dt.timedelta(days=3)).date().isoformat()
    response = client.get(f"/audit/children/{child.pk}/as-at/", {"date": later})
    # What it said (field history) and who changed it (audit trail).
    assert response.context["rows"][0] == ("First name", "Renamed")
    assert (
        "person.updated" in response.content.decode() and personas.social_worker.username in response.content.decode()
    )
    early = (before_change - dt.timedelta(days=400)).date().isoformat()
    assert (
        "did not exist on that date"
        in client.get(f"/audit/children/{child.pk}/as-at/", {"date": early}).content.decode()
    )
    bad = client.get(f"/audit/children/{child.pk}/as-at/", {"date": "2024-02-31"})
    assert bad.status_code == 200 and "Enter a real date" in bad.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database-level guarantee tested on PostgreSQL")
def test_the_database_refuses_to_rewrite_the_access_log(personas, child):
    """On PostgreSQL the append-only trigger refuses UPDATE and DELETE on access events (audit events: core tests)."""
    event = access_record(actor=personas.dpo, kind="view", child_id=child.pk)
    for sql in (
        "UPDATE audit_accessevent SET reason = 'tampered' WHERE id = %s",
        "DELETE FROM audit_accessevent WHERE id = %s",
    ):
        with pytest.raises(Exception) as excinfo:  # noqa: B017 - InternalError from the trigger
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
        assert "append-only" in str(excinfo.value)
    event.refresh_from_db()
    assert event.reason == ""
