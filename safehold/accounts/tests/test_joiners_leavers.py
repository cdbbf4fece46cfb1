"""Joiners and leavers: an administrator creates accounts; a leaver's access, sessions and caseload end at once."""

from __future__ import annotations

import pytest
from django.test import Client

from safehold.accounts.models import User
from safehold.accounts.services import staff_leave
from safehold.accounts.testing import sign_in
from safehold.audit.models import AuditEvent
from safehold.core.testing import allocate, make_child
from safehold.people.models import Person
from safehold.workforce.choices import ChangeReason
from safehold.workforce.models import Allocation

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_staff_account(client, personas):
    client.force_login(personas.admin)
    assert client.get("/accounts/staff/new/").status_code == 200
    form = {"username": "jo", "given_name": "Jo", "family_name": "Bloggs", "role": "social_worker", "sw_id": "SW900001"}
    weak = client.post("/accounts/staff/new/", {**form, "password": "short"})
    assert weak.status_code == 200 and "govuk-error-summary" in weak.content.decode()
    assert not User.objects.filter(username="jo").exists()
    response = client.post(
        "/accounts/staff/new/",
        {
            "username": "jo",
            "given_name": "Jo",
            "family_name": "Bloggs",
            "role": "social_worker",
            "team": personas.team.pk,
            "manager": personas.team_manager.staff.pk,
            "sw_id": "SW900001",
            "password": "a-long-enough-passphrase-9",
        },
    )
    assert response.status_code == 302
    jo = User.objects.get(username="jo")
    assert (
        jo.role == "social_worker"
        and jo.staff.team == personas.team
        and jo.staff.manager == personas.team_manager.staff
    )
    assert AuditEvent.objects.filter(action="account.created", object_id=str(jo.pk)).exists()


def test_only_administrators_reach_the_staff_pages(client, personas):
    client.force_login(personas.team_manager)
    assert client.get("/accounts/staff/").status_code == 404
    assert client.get("/accounts/staff/new/").status_code == 404


def test_a_leaver_loses_access_at_once_and_their_cases_become_unallocated(client, personas):
    child = make_child()
    allocate(child, personas.social_worker)
    theirs = sign_in(Client(), personas.social_worker)
    assert theirs.get(f"/children/{child.pk}/").status_code == 200

    client.force_login(personas.admin)
    page = client.get(f"/accounts/staff/{personas.social_worker.pk}/leave/")
    assert "1 open case" in page.content.decode()
    done = client.post(f"/accounts/staff/{personas.social_worker.pk}/leave/")
    assert done.status_code == 200 and "Account closed" in done.content.decode()

    # Their session has ended, and they cannot sign in again.
    response = theirs.get(f"/children/{child.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    personas.social_worker.refresh_from_db()
    assert not personas.social_worker.is_active
    # The case is open, unallocated, in the same team: on the manager's list.
    current = Allocation.objects.get(child=child, end_date__isnull=True)
    assert current.worker is None and current.team == personas.team
    ended = Allocation.objects.get(child=child, end_date__isnull=False)
    assert ended.end_reason == ChangeReason.LEFTRL
    assert Person.objects.visible_to(personas.team_manager).filter(pk=child.pk).exists()
    personas.social_worker.staff.refresh_from_db()
    assert personas.social_worker.staff.leave_date is not None
    assert AuditEvent.objects.filter(action="account.closed", object_id=str(personas.social_worker.pk)).exists()


def test_an_administrator_cannot_close_their_own_account(personas):
    from safehold.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed):
        staff_leave(actor=personas.admin, user=personas.admin)


def test_access_review_lists_who_can_see_what(client, personas):
    child = make_child()
    allocate(child, personas.social_worker)
    client.force_login(personas.dpo)
    response = client.get("/accounts/access-review/")
    body = response.content.decode()
    assert response.status_code == 200
    assert personas.social_worker.username in body and personas.partner.username in body
    client.force_login(personas.social_worker)
    assert client.get("/accounts/access-review/").status_code == 404
