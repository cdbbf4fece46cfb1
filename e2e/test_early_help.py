"""Early help in the browser: a contact decided as early help → early help for the family → consent →
assessment → goals and team around the family → review → step-up to a social-care referral whose contact
carries the early help history; and a step-down from a closed child-in-need episode.

Every page on the way is checked with axe-core: no serious or critical violations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from e2e.conftest import axe_violations, describe
from safehold.casework import services as casework
from safehold.casework.models import CINEpisode
from safehold.core import clock
from safehold.core.testing import TEST_PASSWORD, make_child, make_personas
from safehold.early_help import services
from safehold.early_help.models import EarlyHelpEpisode
from safehold.workforce.services import allocation_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES_CHECKED: list[str] = []


def _accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {describe(violations)}"
    PAGES_CHECKED.append(page.url)


def _sign_in(page: Any, user: Any) -> None:
    from safehold.accounts.testing import enrol, totp_now

    device = enrol(user)
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:
        page.fill("#id_token", totp_now(device))
        page.click("button:has-text('Continue')")
    page.wait_for_selector("h1")


def _choose(page: Any, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def _submit(page: Any, button: str, *, expect: str) -> None:
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector(f'.govuk-notification-banner--success:has-text("{expect}")')
    _accessible(page)


def _action(page: Any, link: str, heading: str) -> None:
    page.click(f"#actions a:has-text('{link}')")
    page.wait_for_selector(f'h1:has-text("{heading}")')
    _accessible(page)


def test_contact_to_early_help_to_step_up(page: Any) -> None:
    personas = make_personas()
    worker = personas.social_worker
    child = make_child(given_name="Maya", family_name="Reid")
    today = clock.today()
    allocation_set(actor=None, child=child, team=personas.team, worker=worker.staff,
                   start_date=today - dt.timedelta(days=10))
    contact = casework.contact_record(actor=worker, child=child, source="2A",
                                      received_at=clock.now() - dt.timedelta(days=2),
                                      summary="School: attendance falling, mum asks for help")
    services.organisation_create(actor=None, name="Elm Family Hub", kind="family_hub")
    _sign_in(page, worker)

    # --- Front door: the contact is decided as early help ---------------------------------------------------
    page.goto(f"/children/{child.pk}/contacts/{contact.pk}/decision/")
    _accessible(page)
    _choose(page, "Which threshold level does the child's need meet?", "Level 2 – additional needs (early help)")
    _choose(page, "Decision", "Early help")
    page.get_by_label("Reasons for the decision against the threshold levels", exact=True).fill(
        "Level 2: needs best met by early help with the family's agreement")
    _submit(page, "Save decision", expect="Decision recorded")

    # --- Early help opens for the family ------------------------------------------------------------------
    page.goto(f"/early-help/contacts/{contact.pk}/open/")
    page.wait_for_selector("h1:has-text('Open early help for the family')")
    _accessible(page)
    _submit(page, "Open early help", expect="Early help opened")
    assert page.locator("#limited").count() == 0
    assert "No consent recorded" in page.locator("#consent").inner_text()
    episode = EarlyHelpEpisode.objects.get(contact=contact)

    _action(page, "Record consent", "Record the family's consent")
    page.click("button:has-text('Save consent')")  # empty: the error summary, nothing written
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error: ")
    _accessible(page)
    assert not episode.consents.exists()
    page.get_by_label("Who gave consent", exact=True).fill("Kim Reid (mother)")
    _choose(page, "What the family agreed may be shared", "Sharing with the lead practitioner")
    _choose(page, "What the family agreed may be shared", "Sharing with the team around the family")
    _submit(page, "Save consent", expect="Consent recorded")

    # --- Assessment, goals, team around the family, review -------------------------------------------------
    _action(page, "Start the assessment", "Start the early help assessment")
    assert "Early help assessment completed" not in page.content()  # no clock until it starts
    page.get_by_label("Organisation completing the assessment", exact=True).select_option(label="Elm Family Hub")
    _submit(page, "Start assessment", expect="Early help assessment started")
    assert "Early help assessment completed" in page.locator("aside").inner_text()

    page.click("a:has-text('complete the assessment')")
    page.wait_for_selector("h1:has-text('Complete the early help assessment')")
    _accessible(page)
    page.get_by_label("Needs identified", exact=True).fill("Morning routines; school attendance")
    _submit(page, "Complete assessment", expect="Early help assessment completed")

    _action(page, "Add a family goal", "Add a family goal")
    page.get_by_label("The family's goal, in their words", exact=True).fill("Maya gets to school on time")
    _submit(page, "Add goal", expect="Goal added")

    _action(page, "Add a team member", "Add a member of the team around the family")
    page.get_by_label("Name", exact=True).fill("Mr Shah")
    page.get_by_label("Agency", exact=True).fill("Birch Primary School")
    _submit(page, "Add member", expect="Team member added")
    assert "Mr Shah, Birch Primary School" in page.locator("#taf").inner_text()

    _action(page, "Record a review", "Record a team around the family review")
    page.get_by_label("Progress on: Maya gets to school on time", exact=True).select_option("4")
    _submit(page, "Save review", expect="Review recorded")
    assert "4" in page.locator("#goals").inner_text()

    # --- Step-up: a referral that carries the early help history -------------------------------------------
    _action(page, "Step up to social care", "Step up to children's social care")
    page.get_by_label("Child to refer", exact=True).select_option(label="Maya Reid")
    page.get_by_label("Why the family now needs children's social care", exact=True).fill(
        "Maya disclosed being hit at home")
    _submit(page, "Step up", expect="Stepped up")
    cin = CINEpisode.objects.get(child=child)
    assert cin.referral_source == "5D" and cin.contact is not None
    episode.refresh_from_db()
    assert episode.closure_outcome == "stepped_up" and episode.stepped_up_to == cin

    # The social worker sees the history on the step-up contact.
    page.goto(f"/children/{child.pk}/contacts/{cin.contact.pk}/decision/")
    about = page.locator("dl.govuk-summary-list").inner_text()
    for part in ("Stepped up from early help", "Maya disclosed being hit at home", "Morning routines",
                 "Maya gets to school on time (4/10)", "Mr Shah (Birch Primary School)"):
        assert part in about
    _accessible(page)

    page.goto(f"/early-help/families/{episode.household_id}/")
    _accessible(page)
    assert "Maya Reid" in page.locator("#children").inner_text()
    page.goto("/early-help/")
    _accessible(page)
    assert len(PAGES_CHECKED) >= 15


def test_step_down_from_a_closed_cin_episode(page: Any) -> None:
    personas = make_personas()
    worker = personas.social_worker
    child = make_child(given_name="Leo", family_name="Grant")
    today = clock.today()
    allocation_set(actor=None, child=child, team=personas.team, worker=worker.staff,
                   start_date=today - dt.timedelta(days=60))
    cin = casework.referral_create(actor=worker, child=child, referral_date=today - dt.timedelta(days=50),
                                   source="2A")
    casework.episode_close(actor=worker, episode=cin, expected_version=cin.version,
                           closure_date=today - dt.timedelta(days=1), reason="RC7")
    _sign_in(page, worker)
    page.goto(f"/early-help/children/{child.pk}/step-down/")
    page.wait_for_selector('h1:has-text("Step down to early help")')
    _accessible(page)
    page.click("button:has-text('Step down')")
    page.wait_for_selector(".govuk-error-summary")
    _accessible(page)
    assert not EarlyHelpEpisode.objects.exists()
    page.get_by_label("Step-down summary for the lead practitioner", exact=True).fill(
        "Plan ended; support with routines and school")
    _submit(page, "Step down", expect="Stepped down to early help")
    assert "support with routines" in page.locator("#step-down-summary").inner_text()
    assert EarlyHelpEpisode.objects.get().stepped_down_from == cin
