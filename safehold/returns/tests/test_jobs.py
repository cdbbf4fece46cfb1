"""Return jobs: requested on the page (or by a service), run for real by the background worker's code, producing
the command line's file byte for byte and the command line's failures, shown per child and per rule."""

from __future__ import annotations

import datetime as dt
import io
import signal
import zipfile
from collections.abc import Iterator
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
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.casework import services as cw
from safehold.core.exceptions import ValidationFailed
from safehold.core.jobs import run_queued_tasks
from safehold.core.services import service
from safehold.core.testing import make_child
from safehold.people.models import Person
from safehold.returns import services
from safehold.returns.models import JobStatus, ReturnFailure, ReturnJob
from safehold.returns.ssda903.domain import synthetic, write_csv
from safehold.returns.ssda903.services import ssda903_import
from safehold.returns.tests.test_cin_export_import import build_record

pytestmark = pytest.mark.django_db
D = dt.date
NOW = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def cin_record() -> dict[str, Person]:
    """build_record's children (queries 2887Q for the return and 8770Q for B1) plus G1, worked out by hand: born
    2012 (school age) with no UPN (8770Q), no disability recorded on a referral going on to further action (8540,
    an error), and an assessment started on 22 April 2025, more than 45 working days before 31 March 2026 and not
    completed (8670Q)."""
    kids = build_record()
    g = make_child(la_child_id="G1", given_name="Gina", family_name="Gap", date_of_birth=D(2012, 1, 1))
    episode = cw.referral_create(actor=None, child=g, referral_date=D(2025, 4, 20), source="2A", primary_need="N1")
    cw.assessment_start(actor=None, episode=episode, start_date=D(2025, 4, 22))
    kids["G"] = g
    return kids


def _cli_failures(capsys: pytest.CaptureFixture[str], *argv: str) -> set[tuple[str, str]]:
    capsys.readouterr()
    call_command("returns", "validate", *argv)
    lines = capsys.readouterr().out.splitlines()[:-1]
    return {(line.split("\t")[0], line.split("\t")[1]) for line in lines}


def _job_failures(job: ReturnJob) -> set[tuple[str, str]]:
    return set(ReturnFailure.objects.filter(job=job).values_list("rule_code", "child_ref"))


