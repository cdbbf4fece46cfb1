"""Annex A as a background job: requested, run for real by the worker's code, with its progress list by list; the
command line's files byte for byte; a failing job shows failed, never a 500."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db.models.signals import post_save
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safehold.accounts.testing import sign_in
from safehold.audit.models import AuditEvent
from safehold.core.jobs import run_queued_tasks
from safehold.core.services import service
from safehold.inspection import services
from safehold.inspection.models import AnnexAExport
from safehold.inspection.tests.fixtures import AS_OF, NOW, build_borough

pytestmark = pytest.mark.django_db


@pytest.fixture
def borough(personas: Any) -> Any:
    with time_machine.travel(NOW, tick=False):
        yield build_borough(personas.social_worker)


def test_the_job_writes_the_command_lines_files(personas: Any, borough: Any, tmp_path: Path) -> None:
    with time_machine.travel(NOW, tick=False):
        export = services.annex_a_export_request(actor=personas.analyst, as_of=AS_OF)
        assert DBTaskResult.objects.get(pk=export.task_id).task_path == "safehold.inspection.tasks.generate_annex_a"
        assert run_queued_tasks() == 1
        call_command("annex_a", "--as-of", AS_OF.isoformat(), "--out", str(tmp_path), stdout=io.StringIO())
    export.refresh_from_db()
    assert export.status == "ready"
    assert DBTaskResult.objects.get(pk=export.task_id).status == TaskResultStatus.SUCCESSFUL
    assert bytes(export.workbook or b"") == (tmp_path / "Annex_A_2026_03_31.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(bytes(export.csv_zip or b""))) as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    assert zipped == {p.name: p.read_bytes() for p in tmp_path.glob("*.csv")}
    assert len(zipped) == 11


def test_progress_goes_list_by_list(personas: Any, borough: Any) -> None:
    seen: list[tuple[str, int, str]] = []

    def record(sender: Any, instance: AnnexAExport, **kwargs: Any) -> None:
        seen.append((instance.status, instance.progress_done, instance.progress_label))

    with time_machine.travel(NOW, tick=False):
        export = services.annex_a_export_request(actor=personas.analyst, as_of=AS_OF)
        assert (export.status, export.progress_total) == ("pending", 14)
        post_save.connect(record, sender=AnnexAExport)
        try:
            run_queued_tasks()
        finally:
            post_save.disconnect(record, sender=AnnexAExport)
    assert seen == [
        ("running", 0, "Reading the record"),
        *[("running", n, f"List {n} of 11") for n in range(1, 12)],
        ("running", 12, "Writing the workbook"),
        ("running", 13, "Writing the CSV files"),
        ("ready", 14, "Done"),
    ]
    actions = AuditEvent.objects.filter(object_id=str(export.pk), action__startswith="annex_a.").order_by("id")
    assert list(actions.values_list("action", flat=True)) == [
        "annex_a.requested",
        "annex_a.started",
        "annex_a.generated",
    ]


def test_the_page_shows_progress_while_running(personas: Any) -> None:
    """Caught mid-run (a progress step recorded, the rest not yet): status Running, "List 6 of 11", a progress
    bar, and the page reloads itself until the job ends."""
    with time_machine.travel(NOW, tick=False):
        export = services.annex_a_export_request(actor=personas.analyst, as_of=AS_OF)
        export = services.annex_a_export_start(export=export)
        services.annex_a_export_progress(export=export, done=6, label="List 6 of 11")
        client = sign_in(Client(), personas.analyst)
        page = client.get(f"/inspection/annex-a/{export.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and page["Refresh"] == "3"
    assert (
        "Running" in body
        and "Step 6 of 14: List 6 of 11" in body
        and '<progress id="job-progress" max="14" value="6"' in body
    )
    assert "Stop updating this page" in body and "Download workbook" not in body


@service
def _corrupt(export: AnnexAExport, **changes: Any) -> None:
    """An export the code cannot generate (here a date no calendar arithmetic can go 6 months back from), written
    in a service like every other write."""
    for name, value in changes.items():
        setattr(export, name, value)
    export.save()


def test_a_failing_export_shows_failed_not_a_500(personas: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        export = services.annex_a_export_request(actor=personas.analyst, as_of=AS_OF)
        _corrupt(export, as_of=dt.date(1, 1, 1))
        run_queued_tasks()
        export.refresh_from_db()
        client = sign_in(Client(), personas.analyst)
        page = client.get(f"/inspection/annex-a/{export.pk}/")
        listing = client.get("/inspection/annex-a/")
        download = client.get(f"/inspection/annex-a/{export.pk}/download.xlsx")
    assert export.status == "failed" and "The error has been logged" in export.error
    assert DBTaskResult.objects.get(pk=export.task_id).status == TaskResultStatus.FAILED
    assert page.status_code == 200 and not page.has_header("Refresh")
    assert "The job failed" in page.content.decode() and "Download workbook" not in page.content.decode()
    assert listing.status_code == 200 and "Failed" in listing.content.decode()
    assert download.status_code == 404
