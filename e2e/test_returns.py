"""A performance analyst produces the CIN census for 2025/26: asks for it, watches the background job (the worker's
step runs here, in the test process, as ``manage.py db_worker`` would), sees the failures child by child with links
to the records, and downloads the file — recorded in the access log. Every page accessible (axe: no serious or
critical violations)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import axe_violations, describe
from e2e.test_inspection import sign_in
from safehold.audit.models import AccessEvent
from safehold.core.jobs import run_queued_tasks
from safehold.core.testing import make_personas
from safehold.returns.models import ReturnJob
from safehold.returns.tests.test_jobs import cin_record

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_analyst_produces_the_cin_census_sees_failures_and_downloads(page: Any, tmp_path: Path) -> None:
    personas = make_personas()
    kids = cin_record()
    sign_in(page, personas.analyst)

    page.goto("/")
    page.click("#navigation a:has-text('Returns')")
    page.wait_for_selector("h1:has-text('Statutory returns')")
    assert_accessible(page)

    page.click("button:has-text('Produce the return')")  # nothing chosen: the error summary, nothing queued
    page.wait_for_selector(".govuk-error-summary")
    assert "Select the return" in page.locator(".govuk-error-summary").inner_text()
    assert not ReturnJob.objects.exists()
    assert_accessible(page)

    page.check("input[name='kind'][value='cin']")
    page.check("input[name='year'][value='2026']")
    page.click("button:has-text('Produce the return')")
    page.wait_for_selector("h1:has-text('CIN census 2025/26')")
    job = ReturnJob.objects.get()
    assert page.locator("#job-status").inner_text().strip() == "Queued"
    assert page.locator("#job-progress").count() == 1
    assert_accessible(page)

    # The worker's step; the page, which reloads itself every few seconds while the job runs, then shows it ready.
    assert run_queued_tasks() == 1
    page.wait_for_selector("a:has-text('Download cin_census_2025_26.xml')", timeout=15000)
    assert page.locator("#job-status").inner_text().strip() == "Ready"
    assert page.locator(".govuk-summary-list__row", has_text="Errors").locator("dd").inner_text().strip() == "1"
    assert_accessible(page)

    page.click("a:has-text('See the failures')")
    page.wait_for_selector("h1:has-text('Failures to fix')")
    card = page.locator(".govuk-summary-card", has_text="LA child id G1")
    assert card.locator("tbody tr").count() == 3
    assert "8540" in card.inner_text() and "Warning" in card.inner_text()
    assert card.locator(f"a[href='/children/{kids['G'].pk}/']").count() == 1
    assert_accessible(page)

    page.click("a:has-text('8540')")  # one rule only
    page.wait_for_selector("h2:has-text('Children failing rule 8540')")
    assert page.locator(".govuk-summary-card").count() == 1
    assert_accessible(page)

    page.goto(f"/returns/jobs/{job.pk}/")
    with page.expect_download() as info:
        page.click("a:has-text('Download cin_census_2025_26.xml')")
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    job.refresh_from_db()
    assert download.suggested_filename == "cin_census_2025_26.xml"
    assert saved.read_bytes() == bytes(job.file or b"")
    logged = AccessEvent.objects.filter(
        kind="export", actor_id=personas.analyst.pk, path=f"/returns/jobs/{job.pk}/download"
    )
    assert set(logged.values_list("child_id", flat=True)) == set(job.child_ids)
    assert logged.count() == len(job.child_ids) == 5
