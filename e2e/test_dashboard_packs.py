"""A director reads every indicator month by month (a chart and its data table each) and drills down the
dashboard from the whole LA, by clicking, to a named child's record; the lead member asks for a month's scrutiny
pack, follows it while it is made and downloads it — every page accessible (axe: no serious or critical
violations)."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.test_inspection import assert_accessible, sign_in
from safehold.core.jobs import run_queued_tasks
from safehold.core.testing import allocate, make_child, make_personas
from safehold.oversight.models import ScrutinyPack
from safehold.workforce.choices import ServiceArea

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("safehold.oversight.tests.urls"),
]


def test_dashboard_drill_down_to_a_child(page: Any) -> None:
    personas = make_personas()
    child = make_child(given_name="Drilled", family_name="Down")
    allocate(child, personas.social_worker)
    sign_in(page, personas.director)
    page.goto("/oversight/")
    page.wait_for_selector("h1:has-text('Leadership dashboard: Whole local authority')")
    page.click("a:has-text('Every indicator month by month')")
    page.wait_for_selector("h1:has-text('Every indicator month by month')")
    charts = page.locator("svg.oversight-chart").count()
    assert charts == page.locator("caption:has-text('Data for the chart')").count() > 10
    assert_accessible(page)
    page.goto("/oversight/")
    page.get_by_role("link", name=str(ServiceArea(personas.team.service_area).label), exact=True).click()
    page.get_by_role("link", name=personas.team.name, exact=True).click()
    page.wait_for_selector(f"h1:has-text('{personas.team.name}')")
    assert_accessible(page)
    page.get_by_role("link", name=personas.social_worker.staff.full_name, exact=True).click()
    page.wait_for_selector(f"h1:has-text('{personas.social_worker.staff.full_name}')")
    page.click("a:has-text('Named children')")
    page.get_by_role("link", name="Drilled Down", exact=True).click()
    page.wait_for_selector("h1:has-text('Drilled Down')")
    assert page.url.endswith(f"/{child.pk}/")
    assert_accessible(page)


def test_councillor_scrutiny_pack(page: Any) -> None:
    personas = make_personas()
    child = make_child(given_name="Quillon", family_name="Vexmoor")
    allocate(child, personas.social_worker)
    sign_in(page, personas.councillor)
    page.goto("/oversight/scrutiny-packs/")
    page.click("button:has-text('Make the pack')")
    page.wait_for_selector(".govuk-error-summary")
    assert_accessible(page)
    page.select_option("#id_month", index=1)
    page.click("button:has-text('Make the pack')")
    page.wait_for_selector("#job-status:has-text('Queued')")
    assert_accessible(page)
    assert run_queued_tasks() == 1
    page.goto(page.url + "?refresh=off")
    page.wait_for_selector("#job-status:has-text('Ready')")
    assert_accessible(page)
    with page.expect_download() as info:
        page.click("a:has-text('Download scrutiny-pack-')")
    html = open(info.value.path(), encoding="utf-8").read()
    pack = ScrutinyPack.objects.get()
    assert info.value.suggested_filename == pack.file_name
    assert "Children's social care scrutiny pack" in html and "@media print" in html
    assert "Quillon" not in html and "Vexmoor" not in html and str(child.la_child_id) not in html
