"""Changing a password (signed in) and resetting it by an emailed link: the password rules, single-use links,
and other sessions ending."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client

from safehold.accounts.testing import sign_in
from safehold.audit.models import AuditEvent
from safehold.core import clock
from safehold.core.services import service
from safehold.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-passphrase-7"  # noqa: S105 - test fixture only


@service
def _set_email(user, email):
    user.email = email
    user.save(update_fields=["email"])


@pytest.fixture
def worker(personas):
    user = personas.social_worker
    _set_email(user, "sam.worker@council.example")
    return user


def _change(client: Client, old: str, new: str, again: str | None = None):
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def test_a_weak_password_is_refused_with_the_error_summary(worker):
    client = sign_in(Client(), worker)
    for weak, message in (
        ("short1", "too short"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ):
        response = _change(client, TEST_PASSWORD, weak)
        page = response.content.decode()
        assert response.status_code == 200, weak
        assert "govuk-error-summary" in page and message in page, weak
        assert 'href="#id_new_password1"' in page, weak  # the summary links to the field the password was typed in
    worker.refresh_from_db()
    assert worker.check_password(TEST_PASSWORD)
    assert not AuditEvent.objects.filter(action="account.password_changed").exists()


def test_wrong_current_password_or_mismatch_changes_nothing(worker):
    client = sign_in(Client(), worker)
    wrong = _change(client, "not-my-password", NEW_PASSWORD)
    assert "Your current password is not correct" in wrong.content.decode()
    assert AuditEvent.objects.filter(action="account.password_change_failed", object_id=str(worker.pk)).exists()
    mismatch = _change(client, TEST_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert "The passwords do not match" in mismatch.content.decode()
    worker.refresh_from_db()
    assert worker.check_password(TEST_PASSWORD)


def test_changing_the_password_ends_other_sessions_but_not_this_one(worker):
    here, elsewhere = sign_in(Client(), worker), sign_in(Client(), worker)
    assert elsewhere.get("/").status_code == 200
    response = _change(here, TEST_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Your password has been changed" in here.get("/").content.decode()
    # The other browser is signed out: the next page sends it to sign in.
    other = elsewhere.get("/")
    assert other.status_code == 302 and other["Location"].startswith("/accounts/sign-in/")
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="account.password_changed", object_id=str(worker.pk))
    assert event.actor_id == worker.pk and event.after == {"sessions_ended": 1}


def test_the_change_page_needs_a_signed_in_verified_session(worker):
    anonymous = Client().get("/accounts/password/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/sign-in/")


def _reset_link(client: Client, email: str) -> str:
    mail.outbox.clear()
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    (link,) = re.findall(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", str(mail.outbox[0].body))
    return link


def test_reset_by_emailed_link_works_once(worker):
    elsewhere = sign_in(Client(), worker)
    client = Client()
    link = _reset_link(client, "SAM.WORKER@council.example")
    assert mail.outbox[0].to == ["sam.worker@council.example"]
    assert AuditEvent.objects.filter(action="account.password_reset_requested", object_id=str(worker.pk)).exists()
    # The token leaves the address bar at once (Django swaps it into the session).
    form_page = client.get(link)
    assert form_page.status_code == 302 and form_page["Location"].endswith("/set-password/")
    set_url = form_page["Location"]
    weak = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert "govuk-error-summary" in weak.content.decode() and "too short" in weak.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/complete/"
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="account.password_reset", object_id=str(worker.pk)).exists()
    # Sessions signed in with the old password have ended.
    assert elsewhere.get("/")["Location"].startswith("/accounts/sign-in/")
    # The same link a second time: refused, password unchanged.
    again = Client()
    page = again.get(link, follow=True)
    assert "This link does not work" in page.content.decode()
    again.post(
        link.replace(link.rstrip("/").rsplit("/", 1)[1], "set-password"),
        {"new_password1": "another-new-passphrase-9", "new_password2": "another-new-passphrase-9"},
    )
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)


def test_a_reset_link_expires(worker):
    client = Client()
    link = _reset_link(client, worker.email)
    with time_machine.travel(clock.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)):
        page = client.get(link, follow=True)
    assert "This link does not work" in page.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(worker):
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": "nobody@council.example"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []
    bad = client.post("/accounts/password/reset/", {"email": "not an email"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()


def test_a_reset_does_not_skip_the_second_factor(worker):
    client = Client()
    link = _reset_link(client, worker.email)
    set_url = client.get(link)["Location"]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post("/accounts/sign-in/", {"username": worker.username, "password": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
