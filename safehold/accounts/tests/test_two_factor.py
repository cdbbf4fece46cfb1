"""Sign-in is a password and then a second factor (TOTP or a single-use backup code); lockout; idle sign-out."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehold.accounts.testing import enrol, enrol_with_backup_codes, totp_now
from safehold.audit.models import AuditEvent
from safehold.core import clock
from safehold.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _password_step(client: Client, user, next_url: str = "/") -> str:
    response = client.post(
        f"/accounts/sign-in/?next={next_url}", {"username": user.username, "password": TEST_PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    return str(response["Location"])


def test_password_then_totp_reaches_home():
    from safehold.core.testing import make_personas

    personas = make_personas()
    user = personas.social_worker
    device = enrol(user)
    client = Client()
    location = _password_step(client, user)
    assert location.startswith("/accounts/two-factor/")
    # Signed in with a password only: every page sends the user back to the second step.
    assert client.get("/")["Location"].startswith("/accounts/two-factor/")
    page = client.get(location)
    assert page.status_code == 200 and "Enter your security code" in page.content.decode()

    wrong = client.post(location, {"token": "000000" if totp_now(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "govuk-error-summary" in wrong.content.decode()
    assert AuditEvent.objects.filter(action="account.two_factor_failed", object_id=str(user.pk)).exists()

    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(location, {"token": totp_now(device)})
    assert ok.status_code == 302 and ok["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200


def test_a_backup_code_works_once():
    from safehold.core.testing import make_personas

    user = make_personas().social_worker
    _, codes = enrol_with_backup_codes(user)
    first = Client()
    location = _password_step(first, user)
    assert first.post(location, {"token": codes[0]})["Location"] == "/"
    second = Client()
    location = _password_step(second, user)
    again = second.post(location, {"token": codes[0]})
    assert again.status_code == 200
    assert "not correct" in again.content.decode()


def test_first_sign_in_enrols_an_authenticator_app_and_shows_backup_codes():
    from safehold.core.testing import make_personas

    user = make_personas().team_manager
    client = Client()
    location = _password_step(client, user)
    setup = client.get(location)
    assert setup.status_code == 302 and setup["Location"].startswith("/accounts/two-factor/set-up/")
    page = client.get(setup["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in body and "Setup key" in body
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    refused = client.post(setup["Location"], {"token": ""})
    assert "Enter the code from your authenticator app" in refused.content.decode()
    assert client.get("/")["Location"].startswith("/accounts/two-factor/")

    done = client.post(setup["Location"], {"token": totp_now(device)})
    assert done.status_code == 200
    assert "Your backup codes" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert user.staticdevice_set.get().token_set.count() == 10
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="account.two_factor_enrolled", object_id=str(user.pk)).exists()


def test_an_unsafe_next_url_is_ignored():
    from safehold.core.testing import make_personas

    user = make_personas().social_worker
    device = enrol(user)
    client = Client()
    _password_step(client, user)
    response = client.post("/accounts/two-factor/?next=https://evil.example/", {"token": totp_now(device)})
    assert response["Location"] == "/"


def test_repeated_failures_lock_the_account():
    from safehold.core.testing import make_personas

    user = make_personas().social_worker
    client = Client()
    for _ in range(5):
        client.post("/accounts/sign-in/", {"username": user.username, "password": "wrong"})
    locked = client.post("/accounts/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another machine, the right password: still locked (the count is per account).
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post("/accounts/sign-in/", {"username": user.username, "password": TEST_PASSWORD}).status_code == 429
    with time_machine.travel(clock.now() + dt.timedelta(minutes=16), tick=False):
        assert _password_step(Client(), user).startswith("/accounts/two-factor/")


def test_inactivity_signs_the_user_out(client, personas):
    client.force_login(personas.social_worker)
    assert client.get("/").status_code == 200
    with time_machine.travel(clock.now() + dt.timedelta(minutes=20), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(clock.now() + dt.timedelta(minutes=55), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"])
        assert "signed out because you had not used Safehold" in page.content.decode()


def test_demo_enrolment_prints_codes_that_work():
    from safehold.accounts.services import two_factor_demo_enrol, two_factor_reset
    from safehold.core.testing import make_personas

    personas = make_personas()
    user = personas.director
    key, codes = two_factor_demo_enrol(user=user)
    assert len(key) >= 16 and len(codes) == 10
    client = Client()
    assert client.post(_password_step(client, user), {"token": codes[1]})["Location"] == "/"
    # Lost phone: an administrator resets; the user's sessions end and they enrol again at next sign-in.
    two_factor_reset(actor=personas.admin, user=user, reason="Lost phone")
    assert client.get("/")["Location"].startswith("/accounts/sign-in/")
    again = Client()
    assert again.get(_password_step(again, user))["Location"].startswith("/accounts/two-factor/set-up/")
