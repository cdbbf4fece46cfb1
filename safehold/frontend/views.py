"""Thin views: parse → authorise → call a selector or service → render.

Pages: the social worker's caseload, the child's record, and the team manager's pages (unallocated work,
caseloads by worker, sign-off, overdue and drift). Casework forms live in :mod:`safehold.casework.views`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import allows, policy
from safehold.audit.services import access_record
from safehold.casework import selectors as casework
from safehold.casework.choices import VisitType
from safehold.casework.forms import SignOffForm
from safehold.core import clock
from safehold.core.exceptions import ConcurrentEditError, ValidationFailed
from safehold.core.middleware import request_id
from safehold.frontend.forms import AllocationForm
from safehold.frontend.recording import log_view
from safehold.timescales.domain.rules import RULES
from safehold.workforce import selectors as workforce
from safehold.workforce.models import StaffMember

CASELOAD_PAGE_SIZE = 25
TEAM_PAGE_SIZE = 50
CHRONOLOGY_PAGE_SIZE = 25



@policy("public")
def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@policy("signed_in")
@login_required
def baseline(request: HttpRequest) -> HttpResponse:
    """The page benchmark's baseline: the GOV.UK layout, the middleware and an access event as a child's page
    has, and no case data (``make bench`` compares the caseload, child and team pages with it)."""
    access_record(actor=request.user, kind="view", child_id=None, path=request.path, request_id=request_id(request))
    return render(request, "frontend/baseline.html", {})


def _day_month_year(value: dt.date | None, default: str) -> str:
    """"5 Jun 2025" (the ``date:"j M Y"`` filter), or ``default`` when there is no date."""
    return f"{value.day} {value:%b %Y}" if value else default


@policy("signed_in")
@login_required
def home(request: HttpRequest) -> HttpResponse:
    # count() and slices: all that Paginator reads
    rows_source: Any = workforce.CaseloadRows(request.user, page_size=CASELOAD_PAGE_SIZE)
    page = Paginator(rows_source, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    # Each row's cells (text and sort value) worked out here, once, as a dict (see _visit_rows below), rather than
    # by template filters per cell.
    rows = []
    for child in page.object_list:
        rule = RULES.get(getattr(child, "next_rule", "") or "")
        rows.append(
            {
                "href": reverse("frontend:child", args=[child.pk]),
                "name": child.full_name,
                "plan": workforce.plan_label(child),
                "next_rule_title": rule.title if rule else "",
                "overdue": child.overdue,
                **_date_cells("date_of_birth", child.date_of_birth, "Unborn"),
                **_date_cells("next_due", child.next_due, "None open"),
                **_date_cells("last_visit", child.last_visit, "Not seen"),
            }
        )
    return render(request, "frontend/home.html", {"page": page, "children": rows, "nav": "caseload"})


def _date_cells(name: str, value: dt.date | None, default: str) -> dict[str, str]:
    """A date column's cell text and its sort value ("2025-06-05", "" when there is no date)."""
    return {name: _day_month_year(value, default), f"{name}_sort": value.isoformat() if value else ""}


@policy("named_children")
@login_required
def child_record(request: HttpRequest, pk: int) -> HttpResponse:
    child = casework.child_record_for(user=request.user, pk=pk)
    log_view(request, child)
    types = [t for t in request.GET.getlist("type") if t in casework.CHRONOLOGY_TYPES]
    rows = casework.record_rows(child=child)  # each table once, shared by the position and the chronology
    position = casework.current_position(child=child, rows=rows)
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
    from safehold.looked_after.selectors import REPEAT_MISSING_COUNT

    recent_missing: int = child.recent_missing  # type: ignore[attr-defined]  # annotated by child_record_for
    if recent_missing >= REPEAT_MISSING_COUNT:
        alerts.append(f"Repeatedly missing: {recent_missing} missing or away episodes in the last 90 days.")
    if overdue:
        alerts.append(f"{len(overdue)} overdue deadline{'s' if len(overdue) != 1 else ''}.")
    if position.undecided_contacts:
        alerts.append("A contact is waiting for a threshold decision.")
    if position.allocation is None or position.allocation.worker_id is None:
        alerts.append("No named social worker is allocated.")
    alerts += _approval_alerts(position)
    managed = workforce.managed_team_ids(user=request.user) if allows("manages_team", request.user) else set()
    can_allocate = bool(position.allocation and position.allocation.team_id in managed)
    # The chronology newest first, a page at a time: a child long in care has hundreds of events.
    events = casework.chronology(child=child, viewer=request.user, types=set(types) or None, rows=rows)
    events_page = Paginator(events, CHRONOLOGY_PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "child": child,
        "pos": position,
        "alerts": alerts,
        "deadlines": deadlines,
        "visits": _visit_rows(casework.recent_visits(child=child, rows=rows)),
        "family": casework.family_of(child=child),
        "events": _timeline_rows(list(events_page.object_list)),
        "events_page": events_page,
        "events_total": events_page.paginator.count,
        "chronology_query": urlencode([("type", t) for t in types]),
        "types": casework.CHRONOLOGY_TYPES,
        "selected_types": types,
        "can_record": allows("records_casework", request.user),
        "can_allocate": can_allocate,
        # The DPO and managers; the record being visible to them is what makes them its overseers here.
        "can_see_access_log": allows("audit_viewer", request.user),
    }
    return render(request, "frontend/child_record.html", context)


# The record's two longest lists reach the template as dicts of display strings: a template variable on a dict
# resolves at the first attempt, one on a model or dataclass only after a failed item lookup, and the page has
# several hundred of them.


