"""Prospective adopters: every form re-renders with the GOV.UK error summary and writes nothing on bad input or a
service refusal; valid input writes through the service (audited); steps go in order; Annex A list 11 fills from
the record (in-window households only, dates after the inspection date blank)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db.models import Sum

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.adoption import services as ad
from safehold.adoption.models import Adopter, AdopterHousehold
from safehold.audit.models import AuditEvent
from safehold.core.exceptions import ValidationFailed
from safehold.frontend.tests.journey import NOW, TODAY, date_fields
from safehold.inspection.annex_a import selectors as annex_selectors

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def fingerprint() -> tuple[Any, ...]:
    return (
        AdopterHousehold.objects.count(),
        Adopter.objects.count(),
        AuditEvent.objects.count(),
        AdopterHousehold.objects.aggregate(v=Sum("version"))["v"],
    )


def household(actor: Any = None, *, couple: bool = True, enquiry: dt.date = D(2025, 1, 6)) -> AdopterHousehold:
    people = [ad.AdopterDetails("Sam", "Hart", "F", "WBRI")]
    if couple:
        people.append(ad.AdopterDetails("Alex", "Hart", "M", "BCRB", disabled=True))
    return ad.adopter_enquiry_record(actor=actor, enquiry_on=enquiry, adopters=people, fostering_for_adoption=True)


def step(h: AdopterHousehold, name: str, on: dt.date, **kw: Any) -> AdopterHousehold:
    h.refresh_from_db()
    return ad.adopter_step_record(actor=None, household=h, expected_version=h.version, step=name, on=on, **kw)


ENQUIRY = {
    **date_fields("enquiry_on", TODAY), "given_name_1": "Priya", "family_name_1": "Shah", "sex_1": "F",
    "ethnicity_1": "AIND", "disabled_1": "no", "fostering_for_adoption": "no",
}  # fmt: skip


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**ENQUIRY, "given_name_1": ""}, "Enter the first adopter&#x27;s first name"),
        ({**ENQUIRY, "given_name_2": "Ravi"}, "Enter both names of the second adopter, or neither"),
        ({**ENQUIRY, **date_fields("enquiry_on", TODAY + dt.timedelta(days=1))}, "cannot be in the future"),
    ],
)
def test_enquiry_refused_rerenders_with_error_summary_and_writes_nothing(client, personas, data, message) -> None:
    client.force_login(personas.social_worker)
    before = fingerprint()
    response = client.post("/adoption/adopters/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body and "<title>Error: " in body and message in body
    assert fingerprint() == before


def test_enquiry_writes_a_household_of_two(client, personas) -> None:
    client.force_login(personas.social_worker)
    data = {
        **ENQUIRY,
        "given_name_2": "Ravi",
        "family_name_2": "Shah",
        "sex_2": "M",
        "ethnicity_2": "AIND",
        "disabled_2": "no",
    }
    response = client.post("/adoption/adopters/new/", data)
    h = AdopterHousehold.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/adoption/adopters/{h.pk}/"
    assert [a.full_name for a in h.adopters.all()] == ["Priya Shah", "Ravi Shah"]
    assert AuditEvent.objects.filter(action="adopters.enquiry", actor_id=personas.social_worker.pk).exists()
    body = client.get(f"/adoption/adopters/{h.pk}/").content.decode()
    assert "Record: Stage 1 started" in body and "Priya Shah and Ravi Shah" in body


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("next/", lambda h: {"version": h.version, **date_fields("on", None)}, "govuk-form-group--error"),
        ("next/", lambda h: {"version": h.version, **date_fields("on", D(2025, 1, 1))}, "before the last step"),
        (
            "next/",
            lambda h: {"version": h.version - 1 if h.version > 1 else 99, **date_fields("on", TODAY)},
            "error-summary",
        ),
        (
            "leave/",
            lambda h: {"version": h.version, **date_fields("left_on", TODAY), "reason": ""},
            "Select the reason for leaving the process",
        ),
        (
            "leave/",
            lambda h: {"version": h.version, **date_fields("left_on", D(2025, 1, 1)), "reason": "1"},
            "before the last step",
        ),
    ],
)
def test_step_and_leave_refused_write_nothing(client, personas, path, data, message) -> None:
    h = household()
    client.force_login(personas.social_worker)
    before = fingerprint()
    response = client.post(f"/adoption/adopters/{h.pk}/{path}", data(h))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body and message in body
    assert fingerprint() == before


def test_steps_in_order_through_placement_and_order(client, personas) -> None:
    h = household()
    client.force_login(personas.social_worker)
    for i, when in enumerate([D(2025, 1, 20), D(2025, 3, 10), D(2025, 3, 17), D(2025, 6, 30)]):
        h.refresh_from_db()
        response = client.post(f"/adoption/adopters/{h.pk}/next/", {"version": h.version, **date_fields("on", when)})
        assert response.status_code == 302, (i, response.content.decode()[:2000])
    h.refresh_from_db()
    assert (h.stage1_started, h.stage2_ended, h.stage) == (D(2025, 1, 20), D(2025, 6, 30), "Stage 2 ended")
    with pytest.raises(ValidationFailed, match="The next step to record is: Application submitted"):
        ad.adopter_step_record(actor=None, household=h, expected_version=h.version, step="approved_on", on=TODAY)
    step(h, "application_submitted", D(2025, 6, 30))
    step(h, "approved_on", TODAY)
    with pytest.raises(ValidationFailed):
        step(h, "matched_on", TODAY, children_placed=2)  # the number only with the placement
    step(h, "matched_on", TODAY)
    with pytest.raises(ValidationFailed, match="how many children"):
        step(h, "placed_on", TODAY)
    h = step(h, "placed_on", TODAY, children_placed=2)
    assert h.children_placed == 2 and h.next_step == ("adoption_order_on", "Adoption order made")
    h = step(h, "adoption_order_on", TODAY)
    assert h.next_step is None
    with pytest.raises(ValidationFailed, match="process is complete"):
        ad.adopters_leave(actor=None, household=h, expected_version=h.version, left_on=TODAY, reason="1")


def test_a_role_that_cannot_record_cannot_open_the_adopters(client, personas) -> None:
    h = household()
    client.force_login(personas.head_of_service)
    assert client.get("/adoption/adopters/").status_code == 404
    assert client.get(f"/adoption/adopters/{h.pk}/").status_code == 404


def test_annex_a_list_11_fills_from_the_record() -> None:
    in_process = household(enquiry=D(2024, 12, 2))
    step(in_process, "stage1_started", D(2025, 1, 6))
    left = household(couple=False, enquiry=D(2024, 11, 4))
    left.refresh_from_db()
    ad.adopters_leave(actor=None, household=left, expected_version=left.version, left_on=D(2025, 2, 3), reason="2")
    old = household(couple=False, enquiry=D(2023, 1, 9))
    old.refresh_from_db()
    ad.adopters_leave(actor=None, household=old, expected_version=old.version, left_on=D(2024, 1, 8), reason="1")
    future = household(couple=False, enquiry=D(2025, 6, 2))

    annex = annex_selectors.annex_a(as_of=D(2025, 3, 31))
    lst = annex.get(11)
    rows = [dict(zip(lst.headings, r.values, strict=True)) for r in lst.rows]
    families = [r["Family identifier"] for r in rows]
    assert families == [left.family_identifier, in_process.family_identifier, in_process.family_identifier]
    assert old.family_identifier not in families and future.family_identifier not in families
    first = rows[1]
    assert first["Gender"] == "b) Female" and first["Ethnicity"] == "a) WBRI" and first["Disability"] == "b) No"
    assert rows[2]["Disability"] == "a) Yes" and rows[2]["Gender"] == "a) Male"
    assert first["Is the (prospective) adopter fostering for adoption?"] == "a) Yes"
    assert first["Date Stage 1 started"] == D(2025, 1, 6) and first["Date Stage 1 ended"] is None
    assert rows[0]["Reason for leaving adoption process"] == "2 - Process put on hold"
    assert rows[0]["Date of leaving adoption process"] == D(2025, 2, 3)
    assert all(r.child_id is None for r in lst.rows)
