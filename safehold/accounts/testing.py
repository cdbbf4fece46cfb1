"""Test helpers for two-factor sign-in.

Every page but sign-in needs a session verified with a second factor, so ``client.force_login(user)``
alone is sent to the two-factor step (302). Two ways to sign a test client in:

* :func:`sign_in` — ``force_login`` plus a real, confirmed TOTP device for the user whose persistent id is
  stored in the session exactly as ``django_otp.login`` does after a correct code. django-otp's middleware
  then checks the device on every request as in production: nothing is bypassed or switched off.
* the ``verified_force_login`` fixture (loaded as a pytest plugin: ``pytest_plugins =
  ["safehold.accounts.testing"]`` in the root conftest) makes every ``Client.force_login`` in a test do the
  same, so existing tests keep working unchanged.

:func:`totp_now` computes the current code of a device, for tests that go through the real two-factor form.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

if TYPE_CHECKING:  # imported lazily below: this module is also loaded as a pytest plugin before Django is set up
    from django_otp.plugins.otp_totp.models import TOTPDevice


def enrol(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator-app device, created if need be (as if they had enrolled)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safehold.accounts.services import TOTP_DEVICE_NAME

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    return device


def enrol_with_backup_codes(user: Any) -> tuple[TOTPDevice, list[str]]:
    from safehold.accounts.services import backup_codes_issue

    return enrol(user), backup_codes_issue(user=user)


def totp_now(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now (respects a frozen clock: django-otp reads time.time)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def _verify_session(client: Client, user: Any) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY

    device = enrol(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def sign_in(client: Client, user: Any) -> Client:
    """Sign ``client`` in as ``user`` with a verified second factor; returns the client."""
    _original_force_login(client, user)
    _verify_session(client, user)
    return client


_original_force_login = Client.force_login


@pytest.fixture(autouse=True)
def verified_force_login(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make ``Client.force_login`` produce a session verified with a real device (see the module docstring)."""

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        _original_force_login(self, user, backend)
        _verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
    yield


def unverified_force_login(client: Client, user: Any) -> None:
    """Password step only (no second factor): for tests of the two-factor requirement itself."""
    _original_force_login(client, user)
