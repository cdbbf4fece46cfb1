"""The retention pages: who may open them, what they show, and bad input re-rendered with the error summary
and nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum

from safehold.audit.models import AccessEvent, AuditEvent
from safehold.core.testing import make_child
from safehold.frontend.tests.journey import date_fields
from safehold.retention import services
from safehold.retention.models import DisposalLogEntry, LegalHold, RetentionRule, ReviewDecision, ReviewItem
from safehold.retention.tests.builders import BUILD, D, looked_after_history, on

pytestmark = pytest.mark.django_db
DUE = D(2083, 3, 1)


@pytest.fixture
def listed(personas):  # type: ignore[no-untyped-def]
    """Two looked-after records due on 1 March 2083, one of them restricted; the review has listed both."""
    with on(BUILD.date()):
        child = make_child(date_of_birth=D(2008, 3, 1), given_name="Florence", family_name="Nightjar")
        looked_after_history(child, D(2015, 4, 1), D(2020, 9, 30))
        hidden = make_child(date_of_birth=D(2008, 3, 1), given_name="Secret", family_name="Person", restricted=True)
        looked_after_history(hidden, D(2015, 4, 1), D(2020, 9, 30))
    with on(DUE):
        services.review_run(actor=None)
    return child, hidden


def fingerprint() -> tuple[Any, ...]:
    models = (ReviewItem, ReviewDecision, DisposalLogEntry, LegalHold, AuditEvent)
    versions = [m.objects.aggregate(v=Sum("version"))["v"] or 0 for m in (ReviewItem, LegalHold, RetentionRule)]
    return (*[m.objects.count() for m in models], *versions)


def _problem(response: Any) -> str:
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    return body


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/retention/", {"dpo"}),
        ("/retention/holds/", {"dpo"}),
        ("/retention/holds/new/", {"dpo"}),
        ("/retention/log/", {"dpo"}),
        ("/retention/schedule/", {"dpo", "admin"}),
    ],
)
def test_only_the_officer_opens_the_retention_pages(client, personas, url, allowed) -> None:
    for who, user in personas.all().items():
        client.force_login(user)
        status = client.get(url).status_code
        assert status == (200 if who in allowed else 404), (who, url, status)


def test_the_review_list_names_children_the_officer_may_see_and_logs_it(client, personas, listed) -> None:
    child, hidden = listed
    with on(DUE):
        client.force_login(personas.dpo)
        body = client.get("/retention/").content.decode()
    assert "Florence Nightjar" in body and "Secret" not in body and "Restricted record" in body
    assert AccessEvent.objects.filter(child_id=child.pk, actor_id=personas.dpo.pk, path="/retention/").exists()
    assert not AccessEvent.objects.filter(child_id=hidden.pk).exists()


def test_the_decision_page_shows_the_rule_and_logs_the_view(client, personas, listed) -> None:
    child, _ = listed
    item = ReviewItem.objects.get(person=child)
    with on(DUE):
        client.force_login(personas.dpo)
        body = client.get(f"/retention/items/{item.pk}/").content.decode()
    assert "Until the 75th birthday" in body and "Children looked after and care leavers" in body
    assert "1 March 2083" in body
    assert AccessEvent.objects.filter(child_id=child.pk, path=f"/retention/items/{item.pk}/").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select whether to approve the disposal or defer it"),
        ({"decision": "approve"}, "Enter the reason for your decision"),
        ({"decision": "defer", "reason": "Archivist"}, "Enter the date to review the record again"),
        ({"decision": "defer", "reason": "Archivist", **date_fields("defer_until", D(2083, 2, 1))},
         "The date to review the record again must be in the future"),
        ({"decision": "defer", "reason": "Archivist", "defer_until_day": "31", "defer_until_month": "2",
          "defer_until_year": "2084"}, "must be a real date"),
        ({"decision": "approve", "reason": "x" * 2001}, "The reason must be 2000 characters or fewer"),
        ({"decision": "shred", "reason": "Period ended"}, "Select a valid choice"),
    ],
)  # fmt: skip
def test_a_bad_decision_is_shown_again_and_nothing_is_written(client, personas, listed, data, message) -> None:
    child, _ = listed
    item = ReviewItem.objects.get(person=child)
    before = fingerprint()
    with on(DUE):
        client.force_login(personas.dpo)
        body = _problem(client.post(f"/retention/items/{item.pk}/", {"version": item.version, **data}))
    assert message in body
    assert fingerprint() == before
    child.refresh_from_db()
    assert child.given_name == "Florence"


def test_approving_on_the_page_disposes_and_logs(client, personas, listed) -> None:
    child, _ = listed
    item = ReviewItem.objects.get(person=child)
    with on(DUE):
        client.force_login(personas.dpo)
        response = client.post(
            f"/retention/items/{item.pk}/",
            {"version": item.version, "decision": "approve", "reason": "Retention period ended"},
            follow=True,
        )
    entry = DisposalLogEntry.objects.get()
    assert f"Record disposed of: reference {entry.reference}" in response.content.decode()
    child.refresh_from_db()
    assert child.family_name == f"record {entry.reference}"
    with on(DUE):
        log = client.get("/retention/log/").content.decode()
    assert entry.reference in log and "Florence" not in log and "Nightjar" not in log


def test_deferring_on_the_page(client, personas, listed) -> None:
    child, _ = listed
    item = ReviewItem.objects.get(person=child)
    with on(DUE):
        client.force_login(personas.dpo)
        response = client.post(
            f"/retention/items/{item.pk}/",
            {"version": item.version, "decision": "defer", "reason": "Archivist to appraise",
             **date_fields("defer_until", D(2084, 3, 1))},
        )  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.defer_until) == ("deferred", D(2084, 3, 1))
    assert DisposalLogEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the LA child id of the record to hold"),
        ({"la_child_id": "NOSUCH1", "reason": "Claim"}, "No child&#x27;s record has this LA child id"),
        ({"la_child_id": "{child}", "reason": "   "}, "Enter the reason for the legal hold"),
    ],
)
def test_a_bad_hold_is_shown_again_and_nothing_is_written(client, personas, listed, data, message) -> None:
    child, _ = listed
    data = {k: v.format(child=child.la_child_id) for k, v in data.items()}
    before = fingerprint()
    with on(DUE):
        client.force_login(personas.dpo)
        body = _problem(client.post("/retention/holds/new/", data))
    assert message in body
    assert fingerprint() == before


def test_placing_and_releasing_a_hold_on_the_pages(client, personas, listed) -> None:
    child, _ = listed
    item = ReviewItem.objects.get(person=child)
    with on(DUE):
        client.force_login(personas.dpo)
        form = client.get(f"/retention/holds/new/?item={item.pk}").content.decode()
        assert f'value="{child.la_child_id}"' in form
        response = client.post("/retention/holds/new/", {"la_child_id": child.la_child_id, "reason": "Claim 77"})
        assert response.status_code == 302
        hold = LegalHold.objects.get()
        item.refresh_from_db()
        assert item.status == "withdrawn"
        before = fingerprint()
        body = _problem(client.post(f"/retention/holds/{hold.pk}/release/", {"version": hold.version}))
        assert "Enter the reason the legal hold is released" in body and fingerprint() == before
        response = client.post(
            f"/retention/holds/{hold.pk}/release/", {"version": hold.version, "release_reason": "Claim settled"}
        )
    assert response.status_code == 302
    hold.refresh_from_db()
    assert (hold.is_active, hold.release_reason, hold.released_by_id) == (False, "Claim settled", personas.dpo.pk)


@pytest.mark.parametrize(
    ("record_type", "data", "message"),
    [
        ("looked_after", {"years": "74"}, "The statutory period is 75 years; it cannot be shortened"),
        ("looked_after", {"basis": "last_activity"}, "A statutory period is measured as the regulation says"),
        ("contact", {"years": "abc"}, "The number of years must be a whole number, like 30"),
        ("contact", {"years": "0"}, "The number of years must be between 1 and 150"),
        ("contact", {"death_years": "5"}, "A period after death applies only to a rule measured to a birthday"),
        ("contact", {"reason": ""}, "Enter the reason for the change"),
        ("contact", {"source": ""}, "Enter the source of this period"),
    ],
)
def test_a_bad_rule_change_is_shown_again_and_nothing_is_written(client, personas, record_type, data, message) -> None:
    rule = RetentionRule.objects.get(record_type=record_type)
    valid = {"version": rule.version, "basis": rule.basis, "years": str(rule.years),
             "death_years": "" if rule.death_years is None else str(rule.death_years), "source": rule.source,
             "reason": "Board decision"}  # fmt: skip
    client.force_login(personas.admin)
    before = fingerprint()
    body = _problem(client.post(f"/retention/schedule/{rule.pk}/edit/", {**valid, **data}))
    assert message in body
    assert fingerprint() == before


def test_an_administrator_changes_a_local_rule(client, personas) -> None:
    rule = RetentionRule.objects.get(record_type="early_help")
    client.force_login(personas.admin)
    assert client.get(f"/retention/schedule/{rule.pk}/edit/").status_code == 200
    response = client.post(
        f"/retention/schedule/{rule.pk}/edit/",
        {"version": rule.version, "basis": "birthday", "years": "25", "death_years": "6",
         "source": "Local policy: early help until 25 (records board, 2026)", "reason": "Records board decision"},
    )  # fmt: skip
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.years, rule.version) == (25, 2)
    schedule = client.get("/retention/schedule/").content.decode()
    assert "Until the 25th birthday" in schedule and "records board, 2026" in schedule
    client.force_login(personas.dpo)
    assert client.get(f"/retention/schedule/{rule.pk}/edit/").status_code == 404
    assert "Change<span" not in client.get("/retention/schedule/").content.decode()
