"""Oversight pages: thin adapters (parse → authorise → one service or selector → render).

Aggregate pages (dashboard, trends) admit the leadership roles and councillors; councillors see only the
whole-LA figures, with counts under 5 suppressed and no drill-down. Pages that name children use the
``named_children`` policy and the child's ``visible_to(user)``; showing or exporting them is logged.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import policy
from safehold.accounts.roles import AGGREGATE_ONLY_ROLES, Role
from safehold.audit.services import access_record, access_record_many
from safehold.casework.selectors import child_for
from safehold.core import clock, jobs
from safehold.core.exceptions import ValidationFailed
from safehold.core.middleware import request_id
from safehold.oversight import charts, forms, indicators, selectors, services, snapshots
from safehold.oversight import packs as packs_module
from safehold.oversight.case_audits import selectors as audit_selectors
from safehold.oversight.choices import PackStatus
from safehold.oversight.models import ScrutinyPack
from safehold.oversight.selectors import LA, Scope

SUPERVISOR_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE})
DASHBOARD_ROLES = frozenset(
    {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.PERFORMANCE_ANALYST, Role.LEAD_MEMBER}
)
#: Indicators shown for each row of the drill-down table.
BREAKDOWN = ("supervision_coverage", "without_oversight", "caseload_average", "assessments_45wd")



def _aggregate_only(request: HttpRequest) -> bool:
    return getattr(request.user, "role", None) in AGGREGATE_ONLY_ROLES


def _require(request: HttpRequest, roles: frozenset[str]) -> None:
    if getattr(request.user, "role", None) not in roles:
        raise Http404("No such page")


def _staff_or_404(request: HttpRequest) -> Any:
    staff = getattr(request.user, "staff", None)
    if staff is None:
        raise Http404("No such page")
    return staff


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return response


def _scope(request: HttpRequest) -> Scope:
    scope = selectors.scope_from(request.GET.get("level"), request.GET.get("key"))
    if _aggregate_only(request) and scope != LA:
        raise Http404("No such page")
    return scope


def _live(request: HttpRequest) -> bool:
    """``?live=1`` asks for figures computed now rather than from the latest snapshot (not for councillors)."""
    return request.GET.get("live") == "1" and not _aggregate_only(request)


def _trail(scope: Scope) -> list[Scope]:
    trail = [scope]
    while (parent := trail[-1].parent()) is not None:
        trail.append(parent)
    return list(reversed(trail))


# --- Leadership dashboard ----------------------------------------------------------------------------------


@policy("signed_in")
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, DASHBOARD_ROLES)
    scope = _scope(request)
    suppress = _aggregate_only(request)
    subs = [] if suppress else scope.children_scopes()
    figures = snapshots.Figures([scope, *subs], live=_live(request), period_only=True)
    first, last = figures.period()
    national = indicators.national_figures()
    rows: list[dict[str, Any]] = []
    for ind in indicators.DASHBOARD.values():
        figure = figures.figure(scope, ind)
        nat = national.get(ind.national_code) if ind.national_code else None
        rows.append({"indicator": ind, "figure": figure, "shown": figure.display(suppress=suppress), "national": nat})
    breakdown: list[dict[str, Any]] = []
    for sub in subs:
        cells = [figures.figure(sub, indicators.DASHBOARD[c]).display() for c in BREAKDOWN]
        breakdown.append({"scope": sub, "cells": cells})
    if request.GET.get("format") == "csv":
        if request.GET.get("table") == "breakdown":
            return csv_response(
                "oversight-breakdown.csv",
                ["Level", "Name", *[indicators.DASHBOARD[c].title for c in BREAKDOWN]],
                ([b["scope"].level, b["scope"].label, *b["cells"]] for b in breakdown),
            )
        return csv_response(
            "oversight-indicators.csv",
            ["Indicator", "Scope", "Value", "Numerator", "Denominator", "England", "England year ending", "Formula"],
            (
                [
                    r["indicator"].title,
                    scope.label,
                    r["shown"],
                    "" if suppress else r["figure"].numerator,
                    "" if suppress else r["figure"].denominator,
                    r["national"].value if r["national"] else "",
                    r["national"].year_ending.isoformat() if r["national"] else "",
                    r["indicator"].formula,
                ]
                for r in rows
            ),
        )
    ctx = {
        "scope": scope,
        "trail": _trail(scope),
        "rows": rows,
        "breakdown": breakdown,
        "breakdown_titles": [indicators.DASHBOARD[c].title for c in BREAKDOWN],
        "suppress": suppress,
        "first": first,
        "last": last,
        "source": figures.source,
        "nav": "oversight",
    }
    return render(request, "oversight/dashboard.html", ctx)


@policy("signed_in")
@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    _require(request, DASHBOARD_ROLES)
    ind = indicators.DASHBOARD.get(code)
    if ind is None or not ind.trend:
        raise Http404("No such indicator")
    scope = _scope(request)
    suppress = _aggregate_only(request)
    figures = snapshots.Figures([scope], live=_live(request), codes=[code])
    series = figures.trend(scope, ind)
    table = [(month, fig, fig.display(suppress=suppress)) for month, fig in series]
    if request.GET.get("format") == "csv":
        return csv_response(
            f"oversight-{code}-trend.csv",
            ["Month", "Value", "Numerator", "Denominator"],
            (
                [m.strftime("%Y-%m"), shown, "" if suppress else f.numerator, "" if suppress else f.denominator]
                for m, f, shown in table
            ),
        )
    points = [(m, None if (suppress and shown == "fewer than 5") else f.value) for m, f, shown in table]
    chart = charts.line_chart(title=f"{ind.title}, {scope.label}, by month", points=points, unit=ind.unit)
    national = indicators.national_figures().get(ind.national_code) if ind.national_code else None
    ctx = {
        "ind": ind,
        "scope": scope,
        "table": table,
        "chart": chart,
        "national": national,
        "source": figures.source,
        "suppress": suppress,
        "nav": "oversight",
    }
    return render(request, "oversight/indicator.html", ctx)


@policy("signed_in")
@login_required
def trends(request: HttpRequest) -> HttpResponse:
    """Every trend indicator month by month (13 months) for the scope: a chart beside its data table each."""
    _require(request, DASHBOARD_ROLES)
    scope = _scope(request)
    suppress = _aggregate_only(request)
    codes = [code for code, ind in indicators.DASHBOARD.items() if ind.trend]
    figures = snapshots.Figures([scope], live=_live(request), codes=codes)
    sections: list[dict[str, Any]] = []
    for code in codes:
        ind = indicators.DASHBOARD[code]
        table = [(month, fig, fig.display(suppress=suppress)) for month, fig in figures.trend(scope, ind)]
        points = [(m, None if (suppress and shown == "fewer than 5") else f.value) for m, f, shown in table]
        chart = charts.line_chart(
            title=f"{ind.title}, {scope.label}, by month", points=points, unit=ind.unit, chart_id=f"chart-{code}"
        )
        sections.append({"indicator": ind, "table": table, "chart": chart})
    if request.GET.get("format") == "csv":
        csv_rows = [(s["indicator"].title, m, f, shown) for s in sections for m, f, shown in s["table"]]
        return csv_response(
            "oversight-trends.csv",
            ["Indicator", "Month", "Value", "Numerator", "Denominator"],
            (
                [title, m.strftime("%Y-%m"), shown, "" if suppress else f.numerator, "" if suppress else f.denominator]
                for title, m, f, shown in csv_rows
            ),
        )
    ctx = {
        "scope": scope,
        "trail": _trail(scope),
        "sections": sections,
        "source": figures.source,
        "suppress": suppress,
        "nav": "oversight",
    }
    return render(request, "oversight/trends.html", ctx)


@policy("named_children")
@login_required
def scope_children(request: HttpRequest) -> HttpResponse:
    """The end of the drill-down: the named children of a worker or team (those the user may see)."""
    _require(request, DASHBOARD_ROLES)
    scope = _scope(request)
    if scope.level not in {"team", "worker"}:
        raise Http404("No such page")
    children = list(selectors.named_children(user=request.user, scope=scope))
    ids = [c.pk for c in children]
    if request.GET.get("format") == "csv":
        access_record_many(
            actor=request.user, kind="export", child_ids=ids, path=request.path, request_id=request_id(request)
        )
        return csv_response(
            "oversight-children.csv",
            ["LA child id", "Name", "Date of birth"],
            ([c.la_child_id, c.full_name, c.date_of_birth] for c in children),
        )
    access_record_many(
        actor=request.user, kind="view", child_ids=ids, path=request.path, request_id=request_id(request)
    )
    return render(
        request,
        "oversight/children.html",
        {"scope": scope, "trail": _trail(scope), "children": children, "nav": "oversight"},
    )


@policy("named_children")
@login_required
def no_oversight(request: HttpRequest) -> HttpResponse:
    """Open children with no management oversight recorded in N weeks (those the user may see)."""
    _require(request, DASHBOARD_ROLES)  # a management report, like the drill-down it is reached from
    weeks_raw = request.GET.get("weeks", "")
    weeks = int(weeks_raw) if weeks_raw.isdigit() and 0 < int(weeks_raw) <= 52 else selectors.oversight_weeks_default()
    rows = list(selectors.children_without_oversight(user=request.user, weeks=weeks))
    ids = [r.child_id for r in rows]
    if request.GET.get("format") == "csv":
        access_record_many(
            actor=request.user, kind="export", child_ids=ids, path=request.path, request_id=request_id(request)
        )
        return csv_response(
            "no-management-oversight.csv",
            ["LA child id", "Name", "Team", "Worker"],
            ([r.child.la_child_id, r.child.full_name, r.team.name, r.worker or ""] for r in rows),
        )
    access_record_many(
        actor=request.user, kind="view", child_ids=ids, path=request.path, request_id=request_id(request)
    )
    return render(request, "oversight/no_oversight.html", {"rows": rows, "weeks": weeks, "nav": "oversight"})


# --- Scrutiny packs -----------------------------------------------------------------------------------------


def _pack_or_404(pack_pk: int) -> ScrutinyPack:
    pack = ScrutinyPack.objects.select_related("requested_by").filter(pk=pack_pk).first()
    if pack is None:
        raise Http404("No such scrutiny pack")
    return pack


@policy("signed_in")
@login_required
@require_http_methods(["GET", "POST"])
def packs(request: HttpRequest) -> HttpResponse:
    """Request a month's scrutiny pack (built in the background) and list the packs made."""
    _require(request, DASHBOARD_ROLES)
    months = [(m.isoformat(), f"{m:%B %Y}") for m in packs_module.pack_months()]
    if request.method == "POST":
        form = forms.ScrutinyPackForm(request.POST, months=months)
        if form.is_valid():
            try:
                pack = packs_module.scrutiny_pack_request(
                    actor=request.user,
                    month=dt.date.fromisoformat(form.cleaned_data["month"]),
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                return redirect("oversight:pack", pack.pk)
    else:
        form = forms.ScrutinyPackForm(months=months)
    rows = list(ScrutinyPack.objects.select_related("requested_by").defer("file")[:24])
    return render(request, "oversight/packs.html", {"form": form, "rows": rows, "nav": "oversight"})


@policy("signed_in")
@login_required
def pack_detail(request: HttpRequest, pack_pk: int) -> HttpResponse:
    _require(request, DASHBOARD_ROLES)
    pack = _pack_or_404(pack_pk)
    worker_failed = not pack.is_finished and jobs.task_failed(pack.task_id)
    finished = pack.is_finished or worker_failed
    ctx = {
        "job": pack,
        "pack": pack,
        "finished": finished,
        "worker_failed": worker_failed,
        "auto_refresh": jobs.wants_refresh(request),
        "refresh_seconds": jobs.REFRESH_SECONDS,
        "nav": "oversight",
    }
    response = render(request, "oversight/pack.html", ctx)
    return jobs.refresh_while_running(response, request, finished=finished)


@policy("signed_in")
@login_required
def pack_download(request: HttpRequest, pack_pk: int) -> HttpResponse:
    _require(request, DASHBOARD_ROLES)
    pack = _pack_or_404(pack_pk)
    if pack.status != PackStatus.READY:
        raise Http404("The pack is not ready")
    packs_module.scrutiny_pack_download(actor=request.user, pack=pack, request_id=request_id(request))
    html = bytes(pack.file or b"").decode("utf-8")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{pack.file_name}"'
    # The pack is self-contained: its one <style> element is allowed by its hash, nothing else.
    response["Content-Security-Policy"] = (
        f"default-src 'none'; style-src '{packs_module.style_hash(html)}'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Supervision -------------------------------------------------------------------------------------------


@policy("named_children")
@login_required
def supervision_list(request: HttpRequest) -> HttpResponse:
    _require(request, SUPERVISOR_ROLES)
    rows = list(selectors.supervisions_for(user=request.user)[:100])
    coverage = selectors.supervision_coverage_by(level="worker")
    workers = [(w, coverage.get(str(w.pk))) for w in selectors.supervisable_workers(user=request.user)]
    if request.GET.get("format") == "csv":
        return csv_response(
            "supervision-coverage.csv",
            ["Worker", "Children discussed", "Open children", "Percent"],
            ([w.full_name, c.discussed if c else 0, c.total if c else 0, c.percent if c else ""] for w, c in workers),
        )
    ctx = {"rows": rows, "workers": workers, "weeks": selectors.supervision_weeks_default(), "nav": "oversight"}
    return render(request, "oversight/supervision_list.html", ctx)


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def supervision_new(request: HttpRequest) -> HttpResponse:
    _require(request, SUPERVISOR_ROLES)
    manager = _staff_or_404(request)
    workers = {w.pk: w for w in selectors.supervisable_workers(user=request.user)}
    choices = [(str(pk), w.full_name) for pk, w in workers.items()]
    if request.method == "POST":
        form = forms.SupervisionForm(request.POST, workers=choices)
        if form.is_valid():
            try:
                row = services.supervision_record(
                    actor=request.user,
                    manager=manager,
                    worker=workers[form.cleaned_data["worker"]],
                    held_on=form.cleaned_data["held_on"],
                    notes=form.cleaned_data["notes"],
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Supervision recorded. Now record the discussion of each child.")
                return redirect("oversight:supervision", row.pk)
    else:
        form = forms.SupervisionForm(workers=choices)
    return render(request, "oversight/supervision_form.html", {"form": form, "nav": "oversight"})


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def supervision_detail(request: HttpRequest, supervision_pk: int) -> HttpResponse:
    _require(request, SUPERVISOR_ROLES)
    supervision = selectors.supervision_for(user=request.user, pk=supervision_pk)
    from safehold.people.models import Person

    caseload = {
        c.pk: c
        for c in selectors.worker_caseload(worker=supervision.worker).filter(
            pk__in=Person.objects.visible_to(request.user).values("pk")
        )
    }
    children = [(str(pk_), c.full_name) for pk_, c in caseload.items()]
    owners = {s.pk: s for s in (supervision.worker, supervision.manager)}
    owner_choices = [(str(k), v.full_name) for k, v in owners.items()]
    if request.method == "POST":
        form = forms.DiscussionForm(request.POST, children=children, owners=owner_choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.supervision_discussion_add(
                    actor=request.user,
                    supervision=supervision,
                    child=caseload[data["child"]],
                    discussion=data["discussion"],
                    decision=data["decision"],
                    impact_analysis=data["impact_analysis"],
                    action=data["action"],
                    action_owner=owners.get(data["action_owner"]) if data["action_owner"] else None,
                    action_due=data["action_due"],
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Discussion recorded")
                return redirect("oversight:supervision", supervision.pk)
    else:
        form = forms.DiscussionForm(children=children, owners=owner_choices)
    discussions = list(supervision.discussions.select_related("child").prefetch_related("actions__owner"))
    for d in discussions:
        access_record(
            actor=request.user, kind="view", child_id=d.child_id, path=request.path, request_id=request_id(request)
        )
    ctx = {"supervision": supervision, "discussions": discussions, "form": form, "nav": "oversight"}
    return render(request, "oversight/supervision.html", ctx)


@policy("named_children")
@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    """The user's open actions, from supervision and from case audits, each by due date (overdue first)."""
    rows = list(selectors.actions_for_user(user=request.user))
    audit_rows = list(audit_selectors.actions_for_user(user=request.user))
    today = clock.today()
    ids = sorted({a.child_id for a in rows} | {a.child_id for a in audit_rows})
    if request.GET.get("format") == "csv":
        access_record_many(
            actor=request.user, kind="export", child_ids=ids, path=request.path, request_id=request_id(request)
        )
        return csv_response(
            "my-actions.csv",
            ["From", "Child", "Action", "Due", "Overdue"],
            [
                *(
                    ["Supervision", a.child.full_name, a.description, a.due_date, "yes" if a.due_date < today else "no"]
                    for a in rows
                ),
                *(
                    ["Case audit", a.child.full_name, a.description, a.due_date, "yes" if a.due_date < today else "no"]
                    for a in audit_rows
                ),
            ],
        )
    access_record_many(
        actor=request.user, kind="view", child_ids=ids, path=request.path, request_id=request_id(request)
    )
    ctx = {"rows": rows, "audit_rows": audit_rows, "today": today, "nav": "oversight"}
    return render(request, "oversight/actions.html", ctx)


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def action_complete(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = selectors.action_for(user=request.user, pk=action_pk)
    child_for(user=request.user, pk=action.child_id)
    if request.method == "POST":
        form = forms.ActionCompleteForm(request.POST)
        if form.is_valid():
            try:
                services.supervision_action_complete(
                    actor=request.user,
                    action=action,
                    completed_on=form.cleaned_data["completed_on"],
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Action marked complete")
                return redirect("oversight:actions")
    else:
        form = forms.ActionCompleteForm(initial={"completed_on": clock.today()})
    return render(request, "oversight/action_complete.html", {"form": form, "action": action, "nav": "oversight"})


# --- A child's management oversight ------------------------------------------------------------------------


@policy("named_children")
@login_required
def child_oversight(request: HttpRequest, pk: int) -> HttpResponse:
    child = child_for(user=request.user, pk=pk)
    access_record(actor=request.user, kind="view", child_id=child.pk, path=request.path, request_id=request_id(request))
    ctx = {
        "child": child,
        "oversight": selectors.child_oversight(child=child),
        "may_decide": getattr(request.user, "role", None) in SUPERVISOR_ROLES,
        "may_audit": audit_selectors.is_auditor(request.user),
        "readable_audits": set(
            audit_selectors.audits_visible(user=request.user).filter(child=child).values_list("pk", flat=True)
        ),
    }
    return render(request, "oversight/child.html", ctx)


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, SUPERVISOR_ROLES)
    child = child_for(user=request.user, pk=pk)
    manager = _staff_or_404(request)
    if request.method == "POST":
        form = forms.DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.management_decision_record(
                    actor=request.user,
                    child=child,
                    kind=data["kind"],
                    decided_on=data["decided_on"],
                    decided_by=manager,
                    decision=data["decision"],
                    rationale=data["rationale"],
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Management decision recorded")
                return redirect("oversight:child", child.pk)
    else:
        form = forms.DecisionForm(initial={"decided_on": clock.today()})
    access_record(actor=request.user, kind="view", child_id=child.pk, path=request.path, request_id=request_id(request))
    return render(request, "oversight/decision_form.html", {"form": form, "child": child})
