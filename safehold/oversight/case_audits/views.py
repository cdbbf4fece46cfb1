"""Case audit pages: thin adapters (parse → authorise → one service or selector → render).

Auditors (team managers and above) run the programme, audit, moderate and read the trends. Social workers
read the audits of their own children. Every page that shows a child's audit logs an ``AccessEvent``; the
trends page is counts only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safehold.accounts.policies import policy
from safehold.audit.services import access_record, access_record_many
from safehold.casework.selectors import child_for
from safehold.core import clock
from safehold.core.exceptions import ValidationFailed
from safehold.core.middleware import request_id
from safehold.oversight import charts
from safehold.oversight.case_audits import forms, selectors, services
from safehold.oversight.case_audits.domains import domain_titles
from safehold.oversight.choices import Grade
from safehold.oversight.forms import ActionCompleteForm
from safehold.oversight.views import csv_response

GRADE_COLOURS = {
    Grade.OUTSTANDING: "#00703c",
    Grade.GOOD: "#1d70b8",
    Grade.REQUIRES_IMPROVEMENT: "#f47738",
    Grade.INADEQUATE: "#d4351c",
}



def _staff_or_404(request: HttpRequest) -> Any:
    staff = getattr(request.user, "staff", None)
    if staff is None:
        raise Http404("No such page")
    return staff


def _log(request: HttpRequest, child_id: int) -> None:
    access_record(actor=request.user, kind="view", child_id=child_id, path=request.path, request_id=request_id(request))


def _ctx(**extra: Any) -> dict[str, Any]:
    return {"nav": "audits", **extra}


# --- Lists and the programme ----------------------------------------------------------------------------------


@policy("audits")
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """Auditors: the programmes, audits awaiting moderation and recent audits. Social workers: the audits of
    their children."""
    auditor = selectors.is_auditor(request.user)
    recent = list(selectors.audits_visible(user=request.user)[:50])
    for a in recent:
        setattr(a, "theme_text", selectors.theme_label(a.theme))  # noqa: B010 - a display attribute for the template
    waiting = list(selectors.awaiting_moderation(user=request.user)[:50]) if auditor else []
    ids = sorted({a.child_id for a in recent} | {a.child_id for a in waiting})
    access_record_many(
        actor=request.user, kind="view", child_ids=ids, path=request.path, request_id=request_id(request)
    )
    ctx = _ctx(
        auditor=auditor,
        recent=recent,
        waiting=waiting,
        programmes=list(selectors.programmes()[:20]) if auditor else [],
    )
    return render(request, "oversight/audits/list.html", ctx)


@policy("auditor")
@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = forms.ProgrammeForm(request.POST)
        if form.is_valid():
            try:
                programme = services.audit_programme_create(
                    actor=request.user, title=form.cleaned_data["title"], request_id=request_id(request)
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Programme created. Now give each month a theme.")
                return redirect("oversight:audit-programme", programme.pk)
    else:
        form = forms.ProgrammeForm()
    ctx = _ctx(
        form=form, title="New audit programme", submit="Create the programme", cancel=reverse("oversight:audits")
    )
    return render(request, "oversight/audits/form.html", ctx)


@policy("auditor")
@login_required
@require_http_methods(["GET", "POST"])
def programme_detail(request: HttpRequest, programme_pk: int) -> HttpResponse:
    """The programme's months, and the form to give another month a theme."""
    programme = selectors.programme_for(pk=programme_pk)
    today = clock.today()
    if request.method == "POST":
        form = forms.MonthForm(request.POST, today=today)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.audit_month_add(
                    actor=request.user,
                    programme=programme,
                    month=data["month"],
                    theme=data["theme"],
                    sample_size=data["sample_size"],
                    seed=data["seed"],
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Theme set for {data['month']:%B %Y}")
                return redirect("oversight:audit-programme", programme.pk)
    else:
        form = forms.MonthForm(today=today, initial={"sample_size": 8})
    ctx = _ctx(programme=programme, months=selectors.months_of(programme=programme), form=form)
    return render(request, "oversight/audits/programme.html", ctx)


@policy("auditor")
@login_required
def month_detail(request: HttpRequest, month_pk: int) -> HttpResponse:
    """The month's sample (the children the user may see), each with its audit or a link to audit it."""
    month = selectors.month_for(pk=month_pk)
    rows, hidden = selectors.sample_for(user=request.user, month=month)
    access_record_many(
        actor=request.user,
        kind="view",
        child_ids=[r.child.pk for r in rows],
        path=request.path,
        request_id=request_id(request),
    )
    ctx = _ctx(month=month, rows=rows, hidden=hidden, theme=selectors.theme_label(month.theme))
    return render(request, "oversight/audits/month.html", ctx)


@policy("auditor")
@login_required
@require_POST
def month_draw(request: HttpRequest, month_pk: int) -> HttpResponse:
    month = selectors.month_for(pk=month_pk)
    try:
        services.audit_month_draw(actor=request.user, month=month, request_id=request_id(request))
    except ValidationFailed as exc:
        messages.error(request, "; ".join(m for ms in exc.errors.values() for m in ms))
    else:
        messages.success(request, "Sample drawn")
    return redirect("oversight:audit-month", month.pk)


# --- An audit -------------------------------------------------------------------------------------------------


def _owners(audit_or_allocation: Any) -> list[tuple[str, str]]:
    owners = []
    for label, staff in (("social worker", audit_or_allocation[0]), ("manager", audit_or_allocation[1])):
        if staff is not None:
            owners.append((str(staff.pk), f"{staff.full_name} ({label})"))
    return owners


@policy("auditor")
@login_required
@require_http_methods(["GET", "POST"])
def audit_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Audit a child: from a month's sample (``?month=``), as a re-audit (``?reaudit=``) or ad hoc."""
    child = child_for(user=request.user, pk=pk)
    auditor = _staff_or_404(request)
    month = reaudit_of = None
    raw_month, raw_reaudit = request.GET.get("month", ""), request.GET.get("reaudit", "")
    if raw_month:
        if not raw_month.isdigit():
            raise Http404("No such month")
        month = selectors.month_for(pk=int(raw_month))
    if raw_reaudit:
        if not raw_reaudit.isdigit():
            raise Http404("No such audit")
        reaudit_of = selectors.audit_for(user=request.user, pk=int(raw_reaudit))
        if reaudit_of.child_id != child.pk:
            raise Http404("No such audit")
    team, worker, manager = selectors.allocation_of(child=child)
    staff = {s.pk: s for s in (worker, manager) if s is not None}
    owners = _owners((worker, manager))
    if request.method == "POST":
        form = forms.AuditForm(request.POST, owners=owners)
        if form.is_valid():
            data = form.cleaned_data
            try:
                audit = services.case_audit_record(
                    actor=request.user,
                    auditor=auditor,
                    child=child,
                    audited_on=data["audited_on"],
                    grades=form.grades(),
                    comments=form.comments(),
                    findings=data["findings"],
                    grade=data["grade"],
                    month=month,
                    reaudit_of=reaudit_of,
                    action=data["action"],
                    action_owner=staff.get(data["action_owner"]) if data["action_owner"] else None,
                    action_due=data["action_due"],
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Audit recorded. It now needs moderating by a second auditor.")
                return redirect("oversight:audit", audit.pk)
    else:
        form = forms.AuditForm(owners=owners, initial={"audited_on": clock.today()})
    _log(request, child.pk)
    ctx = _ctx(
        form=form,
        child=child,
        month=month,
        reaudit_of=reaudit_of,
        team=team,
        worker=worker,
        manager=manager,
        theme=selectors.theme_label(month.theme) if month else ("Re-audit" if reaudit_of else "Ad hoc audit"),
    )
    return render(request, "oversight/audits/audit_form.html", ctx)


@policy("audits")
@login_required
@require_http_methods(["GET", "POST"])
def audit_detail(request: HttpRequest, audit_pk: int) -> HttpResponse:
    """The audit (grades, findings, moderation, actions, the re-audit chain); auditors can add an action."""
    audit = selectors.audit_for(user=request.user, pk=audit_pk)
    auditor = selectors.is_auditor(request.user)
    owners = _owners((audit.worker, audit.manager))
    staff = {s.pk: s for s in (audit.worker, audit.manager) if s is not None}
    form = None
    if auditor and owners:
        if request.method == "POST":
            form = forms.ActionForm(request.POST, owners=owners)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.audit_action_add(
                        actor=request.user,
                        audit=audit,
                        owner=staff.get(data["action_owner"]),
                        description=data["action"],
                        due_date=data["action_due"],
                        request_id=request_id(request),
                    )
                except ValidationFailed as exc:
                    form.add_service_error(exc)
                else:
                    messages.success(request, "Action added")
                    return redirect("oversight:audit", audit.pk)
        else:
            form = forms.ActionForm(owners=owners)
    elif request.method == "POST":
        raise Http404("No such page")
    _log(request, audit.child_id)
    titles = domain_titles()
    ctx = _ctx(
        audit=audit,
        grades=[(titles.get(g.domain, g.domain), g) for g in audit.domains.all()],
        actions=list(audit.actions.select_related("owner")),
        history=selectors.audit_history(audit=audit),
        theme=selectors.theme_label(audit.theme),
        may_moderate=selectors.may_moderate(user=request.user, audit=audit),
        auditor=auditor,
        form=form,
        today=clock.today(),
        grade_labels=dict(Grade.choices),
    )
    return render(request, "oversight/audits/audit.html", ctx)


@policy("auditor")
@login_required
@require_http_methods(["GET", "POST"])
def audit_moderate(request: HttpRequest, audit_pk: int) -> HttpResponse:
    """A second auditor agrees with the grade or regrades it with a reason. The auditor is told they cannot
    moderate their own audit (and the service refuses it)."""
    audit = selectors.audit_for(user=request.user, pk=audit_pk)
    moderator = _staff_or_404(request)
    own = moderator.pk == audit.auditor_id
    if request.method == "POST":
        form = forms.ModerationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_audit_moderate(
                    actor=request.user,
                    audit=audit,
                    moderator=moderator,
                    outcome=data["outcome"],
                    grade=data["grade"] or "",
                    reason=data["reason"],
                    moderated_on=data["moderated_on"],
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Moderation recorded")
                return redirect("oversight:audit", audit.pk)
    else:
        form = forms.ModerationForm(initial={"moderated_on": clock.today()})
    _log(request, audit.child_id)
    titles = domain_titles()
    ctx = _ctx(
        form=form,
        audit=audit,
        own=own,
        grade_labels=dict(Grade.choices),
        grades=[(titles.get(g.domain, g.domain), g) for g in audit.domains.all()],
    )
    return render(request, "oversight/audits/moderate.html", ctx)


@policy("audits")
@login_required
@require_http_methods(["GET", "POST"])
def action_complete(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = selectors.action_for(user=request.user, pk=action_pk)
    if request.method == "POST":
        form = ActionCompleteForm(request.POST)
        if form.is_valid():
            try:
                services.audit_action_complete(
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
        form = ActionCompleteForm(initial={"completed_on": clock.today()})
    _log(request, action.child_id)
    return render(request, "oversight/audits/action_complete.html", _ctx(form=form, action=action))


# --- Trends ---------------------------------------------------------------------------------------------------


@policy("auditor")
@login_required
def trends(request: HttpRequest) -> HttpResponse:
    """Final grades by month (chart and table), team and theme; filterable by team and theme; CSV."""
    teams, themes = selectors.trend_filters()
    raw_team, theme = request.GET.get("team", ""), request.GET.get("theme", "")
    team_id = int(raw_team) if raw_team.isdigit() and int(raw_team) in {t for t, _ in teams} else None
    if theme not in dict(themes):
        theme = ""
    data = selectors.trends(team_id=team_id, theme=theme)
    grade_labels = [str(label) for _, label in Grade.choices]
    if request.GET.get("format") == "csv":
        table = request.GET.get("table", "month")
        rows: list[tuple[str, selectors.GradeCounts]] = (
            data.by_team
            if table == "team"
            else data.by_theme
            if table == "theme"
            else [(m.strftime("%Y-%m"), c) for m, c in data.by_month]
        )
        return csv_response(
            f"audit-grades-by-{table if table in {'team', 'theme'} else 'month'}.csv",
            ["Group", *grade_labels, "Audits", "Good or outstanding (%)"],
            ([label, *c.ordered(), c.total, "" if c.percent_good is None else c.percent_good] for label, c in rows),
        )
    months = [m for m, _ in data.by_month]
    series = [
        (str(label), GRADE_COLOURS[Grade(value)], [c.counts[str(value)] for _, c in data.by_month])
        for value, label in Grade.choices
    ]
    scope = " ".join(
        part for part in (dict(teams).get(team_id, "") if team_id else "", dict(themes).get(theme, "")) if part
    )
    bars = charts.stacked_bar_chart(
        title=f"Audit grades by month{', ' + scope if scope else ''}", months=months, series=series, chart_id="grades"
    )
    line = charts.line_chart(
        title=f"Audits graded good or outstanding, by month{', ' + scope if scope else ''}",
        points=[(m, c.percent_good) for m, c in data.by_month],
        chart_id="good",
    )
    ctx = _ctx(
        data=data,
        bars=bars,
        line=line,
        grade_labels=grade_labels,
        teams=teams,
        themes=themes,
        team_id=team_id,
        theme=theme,
        query="&".join(p for p in (f"team={team_id}" if team_id else "", f"theme={theme}" if theme else "") if p),
    )
    return render(request, "oversight/audits/trends.html", ctx)
