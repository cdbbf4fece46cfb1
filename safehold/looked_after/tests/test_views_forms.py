"""Every children-in-care, private fostering, missing and care-leaver form: it says what is due and why;
invalid input re-renders with the GOV.UK error summary and writes nothing; a refusal by the service does the
same; valid input writes through the service; an unrelated worker gets a 404 and nothing is logged."""

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
from safehold.looked_after.models import (
    CareEpisode,
    CareLeaver,
    CareLeaverContact,
    HealthCheck,
    LACReview,
    MissingEpisode,
    PathwayPlanReview,
    PeriodOfCare,
    PrivateFostering,
)
from safehold.people.models import Person

pytestmark = pytest.mark.django_db
D = dt.date
UTC = dt.UTC


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


WRITE_MODELS = (PeriodOfCare, CareEpisode, LACReview, HealthCheck, PrivateFostering, MissingEpisode,
                PathwayPlanReview, CareLeaver, CareLeaverContact, Visit, Person, AuditEvent)
VERSIONED = (PeriodOfCare, CareEpisode, PrivateFostering, CareLeaver, Person)


def fingerprint() -> tuple[Any, ...]:
    counts = [m.objects.count() for m in WRITE_MODELS]
    versions = [int(m.objects.aggregate(v=Sum("version"))["v"] or 0) for m in VERSIONED]  # type: ignore[attr-defined]
    missing = list(MissingEpisode.objects.order_by("pk").values_list("returned_at", "rhi_at"))
    return (*counts, *versions, missing)


@dataclass
class Case:
    child: Person
    objects: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


START: dict[str, Any] = {
    "legal_status": "C2", "category_of_need": "N1", "placement_type": "U6", "placement_provider": "PR1"
}


def build(stage: str, worker: Any) -> Case:
    if stage == "leaver":
        child = make_child(date_of_birth=D(2008, 1, 1))
        allocate(child, worker)
        la.period_of_care_start(actor=worker, child=child, start_date=D(2023, 1, 2), **START)
        la.period_of_care_end(actor=worker, child=child, end_date=D(2025, 1, 2), reason_ceased="E13")
        case = Case(child, {})
        if stage == "leaver":
            return case
    child = make_child()
    allocate(child, worker)
    case = Case(child, {})
    if stage == "fresh":
        return case
    if stage == "in_care":
        la.period_of_care_start(actor=worker, child=child, start_date=D(2025, 6, 2), **START)
        return case
    if stage == "pf":
        carer = make_child(date_of_birth=D(1980, 1, 1))
        case.objects["pf"] = la.private_fostering_notify(actor=worker, child=child, carer=carer,
                                                         notified_on=D(2025, 6, 16))
        return case
    if stage in {"missing", "returned"}:
        episode = la.missing_episode_record(actor=worker, child=child, kind="M",
                                            started_at=dt.datetime(2025, 6, 28, 20, tzinfo=UTC))
        if stage == "returned":
            la.missing_return_record(actor=worker, episode=episode,
                                     returned_at=dt.datetime(2025, 6, 29, 8, tzinfo=UTC))
        case.objects["missing"] = episode
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
    return lambda c: f"/care/children/{c.child.pk}/{path}"


FUTURE = TODAY + dt.timedelta(days=3)
PF_ANSWERS = {"trafficking_considered": "yes", "trafficking_concern": "no", "abandonment_concern": "no",
              "parents_contacted": "yes", "parental_contact_arrangements": "Weekly calls",
              "household_checks_done": "yes", "child_views": "Likes it here"}

