"""Decisions awaiting the team manager: closing a case and approving a child in need plan (a step-down when it
follows a child protection plan). The worker asks; the manager approves or returns it with a rationale, which is
a management decision; the worker sees why; nothing is written twice or for a child outside the manager's teams.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.casework import selectors, services
from safehold.casework.models import ApprovalRequest, CINEpisode, CINPlan
from safehold.core.exceptions import ValidationFailed
from safehold.frontend.tests.journey import NOW, TODAY, Case, build, date_fields, fingerprint
from safehold.oversight.models import ManagementDecision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _close_form(case: Case, **overrides: str) -> dict[str, object]:
    episode = CINEpisode.objects.get(child=case.child, closure_date__isnull=True)
    data: dict[str, object] = {
        "version": episode.version,
        **date_fields("closure_date", TODAY),
        "reason": "RC7",
        "summary": "Family engaging with early help; no further role for social care",
    }
    data.update(overrides)
    return data


def _request_closure(case: Case, worker, closure_date: dt.date = TODAY) -> ApprovalRequest:  # type: ignore[no-untyped-def]
    episode = CINEpisode.objects.get(child=case.child, closure_date__isnull=True)
    return services.closure_request(
        actor=worker,
        episode=episode,
        expected_version=episode.version,
        closure_date=closure_date,
        reason="RC7",
        summary="Needs met",
        requested_by=worker.staff,
    )


def _running(case: Case) -> set[str]:
    return {item.rule.code for item in selectors.open_deadlines(child=case.child)}


def _decide(row: ApprovalRequest, decision: str = "approve", rationale: str = "Plan outcomes met") -> dict[str, object]:
    return {"version": row.version, "decision": decision, "rationale": rationale}


# --- Closure -------------------------------------------------------------------------------------------------


def test_closing_a_case_becomes_a_request_the_child_record_shows(client, personas) -> None:
    case = build("episode", personas.social_worker)
    client.force_login(personas.social_worker)
    response = client.post(f"/children/{case.child.pk}/close/", _close_form(case))
    assert response.status_code == 302
    row = ApprovalRequest.objects.get(episode__child=case.child)
    assert (row.kind, row.status, row.closure_reason, row.requested_by) == (
        "closure",
        "pending",
        "RC7",
        personas.social_worker.staff,
    )
    assert CINEpisode.objects.get(child=case.child).closure_date is None  # open until the manager approves
    assert AuditEvent.objects.filter(action="closure.requested", child_id=case.child.pk).exists()
    body = client.get(f"/children/{case.child.pk}/").content.decode()
    assert "Closure awaiting manager approval" in body
    assert 'id="closure-pending"' in body
    assert f'href="/children/{case.child.pk}/close/"' not in body


def test_a_second_closure_request_is_refused_and_writes_nothing(client, personas) -> None:
    case = build("episode", personas.social_worker)
    client.force_login(personas.social_worker)
    assert client.post(f"/children/{case.child.pk}/close/", _close_form(case)).status_code == 302
    page = client.get(f"/children/{case.child.pk}/close/").content.decode()
    assert "is awaiting the manager&#x27;s approval" in page
    before = fingerprint()
    body = client.post(f"/children/{case.child.pk}/close/", _close_form(case)).content.decode()
    assert 'class="govuk-error-summary"' in body and "awaiting the manager&#x27;s approval" in body
    assert fingerprint() == before
    # The service says the same to any other caller.
    with pytest.raises(ValidationFailed, match="already awaiting"):
        _request_closure(case, personas.social_worker)


def test_manager_approves_the_closure_closing_the_episode_and_stopping_its_clocks(client, personas) -> None:
    case = build("s47", personas.social_worker)  # an enquiry that never reached conference: the ICPC clock runs
    row = _request_closure(case, personas.social_worker)
    assert "icpc" in _running(case)  # the episode's clocks run until the manager approves
    client.force_login(personas.team_manager)
    queue = client.get("/team/sign-off/").content.decode()
    assert "Close the case: Services ceased" in queue and "0 days" in queue
    page = client.get(f"/team/sign-off/requests/{row.pk}/")
    assert page.status_code == 200
    assert "Clocks that stop when you approve" in page.content.decode()
    assert AccessEvent.objects.filter(child_id=case.child.pk, path=f"/team/sign-off/requests/{row.pk}/").exists()

    response = client.post(f"/team/sign-off/requests/{row.pk}/", _decide(row, rationale="Outcomes achieved"))
    assert response.status_code == 302 and response["Location"] == "/team/sign-off/"
    episode = CINEpisode.objects.get(child=case.child)
    assert (episode.closure_date, episode.closure_reason) == (TODAY, "RC7")
    assert "icpc" not in _running(case)
    row.refresh_from_db()
    assert (row.status, row.decided_by, row.rationale) == ("approved", personas.team_manager.staff, "Outcomes achieved")
    decision = ManagementDecision.objects.get(child=case.child)
    assert row.decision == decision
    assert (decision.kind, decision.rationale, decision.decided_by) == (
        "closure",
        "Outcomes achieved",
        personas.team_manager.staff,
    )
    assert decision.decision.startswith("Case closure approved: closed on 30 June 2025")
    audit = AuditEvent.objects.get(action="closure.approved")
    assert audit.reason == "Outcomes achieved" and audit.actor_id == personas.team_manager.pk
    assert "Nothing is waiting for your sign-off" in client.get("/team/sign-off/").content.decode()
    timeline = client.get(f"/children/{case.child.pk}/").content.decode()
    assert "Manager approved: closure" in timeline and "Case closed" in timeline


def test_manager_returns_the_closure_and_the_worker_sees_why(client, personas) -> None:
    case = build("episode", personas.social_worker)
    row = _request_closure(case, personas.social_worker)
    client.force_login(personas.team_manager)
    response = client.post(
        f"/team/sign-off/requests/{row.pk}/", _decide(row, "return", "Visit the child alone before closing")
    )
    assert response.status_code == 302
    assert CINEpisode.objects.get(child=case.child).closure_date is None
    assert ManagementDecision.objects.get(child=case.child).decision.startswith("Case closure not approved")
    client.force_login(personas.social_worker)
    body = client.get(f"/children/{case.child.pk}/").content.decode()
    assert "returned the request to close this case on 30 June 2025: Visit the child alone before closing" in body
    form = client.get(f"/children/{case.child.pk}/close/").content.decode()
    assert 'id="returned"' in form and "Visit the child alone before closing" in form
    # The worker may ask again.
    assert client.post(f"/children/{case.child.pk}/close/", _close_form(case)).status_code == 302
    assert ApprovalRequest.objects.filter(episode__child=case.child, status="pending").count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"decision": "", "rationale": ""}, "Select whether you approve the closure or return it"),
        ({"decision": "approve", "rationale": "   "}, "Enter your rationale for the decision"),
        ({"decision": "maybe", "rationale": "x"}, "Select a valid choice"),
    ],
)
def test_invalid_decision_rerenders_with_the_error_summary_and_writes_nothing(client, personas, data, message) -> None:
    case = build("episode", personas.social_worker)
    row = _request_closure(case, personas.social_worker)
    client.force_login(personas.team_manager)
    before = fingerprint()
    response = client.post(f"/team/sign-off/requests/{row.pk}/", {"version": row.version, **data})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in body and "<title>Error: " in body and "govuk-form-group--error" in body
    assert message in body
    assert fingerprint() == before


def test_approving_twice_is_refused_and_writes_nothing(client, personas) -> None:
    case = build("episode", personas.social_worker)
    row = _request_closure(case, personas.social_worker)
    client.force_login(personas.team_manager)
    data = _decide(row)
    assert client.post(f"/team/sign-off/requests/{row.pk}/", data).status_code == 302
    before = fingerprint()
    response = client.post(f"/team/sign-off/requests/{row.pk}/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "This request has already been decided: approved" in body and 'class="govuk-error-summary"' in body
    assert fingerprint() == before
    assert ManagementDecision.objects.filter(child=case.child).count() == 1
    row.refresh_from_db()
    with pytest.raises(ValidationFailed, match="already been decided"):
        services.approval_decide(
            actor=None,
            request=row,
            expected_version=row.version,
            approve=True,
            rationale="Again",
            manager=personas.team_manager.staff,
        )


def test_a_stale_form_is_refused_and_writes_nothing(client, personas) -> None:
    case = build("episode", personas.social_worker)
    row = _request_closure(case, personas.social_worker)
    client.force_login(personas.team_manager)
    before = fingerprint()
    body = client.post(f"/team/sign-off/requests/{row.pk}/", {**_decide(row), "version": row.version + 3})
    assert "changed by someone else" in body.content.decode()
    assert fingerprint() == before


def test_approval_is_refused_when_the_case_can_no_longer_close(client, personas) -> None:
    """A plan started after the request: closing would now be an impossible transition."""
    case = build("episode", personas.social_worker)
    row = _request_closure(case, personas.social_worker)
    services.cin_plan_start(actor=None, episode=case["episode"], start_date=TODAY)
    client.force_login(personas.team_manager)
    before = fingerprint()
    body = client.post(f"/team/sign-off/requests/{row.pk}/", _decide(row)).content.decode()
    assert "End the child&#x27;s current plan before closing the case" in body
    assert fingerprint() == before


def test_requests_for_children_outside_the_managers_teams_are_404(client, personas) -> None:
    case = build("episode", personas.other_worker)
    row = _request_closure(case, personas.other_worker)
    url = f"/team/sign-off/requests/{row.pk}/"
    before = fingerprint()
    client.force_login(personas.team_manager)
    assert "Nothing is waiting" in client.get("/team/sign-off/").content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, _decide(row)).status_code == 404
    client.force_login(personas.social_worker)  # not a manager
    assert client.post(url, _decide(row)).status_code == 404
    assert fingerprint() == before
    assert ApprovalRequest.objects.get(pk=row.pk).status == "pending"


def test_the_queue_shows_how_long_each_request_has_waited(client, personas) -> None:
    case = build("episode", personas.social_worker)
    with time_machine.travel(NOW - dt.timedelta(days=4), tick=False):
        _request_closure(case, personas.social_worker, closure_date=TODAY - dt.timedelta(days=4))
    client.force_login(personas.team_manager)
    body = client.get("/team/sign-off/").content.decode()
    assert "4 days" in body and case.child.full_name in body
    assert "1 decision awaiting sign-off" in client.get("/team/").content.decode()


# --- Plan approval -----------------------------------------------------------------------------------------------


def test_a_new_cin_plan_waits_for_approval_and_the_manager_approves_it(client, personas) -> None:
    case = build("cin_plan", personas.social_worker)
    row = ApprovalRequest.objects.get(cin_plan=case["cin_plan"])
    assert (row.kind, row.status, row.step_down) == ("cin_plan", "pending", False)
    client.force_login(personas.social_worker)
    assert "Child in need plan awaiting manager approval" in client.get(f"/children/{case.child.pk}/").content.decode()
    client.force_login(personas.team_manager)
    assert "New child in need plan" in client.get("/team/sign-off/").content.decode()
    response = client.post(f"/team/sign-off/requests/{row.pk}/", _decide(row, rationale="Plan is SMART"))
    assert response.status_code == 302
    decision = ManagementDecision.objects.get(child=case.child)
    assert decision.kind == "plan_approval" and decision.rationale == "Plan is SMART"
    assert decision.decision == "Child in need plan (plan started 5 June 2025) approved"
    body = client.get(f"/children/{case.child.pk}/").content.decode()
    assert "Approved by" in body and "awaiting manager approval" not in body


def test_a_step_down_from_a_cp_plan_is_recorded_as_one(client, personas) -> None:
    case = build("cp_plan", personas.social_worker)
    services.cp_review_record(actor=None, plan=case["cp_plan"], held_on=dt.date(2025, 6, 27), continue_plan=False)
    plan = services.cin_plan_start(actor=None, episode=case["cp_plan"].episode, start_date=dt.date(2025, 6, 27))
    row = ApprovalRequest.objects.get(cin_plan=plan)
    assert row.step_down
    client.force_login(personas.team_manager)
    assert "Step-down to a child in need plan" in client.get("/team/sign-off/").content.decode()
    page = client.get(f"/team/sign-off/requests/{row.pk}/").content.decode()
    assert "Approve the step-down to a child in need plan" in page
    client.post(f"/team/sign-off/requests/{row.pk}/", _decide(row))
    decision = ManagementDecision.objects.get(child=case.child)
    assert decision.decision.startswith("Step-down from a child protection plan to a child in need plan")


def test_a_returned_plan_shows_why_and_can_be_sent_again(client, personas) -> None:
    case = build("cin_plan", personas.social_worker)
    row = ApprovalRequest.objects.get(cin_plan=case["cin_plan"])
    client.force_login(personas.team_manager)
    client.post(f"/team/sign-off/requests/{row.pk}/", _decide(row, "return", "Add the school's actions"))
    client.force_login(personas.social_worker)
    record = client.get(f"/children/{case.child.pk}/").content.decode()
    assert "returned the child in need plan on 30 June 2025: Add the school&#x27;s actions" in record
    url = f"/children/{case.child.pk}/cin-plans/{case['cin_plan'].pk}/approval/"
    assert url in record
    before = fingerprint()
    body = client.post(url, {"summary": ""}).content.decode()
    assert 'class="govuk-error-summary"' in body and "<title>Error: " in body
    assert "Enter what has changed since the manager returned the plan" in body
    assert fingerprint() == before
    assert client.post(url, {"summary": "School actions added"}).status_code == 302
    assert ApprovalRequest.objects.filter(cin_plan=case["cin_plan"], status="pending").count() == 1
    # Now pending: asking again is blocked and writes nothing.
    before = fingerprint()
    body = client.post(url, {"summary": "Again"}).content.decode()
    assert "already awaiting the manager&#x27;s approval" in body
    assert fingerprint() == before


def test_plan_approval_request_form_is_404_for_an_unrelated_worker(client, personas) -> None:
    case = build("cin_plan", personas.social_worker)
    client.force_login(personas.other_worker)
    url = f"/children/{case.child.pk}/cin-plans/{case['cin_plan'].pk}/approval/"
    before = fingerprint()
    assert client.post(url, {"summary": "x"}).status_code == 404
    assert fingerprint() == before
    assert CINPlan.objects.get(pk=case["cin_plan"].pk).approval_requests.count() == 1


# --- The benchmark's baseline page -------------------------------------------------------------------------------


def test_baseline_page_renders_the_layout_and_logs_an_access_event(client, personas) -> None:
    assert client.get("/baseline/").status_code == 302  # sign-in first
    client.force_login(personas.social_worker)
    response = client.get("/baseline/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-header" in body and "govuk-service-navigation" in body
    event = AccessEvent.objects.get(path="/baseline/")
    assert event.child_id is None and event.actor_id == personas.social_worker.pk
