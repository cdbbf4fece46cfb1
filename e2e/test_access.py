"""First sign-in sets up two-factor authentication; the DPO checks who has viewed a child — accessible throughout."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from e2e.conftest import axe_violations, describe
from safehold.accounts.testing import totp_now
from safehold.audit.models import AccessEvent
from safehold.audit.services import access_record
from safehold.core.testing import TEST_PASSWORD, allocate, make_child, make_personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_dpo_enrols_two_factor_and_sees_who_viewed_a_child(page: Any) -> None:
    personas = make_personas()
    child = make_child(given_name="Kwame", family_name="Mensah")
    allocate(child, personas.social_worker)
    access_record(actor=personas.social_worker, kind="view", child_id=child.pk, path=f"/children/{child.pk}/")
    dpo = personas.dpo

    page.goto(f"/audit/children/{child.pk}/access/")
    assert "/accounts/sign-in/" in page.url
    page.fill("#id_username", dpo.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Sign in')")

    # First sign-in: set up an authenticator app. A wrong code is refused with an error summary.
    page.wait_for_selector("h1:has-text('Set up two-factor authentication')")
    _assert_accessible(page)
    page.click("button:has-text('Continue')")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Enter the code from your authenticator app" in page.locator(".govuk-error-summary").inner_text()
    _assert_accessible(page)

    device = TOTPDevice.objects.get(user=dpo, confirmed=False)
    page.fill("#id_token", totp_now(device))
    page.click("button:has-text('Continue')")
    page.wait_for_selector("h2:has-text('Your backup codes')")
    assert page.locator("#backup-codes li").count() == 10
    _assert_accessible(page)

    page.click("a:has-text('Continue to Safehold')")
    page.wait_for_selector("h1:has-text('Who has viewed this record')")
    table = page.locator("#access-log").inner_text()
    assert personas.social_worker.username in table
    _assert_accessible(page)

    # Filter by the worker who viewed the record.
    page.select_option("#id_user", str(personas.social_worker.pk))
    page.click("button:has-text('Apply filters')")
    page.wait_for_selector("#access-log")
    assert "1 access" in page.locator("#access-log caption").inner_text()
    assert page.locator("#access-log tbody tr").count() == 1
    _assert_accessible(page)
    assert AccessEvent.objects.filter(child_id=child.pk, actor_id=dpo.pk).count() == 2