def _visit_rows(visits: list[Any]) -> list[dict[str, str]]:
    types = dict(VisitType.choices)
    return [
        {
            "date": _day_month_year(v.visited_on, ""),
            "type": types.get(v.visit_type, v.visit_type),
            "seen": "Yes" if v.seen else "No",
            "seen_alone": "Yes" if v.seen_alone else "No",
            "by": v.worker.full_name if v.worker_id is not None else "",
        }
        for v in visits
    ]


def _timeline_rows(events: list[casework.TimelineEvent]) -> list[dict[str, str]]:
    return [
        {
            "title": e.title,
            "by": e.by,
            "datetime": e.datetime_attr,
            "when": e.when,
            "kind": e.kind_label,
            "description": e.description,
        }
        for e in events
    ]


def _approval_alerts(position: casework.CurrentPosition) -> list[str]:
    """What is waiting for, or came back from, the team manager: the worker sees why a request was returned."""
    out: list[str] = []
    closure = position.closure_request
    if closure is not None:
        asked = f"{timezone.localtime(closure.requested_at):%-d %B %Y}"
        if closure.is_pending:
            out.append(f"Closure awaiting manager approval (requested on {asked}).")
        else:
            out.append(
                f"The manager returned the request to close this case on "
                f"{timezone.localtime(closure.decided_at or closure.requested_at):%-d %B %Y}: {closure.rationale}"
            )
    plan = position.plan_request
    if plan is not None and plan.is_pending:
        out.append("Child in need plan awaiting manager approval.")
    elif plan is not None and plan.status == "returned":
        out.append(
            f"The manager returned the child in need plan on "
            f"{timezone.localtime(plan.decided_at or plan.requested_at):%-d %B %Y}: {plan.rationale}"
        )
    return out


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
    waiting = casework.waiting_for_team(user=request.user, team_ids=team_ids)  # one round trip
    context.update(
        {
            "loads": loads,
            "weights": [(workforce.CATEGORY_LABELS[k], w) for k, w in workforce.CASELOAD_WEIGHTS.items()],
            "unallocated_count": waiting["unallocated"],
            "signoff_count": waiting["assessments"] + waiting["approvals"],
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
                    reason=data["reason"], request_id=request_id(request),
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
    """Decisions awaiting the manager, oldest first with their age: closures and plans, then assessments."""
    team_ids = _team_scope(request)
    today = clock.today()
    requests = Paginator(casework.approvals_awaiting(user=request.user, team_ids=team_ids), TEAM_PAGE_SIZE).get_page(
        request.GET.get("requests")
    )
    for row in requests.object_list:
        row.waiting_days = (today - timezone.localtime(row.requested_at).date()).days  # type: ignore[attr-defined]
    qs = casework.assessments_awaiting_signoff(user=request.user, team_ids=team_ids)
    page = Paginator(qs, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    for assessment in page.object_list:
        assessment.waiting_days = (today - assessment.completed_date).days if assessment.completed_date else 0  # type: ignore[attr-defined]
    context = _team_context(request, team_ids, "signoff")
    context.update({"page": page, "requests": requests})
    return render(request, "frontend/team/signoff.html", context)


@policy("manages_team")
@login_required
@require_http_methods(["GET", "POST"])
def team_signoff_request(request: HttpRequest, request_pk: int) -> HttpResponse:
    """Approve a closure or a child in need plan, or return it to the worker, with a rationale."""
    from safehold.casework.forms import ApprovalDecisionForm
    from safehold.casework.services import approval_decide

    team_ids = _team_scope(request)
    row = casework.approval_for_manager(user=request.user, pk=request_pk, team_ids=team_ids)
    child = row.episode.child
    blocked = ""
    if not row.is_pending:
        who = row.decided_by.full_name if row.decided_by else "a manager"
        when = f"{timezone.localtime(row.decided_at):%-d %B %Y}" if row.decided_at else ""
        blocked = f"This request has already been decided: {row.get_status_display().lower()} by {who} on {when}"
    if request.method == "POST":
        form = ApprovalDecisionForm(request.POST, kind=row.kind)
        if form.is_valid():
            data = form.cleaned_data
            if blocked:
                form.add_error(None, blocked)
            else:
                try:
                    approval_decide(
                        actor=request.user, request=row, expected_version=data["version"],
                        approve=data["decision"] == "approve", rationale=data["rationale"],
                        manager=getattr(request.user, "staff", None), request_id=request_id(request),
                    )
                except (ValidationFailed, ConcurrentEditError) as exc:
                    form.add_service_error(exc)
                else:
                    what = "Closure" if row.kind == "closure" else "Child in need plan"
                    verb = "approved" if data["decision"] == "approve" else "returned to the social worker"
                    messages.success(request, f"{what} for {child.full_name} {verb}")
                    return redirect("frontend:team-signoff")
    else:
        form = ApprovalDecisionForm(initial={"version": row.version}, kind=row.kind)
    log_view(request, child)
    context = _team_context(request, team_ids, "signoff")
    context.update(
        {
            "row": row,
            "child": child,
            "form": form,
            "blocked": blocked,
            "waiting_days": (clock.today() - timezone.localtime(row.requested_at).date()).days,
            "deadlines": casework.open_deadlines(child=child) if row.kind == "closure" and row.is_pending else [],
        }
    )
    return render(request, "frontend/team/signoff_request.html", context)


@policy("manages_team")
@login_required
@require_http_methods(["GET", "POST"])
def team_signoff_assessment(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    from safehold.casework.services import assessment_authorise

    team_ids = _team_scope(request)
    assessment = casework.assessment_for_signoff(user=request.user, pk=assessment_pk, team_ids=team_ids)
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
                    reason=data["rationale"], request_id=request_id(request),
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
