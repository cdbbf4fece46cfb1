"""Children in care and private fostering in the browser, as a social worker: start a period of care →
review → statutory visit → placement change; a private fostering notification → visit → a suitability
assessment refused until the trafficking question (and the rest) is answered → completed.

Every page is checked with axe-core: no serious or critical violations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from e2e.conftest import axe_violations, describe
from e2e.test_journey import _choose, _date, _sign_in
from safehold.casework.models import Visit
from safehold.core import clock
from safehold.core.testing import allocate, make_child, make_personas
from safehold.looked_after.models import CareEpisode, LACReview, PrivateFostering

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {describe(violations)}"


def _open(page: Any, url: str, heading: str) -> None:
    page.goto(url)
    page.wait_for_selector(f"h1:has-text('{heading}')")
    assert page.locator("#due-heading").count() == 1  # every form says what is due and why
    _accessible(page)


def _save(page: Any, button: str, *, expect: str) -> None:
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector(f".govuk-notification-banner--success:has-text('{expect}')")
    _accessible(page)


def _refused(page: Any, button: str, message: str) -> None:
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector(f".govuk-error-summary:has-text(\"{message}\")")
    assert page.title().startswith("Error: ")
    _accessible(page)


def test_child_enters_care_review_visit_and_placement_change(page: Any, live_server: Any) -> None:
    personas = make_personas()
    worker = personas.social_worker
    child = make_child(given_name="Jade", family_name="Mensah")
    allocate(child, worker)
    today = clock.today()
    base = f"/care/children/{child.pk}/"
    _sign_in(page, worker)

    _open(page, base + "start/", "Start a period of care")
    _refused(page, "Start period of care", "Select the legal status")
    assert CareEpisode.objects.count() == 0
    _date(page, "start_date", today - dt.timedelta(days=30))
    page.get_by_label("Legal status", exact=True).select_option("C1")
    page.get_by_label("Category of need", exact=True).select_option("N1")
    page.get_by_label("Placement type", exact=True).select_option("U6")
    page.get_by_label("Placement provider", exact=True).select_option("PR1")
    _save(page, "Start period of care", expect="Period of care started")

    _open(page, base + "reviews/new/", "Record a looked-after child review")
    _choose(page, "How did the child take part?", "Attends and speaks for themselves (PN1)")
    page.get_by_label("Decisions and recommendations (optional)", exact=True).fill("Placement to continue")
    _save(page, "Save review", expect="Review recorded")
    assert LACReview.objects.get(child=child).participation == "PN1"

    _open(page, base + "visits/new/", "Record a statutory visit")
    _choose(page, "Was the child seen?", "Yes")
    _choose(page, "Was the child seen alone?", "Yes")
    _choose(page, "Is the placement stable?", "Yes")
    _save(page, "Save visit", expect="Visit recorded")
    assert Visit.objects.get(child=child).visit_type == "cla"

    _open(page, base + "placement/", "Change placement")
    page.get_by_label("Placement type", exact=True).select_option("K2")
    _choose(page, "Reason for the change of placement", "Child requests placement end")
    _choose(page, "Is the child staying with the same carer?", "No")
    _refused(page, "Save placement change", "Select the placement provider")
    page.get_by_label("Placement provider", exact=True).select_option("PR4")
    _save(page, "Save placement change", expect="Placement changed")
    rows = list(CareEpisode.objects.filter(child=child).order_by("start_date").values_list(
        "reason_new_episode", "placement_type", "reason_ceased", "reason_place_change"))
    assert rows == [("S", "U6", "X1", "CHILD"), ("P", "K2", "", "")]

    page.goto(base)
    page.wait_for_selector("h1:has-text('Care, private fostering and missing')")
    _accessible(page)
    assert "Children's home (K2)" in page.inner_text("#looked-after-summary")


def test_private_fostering_assessment_is_refused_until_the_trafficking_question_is_answered(
    page: Any, live_server: Any
) -> None:
    personas = make_personas()
    worker = personas.social_worker
    child = make_child(given_name="Ines", family_name="Duarte", date_of_birth=dt.date(2012, 4, 1))
    allocate(child, worker)
    today = clock.today()
    base = f"/care/children/{child.pk}/"
    _sign_in(page, worker)

    _open(page, base + "private-fostering/new/", "Record a private fostering notification")
    _date(page, "notified_on", today - dt.timedelta(days=10))
    page.get_by_label("Private foster carer's first name", exact=True).fill("Maria")
    page.get_by_label("Private foster carer's last name", exact=True).fill("Costa")
    _save(page, "Save notification", expect="Private fostering notification recorded")
    pf = PrivateFostering.objects.get(child=child)

    _open(page, base + f"private-fostering/{pf.pk}/visits/new/", "Record a private fostering visit")
    _choose(page, "Was the child seen?", "Yes")
    _choose(page, "Was the child seen alone?", "Yes")
    _save(page, "Save visit", expect="Visit recorded")

    assessment = base + f"private-fostering/{pf.pk}/assessment/"
    _open(page, assessment, "Complete the suitability assessment")
    _choose(page, "Decision on the arrangement", "Arrangement suitable")
    _refused(page, "Complete assessment", "Answer whether there are concerns that the child has been trafficked")
    pf.refresh_from_db()
    assert pf.assessment_completed_on is None

    _open(page, base + f"private-fostering/{pf.pk}/questions/", "Safeguarding questions for the arrangement")
    for question in (
        "Has the possibility that the child has been trafficked been considered?",
        "Are there concerns that the child has been trafficked?",
        "Are there concerns that the child has been abandoned?",
        "Have the child's parents been contacted?",
        "Have the checks on the carer and their household been done?",
    ):
        _choose(page, question, "Yes" if "concerns" not in question else "No")
    page.get_by_label("The child's own views about the arrangement", exact=True).fill("Happy; sees mum weekly")
    _save(page, "Save answers", expect="Answers saved")

    _open(page, assessment, "Complete the suitability assessment")
    _choose(page, "Decision on the arrangement", "Arrangement suitable")
    _save(page, "Complete assessment", expect="Assessment completed")
    pf.refresh_from_db()
    assert (pf.assessment_completed_on, pf.trafficking_concern, pf.decision) == (today, "no", "suitable")
