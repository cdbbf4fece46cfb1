"""API v1 background jobs: request a statutory return (CIN census, SSDA903) or Annex A, follow it, download it.

``POST`` on a collection records the job and enqueues its task (the same services as the pages) and answers
``202 Accepted`` with the job and a ``Location``; ``GET`` on the job gives its status and progress; ``GET`` on its
download gives the file once it is ready (``409`` before), recorded in the access log as an export of every child
in it, with the client's owner as the actor. The client needs the ``returns:jobs`` scope and its owner the pages'
"analyst" policy (performance analysts, heads of service, directors).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from safehold.accounts.policies import allows
from safehold.api.auth import api_client_of, api_view
from safehold.api.models import Scope
from safehold.api.problems import Problem
from safehold.api.views import PAGE_QUERY, _json_body, _page
from safehold.audit.services import access_record_many
from safehold.core import clock, jobs
from safehold.core.middleware import request_id
from safehold.inspection import services as inspection_services
from safehold.inspection.annex_a import writer
from safehold.inspection.models import AnnexAExport
from safehold.people.models import Person
from safehold.returns import services as return_services
from safehold.returns.models import JobStatus, ReturnFailure, ReturnJob, ReturnKind

LIGHT_RETURN = ("file", "child_ids")
LIGHT_ANNEX = ("workbook", "csv_zip", "child_ids")


def _owner(request: HttpRequest) -> Any:
    owner = api_client_of(request).owner
    if not allows("analyst", owner):
        raise Problem(403, "This client's user may not produce returns or Annex A")
    return owner


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def _status(job: ReturnJob | AnnexAExport) -> str:
    """queued, running, ready or failed (failed too when the worker recorded the task as failed first)."""
    status = "queued" if job.status == AnnexAExport.Status.PENDING else str(job.status)
    if status in ("queued", "running") and jobs.task_failed(job.task_id):
        return "failed"
    return status


def _progress(job: ReturnJob | AnnexAExport) -> dict[str, Any]:
    return {"done": job.progress_done, "total": job.progress_total, "label": job.progress_label}


def _accepted(request: HttpRequest, body: dict[str, Any], location: str) -> HttpResponse:
    response = JsonResponse(body, status=202)
    response["Location"] = location
    return response


def _not_ready(status: str) -> Problem:
    return Problem(409, f"The job is not ready to download: it is {status}", job_status=status)


# --- Returns ---------------------------------------------------------------------------------------------------


def _return_job(request: HttpRequest, job_id: int) -> ReturnJob:
    job = ReturnJob.objects.defer(*LIGHT_RETURN).filter(pk=job_id).first()
    if job is None:
        raise Problem(404, "No return job with this id")
    return job


def _return_json(request: HttpRequest, job: ReturnJob) -> dict[str, Any]:
    status = _status(job)
    ready = status == JobStatus.READY
    return {
        "id": job.pk,
        "return": job.kind,
        "year": job.year,
        "status": status,
        "progress": _progress(job),
        "requested_at": job.requested_at.isoformat(),
        "started_at": _moment(job.started_at),
        "finished_at": _moment(job.finished_at),
        "children": job.children if ready else None,
        "errors": job.errors if ready else None,
        "queries": job.queries if ready else None,
        "sha256": job.sha256 or None,
        "error": (job.error or "The background worker stopped before the job finished") if status == "failed" else None,
        "links": {
            "self": _url(request, "api:return-job", job_id=job.pk),
            "download": _url(request, "api:return-job-download", job_id=job.pk) if ready else None,
            "failures": _url(request, "api:return-job-failures", job_id=job.pk) if ready else None,
            "page": _url(request, "returns:job", job_id=job.pk),
        },
    }


@api_view(methods={"GET": Scope.RETURNS_JOBS, "POST": Scope.RETURNS_JOBS}, query={"GET": PAGE_QUERY})
def return_jobs(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    if request.method == "GET":
        items, meta = _page(request, ReturnJob.objects.defer(*LIGHT_RETURN).order_by("-requested_at", "-id"))
        return JsonResponse({**meta, "results": [_return_json(request, j) for j in items]})
    body = _json_body(request)
    errors: dict[str, list[str]] = {}
    kind, year = body.get("return"), body.get("year")
    if kind not in ReturnKind.values:
        errors["return"] = ["Give return as 'cin' or '903'"]
    if not isinstance(year, int) or isinstance(year, bool):
        errors["year"] = ["Give year as the collection year, the year in which 31 March falls (e.g. 2026)"]
    if errors:
        raise Problem(422, "The job was not created: check the errors", errors=errors)
    assert isinstance(kind, str) and isinstance(year, int)
    job = return_services.return_job_request(actor=owner, kind=kind, year=year, request_id=request_id(request))
    return _accepted(request, _return_json(request, job), _url(request, "api:return-job", job_id=job.pk))


@api_view(methods={"GET": Scope.RETURNS_JOBS})
def return_job(request: HttpRequest, job_id: int) -> HttpResponse:
    _owner(request)
    return JsonResponse(_return_json(request, _return_job(request, job_id)))


@api_view(methods={"GET": Scope.RETURNS_JOBS})
def return_job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    owner = _owner(request)
    job = _return_job(request, job_id)
    status = _status(job)
    if status != JobStatus.READY:
        raise _not_ready(status)
    full = ReturnJob.objects.get(pk=job.pk)
    return_services.return_job_download(actor=owner, job=full, path=request.path, request_id=request_id(request))
    response = HttpResponse(bytes(full.file or b""), content_type=full.content_type)
    response["Content-Disposition"] = f'attachment; filename="{full.file_name}"'
    response["Cache-Control"] = "no-store"
    return response


@api_view(methods={"GET": Scope.RETURNS_JOBS}, query={"GET": ("rule", *PAGE_QUERY)})
def return_job_failures(request: HttpRequest, job_id: int) -> HttpResponse:
    owner = _owner(request)
    job = _return_job(request, job_id)
    status = _status(job)
    if status != JobStatus.READY:
        raise _not_ready(status)
    qs = ReturnFailure.objects.filter(job=job).order_by("child_ref", "is_query", "rule_code", "id")
    rule = request.GET.get("rule", "")
    if rule:
        qs = qs.filter(rule_code=rule)
    items, meta = _page(request, qs)
    ids = {f.child_id for f in items if f.child_id is not None}
    visible = set(Person.objects.visible_to(owner).filter(pk__in=ids).values_list("pk", flat=True))
    access_record_many(
        actor=owner, kind="api", child_ids=sorted(visible), path=request.path, request_id=request_id(request)
    )
    results = [
        {
            "rule": f.rule_code,
            "child": f.child_ref or None,
            "child_id": f.child_id if f.child_id in visible else None,
            "message": f.message,
            "fields": list(f.fields),
            "severity": "query" if f.is_query else "error",
        }
        for f in items
    ]
    return JsonResponse({**meta, "results": results})


# --- Annex A ---------------------------------------------------------------------------------------------------


def _annex_job(job_id: int) -> AnnexAExport:
    export = AnnexAExport.objects.defer(*LIGHT_ANNEX).filter(pk=job_id).first()
    if export is None:
        raise Problem(404, "No Annex A job with this id")
    return export


def _annex_json(request: HttpRequest, export: AnnexAExport) -> dict[str, Any]:
    status = _status(export)
    ready = status == "ready"
    download = _url(request, "api:annex-a-job-download", job_id=export.pk)
    return {
        "id": export.pk,
        "as_of": export.as_of.isoformat(),
        "status": status,
        "progress": _progress(export),
        "requested_at": export.requested_at.isoformat(),
        "started_at": _moment(export.started_at),
        "finished_at": _moment(export.finished_at),
        "rows": {str(n): export.row_counts.get(str(n), 0) for n in range(1, 12)} if ready else None,
        "error": (export.error or "The background worker stopped before the job finished")
        if status == "failed"
        else None,
        "links": {
            "self": _url(request, "api:annex-a-job", job_id=export.pk),
            "workbook": f"{download}?format=xlsx" if ready else None,
            "csv": f"{download}?format=csv" if ready else None,
            "page": _url(request, "inspection:annex-a-export", export_id=export.pk),
        },
    }


@api_view(methods={"GET": Scope.RETURNS_JOBS, "POST": Scope.RETURNS_JOBS}, query={"GET": PAGE_QUERY})
def annex_a_jobs(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    if request.method == "GET":
        items, meta = _page(request, AnnexAExport.objects.defer(*LIGHT_ANNEX).order_by("-requested_at", "-id"))
        return JsonResponse({**meta, "results": [_annex_json(request, e) for e in items]})
    body = _json_body(request)
    raw = body.get("as_of", clock.today().isoformat())
    try:
        as_of = dt.date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
    except ValueError:
        as_of = None
    if as_of is None:
        raise Problem(
            422, "The job was not created: check the errors", errors={"as_of": ["Give as_of as a date, YYYY-MM-DD"]}
        )
    export = inspection_services.annex_a_export_request(actor=owner, as_of=as_of, request_id=request_id(request))
    return _accepted(request, _annex_json(request, export), _url(request, "api:annex-a-job", job_id=export.pk))


@api_view(methods={"GET": Scope.RETURNS_JOBS})
def annex_a_job(request: HttpRequest, job_id: int) -> HttpResponse:
    _owner(request)
    return JsonResponse(_annex_json(request, _annex_job(job_id)))


@api_view(methods={"GET": Scope.RETURNS_JOBS}, query={"GET": ("format",)})
def annex_a_job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    owner = _owner(request)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Problem(400, "'format' must be xlsx or csv", parameter="format")
    export = _annex_job(job_id)
    status = _status(export)
    if status != "ready":
        raise _not_ready(status)
    full = AnnexAExport.objects.get(pk=export.pk)
    inspection_services.annex_a_export_download(
        actor=owner, export=full, path=request.path, request_id=request_id(request)
    )
    stem = f"Annex_A_{full.as_of.year}_{full.as_of:%m_%d}"
    if fmt == "xlsx":
        body, ctype, name = bytes(full.workbook or b""), writer.XLSX_TYPE, f"{stem}.xlsx"
    else:
        body, ctype, name = bytes(full.csv_zip or b""), "application/zip", f"{stem}_csv.zip"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
