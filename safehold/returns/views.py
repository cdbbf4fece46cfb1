"""The statutory returns pages for performance analysts: request a return for a collection year, follow the
background job, download the file, and work through the failures Safehold's own validation found, child by child.

Every view declares the "analyst" policy (performance analysts, heads of service and directors, as for Annex A):
anyone else gets a 404 from the policy middleware. Downloads record an export in the access log for every child
in the return; the failures page records a view for each child it names.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import policy
from safehold.audit.services import access_record_many
from safehold.core import jobs
from safehold.core.exceptions import SafeholdError
from safehold.core.middleware import request_id
from safehold.returns import forms, selectors, services
from safehold.returns.models import JobStatus, ReturnJob


def _job(job_id: int) -> ReturnJob:
    job = selectors.job_for(job_id)
    if job is None:
        raise Http404("No such return job")
    return job


@policy("analyst")
@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    form = forms.ReturnJobForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.return_job_request(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                request_id=request_id(request),
            )
        except SafeholdError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"The {job} is queued: this page shows its progress")
            return redirect("returns:job", job_id=job.pk)
    return render(request, "returns/index.html", {"form": form, "jobs": selectors.recent_jobs(), "nav": "returns"})


@policy("analyst")
@login_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    obj = _job(job_id)
    # The worker recorded the task as failed before the job could say so (e.g. it was stopped mid-run).
    worker_failed = not obj.is_finished and jobs.task_failed(obj.task_id)
    finished = obj.is_finished or worker_failed
    context = {
        "job": obj,
        "finished": finished,
        "worker_failed": worker_failed,
        "auto_refresh": jobs.wants_refresh(request),
        "refresh_seconds": jobs.REFRESH_SECONDS,
        "nav": "returns",
    }
    response = render(request, "returns/job.html", context)
    return jobs.refresh_while_running(response, request, finished=finished)


@policy("analyst")
@login_required
def download(request: HttpRequest, job_id: int) -> HttpResponse:
    obj = ReturnJob.objects.filter(pk=job_id, status=JobStatus.READY).first()
    if obj is None:
        raise Http404("No such return, or it is not ready")
    services.return_job_download(actor=request.user, job=obj, path=request.path, request_id=request_id(request))
    response = HttpResponse(bytes(obj.file or b""), content_type=obj.content_type)
    response["Content-Disposition"] = f'attachment; filename="{obj.file_name}"'
    response["Cache-Control"] = "no-store"
    return response


@policy("analyst")
@login_required
def failures(request: HttpRequest, job_id: int) -> HttpResponse:
    obj = _job(job_id)
    if obj.status != JobStatus.READY:
        return redirect("returns:job", job_id=obj.pk)
    counts = selectors.rule_counts(obj)
    codes = {c.code for c in counts}
    rule = request.GET.get("rule", "")
    if rule not in codes:
        rule = ""
    page = selectors.failures_by_child(job=obj, user=request.user, rule=rule, page=request.GET.get("page", 1))
    shown = [g.child_id for g in page.groups if g.visible and g.child_id is not None]
    access_record_many(
        actor=request.user, kind="view", child_ids=shown, path=request.path, request_id=request_id(request)
    )
    context = {
        "job": obj,
        "counts": counts,
        "errors": [c for c in counts if not c.is_query],
        "queries": [c for c in counts if c.is_query],
        "rule": rule,
        "groups": page.groups,
        "page": page.page,
        "query": urlencode({"rule": rule}) if rule else "",
        "nav": "returns",
    }
    return render(request, "returns/failures.html", context)
