"""Every pre-proceedings and proceedings form: invalid input re-renders with the GOV.UK error summary and writes
nothing; a refusal by the service does the same; valid input writes through the service and goes back to the
proceedings page; an unrelated worker gets a 404 and nothing is logged. The overview shows the PLO deadline with
its rule and source and logs the read; after commencement an application without an FGDM offer is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db.models import Sum
from django.test import override_settings

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.core.testing import allocate, make_child
from safehold.frontend.tests.journey import NOW, TODAY, date_fields
from safehold.people.models import Person
from safehold.proceedings import services as pr
from safehold.proceedings.models import Extension, Hearing, PreProceedings, PreProceedingsMeeting, Proceedings
from safehold.timescales.models import Deadline

pytestmark = pytest.mark.django_db
D = dt.date
FUTURE = TODAY + dt.timedelta(days=3)
ISSUED = D(2025, 6, 16)  # Monday: 26 weeks beginning with it end on Sun 14 Dec 2025 (16 Jun + 181 days)


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


WRITE_MODELS = (PreProceedings, PreProceedingsMeeting, Proceedings, Hearing, Extension, AuditEvent, Deadline)
VERSIONED = (PreProceedings, Proceedings)


def fingerprint() -> tuple[Any, ...]:
    counts = [m.objects.count() for m in WRITE_MODELS]
    versions = [int(m.objects.aggregate(v=Sum("version"))["v"] or 0) for m in VERSIONED]  # type: ignore[attr-defined]
    due = list(Deadline.objects.order_by("pk").values_list("rule_code", "due_date", "met_on"))
    return (*counts, *versions, due)


@dataclass
class Case:
    child: Person
    objects: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


def build(stage: str, worker: Any) -> Case:
    child = make_child()
    allocate(child, worker)
    case = Case(child, {})
    if stage == "fresh":
        return case
    case.objects["pp"] = pr.pre_proceedings_start(actor=worker, child=child, started_on=D(2025, 6, 2))
    if stage == "pp":
        return case
    case.objects["proc"] = pr.proceedings_issue(
        actor=worker, child=child, application_type="care", issued_on=ISSUED, court="Family Court at Leeds"
    )
    if stage == "proc":
        return case
    raise ValueError(stage)


@dataclass
class FormCase:
    name: str
    stage: str
    url: Callable[[Case], str]
    invalid: Callable[[Case], dict[str, Any]]
    refused: Callable[[Case], dict[str, Any]]
    refused_message: str
    valid: Callable[[Case], dict[str, Any]]
    due_rule: str = ""


def _u(path: str) -> Callable[[Case], str]:
    return lambda c: f"/proceedings/children/{c.child.pk}/{path}"


def _pp(path: str) -> Callable[[Case], str]:
    return lambda c: f"/proceedings/children/{c.child.pk}/pre-proceedings/{c['pp'].pk}/{path}"


def _proc(path: str) -> Callable[[Case], str]:
    return lambda c: f"/proceedings/children/{c.child.pk}/{c['proc'].pk}/{path}"


def _v(c: Case, key: str) -> dict[str, Any]:
    c[key].refresh_from_db()
    return {"version": c[key].version}


APPLICATION = {"application_type": "care", "court": "Family Court at Leeds", "case_number": "LS25C00123"}

FORMS = [
    FormCase(
        "start pre-proceedings",
        "fresh",
        _u("pre-proceedings/new/"),
        lambda c: date_fields("started_on", None),
        lambda c: date_fields("started_on", FUTURE),
        "cannot be in the future",
        lambda c: date_fields("started_on", TODAY),
    ),
    FormCase(
        "letter",
        "pp",
        _pp("letter/"),
        lambda c: {**_v(c, "pp"), **date_fields("sent_on", None) | {"sent_on_month": "14"}},
        lambda c: {**_v(c, "pp"), **date_fields("sent_on", D(2025, 6, 1))},
        "cannot be sent before pre-proceedings started",
        lambda c: {**_v(c, "pp"), **date_fields("sent_on", TODAY)},
    ),
    FormCase(
        "FGDM offer",
        "pp",
        _pp("fgdm/"),
        lambda c: {**_v(c, "pp"), **date_fields("offered_on", TODAY), "response": ""},
        lambda c: {
            **_v(c, "pp"),
            **date_fields("offered_on", D(2025, 6, 10)),
            "response": "declined",
            **date_fields("held_on", TODAY),
        },
        "can only be held if the family accepted",
        lambda c: {
            **_v(c, "pp"),
            **date_fields("offered_on", D(2025, 6, 10)),
            "response": "accepted",
            **date_fields("held_on", D(2025, 6, 20)),
        },
    ),
    FormCase(
        "meeting",
        "pp",
        _pp("meetings/new/"),
        lambda c: {**date_fields("held_on", TODAY), "kind": ""},
        lambda c: {**date_fields("held_on", TODAY), "kind": "initial", **date_fields("next_review_on", D(2025, 6, 20))},
        "The review must be after the meeting",
        lambda c: {
            **date_fields("held_on", TODAY),
            "kind": "initial",
            **date_fields("next_review_on", D(2025, 8, 4)),
            "notes": "Parents agreed a safety plan",
        },
    ),
    FormCase(
        "decision",
        "pp",
        _pp("decision/"),
        lambda c: {**_v(c, "pp"), **date_fields("decided_on", TODAY), "decision": ""},
        lambda c: {**_v(c, "pp"), **date_fields("decided_on", FUTURE), "decision": "step_down"},
        "cannot be in the future",
        lambda c: {**_v(c, "pp"), **date_fields("decided_on", TODAY), "decision": "step_down"},
    ),
    FormCase(
        "application",
        "fresh",
        _u("application/"),
        lambda c: {**date_fields("issued_on", TODAY), **APPLICATION, "court": ""},
        lambda c: {**date_fields("issued_on", FUTURE), **APPLICATION},
        "cannot be in the future",
        lambda c: {**date_fields("issued_on", TODAY), **APPLICATION},
        "Care proceedings disposed of",
    ),
    FormCase(
        "hearing",
        "proc",
        _proc("hearings/new/"),
        lambda c: {**date_fields("heard_on", TODAY), "kind": ""},
        lambda c: {**date_fields("heard_on", D(2025, 6, 13)), "kind": "cmh"},
        "cannot be before the application was issued",
        lambda c: {**date_fields("heard_on", TODAY), "kind": "cmh", "notes": "Experts directed"},
        "Care proceedings disposed of",
    ),
    FormCase(
        "extension",
        "proc",
        _proc("extension/"),
        lambda c: {**date_fields("granted_on", TODAY), **date_fields("extended_to", D(2025, 12, 20)), "reason": ""},
        # 14 Dec + 8 weeks = 8 Feb 2026 at the latest.
        lambda c: {
            **date_fields("granted_on", TODAY),
            **date_fields("extended_to", D(2026, 2, 9)),
            "reason": "Expert report",
        },
        "no more than 8 weeks",
        lambda c: {
            **date_fields("granted_on", TODAY),
            **date_fields("extended_to", D(2026, 2, 8)),
            "reason": "Expert report",
        },
        "Care proceedings disposed of",
    ),
    FormCase(
        "final order",
        "proc",
        _proc("conclude/"),
        lambda c: {**_v(c, "proc"), **date_fields("concluded_on", TODAY), "outcome": ""},
        lambda c: {**_v(c, "proc"), **date_fields("concluded_on", D(2025, 6, 13)), "outcome": "care_order"},
        "cannot conclude before the application was issued",
        lambda c: {**_v(c, "proc"), **date_fields("concluded_on", TODAY), "outcome": "care_order"},
        "Care proceedings disposed of",
    ),
]
IDS = [f.name for f in FORMS]


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_form_page_logs_access_and_says_what_is_due(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.social_worker)
    response = client.get(fc.url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" not in body
    if fc.due_rule:
        assert "What is due and why" in body and fc.due_rule in body
        assert "s.32(1)(a)(ii)" in body
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
    assert 'class="govuk-error-summary"' in body
    assert "<title>Error: " in body
    assert "govuk-form-group--error" in body
    assert fingerprint() == before


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_service_refusal_rerenders_with_its_message_and_writes_nothing(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.social_worker)
    data = fc.refused(case)
    before = fingerprint()
    response = client.post(fc.url(case), data)
    assert response.status_code == 200
    body = response.content.decode().replace("&#x27;", "'")
    assert 'class="govuk-error-summary"' in body
    assert fc.refused_message in body
    assert fingerprint() == before


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_valid_input_writes_through_the_service(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.social_worker)
    data = fc.valid(case)
    audits = AuditEvent.objects.filter(child_id=case.child.pk).count()
    before = fingerprint()
    response = client.post(fc.url(case), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"/proceedings/children/{case.child.pk}/"
    assert fingerprint() != before
    assert AuditEvent.objects.filter(child_id=case.child.pk).count() > audits
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
    assert not AccessEvent.objects.filter(child_id=case.child.pk).exists()


def test_overview_shows_the_plo_deadline_with_its_rule_and_source_and_logs_the_read(client, personas) -> None:
    case = build("proc", personas.social_worker)
    client.force_login(personas.social_worker)
    url = f"/proceedings/children/{case.child.pk}/"
    body = client.get(url).content.decode()
    deadline = body.split('id="plo-deadline"')[1].split("</dd>")[0]
    assert "To be decided by 14 December 2025" in deadline
    assert "Week 3 of 26" in deadline  # Mon 30 Jun is day 15 beginning with Mon 16 Jun
    assert "CA89: Children Act 1989, s.32(1)(a)(ii)" in deadline
    assert "Family Court at Leeds" in body
    assert AccessEvent.objects.filter(child_id=case.child.pk, kind="view", path=url).exists()
    client.force_login(personas.other_worker)
    assert client.get(url).status_code == 404


def test_overview_shows_an_extension_and_the_child_record_links_to_it(client, personas) -> None:
    case = build("proc", personas.social_worker)
    pr.extension_record(
        actor=personas.social_worker,
        proceedings=case["proc"],
        granted_on=TODAY,
        extended_to=D(2026, 1, 30),
        reason="Expert report awaited",
    )
    client.force_login(personas.social_worker)
    body = client.get(f"/proceedings/children/{case.child.pk}/").content.decode()
    deadline = body.split('id="plo-deadline"')[1].split("</dd>")[0]
    assert "To be decided by 30 January 2026" in deadline
    assert "Extended by the court from 14 December 2025" in deadline
    record = client.get(f"/children/{case.child.pk}/").content.decode()
    assert f'href="/proceedings/children/{case.child.pk}/"' in record


def test_a_role_that_cannot_record_sees_the_overview_but_not_the_forms(client, personas) -> None:
    case = build("pp", personas.social_worker)
    client.force_login(personas.head_of_service)
    body = client.get(f"/proceedings/children/{case.child.pk}/").content.decode()
    assert "Pre-proceedings" in body and "proceedings-actions" not in body
    assert (
        client.get(f"/proceedings/children/{case.child.pk}/pre-proceedings/{case['pp'].pk}/letter/").status_code == 403
    )


@override_settings(SAFEHOLD_FGDM_DUTY_FROM=D(2025, 6, 1))
def test_after_commencement_the_application_form_refuses_without_an_fgdm_offer(client, personas) -> None:
    case = build("pp", personas.social_worker)
    client.force_login(personas.social_worker)
    url = f"/proceedings/children/{case.child.pk}/application/"
    before = fingerprint()
    body = client.post(url, {**date_fields("issued_on", TODAY), **APPLICATION}).content.decode().replace("&#x27;", "'")
    summary = body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert "The council must offer the family a family group decision-making meeting before it applies" in summary
    assert "Children's Wellbeing and Schools Act 2026, section 1" in summary
    assert fingerprint() == before
    pp = case["pp"]
    pr.fgdm_offer_record(
        actor=personas.social_worker,
        pre_proceedings=pp,
        expected_version=pp.version,
        offered_on=D(2025, 6, 9),
        response="declined",
    )
    response = client.post(url, {**date_fields("issued_on", TODAY), **APPLICATION})
    assert response.status_code == 302
    assert Proceedings.objects.get(child=case.child).pre_proceedings_id == pp.pk
