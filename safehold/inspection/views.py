"""Inspection readiness pages for performance analysts, heads of service and directors.

Every view declares the "analyst" policy (:data:`safehold.accounts.policies.ANALYST_ROLES`): anyone else
gets a 404 from the policy middleware before the view runs. Annex A is generated synchronously on
request; the service that does it is the body of the background task once a task queue is installed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safehold.accounts.models import User
from safehold.accounts.policies import policy
from safehold.accounts.roles import Role
from safehold.core import clock
from safehold.core.exceptions import ConcurrentEditError, SafeholdError, ValidationFailed
from safehold.inspection import forms, services
from safehold.inspection.annex_a import readiness as readiness_core
from safehold.inspection.annex_a import selectors as annex_selectors
from safehold.inspection.annex_a import writer
from safehold.inspection.indicators import INDICATORS
from safehold.inspection.models import (
    AnnexAExport,
    CaseSample,
    CaseSampleShare,
    ImprovementAction,
    Inspection,
    InspectionFinding,
)
from safehold.workforce.models import StaffMember

GAP_LIMIT = 50
SECTIONS = (
    ("readiness", "Readiness", "inspection:readiness"),
    ("annex_a", "Annex A", "inspection:annex-a"),
    ("samples", "Case samples", "inspection:samples"),
    ("history", "Inspection history", "inspection:history"),
    ("plan", "Improvement plan", "inspection:plan"),
)


def _rid(request: HttpRequest) -> str:
    return str(getattr(request, "request_id", ""))


def _page(request: HttpRequest, template: str, section: str, context: dict[str, Any]) -> HttpResponse:
    context.update({"nav": "inspection", "section": section, "sections": SECTIONS})
    return render(request, f"inspection/{template}", context)


def _as_of(request: HttpRequest) -> dt.date:
    value = request.GET.get("as_of", "")
    try:
        day = dt.date.fromisoformat(value) if value else clock.today()
    except ValueError:
        day = clock.today()
    return min(day, clock.today())


# --- Readiness ------------------------------------------------------------------------------------------------


@policy("analyst")
@login_required
def readiness(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    annex = annex_selectors.annex_a(as_of=as_of)
    gaps = readiness_core.gaps(annex)
    shown = {cid for gap in gaps for cid in gap.child_ids[:GAP_LIMIT]}
    names = annex_selectors.child_names(shown)
    gap_rows = [
        {
            "gap": gap,
            "count": len(gap.child_ids),
            "children": [(cid, names.get(cid, f"Child {cid}")) for cid in gap.child_ids[:GAP_LIMIT]],
        }
        for gap in gaps
    ]
    return _page(
        request,
        "readiness.html",
        "readiness",
        {
            "as_of": as_of,
            "lists": annex.lists,
            "gaps": gap_rows,
            "gap_limit": GAP_LIMIT,
            "children": len(annex.child_ids),
        },
    )


# --- Annex A --------------------------------------------------------------------------------------------------


@policy("analyst")
@login_required
@require_http_methods(["GET", "POST"])
def annex_a(request: HttpRequest) -> HttpResponse:
    form = forms.AnnexAForm(request.POST or None, initial={"as_of": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            export = services.annex_a_export_request(
                actor=request.user, as_of=form.cleaned_data["as_of"], request_id=_rid(request)
            )
            services.annex_a_export_run(export=export)
        except SafeholdError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Annex A for {export.as_of:%-d %B %Y} is ready to download")
            return redirect("inspection:annex-a-export", export_id=export.pk)
    exports = AnnexAExport.objects.select_related("requested_by").defer("workbook", "csv_zip", "child_ids")[:20]
    return _page(request, "annex_a.html", "annex_a", {"form": form, "exports": exports})


@policy("analyst")
@login_required
def annex_a_export(request: HttpRequest, export_id: int) -> HttpResponse:
    export = get_object_or_404(AnnexAExport.objects.defer("workbook", "csv_zip", "child_ids"), pk=export_id)
    counts = [(n, title, export.row_counts.get(str(n), 0)) for n, title in annex_titles()]
    return _page(request, "annex_a_export.html", "annex_a", {"export": export, "counts": counts})


def annex_titles() -> list[tuple[int, str]]:
    from safehold.inspection.annex_a.spec import TITLES

    return sorted(TITLES.items())


@policy("analyst")
@login_required
def annex_a_download(request: HttpRequest, export_id: int, fmt: str) -> HttpResponse:
    export = get_object_or_404(AnnexAExport, pk=export_id, status=AnnexAExport.Status.READY)
    services.annex_a_export_download(actor=request.user, export=export, path=request.path, request_id=_rid(request))
    stem = f"Annex_A_{export.as_of.year}_{export.as_of:%m_%d}"
    if fmt == "xlsx":
        body, ctype, name = bytes(export.workbook or b""), writer.XLSX_TYPE, f"{stem}.xlsx"
    else:
        body, ctype, name = bytes(export.csv_zip or b""), "application/zip", f"{stem}_csv.zip"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Case samples -----------------------------------------------------------------------------------------------


@policy("analyst")
@login_required
@require_http_methods(["GET", "POST"])
def samples(request: HttpRequest) -> HttpResponse:
    form = forms.SampleForm(request.POST or None, initial={"size": 10})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = services.case_sample_draw(
                actor=request.user,
                theme=data["theme"],
                size=data["size"],
                reason=data["reason"],
                title=data["title"],
                seed=data["seed"],
                request_id=_rid(request),
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Sample drawn: {sample.members.count()} of {sample.population} children")
            return redirect("inspection:sample", sample_id=sample.pk)
    drawn = CaseSample.objects.select_related("drawn_by")[:50]
    return _page(request, "samples.html", "samples", {"form": form, "samples": drawn})


@policy("analyst")
@login_required
def sample(request: HttpRequest, sample_id: int) -> HttpResponse:
    obj = get_object_or_404(CaseSample.objects.select_related("drawn_by"), pk=sample_id)
    return _sample_page(request, obj, forms.ShareForm())


def _sample_page(request: HttpRequest, obj: CaseSample, share_form: forms.ShareForm) -> HttpResponse:
    members = obj.members.select_related("child")
    shares = obj.shares.select_related("inspector", "shared_by")
    context = {"sample": obj, "members": members, "shares": shares, "form": share_form, "now": clock.now()}
    return _page(request, "sample.html", "samples", context)


@policy("analyst")
@login_required
@require_POST
def sample_share(request: HttpRequest, sample_id: int) -> HttpResponse:
    obj = get_object_or_404(CaseSample, pk=sample_id)
    form = forms.ShareForm(request.POST)
    if form.is_valid():
        inspector = User.objects.filter(pk=form.cleaned_data["inspector"], role=Role.INSPECTOR).first()
        try:
            share = services.case_sample_share(
                actor=request.user,
                sample=obj,
                inspector=inspector,
                expires_at=clock.now() + dt.timedelta(days=form.cleaned_data["days"]),
                request_id=_rid(request),
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Shared with {share.inspector.get_full_name() or share.inspector.username}")
            return redirect("inspection:sample", sample_id=obj.pk)
    return _sample_page(request, obj, form)


@policy("analyst")
@login_required
@require_POST
def sample_revoke(request: HttpRequest, sample_id: int, share_id: int) -> HttpResponse:
    share = get_object_or_404(CaseSampleShare, pk=share_id, sample_id=sample_id)
    try:
        services.case_sample_share_revoke(actor=request.user, share=share, request_id=_rid(request))
    except ValidationFailed:
        pass
    messages.success(request, "Access withdrawn")
    return redirect("inspection:sample", sample_id=sample_id)


# --- Inspection history -----------------------------------------------------------------------------------------


@policy("analyst")
@login_required
def history(request: HttpRequest) -> HttpResponse:
    inspections = Inspection.objects.prefetch_related("findings").order_by("start_date", "id")
    return _page(request, "history.html", "history", {"inspections": inspections})


@policy("analyst")
@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    form = forms.InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_record(actor=request.user, request_id=_rid(request), **form.cleaned_data)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"{inspection} recorded")
            return redirect("inspection:inspection", inspection_id=inspection.pk)
    return _page(request, "inspection_form.html", "history", {"form": form})


@policy("analyst")
@login_required
@require_http_methods(["GET", "POST"])
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=inspection_id)
    form = forms.FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_finding_add(
                actor=request.user, inspection=inspection, request_id=_rid(request), **form.cleaned_data
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Finding added")
            return redirect("inspection:inspection", inspection_id=inspection_id)
    findings = InspectionFinding.objects.filter(inspection=inspection).prefetch_related("actions")
    return _page(request, "inspection.html", "history", {"inspection": inspection, "findings": findings, "form": form})


# --- Improvement plan --------------------------------------------------------------------------------------------


def _indicator_context(as_of: dt.date) -> dict[str, dict[str, Any]]:
    out = {}
    for code, indicator in INDICATORS.items():
        out[code] = {
            "indicator": indicator,
            "reading": indicator.reading(as_of=as_of),
            "trend": indicator.trend(as_of=as_of, months=6),
        }
    return out


@policy("analyst")
@login_required
def plan(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    indicators = _indicator_context(today)
    actions = ImprovementAction.objects.select_related("owner", "finding__inspection").prefetch_related("evidence")
    rows = []
    for action in actions:
        live = indicators.get(action.indicator) if action.indicator else None
        target = (
            float(action.target) if action.target is not None else (live["indicator"].default_target if live else None)
        )
        value = live["reading"].percent if live else None
        rows.append(
            {
                "action": action,
                "live": live,
                "target": target,
                "meets": (value is not None and target is not None and value >= target),
                "overdue": action.due_date < today and action.status != "complete",
            }
        )
    return _page(request, "plan.html", "plan", {"rows": rows, "indicators": indicators.values(), "today": today})


@policy("analyst")
@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest) -> HttpResponse:
    form = forms.ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = StaffMember.objects.filter(pk=data.pop("owner")).first()
        finding_id = data.pop("finding") or None
        try:
            if owner is None:
                raise ValidationFailed({"owner": ["Choose an owner"]})
            action = services.improvement_action_create(
                actor=request.user, owner=owner, finding_id=finding_id, request_id=_rid(request), **data
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Action added to the improvement plan")
            return redirect("inspection:action", action_id=action.pk)
    return _page(request, "action_form.html", "plan", {"form": form})


@policy("analyst")
@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(ImprovementAction.objects.select_related("owner", "finding__inspection"), pk=action_id)
    update = forms.ActionUpdateForm(
        request.POST if request.POST.get("form") == "update" else None,
        initial={"status": action.status, "rag": action.rag, "version": action.version},
    )
    evidence = forms.EvidenceForm(request.POST if request.POST.get("form") == "evidence" else None)
    if request.method == "POST":
        try:
            if update.is_bound and update.is_valid():
                data = update.cleaned_data
                services.improvement_action_update(
                    actor=request.user, action=action, expected_version=data["version"],
                    status=data["status"], rag=data["rag"], request_id=_rid(request),
                )  # fmt: skip
                messages.success(request, "Action updated")
                return redirect("inspection:action", action_id=action_id)
            if evidence.is_bound and evidence.is_valid():
                services.improvement_evidence_add(
                    actor=request.user, action=action, request_id=_rid(request), **evidence.cleaned_data
                )
                messages.success(request, "Evidence added")
                return redirect("inspection:action", action_id=action_id)
        except (ValidationFailed, ConcurrentEditError) as exc:
            (update if update.is_bound else evidence).add_service_error(exc)
    live = None
    if action.indicator in INDICATORS:
        indicator = INDICATORS[action.indicator]
        live = {
            "indicator": indicator,
            "reading": indicator.reading(as_of=clock.today()),
            "trend": indicator.trend(as_of=clock.today(), months=6),
        }
    context = {"action": action, "update": update, "evidence_form": evidence, "live": live}
    return _page(request, "action.html", "plan", context)
