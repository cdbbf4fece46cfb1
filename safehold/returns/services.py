"""Writes for return jobs. Each is a service: atomic, validated, audited in the same transaction.

:func:`return_job_request` records the job and enqueues its task together; the task
(:func:`safehold.returns.tasks.run_return_job`) calls :func:`return_job_run`, which moves the job through
running (with progress) to ready or failed, one short transaction per step, so the job's page sees it move.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from safehold.audit.services import access_record_many, audit_record
from safehold.core import clock
from safehold.core.auditing import create_audited
from safehold.core.exceptions import SafeholdError, ValidationFailed
from safehold.core.services import service
from safehold.people.models import Person
from safehold.returns import exports
from safehold.returns.models import JobStatus, ReturnFailure, ReturnJob, ReturnKind

logger = logging.getLogger(__name__)

SYSTEM = "background task (returns)"
FAILED_MESSAGE = "Something went wrong while producing the return. The error has been logged"


def current_collection_year() -> int:
    """The collection year under way today: the year in which the next 31 March falls."""
    today = clock.today()
    return today.year + 1 if today.month >= 4 else today.year


def supported_years(kind: str) -> tuple[int, ...]:
    """The collection years Safehold implements for a return, up to the one under way."""
    if kind == ReturnKind.CIN:
        from safehold.returns.cin.domain.rules.base import ALL_YEARS as years
    elif kind == ReturnKind.SSDA903:
        from safehold.returns.ssda903.domain.engine import YEARS as years
    else:
        return ()
    latest = current_collection_year()
    return tuple(sorted(y for y in years if y <= latest))


def year_label(year: int) -> str:
    return f"{year - 1}/{str(year)[2:]}"


def _snapshot(job: ReturnJob) -> dict[str, Any]:
    """What the audit trail keeps of a job: never the file or the list of children."""
    return {
        "kind": job.kind,
        "year": job.year,
        "status": job.status,
        "progress": f"{job.progress_done}/{job.progress_total}",
        "children": job.children,
        "errors": job.errors,
        "queries": job.queries,
        "sha256": job.sha256,
        "seconds": job.seconds,
        "error": job.error,
    }


@service
def return_job_request(*, actor: Any, kind: str, year: int, request_id: str = "") -> ReturnJob:
    """Record a request for a return and enqueue the task that produces it (in the same transaction)."""
    if kind not in ReturnKind.values:
        raise ValidationFailed({"kind": ["Select the return"]})
    years = supported_years(kind)
    if year not in years:
        offered = " and ".join(year_label(y) for y in years)
        raise ValidationFailed(
            {"year": [f"The {ReturnKind(kind).label} can be produced for the collection years {offered}"]}
        )
    job = ReturnJob(
        kind=kind,
        year=year,
        requested_by=actor,
        progress_total=exports.STEPS[kind],
        progress_label="Waiting for the background worker",
    )
    create_audited(job, actor=actor, action="return_job.requested", child_id=None, request_id=request_id)
    from safehold.returns.tasks import run_return_job

    result = run_return_job.enqueue(job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id", "updated_at"])
    return job


@service
def return_job_start(*, job: ReturnJob) -> ReturnJob:
    job = ReturnJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.QUEUED:
        raise ValidationFailed(f"This job has already {'started' if job.status == JobStatus.RUNNING else 'ended'}")
    job.status = JobStatus.RUNNING
    job.started_at = clock.now()
    job.progress_done = 0
    job.progress_label = "Starting"
    job.save()
    audit_record(actor=SYSTEM, action="return_job.started", instance=job, after=_snapshot(job))
    return job


@service
def return_job_progress(*, job: ReturnJob, done: int, total: int, label: str) -> None:
    """Record how far the job has got (not audited: the start and the outcome are)."""
    job.progress_done, job.progress_total, job.progress_label = done, total, label[:120]
    job.save(update_fields=["progress_done", "progress_total", "progress_label", "updated_at"])


@service
def return_job_finish(*, job: ReturnJob, built: exports.Built, seconds: float) -> ReturnJob:
    """Store the file and the failures, and mark the job ready."""
    refs = set(built.child_refs) | {f.child_ref for f in built.failures if f.child_ref}
    by_ref: dict[str, int] = {}
    ordered = sorted(refs)
    for i in range(0, len(ordered), 900):
        chunk = ordered[i : i + 900]
        for ref, pk in Person.objects.filter(la_child_id__in=chunk).values_list("la_child_id", "pk"):
            if ref:
                by_ref[ref] = pk
    ReturnFailure.objects.bulk_create(
        [
            ReturnFailure(
                job=job,
                rule_code=f.rule_code[:16],
                child_ref=f.child_ref[:64],
                child_id=by_ref.get(f.child_ref),
                message=f.message,
                fields=list(f.fields),
                is_query=f.is_query,
            )
            for f in built.failures
        ],
        batch_size=1000,
    )
    job.file = built.content
    job.file_name = built.file_name
    job.content_type = built.content_type
    job.sha256 = hashlib.sha256(built.content).hexdigest()
    job.child_ids = sorted({by_ref[r] for r in built.child_refs if r in by_ref})
    job.children = len(set(built.child_refs))
    job.queries = sum(1 for f in built.failures if f.is_query)
    job.errors = len(built.failures) - job.queries
    job.status = JobStatus.READY
    job.progress_done = job.progress_total
    job.progress_label = "Done"
    job.finished_at = clock.now()
    job.seconds = round(seconds, 2)
    job.save()
    audit_record(actor=SYSTEM, action="return_job.ready", instance=job, after=_snapshot(job))
    return job


@service
def return_job_fail(*, job: ReturnJob, error: str) -> ReturnJob:
    job = ReturnJob.objects.select_for_update().get(pk=job.pk)
    if job.is_finished:
        return job
    job.status = JobStatus.FAILED
    job.error = error[:2000]
    job.finished_at = clock.now()
    job.save()
    audit_record(actor=SYSTEM, action="return_job.failed", instance=job, after=_snapshot(job))
    return job


def return_job_run(*, job: ReturnJob) -> ReturnJob:
    """Produce the return for a queued job: the body of the background task.

    Not itself a service: each step is its own short transaction, so progress is visible while it runs. Any error
    marks the job failed (with the reason when it is one Safehold raised, otherwise a reference to the log) and is
    raised again, so the worker records the task as failed too.
    """
    started = time.perf_counter()
    job = return_job_start(job=job)
    builder = exports.BUILDERS.get(job.kind)
    try:
        if builder is None:
            raise ValidationFailed(f"Safehold cannot produce a return of kind {job.kind!r}")

        def progress(done: int, total: int, label: str) -> None:
            return_job_progress(job=job, done=done, total=total, label=label)

        built = builder(job.year, progress)
        return return_job_finish(job=job, built=built, seconds=time.perf_counter() - started)
    except BaseException as exc:
        if isinstance(exc, SafeholdError):
            reason = str(exc)
        else:
            logger.exception("Return job %s failed", job.pk)
            reason = f"{FAILED_MESSAGE} (job {job.pk}, task {job.task_id or '-'}: {type(exc).__name__})."
        try:
            return_job_fail(job=job, error=reason)
        except Exception:  # pragma: no cover - the database itself is failing; the worker records the task
            logger.exception("Could not record the failure of return job %s", job.pk)
        raise


@service
def return_job_download(*, actor: Any, job: ReturnJob, path: str, request_id: str = "") -> None:
    """Log a download: one export event for every child in the return, by ``actor``."""
    if job.status != JobStatus.READY:
        raise ValidationFailed("This return is not ready to download")
    access_record_many(actor=actor, kind="export", child_ids=list(job.child_ids), path=path, request_id=request_id)
