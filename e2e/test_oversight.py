"""A team manager records a supervision with a child's discussion; a director reads the dashboard and drills
down to a worker's named children — every page accessible (axe: no serious or critical violations)."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.test_inspection import assert_accessible, sign_in
from safehold.core import clock
from safehold.core.testing import allocate, make_child, make_personas
from safehold.oversight.models import SupervisionAction

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("safehold.oversight.tests.urls"),
]


def test_supervision_and_dashboard(page: Any, browser: Any, live_server: Any) -> None:
    personas = make_personas()
    child = make_child(given_name="Supervised", family_name="Child")
    allocate(child, personas.social_worker)
    today = clock.today()

    sign_in(page, personas.team_manager)
    page.goto("/oversight/supervision/new/")
    page.click("button:has-text('Save and discuss children')")
    page.wait_for_selector(".govuk-error-summary")
    assert_accessible(page)
    page.select_option("#id_worker", str(personas.social_worker.staff.pk))
    page.fill("#id_held_on", str(today.day))
    page.fill("#id_held_on_month", str(today.month))
    page.fill("#id_held_on_year", str(today.year))
    page.click("button:has-text('Save and discuss children')")
    page.wait_for_selector("h1:has-text('Supervision of')")
    page.select_option("#id_child", str(child.pk))
    page.fill("#id_discussion", "School attendance and contact with father")
    page.fill("#id_decision", "Continue the plan")
    page.fill("#id_impact_analysis", "Attendance up from 70% to 90%: the plan is working")
    page.fill("#id_action", "Arrange a school meeting")
    page.select_option("#id_action_owner", str(personas.social_worker.staff.pk))
    page.fill("#id_action_due", str(today.day))
    page.fill("#id_action_due_month", str(today.month))
    page.fill("#id_action_due_year", str(today.year))
    page.click("button:has-text('Save discussion')")
    page.wait_for_selector("h3:has-text('Supervised Child')")
    assert_accessible(page)
    assert SupervisionAction.objects.count() == 1

    context = browser.new_context(base_url=live_server.url)
    director = context.new_page()
    sign_in(director, personas.director)
    director.goto("/oversight/")
    director.wait_for_selector("h1:has-text('Leadership dashboard')")
    assert_accessible(director)
    director.goto(f"/oversight/?level=worker&key={personas.social_worker.staff.pk}")
    director.click("a:has-text('Named children')")
    director.wait_for_selector("a:has-text('Supervised Child')")
    assert_accessible(director)
    director.goto("/oversight/indicators/assessments_45wd/")
    director.wait_for_selector("svg")
    assert_accessible(director)
    context.close()
