"""A team manager sets up an audit programme, draws the month's sample and audits the child; a head of service
moderates with a regrade; the trends page shows the moderated grade; the social worker sees the action — every
page accessible (axe: no serious or critical violations)."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.test_inspection import assert_accessible, sign_in
from safehold.casework import services as cw
from safehold.core import clock
from safehold.core.testing import allocate, make_child, make_personas
from safehold.oversight.models import AuditAction, CaseAudit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("safehold.oversight.tests.urls"),
]
DOMAINS = ("assessment", "childs_voice", "management_oversight", "planning_review", "impact")


def _date(page: Any, name: str, day: Any) -> None:
    page.fill(f"#id_{name}", str(day.day))
    page.fill(f"#id_{name}_month", str(day.month))
    page.fill(f"#id_{name}_year", str(day.year))


def test_audit_moderation_and_trends(page: Any, browser: Any, live_server: Any) -> None:
    personas = make_personas()
    child = make_child(given_name="Audited", family_name="Child")
    today = clock.today()
    cw.referral_create(actor=None, child=child, referral_date=today, source="2A", primary_need="N1")
    allocate(child, personas.social_worker)

    # The team manager: programme, month theme, sample, audit.
    sign_in(page, personas.team_manager)
    page.goto("/oversight/audits/")
    page.wait_for_selector("h1:has-text('Case audits')")
    assert_accessible(page)
    page.click("a:has-text('New audit programme')")
    page.fill("#id_title", "Case audit programme")
    page.click("button:has-text('Create the programme')")
    page.wait_for_selector("h1:has-text('Case audit programme')")
    page.click("button:has-text('Save the month')")
    page.wait_for_selector(".govuk-error-summary")
    assert_accessible(page)
    page.select_option("#id_month", today.strftime("%Y-%m"))
    page.check("#id_theme")  # the first theme: random, children with an open case
    page.fill("#id_sample_size", "1")
    page.fill("#id_seed", "7")
    page.click("button:has-text('Save the month')")
    page.click(f"a:has-text('{today:%B %Y}')")
    page.click("button:has-text('Draw the sample')")
    page.wait_for_selector("td:has-text('Audited Child')")
    assert_accessible(page)
    page.click(f"a[href*='/oversight/audits/child/{child.pk}/new/']")
    page.wait_for_selector("h1:has-text('Audit the case')")
    page.fill("#id_audited_on", "")
    page.click("button:has-text('Save the audit')")
    page.wait_for_selector(".govuk-error-summary")
    assert_accessible(page)
    _date(page, "audited_on", today)
    for code in DOMAINS:
        page.check(f"#id_grade_{code}-2")  # good
    page.fill("#id_findings", "Assessment is thorough; the plan lacks timescales.")
    page.check("#id_grade-2")  # good
    page.fill("#id_action", "Add timescales to the child in need plan")
    page.select_option("#id_action_owner", str(personas.social_worker.staff.pk))
    _date(page, "action_due", today)
    page.click("button:has-text('Save the audit')")
    page.wait_for_selector("h1:has-text('Case audit')")
    assert "Awaiting moderation" in page.inner_text("#moderation")
    assert_accessible(page)
    audit = CaseAudit.objects.get()
    assert audit.grade == "good" and AuditAction.objects.count() == 1

    # The head of service moderates with a regrade.
    context = browser.new_context(base_url=live_server.url)
    hos = context.new_page()
    sign_in(hos, personas.head_of_service)
    hos.goto(f"/oversight/audits/{audit.pk}/")
    hos.click("a:has-text('Moderate this audit')")
    hos.wait_for_selector("h1:has-text('Moderate the audit')")
    hos.check("#id_outcome-2")  # regrade
    hos.click("button:has-text('Save the moderation')")
    hos.wait_for_selector(".govuk-error-summary")
    assert_accessible(hos)
    hos.check("#id_outcome-2")
    hos.check("#id_grade-3")  # requires improvement
    hos.fill("#id_reason", "No evidence the plan is making a difference yet")
    hos.click("button:has-text('Save the moderation')")
    hos.wait_for_selector("#moderation:has-text('Regraded')")
    assert_accessible(hos)
    audit.refresh_from_db()
    assert audit.final_grade == "requires_improvement" and audit.moderator_id == personas.head_of_service.staff.pk

    # Trends: this month shows one audit, requires improvement.
    hos.goto("/oversight/audits/trends/")
    hos.wait_for_selector("svg")
    row = hos.locator("#by-month tbody tr").last
    assert row.locator("th").inner_text().strip() == today.strftime("%b %Y")
    assert [c.strip() for c in row.locator("td").all_inner_texts()] == ["0", "0", "1", "0", "0.0%"]
    assert_accessible(hos)
    context.close()

    # The social worker sees the action in their list and on the child's oversight page.
    worker_ctx = browser.new_context(base_url=live_server.url)
    worker = worker_ctx.new_page()
    sign_in(worker, personas.social_worker)
    worker.goto("/oversight/actions/")
    worker.wait_for_selector("td:has-text('Add timescales to the child in need plan')")
    assert_accessible(worker)
    worker.goto(f"/oversight/child/{child.pk}/")
    worker.wait_for_selector("h2:has-text('Case audits')")
    assert_accessible(worker)
    worker_ctx.close()


def test_workforce_pages_accessible(page: Any) -> None:
    """(Workforce, M15, shares this file: no browser test of its own.) A head of service opens every workforce
    page, and each form with its errors: all accessible."""
    personas = make_personas()
    allocate(make_child(), personas.social_worker)
    sign_in(page, personas.head_of_service)
    for path, heading in (
        ("/workforce/", "Workforce"),
        ("/workforce/posts/", "Posts"),
        ("/workforce/starters-and-leavers/", "Starters and leavers"),
        ("/workforce/caseloads/", "Caseload distribution"),
        ("/workforce/asye/", "Newly qualified"),
        ("/workforce/training/", "Training"),
    ):
        page.goto(path)
        page.wait_for_selector(f"h1:has-text('{heading}')")
        assert_accessible(page)
    for path, button in (("/workforce/posts/new/", "Add the post"), ("/workforce/training/new/", "Save")):
        page.goto(path)
        page.fill("#id_opened_on" if "posts" in path else "#id_completed_on", "")
        page.click(f"button:has-text('{button}')")
        page.wait_for_selector(".govuk-error-summary")
        assert_accessible(page)
