"""Every casework form: it says what is due and why; invalid input re-renders with the GOV.UK error summary
and writes nothing; a refusal by the service does the same; valid input writes through the service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.casework.models import (
    ApprovalRequest,
    Assessment,
    CaseNote,
    ChildProtectionPlan,
    CINEpisode,
    CINPlan,
    CINPlanReview,
    Conference,
    Contact,
    CoreGroup,
    StrategyDiscussion,
    Visit,
)
from safehold.frontend.tests.journey import NOW, TODAY, Case, build, date_fields, fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class FormCase:
    name: str
    stage: str
    url: Callable[[Case], str]
    invalid: Callable[[Case], dict[str, Any]]
    refused: Callable[[Case], dict[str, Any]]  # passes the form but the service says no
    refused_message: str
    valid: Callable[[Case], dict[str, Any]]
    creates: Any  # the model a valid post adds a row to (or whose version moves)
    due_rule: str = ""  # a rule title fragment the page shows under "What is due and why"


def _c(case: Case) -> int:
    return case.child.pk


FUTURE = TODAY + dt.timedelta(days=3)

FORMS = [
    FormCase(
        "contact",
        "fresh",
        lambda c: f"/children/{_c(c)}/contacts/new/",
        lambda c: {**date_fields("received_on", None), "source": "", "summary": ""},
        lambda c: {**date_fields("received_on", FUTURE), "source": "2A", "summary": "x"},
        "The date of the contact cannot be in the future",
        lambda c: {**date_fields("received_on", TODAY), "received_time": "09:15", "source": "2A",
                   "summary": "Teacher worried"},
        Contact,
        "Decision on a contact",
    ),
    FormCase(
        "contact decision",
        "contact",
        lambda c: f"/children/{_c(c)}/contacts/{c['contact'].pk}/decision/",
        lambda c: {"version": c["contact"].version, "threshold_level": "", "outcome": "", "reason": ""},
        lambda c: {"version": c["contact"].version + 7, "threshold_level": "4", "outcome": "referral",
                   "reason": "Level 4"},
        "changed by someone else",
        lambda c: {"version": c["contact"].version, "threshold_level": "4", "outcome": "referral",
                   "reason": "Meets level 4: injuries"},
        Contact,
        "Decision on a contact",
    ),
    FormCase(
        "referral",
        "decided",
        lambda c: f"/children/{_c(c)}/referrals/new/",
        lambda c: {**date_fields("referral_date", None), "source": ""},
        lambda c: {**date_fields("referral_date", FUTURE), "source": "2A"},
        "The referral date cannot be in the future",
        lambda c: {**date_fields("referral_date", TODAY), "source": "2A", "contact": str(c["contact"].pk)},
        CINEpisode,
        "Single (s.17/s.47) assessment",
    ),
    FormCase(
        "assessment start",
        "episode",
        lambda c: f"/children/{_c(c)}/assessments/new/",
        lambda c: date_fields("start_date", None) | {"start_date_month": "13", "start_date_day": "1",
                                                     "start_date_year": "2025"},
        lambda c: date_fields("start_date", dt.date(2025, 5, 1)),
        "The assessment cannot start before the referral",
        lambda c: date_fields("start_date", TODAY),
        Assessment,
        "Single (s.17/s.47) assessment",
    ),
    FormCase(
        "assessment complete",
        "assessment",
        lambda c: f"/children/{_c(c)}/assessments/{c['assessment'].pk}/complete/",
        lambda c: {"version": c["assessment"].version, **date_fields("completed_date", TODAY), "child_seen": "yes",
                   **date_fields("child_seen_date", None), "outcome": "cin_plan"},
        lambda c: {"version": c["assessment"].version, **date_fields("completed_date", TODAY),
                   "factors": ["21", "3B"], "child_seen": "no", **date_fields("child_seen_date", None),
                   "outcome": "cin_plan"},
        "cannot be combined with other factors",
        lambda c: {"version": c["assessment"].version, **date_fields("completed_date", TODAY), "factors": ["3B"],
                   "child_seen": "yes", **date_fields("child_seen_date", TODAY), "outcome": "cin_plan"},
        Assessment,
        "Single (s.17/s.47) assessment",
    ),
    FormCase(
        "strategy discussion",
        "episode",
        lambda c: f"/children/{_c(c)}/strategy-discussions/new/",
        lambda c: {**date_fields("held_on", TODAY), "decision": ""},
        lambda c: {**date_fields("held_on", dt.date(2025, 5, 1)), "start_section47": "yes", "decision": "s47"},
        "cannot be before the referral",
        lambda c: {**date_fields("held_on", TODAY), "start_section47": "yes", "agencies": ["police", "health"],
                   "decision": "Start a section 47 enquiry"},
        StrategyDiscussion,
        "Initial child protection conference",
    ),
    FormCase(
        "section 47 outcome",
        "s47",
        lambda c: f"/children/{_c(c)}/section47/{c['s47'].pk}/complete/",
        lambda c: {"version": c["s47"].version, **date_fields("completed_date", None), "outcome": ""},
        lambda c: {"version": c["s47"].version, **date_fields("completed_date", dt.date(2025, 6, 1)),
                   "outcome": "not_substantiated"},
        "The enquiry cannot end before it started",
        lambda c: {"version": c["s47"].version, **date_fields("completed_date", TODAY),
                   "outcome": "not_substantiated"},
        CINEpisode,  # the s47 row is edited; checked via fingerprint
        "Initial child protection conference",
    ),
    FormCase(
        "initial conference",
        "s47",
        lambda c: f"/children/{_c(c)}/section47/{c['s47'].pk}/icpc/",
        lambda c: {**date_fields("held_on", TODAY)},
        lambda c: {**date_fields("held_on", TODAY), "plan": "yes", "initial_category": ""},
        "Select the category of abuse",
        lambda c: {**date_fields("held_on", TODAY), "plan": "yes", "initial_category": "NEG"},
        Conference,
        "First core group meeting",
    ),
    FormCase(
        "review conference",
        "cp_plan",
        lambda c: f"/children/{_c(c)}/cp-plans/{c['cp_plan'].pk}/reviews/new/",
        lambda c: {**date_fields("held_on", None)},
        lambda c: {**date_fields("held_on", dt.date(2025, 6, 16)), "continue_plan": "yes"},
        "A review conference must be after the plan started",
        lambda c: {**date_fields("held_on", TODAY), "continue_plan": "no"},
        Conference,
        "First review child protection conference",
    ),
    FormCase(
        "core group",
        "cp_plan",
        lambda c: f"/children/{_c(c)}/cp-plans/{c['cp_plan'].pk}/core-groups/new/",
        lambda c: {"held_on_day": "31", "held_on_month": "2", "held_on_year": "2025"},
        lambda c: {**date_fields("held_on", dt.date(2025, 6, 1))},
        "The core group must be held while the plan is in force",
        lambda c: {**date_fields("held_on", TODAY)},
        CoreGroup,
        "First core group meeting",
    ),
    FormCase(
        "CIN plan start",
        "episode",
        lambda c: f"/children/{_c(c)}/cin-plans/new/",
        lambda c: {"start_date_day": "1", "start_date_month": "", "start_date_year": "2025"},
        lambda c: {**date_fields("start_date", dt.date(2025, 5, 1))},
        "The plan cannot start before the referral",
        lambda c: {**date_fields("start_date", TODAY)},
        CINPlan,
        "First CIN plan review",
    ),
    FormCase(
        "CIN plan review",
        "cin_plan",
        lambda c: f"/children/{_c(c)}/cin-plans/{c['cin_plan'].pk}/reviews/new/",
        lambda c: {"held_on_day": "x", "held_on_month": "6", "held_on_year": "2025"},
        lambda c: {**date_fields("held_on", dt.date(2025, 6, 4))},
        "The review cannot be before the plan started",
        lambda c: {**date_fields("held_on", TODAY)},
        CINPlanReview,
        "First CIN plan review",
    ),
    FormCase(
        "CIN plan end",
        "cin_plan",
        lambda c: f"/children/{_c(c)}/cin-plans/{c['cin_plan'].pk}/end/",
        lambda c: {"version": c["cin_plan"].version, **date_fields("end_date", None)},
        lambda c: {"version": c["cin_plan"].version, **date_fields("end_date", dt.date(2025, 6, 4))},
        "The plan cannot end before it started",
        lambda c: {"version": c["cin_plan"].version, **date_fields("end_date", TODAY)},
        CINPlan,
    ),
    FormCase(
        "visit",
        "cp_plan",
        lambda c: f"/children/{_c(c)}/visits/new/",
        lambda c: {"visit_type": "", **date_fields("visited_on", TODAY), "seen": "yes"},
        lambda c: {"visit_type": "cp", **date_fields("visited_on", FUTURE), "seen": "yes", "seen_alone": "yes"},
        "The visit date cannot be in the future",
        lambda c: {"visit_type": "cp", **date_fields("visited_on", TODAY), "seen": "yes", "seen_alone": "yes",
                   "notes": "Seen in her room"},
        Visit,
        "Child protection visit",
    ),
    FormCase(
        "case note",
        "fresh",
        lambda c: f"/children/{_c(c)}/notes/new/",
        lambda c: {"subject": "", "body": ""},
        lambda c: {"subject": "Phone call", "body": "   "},
        "Enter the note",
        lambda c: {"subject": "Phone call", "body": "Mother called"},
        CaseNote,
    ),
    FormCase(
        "closure",
        "episode",
        lambda c: f"/children/{_c(c)}/close/",
        lambda c: {"version": c["episode"].version, **date_fields("closure_date", TODAY), "reason": "", "summary": ""},
        lambda c: {"version": c["episode"].version, **date_fields("closure_date", TODAY), "reason": "RC8",
                   "summary": "Family supported"},
        "needs an assessment on this episode",
        lambda c: {"version": c["episode"].version, **date_fields("closure_date", TODAY), "reason": "RC7",
                   "summary": "Family supported"},
        ApprovalRequest,
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
    assert "govuk-error-summary" not in body
    assert "<title>Error:" not in body
    if fc.due_rule:
        assert "What is due and why" in body
        assert fc.due_rule in body
        assert "Source:" in body
    # Showing the form shows the child's name: the read is logged.
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
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body
    assert fc.refused_message in body.replace("&#x27;", "'")
    assert fingerprint() == before


@pytest.mark.parametrize("fc", FORMS, ids=IDS)
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


def test_a_role_that_can_see_but_not_record_is_refused(client, personas) -> None:
    case = build("fresh", personas.social_worker)
    client.force_login(personas.analyst)
    assert client.get(f"/children/{case.child.pk}/").status_code == 200
    before = fingerprint()
    response = client.post(f"/children/{case.child.pk}/notes/new/", {"subject": "x", "body": "y"})
    assert response.status_code == 403
    assert fingerprint() == before


def test_stale_version_is_refused_with_a_plain_message(client, personas) -> None:
    case = build("assessment", personas.social_worker)
    client.force_login(personas.social_worker)
    url = f"/children/{case.child.pk}/assessments/{case['assessment'].pk}/complete/"
    data = {"version": case["assessment"].version, **date_fields("completed_date", TODAY), "factors": ["3B"],
            "child_seen": "no", **date_fields("child_seen_date", None), "outcome": "nfa"}
    assert client.post(url, data).status_code == 302
    before = fingerprint()
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert fingerprint() == before


def test_impossible_transition_is_refused_in_plain_english(client, personas) -> None:
    """Closing a case with an open child protection plan."""
    case = build("cp_plan", personas.social_worker)
    client.force_login(personas.social_worker)
    episode = CINEpisode.objects.get(child=case.child)
    before = fingerprint()
    response = client.post(
        f"/children/{case.child.pk}/close/",
        {"version": episode.version, **date_fields("closure_date", TODAY), "reason": "RC7", "summary": "Done"},
    )
    assert "End the child&#x27;s current plan before closing the case" in response.content.decode()
    assert fingerprint() == before


def test_a_second_cin_plan_is_refused(client, personas) -> None:
    case = build("cin_plan", personas.social_worker)
    client.force_login(personas.social_worker)
    before = fingerprint()
    response = client.post(f"/children/{case.child.pk}/cin-plans/new/", date_fields("start_date", TODAY))
    assert "This child already has a child in need plan" in response.content.decode()
    assert fingerprint() == before


def test_forms_needing_an_episode_explain_what_to_do_first(client, personas) -> None:
    case = build("fresh", personas.social_worker)
    client.force_login(personas.social_worker)
    response = client.get(f"/children/{case.child.pk}/assessments/new/")
    assert "Record a referral first" in response.content.decode()
    before = fingerprint()
    response = client.post(f"/children/{case.child.pk}/assessments/new/", date_fields("start_date", TODAY))
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert fingerprint() == before


def test_icpc_with_plan_starts_a_cp_plan(client, personas) -> None:
    case = build("s47", personas.social_worker)
    client.force_login(personas.social_worker)
    client.post(
        f"/children/{case.child.pk}/section47/{case['s47'].pk}/icpc/",
        {**date_fields("held_on", TODAY), "plan": "yes", "initial_category": "EMO"},
    )
    plan = ChildProtectionPlan.objects.get(episode__child=case.child)
    assert plan.start_date == TODAY and plan.initial_category == "EMO"


def test_contact_decision_records_the_reasons_and_decider(client, personas) -> None:
    case = build("contact", personas.social_worker)
    client.force_login(personas.social_worker)
    contact = case["contact"]
    client.post(
        f"/children/{case.child.pk}/contacts/{contact.pk}/decision/",
        {"version": contact.version, "threshold_level": "3", "outcome": "referral", "reason": "Level 3 needs"},
    )
    contact.refresh_from_db()
    assert (contact.outcome, contact.threshold_level, contact.decision_reason) == ("referral", "3", "Level 3 needs")
    assert contact.decided_by == personas.social_worker.staff
