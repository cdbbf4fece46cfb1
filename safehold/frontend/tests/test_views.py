"""The caseload, the child's record, search, and the team manager's pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.casework import services
from safehold.casework.models import Assessment
from safehold.core.testing import allocate, make_child
from safehold.frontend.tests.journey import NOW, TODAY, build, date_fields, fingerprint
from safehold.people.services import relationship_create
from safehold.workforce.models import Allocation
from safehold.workforce.services import allocation_set

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


# --- Child record ------------------------------------------------------------------------------------------


def test_child_record_shows_summary_plan_deadlines_family_and_chronology(client, personas) -> None:
    case = build("cp_plan", personas.social_worker, given_name="Amara", family_name="Okafor", nhs_number="9434765919")
    parent = make_child(given_name="Grace", family_name="Okafor", date_of_birth=dt.date(1990, 1, 1))
    relationship_create(actor=None, person=parent, other=case.child, kind="parent", has_parental_responsibility=True)
    services.visit_record(actor=None, child=case.child, visit_type="cp", visited_on=TODAY, seen=True, seen_alone=True)
    client.force_login(personas.social_worker)
    body = client.get(f"/children/{case.child.pk}/").content.decode()
    assert "Amara Okafor" in body
    assert "9434765919" in body
    assert "Subject to a child protection plan." in body  # alert
    assert 'id="current-plan">Child protection plan<' in body
    assert "First review child protection conference" in body  # open deadline …
    assert "Working Together" in body  # … with its source
    assert "Grace Okafor" in body and "Parent" in body
    assert "Child protection visit: child seen alone" in body
    assert "moj-timeline" in body and "Initial child protection conference: child protection plan" in body


def test_chronology_filters_by_type(client, personas) -> None:
    case = build("cp_plan", personas.social_worker)
    client.force_login(personas.social_worker)
    body = client.get(f"/children/{case.child.pk}/?type=conference").content.decode()
    assert "Initial child protection conference: child protection plan" in body
    assert "Contact received" not in body
    assert "1 event," in body


def test_chronology_is_paged_newest_first_keeping_the_filter(client, personas) -> None:
    """A child with 34 visits (one a day back from today) and the events of reaching a CP plan: the first page
    shows 25 events, the newest (today's visit) first; with a filter on visits, 34 events are 25 on the first page
    (the visits of days 0–24) and 9 on the second (days 25–33), and the page links keep the filter."""
    case = build("cp_plan", personas.social_worker)
    for days_ago in range(34):
        services.visit_record(
            actor=None, child=case.child, visit_type="cp", visited_on=TODAY - dt.timedelta(days=days_ago),
            seen=True, notes=f"Visit note {days_ago}",
        )
    client.force_login(personas.social_worker)
    first = client.get(f"/children/{case.child.pk}/").content.decode()
    total = first.count("moj-timeline__item")
    assert total == 25
    assert "Visit note 0<" in first and "Visit note 33<" not in first
    assert "events 1 to 25." in first
    assert 'href="?page=2#chronology"' in first
    second = client.get(f"/children/{case.child.pk}/?page=2").content.decode()
    assert "Visit note 33<" in second and "Visit note 0<" not in second
    visits = client.get(f"/children/{case.child.pk}/?type=visit").content.decode()
    assert "34 events, newest first: events 1 to 25." in visits
    assert "Visit note 0<" in visits and "Visit note 24<" in visits and "Visit note 25<" not in visits
    assert 'href="?page=2&amp;type=visit#chronology"' in visits
    rest = client.get(f"/children/{case.child.pk}/?type=visit&page=2").content.decode()
    assert rest.count("moj-timeline__item") == 9
    assert "Visit note 25<" in rest and "Visit note 33<" in rest and "Visit note 24<" not in rest


def test_child_record_view_is_logged(client, personas) -> None:
    case = build("fresh", personas.social_worker)
    client.force_login(personas.social_worker)
    client.get(f"/children/{case.child.pk}/")
    event = AccessEvent.objects.get(child_id=case.child.pk)
    expected = ("view", personas.social_worker.pk, f"/children/{case.child.pk}/")
    assert (event.kind, event.actor_id, event.path) == expected


@pytest.mark.parametrize("who", ["other_worker", "partner", "nobody"])
def test_child_record_is_404_for_an_unrelated_user(client, personas, who) -> None:
    case = build("cp_plan", personas.social_worker)
    client.force_login(getattr(personas, who))
    assert client.get(f"/children/{case.child.pk}/").status_code == 404
    assert not AccessEvent.objects.filter(child_id=case.child.pk).exists()


def test_restricted_case_notes_are_hidden_from_others(client, personas) -> None:
    case = build("fresh", personas.social_worker)
    note = services.case_note_add(actor=None, child=case.child, subject="Sensitive", body="Secret detail",
                                  author=personas.colleague.staff)
    from safehold.core.services import service

    @service
    def restrict() -> None:
        type(note).objects.filter(pk=note.pk).update(restricted=True)

    restrict()
    client.force_login(personas.social_worker)
    body = client.get(f"/children/{case.child.pk}/").content.decode()
    assert "Case note: Sensitive" in body and "Secret detail" not in body


# --- Caseload ----------------------------------------------------------------------------------------------


def test_caseload_shows_plan_next_deadline_overdue_and_last_visit(client, personas) -> None:
    case = build("cp_plan", personas.social_worker, given_name="Bea", family_name="Zed")
    services.visit_record(actor=None, child=case.child, visit_type="cp", visited_on=dt.date(2025, 6, 20), seen=True)
    client.force_login(personas.social_worker)
    body = client.get("/").content.decode()
    assert "Bea Zed" in body
    assert "Child protection plan" in body
    assert "20 Jun 2025" in body  # last seen
    assert "First core group meeting" in body  # the next deadline's rule


def test_caseload_paginates(client, personas) -> None:
    for _ in range(27):
        allocate(make_child(), personas.social_worker)
    client.force_login(personas.social_worker)
    first = client.get("/").content.decode()
    assert "27 children allocated to you (page 1 of 2)" in first
    assert 'class="govuk-pagination"' in first
    assert first.count('class="govuk-table__row"') == 26  # header + 25
    second = client.get("/?page=2").content.decode()
    assert second.count('class="govuk-table__row"') == 3


# --- Search ------------------------------------------------------------------------------------------------


def test_search_is_posted_limited_to_visible_children_and_logged(client, personas) -> None:
    mine = make_child(given_name="Kayden", family_name="Price")
    allocate(mine, personas.social_worker)
    theirs = make_child(given_name="Kayden", family_name="Pryce")
    allocate(theirs, personas.other_worker)
    client.force_login(personas.social_worker)
    assert client.get("/children/search/").status_code == 200
    response = client.post("/children/search/", {"name": "kayden", **date_fields("date_of_birth", None)})
    body = response.content.decode()
    assert "Kayden Price" in body and "Kayden Pryce" not in body
    assert "kayden" not in response.request["PATH_INFO"] and not response.request.get("QUERY_STRING")
    events = AccessEvent.objects.filter(kind="search")
    assert [e.child_id for e in events] == [mine.pk]
    assert events[0].actor_id == personas.social_worker.pk


def test_search_by_identifiers_and_date_of_birth(client, personas) -> None:
    child = make_child(given_name="Noor", family_name="Ali", date_of_birth=dt.date(2016, 5, 4), nhs_number="4010232137")
    allocate(child, personas.social_worker)
    client.force_login(personas.social_worker)
    for data in (
        {"nhs_number": "401 023 2137"},
        {"la_child_id": child.la_child_id},
        date_fields("date_of_birth", dt.date(2016, 5, 4)),
    ):
        body = client.post("/children/search/", data).content.decode()
        assert "Noor Ali" in body, data


def test_empty_or_invalid_search_shows_the_error_summary_and_logs_nothing(client, personas) -> None:
    client.force_login(personas.social_worker)
    body = client.post("/children/search/", {}).content.decode()
    assert "govuk-error-summary" in body and "Enter a name, date of birth, NHS number or LA child id" in body
    assert "<title>Error: " in body
    body = client.post("/children/search/", {"nhs_number": "12ab"}).content.decode()
    assert 'href="#id_nhs_number"' in body
    assert not AccessEvent.objects.exists()


# --- Team manager ------------------------------------------------------------------------------------------


def _unallocated(personas, **fields):  # type: ignore[no-untyped-def]
    child = make_child(**fields)
    allocation_set(actor=None, child=child, team=personas.team, worker=None, start_date=dt.date(2025, 6, 2))
    return child


def test_team_pages_are_for_managers_only(client, personas) -> None:
    for who in ("social_worker", "other_worker", "analyst"):
        client.force_login(getattr(personas, who))
        for url in ("/team/", "/team/unallocated/", "/team/sign-off/", "/team/overdue/", "/team/drift/"):
            assert client.get(url).status_code == 404, (who, url)
    client.force_login(personas.team_manager)
    for url in ("/team/", "/team/unallocated/", "/team/sign-off/", "/team/overdue/", "/team/drift/"):
        assert client.get(url).status_code == 200, url


def test_caseloads_by_worker_count_and_weight(client, personas) -> None:
    build("cp_plan", personas.social_worker)  # 1.5
    build("cin_plan", personas.social_worker)  # 1
    build("fresh", personas.colleague)  # 1
    client.force_login(personas.team_manager)
    body = client.get("/team/").content.decode()
    assert personas.social_worker.staff.full_name in body
    assert ">2.50" in body and ">1.00" in body
    assert "Child protection 1, Child in need 1" in body


def test_manager_allocates_from_the_unallocated_queue(client, personas) -> None:
    child = _unallocated(personas, given_name="Iris", family_name="Queue")
    client.force_login(personas.team_manager)
    body = client.get("/team/unallocated/").content.decode()
    assert "Iris Queue" in body
    url = f"/team/allocate/{child.pk}/"
    before = fingerprint()
    body = client.post(url, {"worker": "", **date_fields("start_date", None)}).content.decode()
    assert "govuk-error-summary" in body and "Select the social worker" in body
    assert "Select the reason for the change" in body
    assert fingerprint() == before
    response = client.post(
        url, {"worker": personas.social_worker.staff.pk, **date_fields("start_date", TODAY), "reason": "MANAGE"}
    )
    assert response.status_code == 302
    allocation = Allocation.objects.get(child=child, end_date__isnull=True)
    assert allocation.worker == personas.social_worker.staff
    assert Allocation.objects.get(child=child, end_date=TODAY).end_reason == "MANAGE"
    client.get("/team/unallocated/")  # shows (and so clears) the confirmation banner
    assert "Iris Queue" not in client.get("/team/unallocated/").content.decode()


def test_allocation_refused_by_the_service_writes_nothing(client, personas) -> None:
    child = _unallocated(personas)
    client.force_login(personas.team_manager)
    before = fingerprint()
    body = client.post(
        f"/team/allocate/{child.pk}/",
        {"worker": personas.social_worker.staff.pk, **date_fields("start_date", dt.date(2025, 1, 1)),
         "reason": "MANAGE"},
    ).content.decode()
    assert "The new allocation cannot start before the current one" in body
    assert fingerprint() == before


def test_manager_cannot_allocate_another_teams_child(client, personas) -> None:
    case = build("fresh", personas.other_worker)
    client.force_login(personas.team_manager)
    assert client.get(f"/team/allocate/{case.child.pk}/").status_code == 404


def test_sign_off_records_the_decision_and_rationale(client, personas) -> None:
    case = build("completed", personas.social_worker)
    assessment = case["assessment"]
    assessment.refresh_from_db()
    client.force_login(personas.team_manager)
    assert "Review and sign off" in client.get("/team/sign-off/").content.decode()
    url = f"/team/sign-off/{assessment.pk}/"
    before = fingerprint()
    body = client.post(url, {"version": assessment.version, **date_fields("authorised_date", TODAY),
                             "rationale": ""}).content.decode()
    assert "Enter your rationale for signing off the assessment" in body and "<title>Error: " in body
    assert fingerprint() == before
    body = client.post(url, {"version": assessment.version, **date_fields("authorised_date", dt.date(2025, 6, 1)),
                             "rationale": "Fine"}).content.decode()
    assert "Sign-off cannot be before the assessment was completed" in body
    assert fingerprint() == before
    response = client.post(url, {"version": assessment.version, **date_fields("authorised_date", TODAY),
                                 "rationale": "Thorough; child's voice clear"})
    assert response.status_code == 302
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert assessment.authorised_date == TODAY and assessment.authorised_by == personas.team_manager.staff
    rationale = AuditEvent.objects.get(action="assessment.authorised")
    assert rationale.reason == "Thorough; child's voice clear" and rationale.actor_id == personas.team_manager.pk
    assert "Nothing is waiting for your sign-off" in client.get("/team/sign-off/").content.decode()


def test_sign_off_is_404_for_a_worker_and_for_other_teams(client, personas) -> None:
    case = build("completed", personas.other_worker)
    client.force_login(personas.team_manager)
    assert client.get(f"/team/sign-off/{case['assessment'].pk}/").status_code == 404
    client.force_login(personas.social_worker)
    assert client.get(f"/team/sign-off/{case['assessment'].pk}/").status_code == 404


def test_team_overdue_and_drift_lists(client, personas) -> None:
    case = build("contact", personas.social_worker, given_name="Late", family_name="Lily")  # decision due 3 June
    client.force_login(personas.team_manager)
    overdue = client.get("/team/overdue/").content.decode()
    assert "Late Lily" in overdue and "Decision on a contact" in overdue
    drift = client.get("/team/drift/").content.decode()
    assert "Late Lily" in drift
    assert case.child.pk


def test_an_id_beyond_64_bits_is_a_404_not_a_500(client, personas) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personas.social_worker)
    assert client.get(f"/children/{2**63}/").status_code == 404
    assert client.get(f"/children/{2**64 + 5}/").status_code == 404


def test_a_role_that_sees_no_child_has_an_empty_caseload_even_with_a_staff_record(client, personas) -> None:  # type: ignore[no-untyped-def]
    """A partner (who never sees a named child) linked to a staff record that still holds allocations: the
    caseload page shows none of them, and no figure."""
    from safehold.core.testing import make_staff

    staff = make_staff(team=personas.team, user=personas.partner)
    build("fresh", personas.social_worker, family_name="Hidden")
    allocation_set(actor=None, child=make_child(family_name="Unseen"), team=personas.team, worker=staff,
                   start_date=dt.date(2025, 1, 6))
    client.force_login(personas.partner)
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Unseen" not in body and "Hidden" not in body
