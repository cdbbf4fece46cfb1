"""The statutory journey in the browser, as real users: a team manager allocates a child; the social worker
records contact → decision → referral → assessment; the manager signs the assessment off; the worker records
strategy discussion → ICPC → CP plan → review → step-down to a CIN plan, which the manager approves → plan end →
a request to close the case, which the manager approves (closing the episode) from the sign-off queue.

Every page on the way is checked with axe-core: no serious or critical violations. Two browser contexts play
the two people, each signed in once (password, then the code from their authenticator app).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from e2e.conftest import axe_violations, describe
from safehold.casework.models import (
    ApprovalRequest,
    Assessment,
    ChildProtectionPlan,
    CINEpisode,
    CINPlan,
    Conference,
    Contact,
)
from safehold.core import clock
from safehold.core.testing import TEST_PASSWORD, make_child, make_personas
from safehold.oversight.models import ManagementDecision
from safehold.workforce.models import Allocation
from safehold.workforce.services import allocation_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES_CHECKED: list[str] = []


def _accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {describe(violations)}"
    PAGES_CHECKED.append(page.url)


def _sign_in(page: Any, user: Any) -> None:
    """Sign in as a real user: the sign-in form, then the second factor from their authenticator app.

    Kept in one place so a change to sign-in (e.g. the two-factor step) is one edit here.
    """
    from safehold.accounts.testing import enrol, totp_now

    device = enrol(user)
    page.goto("/accounts/sign-in/")
    _accessible(page)
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:
        _accessible(page)
        page.fill("#id_token", totp_now(device))
        page.click("button:has-text('Continue')")
    page.wait_for_selector("h1:has-text('My caseload')")
    _accessible(page)


def _date(page: Any, field: str, day: dt.date) -> None:
    page.fill(f"#id_{field}", str(day.day))
    page.fill(f"#id_{field}_month", str(day.month))
    page.fill(f"#id_{field}_year", str(day.year))


def _choose(page: Any, question: str, answer: str) -> None:
    """Tick a radio or checkbox by its question (the fieldset legend) and its label."""
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def _submit(page: Any, button: str, *, expect: str) -> None:
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector(f".govuk-notification-banner--success:has-text('{expect}')")
    _accessible(page)


def _open_action(page: Any, link: str, heading: str) -> None:
    page.click(f"#actions a:has-text('{link}')")
    page.wait_for_selector(f"h1:has-text('{heading}')")
    assert page.locator("#due-heading").count() <= 1
    _accessible(page)


def _manager_decides(boss: Any, row_text: str, heading: str, approve_label: str, rationale: str) -> None:
    """The manager opens the sign-off queue, the request in it, tries an empty decision, then approves."""
    boss.goto("/team/sign-off/")
    boss.wait_for_selector("h1:has-text('Awaiting sign-off')")
    _accessible(boss)
    boss.locator("#approval-requests tr", has_text=row_text).get_by_role("link", name="Review and decide").click()
    boss.wait_for_selector(f"h1:has-text('{heading}')")
    _accessible(boss)
    boss.click("button:has-text('Save decision')")  # nothing chosen: the error summary, nothing written
    boss.wait_for_selector(".govuk-error-summary")
    assert boss.title().startswith("Error: ")
    _accessible(boss)
    _choose(boss, f"Do you {approve_label.lower()}?", approve_label)
    boss.get_by_label("Your rationale", exact=True).fill(rationale)
    _submit(boss, "Save decision", expect="approved")


def test_front_door_to_closure_with_manager_allocation_and_sign_off(browser: Any, page: Any, live_server: Any) -> None:
    personas = make_personas()
    worker, manager = personas.social_worker, personas.team_manager
    child = make_child(given_name="Amara", family_name="Okafor")
    today = clock.today()
    allocation_set(actor=None, child=child, team=personas.team, worker=None, start_date=today - dt.timedelta(days=45))

    # --- The manager allocates the child from the unallocated queue ---------------------------------------
    boss_context = browser.new_context(base_url=live_server.url)
    try:
        _journey(page, boss_context.new_page(), child, worker, manager, today)
    finally:
        boss_context.close()


def _journey(page: Any, boss: Any, child: Any, worker: Any, manager: Any, today: dt.date) -> None:
    _sign_in(boss, manager)
    boss.click("nav a:has-text('Team')")
    boss.wait_for_selector("h1:has-text('Team caseloads')")
    _accessible(boss)
    boss.click("a:has-text('Unallocated work')")
    boss.wait_for_selector("h1:has-text('Unallocated work')")
    _accessible(boss)
    boss.click("a:has-text('Allocate Amara Okafor')")
    boss.wait_for_selector("h1:has-text('Allocate a social worker')")
    _accessible(boss)
    boss.click("button:has-text('Allocate')")  # nothing chosen: the error summary, nothing written
    boss.wait_for_selector(".govuk-error-summary")
    assert boss.title().startswith("Error: ")
    _accessible(boss)
    boss.get_by_label("Social worker", exact=True).select_option(str(worker.staff.pk))
    _choose(boss, "Reason for the change", "Management decision")
    _submit(boss, "Allocate", expect="is allocated to")
    assert Allocation.objects.get(child=child, end_date__isnull=True).worker == worker.staff

    # --- The social worker: contact, decision, referral, assessment ----------------------------------------
    _sign_in(page, worker)
    page.click("a:has-text('Amara Okafor')")
    page.wait_for_selector("h1:has-text('Amara Okafor')")
    _accessible(page)

    _open_action(page, "Record a contact", "Record a contact")
    page.click("button:has-text('Save contact')")  # empty: errors, linked to their fields
    page.wait_for_selector(".govuk-error-summary")
    _accessible(page)
    assert Contact.objects.count() == 0
    _date(page, "received_on", today - dt.timedelta(days=40))
    page.fill("#id_received_time", "09:30")
    page.get_by_label("Who made the contact", exact=True).select_option("2A")
    page.get_by_label("What the contact is about", exact=True).fill("School reports unexplained bruising")
    _submit(page, "Save contact", expect="Contact recorded")

    _open_action(page, "Decide on the contact", "Decide on the contact")
    level4 = "Level 4 – acute needs (child protection / looked after)"
    _choose(page, "Which threshold level does the child's need meet?", level4)
    _choose(page, "Decision", "Referral to children's social care")
    reasons = page.get_by_label("Reasons for the decision against the threshold levels", exact=True)
    reasons.fill("Possible significant harm")
    _submit(page, "Save decision", expect="Decision recorded")

    _open_action(page, "Record a referral", "Record a referral")
    _date(page, "referral_date", today - dt.timedelta(days=40))
    _submit(page, "Save referral", expect="Referral recorded")

    _open_action(page, "Start an assessment", "Start an assessment")
    assert "Single (s.17/s.47) assessment concluded" in page.locator("aside").inner_text()
    _date(page, "start_date", today - dt.timedelta(days=39))
    _submit(page, "Start assessment", expect="Assessment started")

    _open_action(page, "Complete the assessment", "Complete the assessment")
    _date(page, "completed_date", today - dt.timedelta(days=30))
    _choose(page, "Factors identified at the end of the assessment", "Physical abuse – adult on child")
    _choose(page, "Was the child seen during the assessment?", "Yes")
    _date(page, "child_seen_date", today - dt.timedelta(days=38))
    _choose(page, "Outcome of the assessment", "Strategy discussion")
    _submit(page, "Complete assessment", expect="Assessment completed")

    # --- The manager signs the assessment off with a rationale --------------------------------------------
    boss.click("nav a:has-text('Team')")
    boss.click("a:has-text('Awaiting sign-off')")
    boss.wait_for_selector("h1:has-text('Awaiting sign-off')")
    _accessible(boss)
    boss.click("a:has-text('Review and sign off')")
    boss.wait_for_selector("h1:has-text('Sign off the assessment')")
    _accessible(boss)
    rationale = boss.get_by_label("Your rationale for signing off the assessment", exact=True)
    rationale.fill("Analysis sound; child seen alone")
    _submit(boss, "Sign off", expect="signed off")
    assert Assessment.objects.get(episode__child=child).authorised_by == manager.staff

    # --- Child protection: strategy discussion, ICPC, CP plan, review ------------------------------------
    page.goto(f"/children/{child.pk}/")
    _open_action(page, "Record a strategy discussion", "Record a strategy discussion")
    _date(page, "held_on", today - dt.timedelta(days=29))
    _choose(page, "Agencies that took part", "Police")
    _choose(page, "Agencies that took part", "Health")
    _choose(page, "Did the discussion decide to start a section 47 enquiry?", "Yes")
    page.get_by_label("Decisions and actions agreed", exact=True).fill("Joint visit with police; medical")
    _submit(page, "Save strategy discussion", expect="Strategy discussion recorded")

    _open_action(page, "Record the initial child protection conference", "Record the initial child protection")
    assert "Initial child protection conference" in page.locator("aside").inner_text()
    _date(page, "held_on", today - dt.timedelta(days=20))
    _choose(page, "Did the conference decide the child should be subject to a child protection plan?", "Yes")
    _choose(page, "Category of abuse", "Physical abuse")
    _submit(page, "Save conference", expect="Initial child protection conference recorded")
    assert page.locator("#current-plan").inner_text() == "Child protection plan"
    assert ChildProtectionPlan.objects.filter(episode__child=child, end_date__isnull=True).count() == 1

    _open_action(page, "Record a review child protection conference", "Record a review child protection")
    _date(page, "held_on", today - dt.timedelta(days=2))
    _choose(page, "Should the child remain subject to a child protection plan?", "No")
    _submit(page, "Save review", expect="Review conference recorded")
    assert Conference.objects.filter(episode__child=child).count() == 2

    # --- Step down to a child in need plan, end it, close the case ----------------------------------------
    _open_action(page, "Start a child in need plan", "Start a child in need plan")
    _date(page, "start_date", today - dt.timedelta(days=2))
    _submit(page, "Start plan", expect="Child in need plan started")
    assert page.locator("#current-plan").inner_text() == "Child in need plan"
    assert "Awaiting manager approval" in page.locator("#plan-approval").inner_text()

    # --- The manager approves the step-down plan from the sign-off queue ---------------------------------
    _manager_decides(
        boss,
        "Step-down to a child in need plan",
        "Approve the step-down to a child in need plan",
        "Approve the plan",
        "Protection plan outcomes met; CIN plan keeps school and health involved",
    )
    assert ManagementDecision.objects.get(child=child, kind="plan_approval").decided_by == manager.staff

    page.goto(f"/children/{child.pk}/")
    assert "Approved by" in page.locator("#plan-approval").inner_text()
    _open_action(page, "End the child in need plan", "End the child in need plan")
    _submit(page, "End plan", expect="Child in need plan ended")
    assert CINPlan.objects.get(episode__child=child).end_date == today

    # --- The worker asks to close the case; the manager approves the closure ------------------------------
    _open_action(page, "Close the case", "Close the case")
    _choose(page, "Reason for closure", "Services ceased for any other reason, including child no longer in need")
    page.get_by_label("Closure summary for your manager", exact=True).fill("Plan outcomes met; family supported")
    _submit(page, "Send to your manager for approval", expect="Closure sent to your manager for approval")
    assert page.locator("#closure-pending").count() == 1  # no second closure request can be made
    assert (
        "Closure awaiting manager approval"
        in page.locator(".govuk-notification-banner", has_text="Alerts").inner_text()
    )
    assert CINEpisode.objects.get(child=child).closure_date is None

    _manager_decides(
        boss,
        "Close the case",
        "Approve the closure",
        "Approve the closure",
        "Outcomes achieved and sustained; no further role for social care",
    )
    episode = CINEpisode.objects.get(child=child)
    assert episode.closure_date == today and episode.closure_reason == "RC7"
    assert ApprovalRequest.objects.get(episode=episode, kind="closure").status == "approved"
    assert ManagementDecision.objects.get(child=child, kind="closure").rationale.startswith("Outcomes achieved")
    page.goto(f"/children/{child.pk}/")
    page.wait_for_selector("h1:has-text('Amara Okafor')")
    _accessible(page)

    # The chronology tells the whole story, and can be filtered.
    timeline = page.locator(".moj-timeline").inner_text()
    for event in (
        "Contact received",
        "Referral",
        "Assessment signed off",
        "Strategy discussion",
        "Initial child",
        "Child protection plan ended",
        "Child in need plan started",
        "Manager approved: step-down",
        "Manager approved: closure",
        "Case closed",
    ):
        assert event in timeline, event
    page.check("#type-conference")
    page.click("button:has-text('Filter the chronology')")
    page.wait_for_selector("text=2 events, newest first.")
    _accessible(page)
    assert len(PAGES_CHECKED) >= 30
