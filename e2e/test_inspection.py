"""A performance analyst checks readiness, draws a case sample and shares it, and keeps the improvement plan —
every page accessible (axe: no serious or critical violations)."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.conftest import axe_violations, describe
from safehold.accounts.models import User
from safehold.casework import services as cw
from safehold.core import clock
from safehold.core.testing import TEST_PASSWORD, allocate, make_child, make_personas, make_staff
from safehold.inspection.models import ImprovementAction
from safehold.people.models import AccessGrant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, user: User) -> None:
    """Password, then the authenticator code (the user is enrolled first, as if they had set up their app)."""
    from safehold.accounts.testing import enrol, totp_now

    device = enrol(user)
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    if "/accounts/two-factor" in page.url:
        page.locator("input[name='token']").fill(totp_now(device))
        page.click("button:has-text('Continue')")
        page.wait_for_load_state()
    assert "/accounts/" not in page.url, page.url


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_readiness_sampling_and_improvement_plan(page: Any) -> None:
    personas = make_personas()
    owner = make_staff(team=personas.team)
    today = clock.today()
    children = []
    for i, ethnicity in enumerate(["NOBT", "WBRI", "BAFR"]):
        child = make_child(given_name=f"Sample{i}", family_name="Child", ethnicity=ethnicity)
        allocate(child, personas.social_worker)
        cw.referral_create(actor=None, child=child, referral_date=today, source="2A", primary_need="N1")
        children.append(child)

    sign_in(page, personas.analyst)

    page.goto("/inspection/")
    page.wait_for_selector("h1:has-text('Readiness on')")
    assert page.locator("a:has-text('Sample0 Child')").count() >= 1  # ethnicity not yet obtained
    assert_accessible(page)

    page.goto("/inspection/samples/")
    page.check("input[name='theme'][value='random_open']")
    page.fill("#id_size", "2")
    page.fill("#id_reason", "ILACS case tracking")
    page.fill("#id_seed", "11")
    page.click("button:has-text('Draw sample')")
    page.wait_for_selector("h1:has-text('Random: children with an open case')")
    assert page.locator("table.govuk-table").first.locator("tbody tr").count() == 2
    assert_accessible(page)

    page.select_option("#id_inspector", str(personas.inspector.pk))
    page.fill("#id_days", "7")
    page.click("button:has-text('Share sample')")
    page.wait_for_selector("button:has-text('Withdraw access')")
    assert AccessGrant.objects.filter(user=personas.inspector).count() == 2
    assert_accessible(page)

    page.goto("/inspection/improvement-plan/new/")
    page.click("button:has-text('Add action')")  # empty: the error summary and field errors
    page.wait_for_selector(".govuk-error-summary")
    assert_accessible(page)
    page.fill("#id_title", "Assessments within 45 working days")
    page.select_option("#id_owner", str(owner.pk))
    page.fill("#id_due_date", "30")
    page.fill("#id_due_date_month", "9")
    page.fill("#id_due_date_year", str(today.year + 1))
    page.select_option("#id_indicator", "assessments_45wd")
    page.click("button:has-text('Add action')")
    page.wait_for_selector("h1:has-text('Assessments within 45 working days')")
    assert_accessible(page)

    page.goto("/inspection/improvement-plan/")
    page.wait_for_selector("h1:has-text('Improvement plan')")
    assert "Assessments completed within 45 working days" in page.locator("main").inner_text()
    assert ImprovementAction.objects.count() == 1
    assert_accessible(page)
