"""Pre-proceedings to an application in the browser, as a social worker: from the child's record to the
proceedings page → start pre-proceedings → letter before proceedings → an application refused because no family
group decision-making meeting has been offered (Children's Wellbeing and Schools Act 2026 s.1) → the FGDM offer,
accepted and held → a pre-proceedings meeting → the application issued → the 26-week PLO deadline shown with its
rule and source.

Every page is checked with axe-core: no serious or critical violations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings

from e2e.conftest import axe_violations, describe
from e2e.test_journey import _choose, _date, _sign_in
from safehold.core import clock
from safehold.core.testing import allocate, make_child, make_personas
from safehold.proceedings.models import PreProceedings, PreProceedingsMeeting, Proceedings
from safehold.timescales.models import Deadline

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {describe(violations)}"


def _action(page: Any, link: str, heading: str) -> None:
    page.click(f"#proceedings-actions a:has-text('{link}')")
    page.wait_for_selector(f"h1:has-text('{heading}')")
    _accessible(page)


def _save(page: Any, button: str, *, expect: str) -> None:
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector(f".govuk-notification-banner--success:has-text('{expect}')")
    page.wait_for_selector("h1:has-text('Pre-proceedings and care proceedings')")
    _accessible(page)


def _refused(page: Any, button: str, message: str) -> None:
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector(f'.govuk-error-summary:has-text("{message}")')
    assert page.title().startswith("Error: ")
    _accessible(page)


def _application(page: Any, issued: dt.date) -> None:
    _choose(page, "Order applied for", "Care order (Children Act 1989, section 31)")
    _date(page, "issued_on", issued)
    page.get_by_label("Court", exact=True).fill("Family Court at Leeds")


def test_pre_proceedings_reach_an_application_with_the_fgdm_offer_recorded(page: Any, live_server: Any) -> None:
    today = clock.today()
    assert today >= settings.SAFEHOLD_FGDM_DUTY_FROM, "the FGDM duty must apply to an application issued today"
    personas = make_personas()
    worker = personas.social_worker
    child = make_child(given_name="Kai", family_name="Osei")
    allocate(child, worker)
    started = today - dt.timedelta(days=42)
    _sign_in(page, worker)

    page.goto(f"/children/{child.pk}/")
    page.click("#record-sections a:has-text('Pre-proceedings and care proceedings')")
    page.wait_for_selector("h1:has-text('Pre-proceedings and care proceedings')")
    _accessible(page)

    _action(page, "Start pre-proceedings", "Start pre-proceedings")
    _date(page, "started_on", started)
    _save(page, "Start pre-proceedings", expect="Pre-proceedings started")

    _action(page, "Record the letter before proceedings", "Record the letter before proceedings")
    assert "must include the offer of a family group decision-making meeting" in page.inner_text("main")
    _date(page, "sent_on", started + dt.timedelta(days=2))
    _save(page, "Save letter", expect="Letter before proceedings recorded")
    assert "Sent" in page.inner_text("#letter")

    # Applying before any FGDM offer is refused in plain English, and writes nothing.
    _action(page, "Record the application to the court", "Record the application to the court")
    _application(page, today - dt.timedelta(days=1))
    _refused(page, "Save application", "must offer the family a family group decision-making meeting")
    assert Proceedings.objects.count() == 0

    page.click("a.govuk-back-link")
    page.wait_for_selector("h1:has-text('Pre-proceedings and care proceedings')")
    _action(page, "Record the family group decision-making meeting offer", "Family group decision-making meeting")
    _date(page, "offered_on", started + dt.timedelta(days=2))
    _choose(page, "What did the family say?", "Accepted by a parent or someone with parental responsibility")
    _save(page, "Save", expect="Family group decision-making offer recorded")

    # Accepted but not yet held: still refused, for that reason.
    _action(page, "Record the application to the court", "Record the application to the court")
    _application(page, today - dt.timedelta(days=1))
    _refused(page, "Save application", "must be held before the application")
    assert Proceedings.objects.count() == 0

    page.click("a.govuk-back-link")
    page.wait_for_selector("h1:has-text('Pre-proceedings and care proceedings')")
    _action(page, "Record the family group decision-making meeting offer", "Family group decision-making meeting")
    _date(page, "held_on", started + dt.timedelta(days=16))
    _save(page, "Save", expect="Family group decision-making offer recorded")
    assert "held" in page.inner_text("#fgdm")

    _action(page, "Record a pre-proceedings meeting", "Record a pre-proceedings meeting")
    _choose(page, "Which meeting?", "Pre-proceedings meeting")
    _date(page, "held_on", started + dt.timedelta(days=7))
    _date(page, "next_review_on", started + dt.timedelta(days=35))
    page.get_by_label("What was agreed with the family (optional)", exact=True).fill("Safety plan with grandmother")
    _save(page, "Save meeting", expect="Meeting recorded")
    assert PreProceedingsMeeting.objects.filter(pre_proceedings__child=child).count() == 1

    issued = today - dt.timedelta(days=1)
    _action(page, "Record the application to the court", "Record the application to the court")
    assert page.locator("#due-heading").count() == 1  # the form says what is due and why
    _application(page, issued)
    _save(page, "Save application", expect="Application recorded")

    proceedings = Proceedings.objects.get(child=child)
    pp = PreProceedings.objects.get(child=child)
    assert proceedings.pre_proceedings_id == pp.pk
    assert (pp.fgdm_response, pp.decision) == ("accepted", "issue")
    due = issued + dt.timedelta(days=181)  # 26 weeks beginning with the day of issue
    stored = Deadline.objects.get(child=child, rule_code="plo_proceedings")
    assert (stored.due_date, stored.state) == (due, "due")
    deadline = page.inner_text("#plo-deadline")
    assert f"To be decided by {due.day} {due:%B %Y}" in deadline
    assert "Week 1 of 26" in deadline
    assert "s.32(1)(a)(ii)" in deadline

    # The child's record lists the PLO deadline among the open deadlines.
    page.goto(f"/children/{child.pk}/")
    page.wait_for_selector("#deadlines")
    _accessible(page)
    assert "Care proceedings disposed of" in page.inner_text("main")
