"""Personal adviser visits and the accommodation the council provides a care leaver (CLR reg 8), through the
pages: each form says what is due and why; invalid input re-renders with the GOV.UK error summary and writes
nothing; a service refusal does the same; valid input writes through the service; an unrelated worker gets 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db.models import Sum

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.casework.models import Visit
from safehold.core.testing import allocate, make_child
from safehold.frontend.tests.journey import NOW, TODAY, date_fields
from safehold.looked_after import services as la
from safehold.looked_after.models import LeavingCareAccommodation
from safehold.people.models import Person
from safehold.timescales.models import Deadline

pytestmark = pytest.mark.django_db
D = dt.date
FUTURE = TODAY + dt.timedelta(days=3)
START: dict[str, Any] = {
    "legal_status": "C2",
    "category_of_need": "N1",
    "placement_type": "U6",
    "placement_provider": "PR1",
}


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def fingerprint() -> tuple[Any, ...]:
    counts = [m.objects.count() for m in (LeavingCareAccommodation, Visit, AuditEvent, Deadline)]
    versions = int(LeavingCareAccommodation.objects.aggregate(v=Sum("version"))["v"] or 0)
    return (*counts, versions)


@dataclass
class Case:
    child: Person
    spell: LeavingCareAccommodation | None = None


def build(stage: str, worker: Any) -> Case:
    child = make_child(date_of_birth=D(2008, 1, 1))
    allocate(child, worker)
    la.period_of_care_start(actor=worker, child=child, start_date=D(2023, 1, 2), **START)
    la.period_of_care_end(actor=worker, child=child, end_date=D(2025, 1, 2), reason_ceased="E13")
    if stage == "not_recorded":
        return Case(child)
    la.care_leaver_record(actor=worker, child=child)
    if stage == "leaver":
        return Case(child)
    spell = la.leaving_care_accommodation_start(
        actor=worker, child=child, provided_from=D(2025, 6, 2), basis="s23B8", description="Supported lodgings"
    )
    return Case(child, spell)


@dataclass
class FormCase:
    name: str
    stage: str
    url: Callable[[Case], str]
    invalid: Callable[[Case], dict[str, Any]]
    refused: Callable[[Case], dict[str, Any]]
    refused_message: str
    valid: Callable[[Case], dict[str, Any]]


def _u(path: str) -> Callable[[Case], str]:
    return lambda c: f"/care/children/{c.child.pk}/leaving-care/{path}"


def _end_url(c: Case) -> str:
    assert c.spell is not None
    return f"/care/children/{c.child.pk}/leaving-care/accommodation/{c.spell.pk}/end/"


def _version(c: Case) -> dict[str, Any]:
    assert c.spell is not None
    c.spell.refresh_from_db()
    return {"version": c.spell.version}


FORMS = [
    FormCase(
        "accommodation",
        "leaver",
        _u("accommodation/new/"),
        lambda c: {**date_fields("provided_from", TODAY), "basis": "", "description": "Flat"},
        lambda c: {**date_fields("provided_from", FUTURE), "basis": "s23B8", "description": "Flat"},
        "cannot be in the future",
        lambda c: {**date_fields("provided_from", TODAY), "basis": "s23B8", "description": "Supported lodgings"},
    ),
    FormCase(
        "end accommodation",
        "accommodated",
        _end_url,
        lambda c: {**_version(c), **date_fields("provided_until", None)},
        lambda c: {**_version(c), **date_fields("provided_until", D(2025, 6, 1))},
        "cannot end before it was first provided",
        lambda c: {**_version(c), **date_fields("provided_until", TODAY)},
    ),
    FormCase(
        "PA visit",
        "accommodated",
        _u("visits/new/"),
        lambda c: {**date_fields("visited_on", TODAY), "seen": ""},
        lambda c: {**date_fields("visited_on", FUTURE), "seen": "yes"},
        "cannot be in the future",
        lambda c: {**date_fields("visited_on", TODAY), "seen": "yes", "notes": "Settled in"},
    ),
]
IDS = [f.name for f in FORMS]


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_form_page_says_what_is_due_and_why(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.social_worker)
    response = client.get(fc.url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "What is due and why" in body and "Personal adviser visit" in body
    assert "CLR: Care Leavers (England) Regulations 2010, reg 8" in body
    assert AccessEvent.objects.filter(child_id=case.child.pk, kind="view", path=fc.url(case)).exists()


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_invalid_input_rerenders_with_error_summary_and_writes_nothing(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.social_worker)
    data = fc.invalid(case)
    before = fingerprint()
    response = client.post(fc.url(case), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body and "<title>Error: " in body
    assert "govuk-form-group--error" in body
    assert fingerprint() == before


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_service_refusal_rerenders_with_its_message_and_writes_nothing(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.social_worker)
    data = fc.refused(case)
    before = fingerprint()
    body = client.post(fc.url(case), data).content.decode()
    assert 'class="govuk-error-summary"' in body
    assert fc.refused_message in body
    assert fingerprint() == before


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_valid_input_writes_through_the_service(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.social_worker)
    data = fc.valid(case)
    before = fingerprint()
    response = client.post(fc.url(case), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert fingerprint() != before
    assert AuditEvent.objects.filter(child_id=case.child.pk).latest("id").actor_id == personas.social_worker.pk


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_forms_are_404_for_an_unrelated_worker(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    data = fc.valid(case)
    client.force_login(personas.other_worker)
    before = fingerprint()
    assert client.get(fc.url(case)).status_code == 404
    assert client.post(fc.url(case), data).status_code == 404
    assert fingerprint() == before


def test_a_visit_through_the_page_meets_the_7_day_visit_and_starts_the_2_month_one(client, personas) -> None:
    case = build("accommodated", personas.social_worker)
    client.force_login(personas.social_worker)
    # Accommodation from Mon 2 Jun 2025: first visit due Mon 9 Jun; missed by Mon 30 Jun.
    first = Deadline.objects.get(child=case.child, rule_code="pa_visit_first")
    assert (first.due_date, first.state) == (D(2025, 6, 9), "overdue")
    client.post(
        f"/care/children/{case.child.pk}/leaving-care/visits/new/", {**date_fields("visited_on", TODAY), "seen": "yes"}
    )
    visit = Visit.objects.get(child=case.child)
    assert (visit.visit_type, visit.worker_id) == ("care_leaver", personas.social_worker.staff.pk)
    chain = Deadline.objects.filter(child=case.child, rule_code__startswith="pa_visit").order_by("start_date")
    assert [(d.rule_code, d.due_date, d.state) for d in chain] == [
        ("pa_visit_first", D(2025, 6, 9), "met_late"),
        ("pa_visit", D(2025, 8, 30), "due"),  # 30 Jun + 2 months
    ]
    overview = client.get(f"/care/children/{case.child.pk}/").content.decode()
    assert "Supported lodgings since 2 June 2025" in overview
    assert "End the accommodation the council provides" in overview


def test_the_pages_are_blocked_until_the_leaving_care_status_is_recorded(client, personas) -> None:
    case = build("not_recorded", personas.social_worker)
    client.force_login(personas.social_worker)
    before = fingerprint()
    url = f"/care/children/{case.child.pk}/leaving-care/accommodation/new/"
    body = client.post(url, {**date_fields("provided_from", TODAY), "basis": "s23B8", "description": "Flat"})
    assert "Record the young person&#x27;s leaving-care status first" in body.content.decode()
    assert fingerprint() == before
    assert "Record a personal adviser visit" not in client.get(f"/care/children/{case.child.pk}/").content.decode()
