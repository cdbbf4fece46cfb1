"""Break-glass: no reason, no access; a reason opens a restricted record for a limited time, logged prominently."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.accounts.selectors import break_glass_events_for
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.core import clock
from safehold.core.testing import allocate, make_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(personas):
    child = make_child(restricted=True, given_name="Sealed")
    allocate(child, personas.social_worker)
    return child


def test_a_restricted_record_is_404_even_to_its_allocated_worker_without_a_grant(client, personas, restricted):
    client.force_login(personas.social_worker)
    assert client.get(f"/children/{restricted.pk}/").status_code == 404
    # Only roles that may break glass reach the break-glass page; for everyone else it does not exist.
    assert client.get(f"/accounts/children/{restricted.pk}/break-glass/").status_code == 404


def test_no_reason_is_refused_with_an_error_summary(client, personas, restricted):
    client.force_login(personas.team_manager)
    page = client.get(f"/accounts/children/{restricted.pk}/break-glass/")
    assert page.status_code == 200
    assert "Sealed" not in page.content.decode()  # nothing of the record before the reason
    response = client.post(f"/accounts/children/{restricted.pk}/break-glass/", {"reason": "   "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "Enter the reason you need to open this restricted record" in body
    assert 'href="#id_reason"' in body
    assert client.get(f"/children/{restricted.pk}/").status_code == 404
    assert not AccessEvent.objects.filter(child_id=restricted.pk, break_glass=True).exists()


def test_a_reason_opens_the_record_for_a_limited_time_and_is_logged(client, personas, restricted):
    client.force_login(personas.team_manager)
    response = client.post(
        f"/accounts/children/{restricted.pk}/break-glass/", {"reason": "Police called about the child tonight"}
    )
    assert response.status_code == 302 and response["Location"] == f"/children/{restricted.pk}/"
    assert client.get(f"/children/{restricted.pk}/").status_code == 200

    opened = AccessEvent.objects.get(child_id=restricted.pk, break_glass=True)
    assert opened.actor_id == personas.team_manager.pk
    assert opened.reason == "Police called about the child tonight"
    audit = AuditEvent.objects.get(action="break_glass.opened", child_id=restricted.pk)
    assert audit.reason == opened.reason and audit.actor_id == personas.team_manager.pk

    # Shown to the DPO (everything) and to the record's owner (the allocated worker); not to others.
    assert list(break_glass_events_for(user=personas.dpo)) == [opened]
    assert list(break_glass_events_for(user=personas.social_worker)) == [opened]
    assert list(break_glass_events_for(user=personas.other_worker)) == []
    client.force_login(personas.dpo)
    log = client.get("/accounts/break-glass/").content.decode()
    assert "Police called about the child tonight" in log
    who = client.get(f"/audit/children/{restricted.pk}/access/").content.decode()
    assert "Break-glass" in who and "Police called" in who
    assert "Sealed" not in who  # the DPO audits the record without being shown its name

    client.force_login(personas.team_manager)
    with time_machine.travel(clock.now() + dt.timedelta(minutes=31), tick=False):
        assert client.get(f"/children/{restricted.pk}/").status_code == 404


def test_break_glass_is_only_for_restricted_records(client, personas):
    child = make_child()
    allocate(child, personas.other_worker)
    client.force_login(personas.team_manager)
    assert client.get(f"/accounts/children/{child.pk}/break-glass/").status_code == 404
