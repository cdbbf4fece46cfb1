"""Subject access requests: assembly, redaction, second-officer approval, and releases with nothing withheld in them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from safehold.accounts.testing import sign_in
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.core import clock
from safehold.core.exceptions import ValidationFailed
from safehold.core.testing import make_child
from safehold.subject_access import services
from safehold.subject_access.choices import REDACTED, SarStatus
from safehold.subject_access.models import SarItem, SarRedaction, SubjectAccessRequest
from safehold.subject_access.redact import Mark, released_item
from safehold.subject_access.rules import due_on
from safehold.subject_access.tests.conftest import THIRD_PARTY_NAME, THIRD_PARTY_REFERRER, VISIT_NOTE, SarWorld

pytestmark = pytest.mark.django_db


def _open(client: Client, **over: str) -> Any:
    today = clock.today()
    data = {
        "la_child_id": "SAR0001", "requester": "Sara herself, by letter", "received_on_day": str(today.day),
        "received_on_month": str(today.month), "received_on_year": str(today.year),
    }  # fmt: skip
    data.update(over)
    return client.post("/subject-access/new/", data)


def _item(sar: SubjectAccessRequest, source_prefix: str) -> SarItem:
    return SarItem.objects.filter(sar=sar, source__startswith=source_prefix).order_by("position").first()  # type: ignore[return-value]


def _review_and_release(w: SarWorld) -> tuple[SubjectAccessRequest, Client, Client]:
    reviewer = sign_in(Client(), w.p.dpo)
    approver = sign_in(Client(), w.second_dpo)
    assert _open(reviewer).status_code == 302
    sar = SubjectAccessRequest.objects.get()
    contact = _item(sar, "casework.Contact#")
    visit = _item(sar, "casework.Visit#")
    base = f"/subject-access/{sar.pk}"
    # The contact's referrer: the whole field. The visit: the whole item. A name: everywhere.
    r = reviewer.post(f"{base}/items/{contact.pk}/", {"fields_to_redact": ["referrer_name"], "reason": "third_party"})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = reviewer.post(f"{base}/items/{visit.pk}/", {"fields_to_redact": ["__item__"], "reason": "serious_harm"})
    assert r.status_code == 302
    r = reviewer.post(f"{base}/", {"phrase": "secretname", "phrase_reason": "third_party"})
    assert r.status_code == 302
    sar.refresh_from_db()
    assert reviewer.post(f"{base}/submit/", {"version": sar.version}).status_code == 302
    sar.refresh_from_db()
    assert sar.status == SarStatus.AWAITING_APPROVAL and sar.submitted_by == w.p.dpo
    r = approver.post(f"{base}/approve/", {"version": sar.version, "decision": "approve", "note": "Checked"})
    assert r.status_code == 302
    sar.refresh_from_db()
    return sar, reviewer, approver


def test_opening_assembles_everything_held(sar_world: SarWorld) -> None:
    assert sign_in(Client(), sar_world.p.social_worker).get(f"/children/{sar_world.child.pk}/").status_code == 200
    c = sign_in(Client(), sar_world.p.dpo)
    assert _open(c).status_code == 302
    sar = SubjectAccessRequest.objects.get()
    assert sar.person == sar_world.child and sar.opened_by == sar_world.p.dpo
    assert sar.due_on == due_on(clock.today())
    sections = set(SarItem.objects.filter(sar=sar).values_list("section", flat=True))
    assert {"The record", "Contacts", "Case notes", "Visits", "Documents", "Who has viewed the record"} <= sections
    text = json.dumps(list(SarItem.objects.filter(sar=sar).values_list("fields", flat=True)))
    assert THIRD_PARTY_REFERRER in text and THIRD_PARTY_NAME in text and "School report" in text
    assert sar_world.p.social_worker.username in text  # who viewed the record
    assert AuditEvent.objects.filter(action="subject_access.opened", child_id=sar_world.child.pk).count() == 1
    assert AccessEvent.objects.filter(kind="export", child_id=sar_world.child.pk, actor_id=sar_world.p.dpo.pk).exists()
    page = c.get(f"/subject-access/{sar.pk}/")
    assert page.status_code == 200 and "Contact on" in page.content.decode()
    assert AccessEvent.objects.filter(kind="view", child_id=sar_world.child.pk, path=f"/subject-access/{sar.pk}/")


def test_release_withholds_every_redaction_from_both_outputs(sar_world: SarWorld) -> None:
    sar, reviewer, approver = _review_and_release(sar_world)
    assert sar.status == SarStatus.RELEASED
    assert sar.approved_by == sar_world.second_dpo and sar.approved_at is not None
    assert sar.approved_by_label.endswith(f"({sar_world.second_dpo.username})")
    released = AuditEvent.objects.get(action="subject_access.released")
    assert released.actor_id == sar_world.second_dpo.pk and released.child_id == sar_world.child.pk

    export = approver.get(f"/subject-access/{sar.pk}/export.json")
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    printed = reviewer.get(f"/subject-access/{sar.pk}/print/")
    assert printed.status_code == 200
    body = json.loads(export.content)
    assert body["approved_by"] == sar.approved_by_label and body["reference"] == sar.reference
    for output in (export.content.decode(), printed.content.decode()):
        for withheld in (THIRD_PARTY_REFERRER, "Thirdparty", "Secretname", "secretname", VISIT_NOTE, "Hiddenhouse"):
            assert withheld not in output
        assert REDACTED in output
        assert "Worried about bruising" in output  # the rest of the contact is released
        assert "School report" in output  # the documents list
        assert "Third-party information" in output  # the reason is given
    assert AccessEvent.objects.filter(kind="export", actor_id=sar_world.second_dpo.pk, child_id=sar.person_id)
    assert AccessEvent.objects.filter(kind="print", actor_id=sar_world.p.dpo.pk, child_id=sar.person_id)
    # Nothing changes after the release.
    with pytest.raises(ValidationFailed):
        services.sar_redact(actor=sar_world.p.dpo, sar=sar, item=None, fields=[], text="Subject", reason="third_party")


def test_the_reviewer_cannot_approve_their_own_review(sar_world: SarWorld) -> None:
    c = sign_in(Client(), sar_world.p.dpo)
    _open(c)
    sar = SubjectAccessRequest.objects.get()
    c.post(f"/subject-access/{sar.pk}/submit/", {"version": sar.version})
    sar.refresh_from_db()
    r = c.post(f"/subject-access/{sar.pk}/approve/", {"version": sar.version, "decision": "approve"})
    assert r.status_code == 200 and "govuk-error-summary" in r.content.decode()
    assert "second officer" in r.content.decode()
    sar.refresh_from_db()
    assert sar.status == SarStatus.AWAITING_APPROVAL and sar.approved_at is None and sar.export is None
    assert c.get(f"/subject-access/{sar.pk}/export.json").status_code == 302  # not released: back to the request


def test_the_la_may_let_the_reviewing_officer_approve(sar_world: SarWorld, settings: Any) -> None:
    settings.SAFEHOLD_SAR_SEPARATE_APPROVER = False
    c = sign_in(Client(), sar_world.p.dpo)
    _open(c)
    sar = SubjectAccessRequest.objects.get()
    c.post(f"/subject-access/{sar.pk}/submit/", {"version": sar.version})
    sar.refresh_from_db()
    assert (
        c.post(f"/subject-access/{sar.pk}/approve/", {"version": sar.version, "decision": "approve"}).status_code == 302
    )
    sar.refresh_from_db()
    assert sar.status == SarStatus.RELEASED and sar.approved_by == sar_world.p.dpo


def test_returning_needs_a_reason_and_reopens_the_review(sar_world: SarWorld) -> None:
    c = sign_in(Client(), sar_world.p.dpo)
    _open(c)
    sar = SubjectAccessRequest.objects.get()
    c.post(f"/subject-access/{sar.pk}/submit/", {"version": sar.version})
    sar.refresh_from_db()
    approver = sign_in(Client(), sar_world.second_dpo)
    r = approver.post(f"/subject-access/{sar.pk}/approve/", {"version": sar.version, "decision": "return"})
    assert r.status_code == 200 and "Enter why you are returning" in r.content.decode()
    sar.refresh_from_db()
    assert sar.status == SarStatus.AWAITING_APPROVAL
    r = approver.post(
        f"/subject-access/{sar.pk}/approve/", {"version": sar.version, "decision": "return", "note": "Redact the GP"}
    )
    assert r.status_code == 302
    sar.refresh_from_db()
    assert sar.status == SarStatus.IN_REVIEW and sar.returned_reason == "Redact the GP" and sar.export is None


@pytest.mark.parametrize(
    "over",
    [
        {"la_child_id": ""},
        {"la_child_id": "NOSUCH1"},
        {"requester": ""},
        {"received_on_month": "13"},
        {"received_on_year": "2999"},
    ],
)
def test_invalid_request_shows_errors_and_writes_nothing(sar_world: SarWorld, over: dict[str, str]) -> None:
    before = AuditEvent.objects.count()
    r = _open(sign_in(Client(), sar_world.p.dpo), **over)
    assert r.status_code == 200
    assert "govuk-error-summary" in r.content.decode()
    assert SubjectAccessRequest.objects.count() == 0 and SarItem.objects.count() == 0
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "third_party"},  # nothing selected
        {"fields_to_redact": ["summary"]},  # no reason
        {"fields_to_redact": ["no_such_field"], "reason": "third_party"},
        {"fields_to_redact": ["summary"], "reason": "because"},
        {"fields_to_redact": ["summary"], "reason": "third_party", "text": "x" * 301},
    ],
)
def test_invalid_redaction_shows_errors_and_writes_nothing(sar_world: SarWorld, data: dict[str, Any]) -> None:
    c = sign_in(Client(), sar_world.p.dpo)
    _open(c)
    sar = SubjectAccessRequest.objects.get()
    item = _item(sar, "casework.Contact#")
    r = c.post(f"/subject-access/{sar.pk}/items/{item.pk}/", data)
    assert r.status_code == 200 and "govuk-error-summary" in r.content.decode()
    assert SarRedaction.objects.count() == 0
    r = c.post(f"/subject-access/{sar.pk}/", {"phrase": "", "phrase_reason": "third_party"})
    assert r.status_code == 200 and "govuk-error-summary" in r.content.decode()
    assert SarRedaction.objects.count() == 0


def test_a_redaction_can_be_removed_while_in_review(sar_world: SarWorld) -> None:
    c = sign_in(Client(), sar_world.p.dpo)
    _open(c)
    sar = SubjectAccessRequest.objects.get()
    item = _item(sar, "casework.Contact#")
    c.post(f"/subject-access/{sar.pk}/items/{item.pk}/", {"fields_to_redact": ["summary"], "reason": "crime"})
    redaction = SarRedaction.objects.get()
    assert c.post(f"/subject-access/{sar.pk}/redactions/{redaction.pk}/remove/").status_code == 302
    assert SarRedaction.objects.count() == 0
    assert AuditEvent.objects.filter(action="subject_access.redaction_removed").count() == 1


@pytest.mark.parametrize(
    "who", ["social_worker", "team_manager", "head_of_service", "director", "analyst", "iro", "partner", "admin"]
)
def test_other_roles_cannot_reach_subject_access(sar_world: SarWorld, who: str) -> None:
    sar, _, _ = _review_and_release(sar_world)
    c = sign_in(Client(), getattr(sar_world.p, who))
    for url in ("/subject-access/", "/subject-access/new/", f"/subject-access/{sar.pk}/",
                f"/subject-access/{sar.pk}/export.json", f"/subject-access/{sar.pk}/print/"):  # fmt: skip
        assert c.get(url).status_code == 404, url
    assert Client().get("/subject-access/").status_code == 302


def test_a_request_opens_by_nhs_number_unless_two_records_share_it(sar_world: SarWorld) -> None:
    """A subject's NHS number, typed with spaces, finds their record; once a second (unmerged) record carries
    the same number the DPO is asked for the LA child id instead and nothing is opened."""
    subject = make_child(given_name="Nadia", family_name="Number", nhs_number="9434765919")
    dpo = sign_in(Client(), sar_world.p.dpo)
    r = _open(dpo, la_child_id="943 476 5919")
    assert r.status_code == 302
    assert SubjectAccessRequest.objects.get().person_id == subject.pk
    make_child(given_name="Nadia", family_name="Number", nhs_number="9434765919")
    before = SubjectAccessRequest.objects.count()
    r = _open(dpo, la_child_id="9434765919")
    assert r.status_code == 200 and "More than one record has this NHS number" in r.content.decode()
    assert SubjectAccessRequest.objects.count() == before


def test_a_restricted_record_needs_access_to_open_a_request(sar_world: SarWorld) -> None:
    make_child(la_child_id="SAR0002", restricted=True)
    r = _open(sign_in(Client(), sar_world.p.dpo), la_child_id="SAR0002")
    assert r.status_code == 200 and "No record you can open" in r.content.decode()
    assert SubjectAccessRequest.objects.count() == 0


def test_redaction_rules() -> None:
    item: dict[str, Any] = {
        "id": 1, "section": "Case notes", "title": "Note about Dave", "occurred_on": None,
        "fields": [{"name": "body", "label": "Body", "value": "DAVE said hi; dave left"},
                   {"name": "subject", "label": "Subject", "value": "Visit"}],
    }  # fmt: skip
    out = released_item(item, [Mark(None, "", "dave", "third_party")])
    assert "dave" not in json.dumps(out).lower() and out["fields"][0]["redacted"]
    assert out["fields"][1]["redacted"] is None
    whole = released_item(item, [Mark(1, "", "", "crime")])
    assert whole["fields"] == [] and "Dave" not in json.dumps(whole) and whole["withheld"]
    field = released_item(item, [Mark(1, "subject", "", "crime")])
    assert field["fields"][1]["value"] == REDACTED and field["fields"][0]["value"] == item["fields"][0]["value"]
    other_item = released_item(item, [Mark(2, "", "", "crime")])
    assert other_item["fields"][0]["value"] == item["fields"][0]["value"]


@pytest.mark.parametrize(
    ("received", "due"),
    [(dt.date(2026, 9, 3), dt.date(2026, 10, 3)), (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
     (dt.date(2028, 1, 31), dt.date(2028, 2, 29)), (dt.date(2026, 12, 15), dt.date(2027, 1, 15))],
)  # fmt: skip
def test_reply_due_one_calendar_month_after_receipt(received: dt.date, due: dt.date) -> None:
    assert due_on(received) == due


def test_disposal_removes_the_assembled_copy_and_keeps_the_approval(sar_world: SarWorld) -> None:
    from safehold.core.services import service
    from safehold.retention.disposal import apply_treatments

    sar, _, _ = _review_and_release(sar_world)
    service(apply_treatments)({sar.person_id}, [])
    sar.refresh_from_db()
    assert SarItem.objects.filter(sar=sar).count() == 0 and SarRedaction.objects.filter(sar=sar).count() == 0
    assert sar.requester == "" and THIRD_PARTY_REFERRER not in json.dumps(sar.export)
    assert sar.approved_at is not None and sar.approved_by_label
