"""A social worker signs in with a password and a code from their authenticator app, sees their caseload and
opens a child's record — accessible, and logged."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.conftest import axe_violations, describe
from safehold.accounts.testing import enrol, totp_now
from safehold.audit.models import AccessEvent
from safehold.core.testing import TEST_PASSWORD, allocate, make_child, make_personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_in_caseload_and_child_record(page: Any) -> None:
    personas = make_personas()
    child = make_child(given_name="Amara", family_name="Okafor")
    allocate(child, personas.social_worker)
    device = enrol(personas.social_worker)

    page.goto("/")
    assert "/accounts/sign-in/" in page.url
    assert axe_violations(page) == [], describe(axe_violations(page))

    # A wrong password re-shows the form with a GOV.UK error summary and changes nothing.
    page.fill("#id_username", personas.social_worker.username)
    page.fill("#id_password", "wrong password")
    page.click("button:has-text('Sign in')")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Enter a correct username and password" in page.locator(".govuk-error-summary").inner_text()

    page.fill("#id_username", personas.social_worker.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("h1:has-text('Enter your security code')")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.fill("#id_token", totp_now(device))
    page.click("button:has-text('Continue')")
    page.wait_for_selector("h1:has-text('My caseload')")
    assert page.locator("table.govuk-table").is_visible()
    assert "Amara Okafor" in page.locator("table.govuk-table").inner_text()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.click("a:has-text('Amara Okafor')")
    page.wait_for_selector("h1:has-text('Amara Okafor')")
    assert AccessEvent.objects.filter(child_id=child.pk, actor_id=personas.social_worker.pk, kind="view").count() == 1
    violations = axe_violations(page)
    assert violations == [], describe(violations)
