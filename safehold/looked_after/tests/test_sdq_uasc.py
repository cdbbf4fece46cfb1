"""SDQ and UASC pages: invalid input re-renders with the GOV.UK error summary and writes nothing; valid input
writes through the service with an audit event; an unrelated worker gets a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.core.testing import allocate, make_child
from safehold.frontend.tests.journey import NOW, TODAY, date_fields
from safehold.looked_after.models import SDQAssessment
from safehold.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(personas) -> Any:  # type: ignore[no-untyped-def]
    c = make_child(date_of_birth=dt.date(2015, 5, 1))
    allocate(c, personas.social_worker)
    return c


def _state() -> tuple[Any, ...]:
    people = list(Person.objects.order_by("pk").values_list("uasc", "uasc_ceased", "version"))
    return (AuditEvent.objects.count(), SDQAssessment.objects.count(), people)


def _sdq(child: Any) -> str:
    return f"/care/children/{child.pk}/sdq/new/"


def _uasc(child: Any) -> str:
    return f"/care/children/{child.pk}/uasc/"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**date_fields("done_on", TODAY), "score": "41"}, "The total score must be between 0 and 40"),
        ({**date_fields("done_on", TODAY), "score": "-1"}, "The total score must be between 0 and 40"),
        ({**date_fields("done_on", TODAY), "score": "ten"}, "Enter the score as a whole number from 0 to 40"),
        ({**date_fields("done_on", None), "score": "12"}, "Enter"),
        ({**date_fields("done_on", TODAY), "score": ""}, "Enter the total score, or select why there is no score"),
        ({**date_fields("done_on", TODAY), "score": "12", "reason": "SDQ2"}, "not both"),
        ({**date_fields("done_on", TODAY + dt.timedelta(days=1)), "score": "12"}, "cannot be in the future"),
    ],
)
def test_sdq_bad_input_shows_the_error_summary_and_writes_nothing(client, personas, child, data, message) -> None:
    client.force_login(personas.social_worker)
    before = _state()
    response = client.post(_sdq(child), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body
    assert message in body
    assert _state() == before


@pytest.mark.parametrize(
    ("extra", "stored"), [({"score": "0"}, (0, "")), ({"score": "40"}, (40, "")), ({"reason": "SDQ1"}, (None, "SDQ1"))]
)
def test_sdq_valid_is_written_and_audited(client, personas, child, extra, stored) -> None:
    client.force_login(personas.social_worker)
    assert client.get(_sdq(child)).status_code == 200
    assert AccessEvent.objects.filter(child_id=child.pk, path=_sdq(child)).exists()
    response = client.post(_sdq(child), {**date_fields("done_on", TODAY), **extra})
    assert response.status_code == 302
    sdq = SDQAssessment.objects.get(child=child)
    assert (sdq.done_on, sdq.score, sdq.reason) == (TODAY, *stored)
    assert AuditEvent.objects.filter(
        child_id=child.pk, action="sdq.recorded", actor_id=personas.social_worker.pk
    ).exists()


def test_uasc_bad_input_shows_the_error_summary_and_writes_nothing(client, personas, child) -> None:
    client.force_login(personas.social_worker)
    before = _state()
    body = client.post(_uasc(child), {"version": child.version, "uasc": ""}).content.decode()
    assert 'class="govuk-error-summary"' in body
    assert _state() == before
    body = client.post(
        _uasc(child), {"version": child.version, "uasc": "no", **date_fields("ceased_on", TODAY)}
    ).content.decode()
    assert "Only a child recorded as UASC can have a date UASC status ceased" in body
    assert _state() == before
    body = client.post(_uasc(child), {"version": child.version + 3, "uasc": "yes"}).content.decode()
    assert 'class="govuk-error-summary"' in body
    assert _state() == before


def test_uasc_valid_is_written_and_audited(client, personas, child) -> None:
    client.force_login(personas.social_worker)
    assert client.post(_uasc(child), {"version": child.version, "uasc": "yes"}).status_code == 302
    child.refresh_from_db()
    assert (child.uasc, child.uasc_ceased) == (True, None)
    response = client.post(
        _uasc(child), {"version": child.version, "uasc": "yes", **date_fields("ceased_on", dt.date(2025, 5, 1))}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.uasc_ceased == dt.date(2025, 5, 1)
    assert AuditEvent.objects.filter(child_id=child.pk, action="person.updated").count() == 2


def test_an_unrelated_worker_gets_404(client, personas, child) -> None:
    client.force_login(personas.other_worker)
    before = _state()
    for url, data in (
        (_sdq(child), {**date_fields("done_on", TODAY), "score": "5"}),
        (_uasc(child), {"version": child.version, "uasc": "yes"}),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert _state() == before
