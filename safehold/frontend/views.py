"""Thin views: parse → authorise → call a selector or service → render.

Pages: the social worker's caseload, the child's record, and the team manager's pages (unallocated work,
caseloads by worker, sign-off, overdue and drift). Casework forms live in :mod:`safehold.casework.views`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import allows, policy
from safehold.casework import selectors as casework
from safehold.casework.forms import SignOffForm
from safehold.casework.views import log_view
from safehold.core import clock
from safehold.core.exceptions import ConcurrentEditError, ValidationFailed
from safehold.frontend.forms import AllocationForm
from safehold.timescales.domain.rules import RULES
from safehold.workforce import selectors as workforce
from safehold.workforce.models import StaffMember

CASELOAD_PAGE_SIZE = 25
TEAM_PAGE_SIZE = 50


def _rid(request: HttpRequest) -> str:
    return str(getattr(request, "request_id", ""))


@policy("public")
def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@policy("signed_in")
@login_required
def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(workforce.caseload_for(user=request.user), CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    for child in page.object_list:
        child.plan_label = workforce.plan_label(child)
        rule = RULES.get(getattr(child, "next_rule", "") or "")
        child.next_rule_title = rule.title if rule else ""
    return render(request, "frontend/home.html", {"page": page, "children": page.object_list, "nav": "caseload"})


@policy("named_children")
@login_required
def child_record(request: HttpRequest, pk: int) -> HttpResponse:
    child = casework.child_for(user=request.user, pk=pk)
    log_view(request, child)
    types = [t for t in request.GET.getlist("type") if t in casework.CHRONOLOGY_TYPES]
    position = casework.current_position(child=child)
    deadlines = casework.open_deadlines(child=child)
    overdue = [d for d in deadlines if d.overdue]
    alerts: list[str] = []
    if child.restricted:
        alerts.append("Restricted record: only people on its access list can see it.")
    if child.date_of_death:
        alerts.append(f"This child died on {child.date_of_death:%-d %B %Y}.")
    if position.cp_plan:
        alerts.append("Subject to a child protection plan.")
    if position.in_care_since:
        alerts.append("Looked after by the local authority.")
    if child.uasc:
        alerts.append("Unaccompanied asylum-seeking child.")
    if overdue:
        alerts.append(f"{len(overdue)} overdue deadline{'s' if len(overdue) != 1 else ''}.")
    if position.undecided_contacts:
        alerts.append("A contact is waiting for a threshold decision.")
    if position.allocation is None or position.allocation.worker_id is None:
        alerts.append("No named social worker is allocated.")
    managed = workforce.managed_team_ids(user=request.user)
    can_allocate = bool(position.allocation and position.allocation.team_id in managed)
    context: dict[str, Any] = {
        "child": child,
        "pos": position,
        "alerts": alerts,
        "deadlines": deadlines,
        "visits": casework.recent_visits(child=child),
        "family": casework.family_of(child=child),
        "events": casework.chronology(child=child, viewer=request.user, types=set(types) or None),
        "types": casework.CHRONOLOGY_TYPES,
        "selected_types": types,
        "can_record": allows("records_casework", request.user),
        "can_allocate": can_allocate,
        # The DPO and managers; the record being visible to them is what makes them its overseers here.
        "can_see_access_log": allows("audit_viewer", request.user),
    }
    return render(request, "frontend/child_record.html", context)


# --- Team manager ------------------------------------------------------------------------------------------


def _team_scope(request: HttpRequest) -> set[int]:
    """The teams the user manages; 404 for anyone who manages none (the "manages_team" policy admits by role)."""
    team_ids = workforce.managed_team_ids(user=request.user)
    if not team_ids:
        raise Http404("You do not manage a team")
    return team_ids


def _team_context(request: HttpRequest, team_ids: set[int], tab: str) -> dict[str, Any]:
    return {"nav": "team", "tab": tab, "teams": workforce.teams_by_id(team_ids=team_ids)}


@policy("manages_team")
@login_required
def team(request: HttpRequest) -> HttpResponse:
    team_ids = _team_scope(request)
    loads = workforce.caseloads_by_worker(team_ids=team_ids)
    context = _team_context(request, team_ids, "caseloads")
    context.update(
        {
            "loads": loads,
            "weights": [(workforce.CATEGORY_LABELS[k], w) for k, w in workforce.CASELOAD_WEIGHTS.items()],
            "unallocated_count": workforce.unallocated_for(user=request.user, team_ids=team_ids).count(),
            "signoff_count": casework.assessments_awaiting_signoff(user=request.user, team_ids=team_ids).count(),
        }
    )
    return render(request, "frontend/team/caseloads.html", context)


@policy("manages_team")
@login_required
def team_unallocated(request: HttpRequest) -> HttpResponse:
    team_ids = _team_scope(request)
    qs = workforce.unallocated_for(user=request.user, team_ids=team_ids)
    page = Paginator(qs, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    for allocation in page.object_list:
        allocation.category = workforce.CATEGORY_LABELS[workforce.category_of(allocation)]
    context = _team_context(request, team_ids, "unallocated")
    context["page"] = page
    return render(request, "frontend/team/unallocated.html", context)


@policy("manages_team")
@login_required
@require_http_methods(["GET", "POST"])
def team_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    from safehold.workforce.services import allocation_set

    team_ids = _team_scope(request)
    child = casework.child_for(user=request.user, pk=pk)
    position = casework.current_position(child=child)
    if position.allocation is not None and position.allocation.team_id not in team_ids:
        raise Http404("This child is allocated to a team you do not manage")
    workers = workforce.workers_for_allocation(team_ids=team_ids)
    if request.method == "POST":
        form = AllocationForm(request.POST, workers=workers)
        if form.is_valid():
            data = form.cleaned_data
            worker = StaffMember.objects.select_related("team").get(pk=data["worker"])
            assert worker.team is not None  # workers_for_allocation only offers staff in a managed team
            try:
                allocation_set(
                    actor=request.user, child=child, team=worker.team, worker=worker, start_date=data["start_date"],
                    reason=data["reason"], request_id=_rid(request),
                )
            except (ValidationFailed, ConcurrentEditError) as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"{child.full_name} is allocated to {worker.full_name}")
                return redirect("frontend:team-unallocated")
    else:
        current = position.allocation.worker_id if position.allocation else None
        form = AllocationForm(
            initial={"start_date": clock.today(), "worker": current, "reason": "MANAGE"}, workers=workers
        )
    log_view(request, child)
    context = _team_context(request, team_ids, "unallocated")
    context.update({"child": child, "form": form, "pos": position})
    return render(request, "frontend/team/allocate.html", context)


@policy("manages_team")
@login_required
def team_signoff(request: HttpRequest) -> HttpResponse:
    team_ids = _team_scope(request)
    qs = casework.assessments_awaiting_signoff(user=request.user, team_ids=team_ids)
    page = Paginator(qs, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = _team_context(request, team_ids, "signoff")
    context["page"] = page
    return render(request, "frontend/team/signoff.html", context)


@policy("manages_team")
@login_required
@require_http_methods(["GET", "POST"])
def team_signoff_assessment(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    from safehold.casework.services import assessment_authorise

    team_ids = _team_scope(request)
    assessment = casework.assessment_for_signoff(user=request.user, pk=assessment_pk)
    child = assessment.episode.child
    if request.method == "POST":
        form = SignOffForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                # The decision and its rationale are one audited write.
                assessment_authorise(
                    actor=request.user, assessment=assessment, expected_version=data["version"],
                    authorised_date=data["authorised_date"], manager=getattr(request.user, "staff", None),
                    reason=data["rationale"], request_id=_rid(request),
                )
            except (ValidationFailed, ConcurrentEditError) as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Assessment for {child.full_name} signed off")
                return redirect("frontend:team-signoff")
    else:
        form = SignOffForm(initial={"version": assessment.version, "authorised_date": clock.today()})
    log_view(request, child)
    context = _team_context(request, team_ids, "signoff")
    context.update(
        {
            "assessment": assessment,
            "child": child,
            "form": form,
            "factors": ", ".join(casework.factor_labels(assessment.factors)),
        }
    )
    return render(request, "frontend/team/signoff_form.html", context)


@policy("manages_team")
@login_required
def team_overdue(request: HttpRequest) -> HttpResponse:
    from safehold.timescales import selectors as timescales

    team_ids = _team_scope(request)
    qs = timescales.overdue_now(user=request.user).filter(team_id__in=team_ids)
    page = Paginator(qs, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    for deadline in page.object_list:
        rule = RULES.get(deadline.rule_code)
        deadline.rule_title = rule.title if rule else deadline.rule_code  # type: ignore[attr-defined]
    context = _team_context(request, team_ids, "overdue")
    context["page"] = page
    return render(request, "frontend/team/overdue.html", context)


@policy("manages_team")
@login_required
def team_drift(request: HttpRequest) -> HttpResponse:
    from safehold.timescales import selectors as timescales

    team_ids = _team_scope(request)
    rows = [row for row in timescales.drift(user=request.user) if row.team_id in team_ids]
    page = Paginator(rows, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = _team_context(request, team_ids, "drift")
    context.update({"page": page, "margin": timescales.drift_margin_default()})
    return render(request, "frontend/team/drift.html", context)
