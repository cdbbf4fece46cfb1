"""Adoption and permanence (M10): the page records the journey's milestones through the service, refuses a
milestone before the one it follows with a plain-English message, writes nothing on bad input and shows the
adoption scorecard timeliness measures (A1, A2, A10) with their source."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.core.exceptions import ValidationFailed
from safehold.core.testing import allocate, make_child
from safehold.frontend.tests.journey import NOW, TODAY, date_fields
from safehold.looked_after import selectors
from safehold.looked_after import services as la
from safehold.looked_after.models import AdoptionJourney
from safehold.looked_after.permanence import timeliness

pytestmark = pytest.mark.django_db
D = dt.date
START: dict[str, Any] = {
    "legal_status": "C2",
    "category_of_need": "N1",
    "placement_type": "U4",
    "placement_provider": "PR1",
}


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _child_in_care(worker: Any) -> Any:
    child = make_child(date_of_birth=D(2022, 3, 1))
    allocate(child, worker)
    la.period_of_care_start(actor=worker, child=child, start_date=D(2024, 1, 10), **START)
    return child


def _url(child: Any) -> str:
    return f"/care/children/{child.pk}/adoption/"


def _post(**dates: dt.date | None) -> dict[str, str]:
    names = (
        "decision_date",
        "placement_order_date",
        "matched_date",
        "placed_date",
        "adoption_order_date",
        "ceased_date",
    )
    data: dict[str, str] = {}
    for name in names:
        data.update(date_fields(name, dates.get(name)))
    return data


def _state() -> tuple[Any, ...]:
    rows = list(
        AdoptionJourney.objects.order_by("pk").values_list(
            "decision_date",
            "placement_order_date",
            "matched_date",
            "placed_date",
            "adoption_order_date",
            "ceased_date",
            "version",
        )
    )
    return (AuditEvent.objects.count(), rows)


def test_get_shows_the_form_and_logs_access(client, personas) -> None:
    child = _child_in_care(personas.social_worker)
    client.force_login(personas.social_worker)
    response = client.get(_url(child))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Record a decision that the child should be placed for adoption" in body
    assert "govuk-error-summary" not in body
    assert AccessEvent.objects.filter(child_id=child.pk, kind="view", path=_url(child)).exists()


def test_invalid_input_rerenders_with_the_error_summary_and_writes_nothing(client, personas) -> None:
    child = _child_in_care(personas.social_worker)
    client.force_login(personas.social_worker)
    before = _state()
    data = _post() | {"matched_date_day": "31", "matched_date_month": "2", "matched_date_year": "2025"}
    response = client.post(_url(child), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body
    assert "<title>Error: " in body
    assert "govuk-form-group--error" in body
    assert "Enter" in body
    assert _state() == before


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (
            {"decision_date": D(2024, 6, 1), "placement_order_date": D(2024, 5, 1)},
            "The placement order cannot be before the decision that the child should be placed for adoption",
        ),
        (
            {"decision_date": D(2024, 6, 1), "placement_order_date": D(2024, 9, 1), "matched_date": D(2024, 8, 1)},
            "The match with adopters cannot be before the placement order",
        ),
        (
            {"decision_date": D(2024, 6, 1), "placed_date": D(2024, 10, 1)},
            "Record the match before the placement for adoption",
        ),
        ({"decision_date": TODAY + dt.timedelta(days=2)}, "cannot be in the future"),
        (
            {
                "decision_date": D(2024, 6, 1),
                "matched_date": D(2024, 9, 1),
                "placed_date": D(2024, 10, 1),
                "adoption_order_date": D(2024, 9, 30),
            },
            "The adoption order cannot be before the placement for adoption",
        ),
    ],
)
def test_milestones_out_of_order_are_refused_in_plain_english(client, personas, dates, message) -> None:
    child = _child_in_care(personas.social_worker)
    client.force_login(personas.social_worker)
    before = _state()
    response = client.post(_url(child), _post(**dates))
    assert response.status_code == 200
    body = response.content.decode().replace("&#x27;", "'")
    assert 'class="govuk-error-summary"' in body
    assert message in body
    assert _state() == before


def test_reversal_needs_a_reason_and_is_refused_after_an_order(client, personas) -> None:
    child = _child_in_care(personas.social_worker)
    client.force_login(personas.social_worker)
    before = _state()
    body = client.post(_url(child), _post(decision_date=D(2024, 6, 1), ceased_date=D(2024, 7, 1))).content.decode()
    assert "Select why the child should no longer be placed for adoption" in body
    assert _state() == before
    with pytest.raises(ValidationFailed, match="can no longer be reversed"):
        la.adoption_journey_record(
            actor=personas.social_worker,
            child=child,
            decision_date=D(2024, 6, 1),
            matched_date=D(2024, 7, 1),
            placed_date=D(2024, 8, 1),
            adoption_order_date=D(2025, 1, 1),
            ceased_date=D(2025, 2, 1),
            ceased_reason="RD4",
        )
    assert _state() == before


def test_valid_milestones_are_written_audited_and_timed(client, personas) -> None:
    child = _child_in_care(personas.social_worker)
    client.force_login(personas.social_worker)
    response = client.post(_url(child), _post(decision_date=D(2024, 4, 1), placement_order_date=D(2024, 6, 3)))
    assert response.status_code == 302
    assert response["Location"] == _url(child)
    journey = AdoptionJourney.objects.get(child=child)
    assert AuditEvent.objects.filter(child_id=child.pk, action="adoption.recorded").exists()
    # Move it on: match and placement on the same journey (versioned update, audited).
    data = _post(
        decision_date=D(2024, 4, 1),
        placement_order_date=D(2024, 6, 3),
        matched_date=D(2024, 11, 1),
        placed_date=D(2024, 12, 2),
    ) | {"version": str(journey.version), "adopted_by_foster_carer": "no"}
    assert client.post(_url(child), data).status_code == 302
    journey.refresh_from_db()
    assert (journey.matched_date, journey.placed_date, journey.adopted_by_foster_carer) == (
        D(2024, 11, 1),
        D(2024, 12, 2),
        False,
    )
    assert AdoptionJourney.objects.filter(child=child).count() == 1
    event = AuditEvent.objects.filter(child_id=child.pk, action="adoption.updated").latest("id")
    assert event.actor_id == personas.social_worker.pk
    body = client.get(_url(child)).content.decode()
    # A1: 10 Jan 2024 to 2 Dec 2024 = 327 days; A2: 3 Jun 2024 to 1 Nov 2024 = 151 days (over 121).
    assert "327 days from the date the child entered care" in body
    assert "151 days from the date of the placement order" in body
    assert "over the 121-day threshold" in body
    assert "Source: DfE adoption scorecards" in body


def test_a_stale_version_is_refused(client, personas) -> None:
    child = _child_in_care(personas.social_worker)
    la.adoption_journey_record(actor=personas.social_worker, child=child, decision_date=D(2024, 4, 1))
    client.force_login(personas.social_worker)
    before = _state()
    body = client.post(
        _url(child), _post(decision_date=D(2024, 4, 1), matched_date=D(2024, 5, 1)) | {"version": "99"}
    ).content.decode()
    assert 'class="govuk-error-summary"' in body
    assert _state() == before


def test_an_unrelated_worker_gets_404_and_nothing_is_written(client, personas) -> None:
    child = _child_in_care(personas.social_worker)
    client.force_login(personas.other_worker)
    before = _state()
    assert client.get(_url(child)).status_code == 404
    assert client.post(_url(child), _post(decision_date=D(2024, 4, 1))).status_code == 404
    assert _state() == before


def test_a10_uses_the_date_the_child_moved_in_with_the_foster_carer_who_adopts() -> None:
    a1, a2, a10 = timeliness(
        entered_care=D(2024, 1, 1),
        placement_order=None,
        matched=D(2025, 1, 1),
        placed=D(2025, 3, 1),
        moved_in_with_foster_carer=D(2024, 2, 1),
    )
    assert (a1.rule.code, a1.days, a1.within) == ("A1", 425, True)
    assert (a2.days, a2.why.startswith("Not yet measurable")) == (None, True)
    assert (a10.rule.code, a10.days) == ("A10", 31)


def test_sgo_ending_care_shows_on_the_permanence_page(client, personas) -> None:
    child = _child_in_care(personas.social_worker)
    la.period_of_care_end(actor=personas.social_worker, child=child, end_date=D(2025, 5, 1), reason_ceased="E45")
    assert selectors.permanence_for(child=child).sgo is not None
    client.force_login(personas.social_worker)
    body = client.get(_url(child)).content.decode()
    assert 'id="sgo"' in body and "(E45)" in body
