"""Leaving care and missing episodes in the browser, as a social worker.

* Leaving care into a pathway plan: a 17-year-old's period of care started and ended through the pages → the
  leaving-care page derives "Relevant" from the care history and says why → a personal adviser allocated → the
  pathway plan recorded → its 6-monthly review clock runs (timescales engine) → contact recorded (SSDA903 OC3).
* A missing episode: missing → returned → the independent return home interview offered within 72 hours of the
  return (the ``rhi`` clock met on time) with its outcome.

Every page is checked with axe-core: no serious or critical violations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from e2e.conftest import axe_violations, describe
from e2e.test_journey import _choose, _date, _sign_in
from safehold.core import clock
from safehold.core.testing import allocate, make_child, make_personas
from safehold.looked_after.models import CareLeaver, CareLeaverContact, MissingEpisode, PathwayPlanReview, PeriodOfCare
from safehold.timescales.domain.periods import add_months
from safehold.timescales.models import Deadline

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {describe(violations)}"


def _open(page: Any, url: str, heading: str) -> None:
    page.goto(url)
    page.wait_for_selector(f'h1:has-text("{heading}")')
    _accessible(page)


def _save(page: Any, button: str, *, expect: str) -> None:
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector(f".govuk-notification-banner--success:has-text('{expect}')")
    _accessible(page)


def _refused(page: Any, button: str, message: str) -> None:
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector(f'.govuk-error-summary:has-text("{message}")')
    assert page.title().startswith("Error: ")
    _accessible(page)


def test_a_young_person_leaves_care_into_a_pathway_plan(page: Any, live_server: Any) -> None:
    personas = make_personas()
    worker = personas.social_worker
    today = clock.today()
    dob = today.replace(year=today.year - 17) - dt.timedelta(days=60)
    child = make_child(given_name="Leah", family_name="Burrows", date_of_birth=dob)
    allocate(child, worker)
    base = f"/care/children/{child.pk}/"
    _sign_in(page, worker)

    _open(page, base + "start/", "Start a period of care")
    _date(page, "start_date", today - dt.timedelta(days=200))
    page.get_by_label("Legal status", exact=True).select_option("C2")
    page.get_by_label("Category of need", exact=True).select_option("N1")
    page.get_by_label("Placement type", exact=True).select_option("U3")
    page.get_by_label("Placement provider", exact=True).select_option("PR1")
    _save(page, "Start period of care", expect="Period of care started")

    _open(page, base + "end/", "End the period of care")
    _date(page, "end_date", today - dt.timedelta(days=7))
    page.get_by_label("Reason the child ceased to be looked after", exact=True).select_option("E8")
    _save(page, "End period of care", expect="Period of care ended")
    assert PeriodOfCare.objects.get(child=child).end_date == today - dt.timedelta(days=7)

    _open(page, base, "Care, private fostering and missing")
    page.click("#care-actions a:has-text('Leaving care: eligibility and personal adviser')")
    page.wait_for_selector("h1:has-text('Leaving care: eligibility and personal adviser')")
    _accessible(page)
    lead = page.inner_text("main")
    assert "Eligibility category: Relevant" in lead and "CA89 s.23A" in lead
    page.get_by_label("Personal adviser", exact=True).select_option(str(worker.staff.pk))
    _choose(page, "Is the young person Staying Put with their former foster carer?", "Yes")
    _refused(page, "Save", "Staying Put is for a former relevant young person aged 18 or over")
    assert not CareLeaver.objects.filter(child=child).exists()
    _choose(page, "Is the young person Staying Put with their former foster carer?", "No")
    _save(page, "Save", expect="Leaving-care status saved")
    leaver = CareLeaver.objects.get(child=child)
    assert (leaver.eligibility, leaver.personal_adviser_id) == ("relevant", worker.staff.pk)
    child.refresh_from_db()
    assert child.care_experienced

    _open(page, base, "Care, private fostering and missing")
    page.click("#care-actions a:has-text('Record a pathway plan or review')")
    page.wait_for_selector("h1:has-text('Record a pathway plan or review')")
    _accessible(page)
    _date(page, "held_on", today + dt.timedelta(days=2))
    _refused(page, "Save", "cannot be in the future")
    _date(page, "held_on", today)
    _save(page, "Save", expect="Pathway plan recorded")
    assert list(PathwayPlanReview.objects.filter(child=child).values_list("held_on", flat=True)) == [today]
    review = Deadline.objects.get(child=child, rule_code="pathway_plan_review")
    assert (review.start_date, review.due_date, review.met_on) == (today, add_months(today, 6), None)

    _open(page, base + "leaving-care/contacts/new/", "Record contact with a care leaver")
    _choose(page, "Is the council in touch with the young person?", "In touch (YES)")
    page.get_by_label("Main activity", exact=True).select_option("F2")
    page.get_by_label("Accommodation and whether it is suitable", exact=True).select_option("K1")
    _save(page, "Save contact", expect="Contact recorded")
    assert CareLeaverContact.objects.filter(child=child, contacted_on=today).exists()

    page.goto(f"/children/{child.pk}/")
    page.wait_for_selector("#deadlines")
    _accessible(page)
    assert "Pathway plan review" in page.inner_text("main")


def test_a_missing_episode_with_its_return_home_interview_offered_within_72_hours(page: Any, live_server: Any) -> None:
    personas = make_personas()
    worker = personas.social_worker
    child = make_child(given_name="Reece", family_name="Hollis", date_of_birth=dt.date(2011, 5, 4))
    allocate(child, worker)
    today = clock.today()
    went, back, offered = today - dt.timedelta(days=4), today - dt.timedelta(days=3), today - dt.timedelta(days=1)
    base = f"/care/children/{child.pk}/"
    _sign_in(page, worker)

    _open(page, base + "missing/new/", "Record a missing or away episode")
    _choose(page, "Was the child missing or away?", "Missing (whereabouts unknown) (M)")
    _date(page, "started_on", went)
    page.get_by_label("Time the child went missing", exact=True).fill("25:00")
    _refused(page, "Save episode", "Enter the time as hours and minutes")
    assert not MissingEpisode.objects.exists()
    page.get_by_label("Time the child went missing", exact=True).fill("21:30")
    _save(page, "Save episode", expect="Missing episode recorded")
    episode = MissingEpisode.objects.get(child=child)

    _open(page, base, "Care, private fostering and missing")
    page.click('#care-actions a:has-text("Record the child\'s return")')
    page.wait_for_selector('h1:has-text("Record the child\'s return")')
    _accessible(page)
    _date(page, "returned_on", back)
    page.get_by_label("Time the child returned", exact=True).fill("10:15")
    _save(page, "Save return", expect="Return recorded")
    rhi = Deadline.objects.get(child=child, rule_code="rhi")
    returned = timezone.make_aware(dt.datetime.combine(back, dt.time(10, 15)))
    assert rhi.due_at == returned + dt.timedelta(hours=72) and rhi.met_on is None

    _open(page, base, "Care, private fostering and missing")
    page.click("#care-actions a:has-text('Record the return home interview')")
    page.wait_for_selector("h1:has-text('Record the return home interview')")
    _accessible(page)
    assert "Independent return home interview offered" in page.inner_text("#due-heading >> xpath=..")
    _date(page, "offered_on", offered)
    page.get_by_label("Time it was offered", exact=True).fill("09:00")
    _choose(page, "Did the child accept the interview?", "Yes")
    page.get_by_label("Outcome: what the child said, risks and actions", exact=True).fill(
        "Stayed with an older friend; referred for an exploitation screening"
    )
    _save(page, "Save interview", expect="Return home interview recorded")
    episode.refresh_from_db()
    assert episode.rhi_at == timezone.make_aware(dt.datetime.combine(offered, dt.time(9, 0)))
    rhi = Deadline.objects.get(child=child, rule_code="rhi")  # the engine rewrites the child's deadline rows
    assert rhi.met_on == offered and rhi.state == "met_on_time"
