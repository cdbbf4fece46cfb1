"""A partner agency (the police) signs in and refers a concern through the GOV.UK form; the front door decides on
the contact; the partner then sees the decision and its date — and nothing else of the child's record. Every page
accessible (axe: no serious or critical violations)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from e2e.test_inspection import assert_accessible, sign_in
from safehold.api.models import PartnerReferral
from safehold.casework.models import Contact
from safehold.core import clock
from safehold.core.testing import allocate, make_child, make_personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DECISION_REASON = "Family known to the front door; mother engaging with support"


def test_partner_refers_and_sees_only_the_decision(page: Any, browser: Any, live_server: Any) -> None:
    personas = make_personas()
    child = make_child(given_name="Amy", family_name="Known", date_of_birth=dt.date(2015, 3, 14))
    allocate(child, personas.social_worker)

    # The partner: the form (empty first: the error summary, nothing written), then the acknowledgement.
    sign_in(page, personas.partner)
    page.goto("/api/partner/refer/")
    page.wait_for_selector("h1:has-text('Refer a concern about a child')")
    assert_accessible(page)
    page.click("button:has-text('Send referral')")
    page.wait_for_selector(".govuk-error-summary")
    assert_accessible(page)
    assert Contact.objects.count() == 0 and PartnerReferral.objects.count() == 0
    page.fill("#id_given_name", "Amy")
    page.fill("#id_family_name", "Known")
    page.fill("#id_date_of_birth", "14")
    page.fill("#id_date_of_birth_month", "3")
    page.fill("#id_date_of_birth_year", "2015")
    page.select_option("#id_source", "6")
    page.fill("#id_referrer_name", "PC Jones, 0101 555 0101")
    page.fill("#id_summary", "Found alone at the station late at night")
    page.click("button:has-text('Send referral')")
    page.wait_for_selector("h1:has-text('Referral received')")
    assert "Not yet decided" in page.inner_text("main")
    assert_accessible(page)
    referral = PartnerReferral.objects.get()
    assert referral.contact is not None and referral.contact.child_id == child.pk
    acknowledgement = page.url

    # The front door (the team manager) decides on the contact from the child's record.
    context = browser.new_context(base_url=live_server.url)
    manager = context.new_page()
    sign_in(manager, personas.team_manager)
    manager.goto(f"/children/{child.pk}/")
    manager.click("#actions a:has-text('Decide on the contact')")
    manager.wait_for_selector("h1:has-text('Decide on the contact')")
    assert_accessible(manager)
    manager.get_by_role("group", name="Which threshold level does the child's need meet?").get_by_label(
        "Level 2", exact=False
    ).first.check()
    manager.get_by_role("group", name="Decision").get_by_label("Information and advice", exact=True).check()
    manager.get_by_label("Reasons for the decision against the threshold levels", exact=True).fill(DECISION_REASON)
    manager.click("button:has-text('Save decision')")
    manager.wait_for_selector(".govuk-notification-banner--success:has-text('Decision recorded')")
    context.close()

    # The partner sees the decision and its date, and nothing else of the record.
    page.goto(acknowledgement)
    page.wait_for_selector("h1:has-text('Referral received')")
    text = page.inner_text("main")
    assert "Information and advice" in text
    assert f"{clock.today():%-d %B %Y}" in text
    for private in (DECISION_REASON, "Amy", "Known", "Found alone", "Level 2", child.la_child_id or "-"):
        assert private not in text
    assert_accessible(page)
    page.click("a:has-text('Your referrals')")
    page.wait_for_selector(f"text={referral.short_reference}")
    listing = page.inner_text("main")
    assert "Information and advice" in listing and "Amy" not in listing and DECISION_REASON not in listing
    assert_accessible(page)
    assert page.goto(f"/children/{child.pk}/").status == 404