def test_cin_job_gives_the_command_line_file_and_failures(
    personas: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cin_record()
    job = services.return_job_request(actor=personas.analyst, kind="cin", year=2026)
    assert job.status == JobStatus.QUEUED and job.progress_total == 3
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.READY and task.task_path == "safehold.returns.tasks.run_return_job"

    assert run_queued_tasks() == 1
    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == JobStatus.READY and task.status == TaskResultStatus.SUCCESSFUL
    assert (job.progress_done, job.progress_total, job.progress_label) == (3, 3, "Done")

    out = tmp_path / "cin.xml"
    call_command("returns", "export", "cin", "--year", "2026", "--out", str(out))
    assert bytes(job.file or b"") == out.read_bytes()
    assert job.file_name == "cin_census_2025_26.xml" and job.content_type == "application/xml"
    expected = {("2887Q", ""), ("8770Q", "B1"), ("8540", "G1"), ("8670Q", "G1"), ("8770Q", "G1")}
    assert _cli_failures(capsys, "cin", str(out)) == expected == _job_failures(job)
    assert (job.errors, job.queries, job.children) == (1, 4, 5)
    g1 = ReturnFailure.objects.get(job=job, rule_code="8540")
    assert g1.child_id == Person.objects.get(la_child_id="G1").pk and not g1.is_query
    assert ReturnFailure.objects.get(job=job, rule_code="8670Q", child_ref="G1").is_query
    assert len(job.child_ids) == 5


def test_903_job_gives_the_command_line_tables_zipped(
    personas: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ret = synthetic.clean_return(12, seed=4, year=2026)
    ssda903_import(actor=None, files={n: t.encode() for n, t in write_csv(ret).items()})
    job = services.return_job_request(actor=personas.director, kind="903", year=2026)
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == JobStatus.READY, job.error
    out, previous = tmp_path / "903", tmp_path / "903_previous"
    call_command("returns", "export", "903", "--year", "2026", "--out", str(out))
    call_command("returns", "export", "903", "--year", "2025", "--out", str(previous))
    with zipfile.ZipFile(io.BytesIO(bytes(job.file or b""))) as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    assert zipped == {p.name: p.read_bytes() for p in out.glob("*.csv")}
    assert job.file_name == "ssda903_2025_26.zip" and job.children == 12
    cli = _cli_failures(capsys, "903", str(out), "--previous", str(previous))
    assert _job_failures(job) == cli


def test_progress_and_status_move_in_order(personas: Any) -> None:
    cin_record()
    seen: list[tuple[str, int, str]] = []

    def record(sender: Any, instance: ReturnJob, **kwargs: Any) -> None:
        seen.append((instance.status, instance.progress_done, instance.progress_label))

    job = services.return_job_request(actor=personas.analyst, kind="cin", year=2026)
    post_save.connect(record, sender=ReturnJob)
    try:
        run_queued_tasks()
    finally:
        post_save.disconnect(record, sender=ReturnJob)
    assert seen == [
        ("running", 0, "Starting"),
        ("running", 0, "Reading the record"),
        ("running", 1, "Writing the census XML"),
        ("running", 2, "Checking the file against the CIN census rules"),
        ("ready", 3, "Done"),
    ]
    actions = list(
        AuditEvent.objects.filter(object_id=str(job.pk), action__startswith="return_job.")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions == ["return_job.requested", "return_job.started", "return_job.ready"]
    with pytest.raises(ValidationFailed, match="already ended"):
        services.return_job_start(job=job)


@pytest.mark.parametrize(
    ("kind", "year", "field", "message"),
    [
        ("cin", 2024, "year", "2024/25 and 2025/26"),
        ("cin", 2027, "year", "2024/25 and 2025/26"),
        ("903", 2025, "year", "2025/26 and 2026/27"),
        ("xyz", 2026, "kind", "Select the return"),
    ],
)
def test_unsupported_requests_are_refused(personas: Any, kind: str, year: int, field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        services.return_job_request(actor=personas.analyst, kind=kind, year=year)
    assert message in excinfo.value.errors[field][0]
    assert not ReturnJob.objects.exists() and not DBTaskResult.objects.exists()


@service
def _corrupt(job: ReturnJob, **changes: Any) -> None:
    """Stand-in for a job the code cannot run (a kind from a later release, a worker that died): written in a
    service like every other write."""
    for name, value in changes.items():
        setattr(job, name, value)
    job.save()


def test_a_failing_job_shows_failed_not_a_500(personas: Any) -> None:
    job = services.return_job_request(actor=personas.analyst, kind="cin", year=2026)
    _corrupt(job, kind="zz")
    run_queued_tasks()
    job.refresh_from_db()
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert job.status == JobStatus.FAILED and "cannot produce a return of kind 'zz'" in job.error
    assert task.status == TaskResultStatus.FAILED and "ValidationFailed" in task.exception_class_path
    client = sign_in(Client(), personas.analyst)
    page = client.get(f"/returns/jobs/{job.pk}/")
    assert page.status_code == 200 and not page.has_header("Refresh")
    body = page.content.decode()
    assert "The job failed" in body and "cannot produce a return" in body
    assert client.get(f"/returns/jobs/{job.pk}/download").status_code == 404
    assert AuditEvent.objects.filter(action="return_job.failed", object_id=str(job.pk)).exists()


def test_a_task_the_worker_failed_shows_failed(personas: Any) -> None:
    """The job says running (its worker stopped mid-run) and the task was then recorded failed: the page says
    failed and stops refreshing."""
    job = services.return_job_request(actor=personas.analyst, kind="cin", year=2026)
    _corrupt(job, status=JobStatus.RUNNING)
    run_queued_tasks()  # the task refuses to start a job that is already running
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    page = sign_in(Client(), personas.analyst).get(f"/returns/jobs/{job.pk}/")
    assert page.status_code == 200 and not page.has_header("Refresh")
    assert "The background worker stopped" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_the_queue(personas: Any) -> None:
    """The real ``manage.py db_worker --batch`` (django-tasks-db) picks the job up. Like the worker in production it
    runs outside any transaction (it checks its connection between tasks), so this test commits for real. Its signal
    handlers are put back afterwards."""
    cin_record()
    job = services.return_job_request(actor=personas.analyst, kind="cin", year=2026)
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    job.refresh_from_db()
    assert job.status == JobStatus.READY and job.errors == 1


# --- pages ---------------------------------------------------------------------------------------------------


def test_analyst_requests_follows_downloads_and_the_download_is_logged(personas: Any) -> None:
    cin_record()
    client = sign_in(Client(), personas.analyst)
    assert client.get("/returns/").status_code == 200
    response = client.post("/returns/", {"kind": "cin", "year": "2026"})
    job = ReturnJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/returns/jobs/{job.pk}/"
    queued = client.get(response["Location"])
    assert queued["Refresh"] == "3" and "Queued" in queued.content.decode()
    assert client.get(f"{response['Location']}?refresh=off").has_header("Refresh") is False
    assert client.get(f"/returns/jobs/{job.pk}/download").status_code == 404
    run_queued_tasks()
    ready = client.get(response["Location"]).content.decode()
    assert "Ready" in ready and "Download cin_census_2025_26.xml" in ready
    assert not AccessEvent.objects.filter(kind="export").exists()
    download = client.get(f"/returns/jobs/{job.pk}/download")
    assert download.status_code == 200 and download["Content-Type"] == "application/xml"
    assert 'filename="cin_census_2025_26.xml"' in download["Content-Disposition"]
    job.refresh_from_db()
    assert download.content == bytes(job.file or b"")
    logged = AccessEvent.objects.filter(kind="export", actor_id=personas.analyst.pk)
    assert set(logged.values_list("child_id", flat=True)) == set(job.child_ids) and logged.count() == 5
    assert set(logged.values_list("path", flat=True)) == {f"/returns/jobs/{job.pk}/download"}


def test_failures_page_groups_by_child_links_records_and_counts_rules(personas: Any) -> None:
    kids = cin_record()
    job = services.return_job_request(actor=personas.analyst, kind="cin", year=2026)
    run_queued_tasks()
    client = sign_in(Client(), personas.analyst)
    page = client.get(f"/returns/jobs/{job.pk}/failures/").content.decode()
    # Counts per rule: 8540 is an error; 8770Q (B1 and G1) a query, counted for two children.
    assert "Errors by rule" in page and "Queries (warnings) by rule" in page
    errors_table = page.split("Errors by rule")[1].split("</table>")[0]
    assert ">8540<" in errors_table and "8770Q" not in errors_table
    queries_table = page.split("Queries (warnings) by rule")[1].split("</table>")[0]
    row_8770 = queries_table.split("8770Q")[2].split("</tr>")[0]
    assert row_8770.count(">2<") == 2  # two failures, two children
    # Grouped per child, linked to the record; the whole return first.
    assert page.index("The return as a whole") < page.index("LA child id B1") < page.index("LA child id G1")
    g1 = next(card for card in page.split('<div class="govuk-summary-card">') if "LA child id G1" in card)
    assert g1.split("<tbody")[1].count('<tr class="govuk-table__row">') == 3 and "Warning" in g1 and "Error" in g1
    assert f'href="/children/{kids["G"].pk}/"' in page and "Gina Gap" in page
    fields = ReturnFailure.objects.get(job=job, rule_code="8540").fields
    assert fields and ", ".join(fields) in g1  # the affected items are named
    viewed = AccessEvent.objects.filter(kind="view", actor_id=personas.analyst.pk)
    assert set(viewed.values_list("child_id", flat=True)) == {kids["B"].pk, kids["G"].pk}
    # One rule only.
    only = client.get(f"/returns/jobs/{job.pk}/failures/?rule=8540").content.decode()
    assert "Children failing rule 8540" in only and "LA child id G1" in only and "LA child id B1" not in only


def test_bad_input_rerenders_with_the_error_summary(personas: Any) -> None:
    client = sign_in(Client(), personas.analyst)
    for data, message in (({}, "Select the return"), ({"kind": "cin", "year": "1999"}, "Select the collection year")):
        response = client.post("/returns/", data)
        assert response.status_code == 200
        body = response.content.decode()
        assert "govuk-error-summary" in body and message in body
    assert not ReturnJob.objects.exists()


@pytest.mark.parametrize("who", ["social_worker", "team_manager", "inspector", "dpo"])
def test_other_roles_get_404(personas: Any, who: str) -> None:
    job = services.return_job_request(actor=personas.analyst, kind="cin", year=2026)
    client = sign_in(Client(), getattr(personas, who))
    for url in ("/returns/", f"/returns/jobs/{job.pk}/", f"/returns/jobs/{job.pk}/failures/"):
        assert client.get(url).status_code == 404, url


def test_a_restricted_record_is_listed_by_its_id_only(personas: Any) -> None:
    """A restricted child's failures are part of the return, but the analyst (who may not open the record) sees
    neither the name nor a link, and no view of that record is logged."""
    cin_record()
    sealed = make_child(la_child_id="H1", given_name="Sealed", family_name="Record", restricted=True)
    episode = cw.referral_create(actor=None, child=sealed, referral_date=D(2025, 6, 2), source="2A", primary_need="N1")
    cw.assessment_start(actor=None, episode=episode, start_date=D(2025, 6, 3))
    job = services.return_job_request(actor=personas.analyst, kind="cin", year=2026)
    run_queued_tasks()
    page = sign_in(Client(), personas.analyst).get(f"/returns/jobs/{job.pk}/failures/").content.decode()
    card = next(c for c in page.split('<div class="govuk-summary-card">') if "LA child id H1" in c)
    assert "a record you may not open" in card and "8540" in card
    assert "Sealed" not in page and f'href="/children/{sealed.pk}/"' not in page
    assert not AccessEvent.objects.filter(child_id=sealed.pk, kind="view").exists()