FORMS = [
    FormCase("start care", "fresh", _u("start/"),
             lambda c: {**date_fields("start_date", None), "legal_status": ""},
             lambda c: {**date_fields("start_date", FUTURE), **START},
             "cannot be in the future",
             lambda c: {**date_fields("start_date", TODAY), **START},
             "First looked-after child review"),
    FormCase("placement change", "in_care", _u("placement/"),
             lambda c: {**date_fields("change_date", TODAY), "placement_type": "", "reason_place_change": ""},
             lambda c: {**date_fields("change_date", TODAY), "placement_type": "K2", "placement_provider": "",
                        "reason_place_change": "CARPL", "same_carer": "no"},
             "Select the placement provider",
             lambda c: {**date_fields("change_date", TODAY), "placement_type": "K2", "placement_provider": "PR4",
                        "reason_place_change": "CARPL", "same_carer": "no"},
             "visit"),
    FormCase("legal status", "in_care", _u("legal-status/"),
             lambda c: {**date_fields("change_date", None), "legal_status": "C1"},
             lambda c: {**date_fields("change_date", TODAY), "legal_status": "C2"},
             "already the child's legal status",
             lambda c: {**date_fields("change_date", TODAY), "legal_status": "E1"},
             "review"),
    FormCase("end care", "in_care", _u("end/"),
             lambda c: {**date_fields("end_date", TODAY), "reason_ceased": ""},
             lambda c: {**date_fields("end_date", D(2025, 5, 1)), "reason_ceased": "E4A"},
             "cannot end before the current episode started",
             lambda c: {**date_fields("end_date", TODAY), "reason_ceased": "E4A"}),
    FormCase("care plan", "in_care", _u("care-plan/"),
             lambda c: date_fields("plan_date", None),
             lambda c: date_fields("plan_date", FUTURE),
             "cannot be in the future",
             lambda c: date_fields("plan_date", TODAY),
             "Care plan"),
    FormCase("PEP", "in_care", _u("pep/"),
             lambda c: date_fields("pep_date", None) | {"pep_date_month": "13"},
             lambda c: date_fields("pep_date", FUTURE),
             "cannot be in the future",
             lambda c: date_fields("pep_date", TODAY),
             "personal education plan"),
    FormCase("review", "in_care", _u("reviews/new/"),
             lambda c: {**date_fields("held_on", TODAY), "participation": ""},
             lambda c: {**date_fields("held_on", D(2025, 5, 1)), "participation": "PN1"},
             "was not looked after on the date of the review",
             lambda c: {**date_fields("held_on", TODAY), "participation": "PN1", "decisions": "Stay put"},
             "First looked-after child review"),
    FormCase("visit", "in_care", _u("visits/new/"),
             lambda c: {**date_fields("visited_on", TODAY), "seen": ""},
             lambda c: {**date_fields("visited_on", FUTURE), "seen": "yes"},
             "cannot be in the future",
             lambda c: {**date_fields("visited_on", TODAY), "seen": "yes", "seen_alone": "yes",
                        "placement_stable": "yes", "notes": "Settled"},
             "visit"),
    FormCase("health check", "in_care", _u("health/new/"),
             lambda c: {**date_fields("done_on", TODAY), "kind": ""},
             lambda c: {**date_fields("done_on", TODAY), "kind": "review_health"},
             "Record the initial health assessment before a review",
             lambda c: {**date_fields("done_on", TODAY), "kind": "initial_health"},
             "Initial health assessment"),
    FormCase("PF notification", "fresh", _u("private-fostering/new/"),
             lambda c: {**date_fields("notified_on", TODAY), "carer_given_name": ""},
             lambda c: {**date_fields("notified_on", FUTURE), "carer_given_name": "Ann", "carer_family_name": "Lee"},
             "cannot be in the future",
             lambda c: {**date_fields("notified_on", TODAY), "carer_given_name": "Ann", "carer_family_name": "Lee"},
             "Private fostering"),
    FormCase("PF visit", "pf", lambda c: f"/care/children/{c.child.pk}/private-fostering/{c['pf'].pk}/visits/new/",
             lambda c: {**date_fields("visited_on", None), "seen": "yes"},
             lambda c: {**date_fields("visited_on", TODAY), "seen": "no", "seen_alone": "yes"},
             "can only be seen alone if they were seen",
             lambda c: {**date_fields("visited_on", TODAY), "seen": "yes", "seen_alone": "yes"},
             "Private fostering"),
    FormCase("PF questions", "pf", lambda c: f"/care/children/{c.child.pk}/private-fostering/{c['pf'].pk}/questions/",
             lambda c: {"version": c["pf"].version, "trafficking_concern": "maybe"},
             lambda c: {"version": c["pf"].version + 5, **PF_ANSWERS},
             "changed by someone else",
             lambda c: {"version": c["pf"].version, **PF_ANSWERS}),
    FormCase("PF assessment", "pf",
             lambda c: f"/care/children/{c.child.pk}/private-fostering/{c['pf'].pk}/assessment/",
             lambda c: {"version": c["pf"].version, **date_fields("completed_on", TODAY), "decision": ""},
             lambda c: {"version": c["pf"].version, **date_fields("completed_on", TODAY), "decision": "suitable"},
             "Answer whether there are concerns that the child has been trafficked",
             lambda c: {"version": c["pf"].version, **date_fields("completed_on", TODAY), "decision": "suitable"}),
    FormCase("PF end", "pf", lambda c: f"/care/children/{c.child.pk}/private-fostering/{c['pf'].pk}/end/",
             lambda c: {"version": c["pf"].version, **date_fields("end_date", None)},
             lambda c: {"version": c["pf"].version, **date_fields("end_date", D(2025, 6, 1))},
             "cannot end before the council knew",
             lambda c: {"version": c["pf"].version, **date_fields("end_date", TODAY)}),
    FormCase("missing", "fresh", _u("missing/new/"),
             lambda c: {**date_fields("started_on", TODAY), "started_time": "25:00", "kind": "M"},
             lambda c: {**date_fields("started_on", FUTURE), "started_time": "10:00", "kind": "M"},
             "cannot be in the future",
             lambda c: {**date_fields("started_on", TODAY), "started_time": "07:30", "kind": "M"},
             "return home interview"),
    FormCase("return", "missing", lambda c: f"/care/children/{c.child.pk}/missing/{c['missing'].pk}/return/",
             lambda c: {**date_fields("returned_on", None), "returned_time": "10:00"},
             lambda c: {**date_fields("returned_on", D(2025, 6, 27)), "returned_time": "10:00"},
             "cannot be before the child went missing",
             lambda c: {**date_fields("returned_on", TODAY), "returned_time": "09:00"},
             "return home interview"),
    FormCase("return interview", "returned",
             lambda c: f"/care/children/{c.child.pk}/missing/{c['missing'].pk}/interview/",
             lambda c: {**date_fields("offered_on", TODAY), "offered_time": "", "accepted": "yes"},
             lambda c: {**date_fields("offered_on", D(2025, 6, 28)), "offered_time": "10:00", "accepted": "yes"},
             "cannot be offered before the child returned",
             lambda c: {**date_fields("offered_on", TODAY), "offered_time": "10:00", "accepted": "yes",
                        "outcome": "Went to a party; no exploitation concerns"},
             "return home interview"),
    FormCase("care leaver", "leaver", _u("leaving-care/"),
             lambda c: {"staying_put": ""},
             lambda c: {"staying_put": "yes"},
             "Staying Put is for a former relevant young person",
             lambda c: {"staying_put": "no"},
             "Pathway plan review"),
    FormCase("pathway plan", "leaver", _u("leaving-care/pathway-plan/"),
             lambda c: date_fields("held_on", None),
             lambda c: date_fields("held_on", FUTURE),
             "cannot be in the future",
             lambda c: date_fields("held_on", TODAY),
             "Pathway plan review"),
]
IDS = [f.name for f in FORMS]


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_form_page_says_what_is_due_and_why(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.social_worker)
    response = client.get(fc.url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" not in body
    if fc.due_rule:
        assert "What is due and why" in body
        assert fc.due_rule.lower() in body.lower()
        assert "Source:" in body
    assert AccessEvent.objects.filter(child_id=case.child.pk, kind="view", path=fc.url(case)).exists()


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_invalid_input_rerenders_with_error_summary_and_writes_nothing(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.social_worker)
    before = fingerprint()
    response = client.post(fc.url(case), fc.invalid(case))
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
    before = fingerprint()
    response = client.post(fc.url(case), fc.refused(case))
    assert response.status_code == 200
    body = response.content.decode().replace("&#x27;", "'")
    assert 'class="govuk-error-summary"' in body
    assert fc.refused_message in body
    assert fingerprint() == before


@pytest.mark.parametrize("fc", [f for f in FORMS if f.name != "PF assessment"], ids=lambda f: f.name)
def test_valid_input_writes_through_the_service(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.social_worker)
    audits = AuditEvent.objects.filter(child_id=case.child.pk).count()
    before = fingerprint()
    response = client.post(fc.url(case), fc.valid(case))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"/children/{case.child.pk}/"
    assert fingerprint() != before
    assert AuditEvent.objects.filter(child_id=case.child.pk).count() > audits
    assert AuditEvent.objects.filter(child_id=case.child.pk).latest("id").actor_id == personas.social_worker.pk


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
def test_forms_are_404_for_an_unrelated_worker(client, personas, fc: FormCase) -> None:
    case = build(fc.stage, personas.social_worker)
    client.force_login(personas.other_worker)
    before = fingerprint()
    assert client.get(fc.url(case)).status_code == 404
    assert client.post(fc.url(case), fc.valid(case)).status_code == 404
    assert fingerprint() == before
    assert not AccessEvent.objects.filter(child_id=case.child.pk).exists()


def test_pf_assessment_is_refused_until_every_question_is_answered_m7(client, personas) -> None:
    case = build("pf", personas.social_worker)
    pf = case["pf"]
    client.force_login(personas.social_worker)
    url = f"/care/children/{case.child.pk}/private-fostering/{pf.pk}/assessment/"
    complete = {**date_fields("completed_on", TODAY), "decision": "suitable"}
    body = client.post(url, {"version": pf.version, **complete}).content.decode().replace("&#x27;", "'")
    for message in ("trafficked", "abandoned", "parents have been contacted", "household",
                    "child's own views"):
        assert message in body
    # Answer all but the trafficking question: still refused, for that reason alone.
    answers = {**PF_ANSWERS, "trafficking_concern": ""}
    qurl = f"/care/children/{case.child.pk}/private-fostering/{pf.pk}/questions/"
    assert client.post(qurl, {"version": pf.version, **answers}).status_code == 302
    pf.refresh_from_db()
    body = client.post(url, {"version": pf.version, **complete}).content.decode()
    assert "Answer whether there are concerns that the child has been trafficked" in body
    assert "abandoned" not in body.split("govuk-error-summary__list")[1].split("</ul>")[0]
    pf.refresh_from_db()
    assert pf.assessment_completed_on is None
    # Household checks recorded as not done: still refused.
    client.post(qurl, {"version": pf.version, **PF_ANSWERS, "household_checks_done": "no"})
    pf.refresh_from_db()
    body = client.post(url, {"version": pf.version, **complete}).content.decode().replace("&#x27;", "'")
    assert "Complete the checks on the carer's household" in body
    client.post(qurl, {"version": pf.version, **PF_ANSWERS})
    pf.refresh_from_db()
    response = client.post(url, {"version": pf.version, **complete})
    assert response.status_code == 302
    pf.refresh_from_db()
    assert (pf.assessment_completed_on, pf.decision, pf.household_checks_done) == (TODAY, "suitable", "yes")
    assert pf.child_views == "Likes it here"


def test_placement_change_writes_a_new_903_episode_with_the_reason_codes(client, personas) -> None:
    case = build("in_care", personas.social_worker)
    client.force_login(personas.social_worker)
    client.post(f"/care/children/{case.child.pk}/placement/",
                {**date_fields("change_date", TODAY), "placement_type": "K2", "placement_provider": "PR4",
                 "reason_place_change": "CHILD", "same_carer": "no", "legal_status": "C1"})
    rows = list(CareEpisode.objects.filter(child=case.child).order_by("start_date").values_list(
        "reason_new_episode", "legal_status", "placement_type", "reason_ceased", "reason_place_change"))
    assert rows == [("S", "C2", "U6", "X1", "CHILD"), ("B", "C1", "K2", "", "")]


def test_care_leaver_page_shows_the_category_and_why_and_marks_care_experienced(client, personas) -> None:
    case = build("leaver", personas.social_worker)
    client.force_login(personas.social_worker)
    body = client.get(f"/care/children/{case.child.pk}/leaving-care/").content.decode()
    assert "Eligibility category: Relevant" in body
    assert "since their 14th birthday" in body
    assert "CA89 s.23A" in body
    assert client.post(f"/care/children/{case.child.pk}/leaving-care/", {"staying_put": "no"}).status_code == 302
    leaver = CareLeaver.objects.get(child=case.child)
    assert leaver.eligibility == "relevant"
    case.child.refresh_from_db()
    assert case.child.care_experienced


def test_care_leaver_contact_follows_the_oc3_rules(client, personas) -> None:
    case = build("leaver", personas.social_worker)
    la.care_leaver_record(actor=personas.social_worker, child=case.child)
    client.force_login(personas.social_worker)
    url = f"/care/children/{case.child.pk}/leaving-care/contacts/new/"
    before = fingerprint()
    body = client.post(url, {**date_fields("contacted_on", TODAY), "in_touch": "NO", "activity": "F2",
                             "accommodation": "0"}).content.decode().replace("&#x27;", "'")
    assert "the activity is 'not in touch'" in body
    assert fingerprint() == before
    ok = client.post(url, {**date_fields("contacted_on", TODAY), "in_touch": "YES", "activity": "F2",
                           "accommodation": "B1"})
    assert ok.status_code == 302
    assert CareLeaverContact.objects.get(child=case.child).in_touch == "YES"


def test_overview_shows_the_summary_and_logs_access(client, personas) -> None:
    case = build("in_care", personas.social_worker)
    client.force_login(personas.social_worker)
    url = f"/care/children/{case.child.pk}/"
    body = client.get(url).content.decode()
    assert "Looked after since" in body and "Full care order (C2)" in body
    assert AccessEvent.objects.filter(child_id=case.child.pk, kind="view", path=url).exists()
    client.force_login(personas.other_worker)
    assert client.get(url).status_code == 404
