"""Workforce pages for team managers (their own teams), heads of service and directors: establishment and
vacancies, starters and leavers, caseload distribution, newly qualified social workers (ASYE) and training.

Thin adapters (parse → authorise → one selector or service → render). No page here names a child: caseloads
are counts, so no AccessEvent is written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import policy
from safehold.accounts.roles import Role
from safehold.core import clock
from safehold.core.exceptions import ValidationFailed
from safehold.core.middleware import request_id
from safehold.workforce import forms, selectors, services
from safehold.workforce.census import year_start
from safehold.workforce.choices import LeaveReason
from safehold.workforce.models import Post, StaffMember, Team


def _csv(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return response


def _teams(request: HttpRequest) -> set[int]:
    """The teams the user may see; 404 for a team manager who manages none."""
    ids = selectors.workforce_team_ids(user=request.user)
    if not ids:
        raise Http404("You do not manage a team")
    return ids


class Scope:
    """The teams a page covers: all the user may see, or one of them (``?team=``)."""

    def __init__(self, request: HttpRequest) -> None:
        self.allowed = _teams(request)
        self.teams = selectors.teams_by_id(team_ids=self.allowed)
        raw = request.GET.get("team", "")
        self.team: Team | None = None
        if raw:
            if not raw.isdigit() or int(raw) not in self.allowed:
                raise Http404("No such team")
            self.team = next(t for t in self.teams if t.pk == int(raw))
        self.team_ids = {self.team.pk} if self.team else self.allowed
        self.whole_la = self.team is None and getattr(request.user, "role", None) in {
            Role.HEAD_OF_SERVICE,
            Role.DIRECTOR,
        }

    @property
    def census_team_ids(self) -> set[int] | None:
        """None for the whole LA (staff with no team, such as heads of service, count too)."""
        return None if self.whole_la else self.team_ids

    @property
    def label(self) -> str:
        if self.team:
            return self.team.name
        return "Whole local authority" if self.whole_la else "Your teams"

    @property
    def query(self) -> str:
        return f"team={self.team.pk}" if self.team else ""


def _ctx(scope: Scope, tab: str, **extra: Any) -> dict[str, Any]:
    return {"scope": scope, "tab": tab, "nav": "workforce", **extra}


def _staff_choices(team_ids: set[int]) -> list[tuple[str, str]]:
    staff = selectors.staff_in_teams(team_ids=team_ids, as_of=clock.today()).select_related("team")
    return [(str(s.pk), f"{s.full_name} – {s.get_role_display()}, {s.team}") for s in staff]


@policy("workforce")
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    from safehold.oversight.indicators import national_figures

    scope = Scope(request)
    today = clock.today()
    measures = selectors.census_measures(team_ids=scope.census_team_ids, as_of=today)
    rows = selectors.establishment(team_ids=scope.team_ids, as_of=today)
    if request.GET.get("format") == "csv":
        return _csv(
            "establishment.csv",
            [
                "Team",
                "Posts",
                "Post FTE",
                "Filled by LA-employed staff (FTE)",
                "Covered by agency workers (FTE)",
                "Vacant (FTE)",
                "Census vacancies (FTE)",
            ],
            (
                [
                    r.team.name,
                    r.posts,
                    r.fte,
                    r.ftes["permanent"],
                    r.ftes["agency"],
                    r.ftes["vacant"],
                    r.census_vacancy_fte,
                ]
                for r in rows
            ),
        )
    national = national_figures()
    rates = [
        (
            "Agency rate",
            measures.agency_rate,
            national.get("sw_agency_worker_rate_fte_pct"),
            "agency_rate",
            "agency FTE ÷ (agency FTE + LA-employed FTE in post), today",
        ),
        (
            "Turnover rate",
            measures.turnover_rate,
            national.get("sw_turnover_rate_fte_pct"),
            "turnover_rate",
            "FTE of LA-employed leavers in the last 12 months ÷ LA-employed FTE in post today",
        ),
        (
            "Vacancy rate",
            measures.vacancy_rate,
            national.get("sw_vacancy_rate_fte_pct"),
            "vacancy_rate",
            "FTE of posts vacant or covered by agency workers ÷ (that FTE + LA-employed FTE in post), today",
        ),
    ]
    return render(
        request, "workforce/overview.html", _ctx(scope, "overview", measures=measures, rows=rows, rates=rates)
    )


@policy("workforce")
@login_required
def posts(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    rows = selectors.posts_with_status(team_ids=scope.team_ids, as_of=clock.today())
    if request.GET.get("format") == "csv":
        return _csv(
            "posts.csv",
            ["Team", "Role", "FTE", "Status", "Held by", "Added"],
            (
                [p.team.name, p.get_role_display(), p.fte, status, p.holder.full_name if p.holder else "", p.opened_on]
                for p, status in rows
            ),
        )
    return render(request, "workforce/posts.html", _ctx(scope, "overview", rows=rows))


@policy("workforce")
@login_required
@require_http_methods(["GET", "POST"])
def post_new(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    teams = {t.pk: t for t in scope.teams}
    staff = {s.pk: s for s in selectors.staff_in_teams(team_ids=scope.allowed, as_of=clock.today())}
    kwargs = {"teams": [(str(pk), t.name) for pk, t in teams.items()], "staff": _staff_choices(scope.allowed)}
    if request.method == "POST":
        form = forms.PostForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                post = services.post_create(
                    actor=request.user,
                    team=teams[data["team"]],
                    role=data["role"],
                    fte=data["fte"],
                    opened_on=data["opened_on"],
                    holder=staff.get(data["holder"]) if data["holder"] else None,
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Post added: {post}")
                return redirect(f"{reverse('workforce:posts')}?team={post.team_id}")
    else:
        form = forms.PostForm(
            initial={"team": scope.team.pk if scope.team else None, "fte": "1", "opened_on": clock.today()}, **kwargs
        )
    return render(
        request, "workforce/form.html", _ctx(scope, "overview", form=form, title="Add a post", submit="Add the post")
    )


@policy("workforce")
@login_required
@require_http_methods(["GET", "POST"])
def post_holder(request: HttpRequest, post_pk: int) -> HttpResponse:
    scope = Scope(request)
    post = (
        Post.objects.filter(pk=post_pk, team_id__in=scope.allowed, closed_on__isnull=True)
        .select_related("team", "holder")
        .first()
    )
    if post is None:
        raise Http404("No such post")
    staff = {s.pk: s for s in selectors.staff_in_teams(team_ids={post.team_id}, as_of=clock.today())}
    choices = _staff_choices({post.team_id})
    if request.method == "POST":
        form = forms.HolderForm(request.POST, staff=choices)
        if form.is_valid():
            holder_pk = form.cleaned_data["holder"]
            try:
                services.post_set_holder(
                    actor=request.user,
                    post=post,
                    holder=staff.get(holder_pk) if holder_pk else None,
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Post updated")
                return redirect(f"{reverse('workforce:posts')}?team={post.team_id}")
    else:
        form = forms.HolderForm(staff=choices, initial={"holder": post.holder_id})
    return render(
        request,
        "workforce/form.html",
        _ctx(scope, "overview", form=form, title="Who holds this post?", caption=str(post), submit="Save"),
    )


@policy("workforce")
@login_required
def movement(request: HttpRequest) -> HttpResponse:
    """Starters and leavers in the last 12 months, with leavers' reasons."""
    scope = Scope(request)
    today = clock.today()
    started, left = selectors.starters_and_leavers(team_ids=scope.team_ids, as_of=today)
    if request.GET.get("format") == "csv":
        return _csv(
            "starters-and-leavers.csv",
            ["Movement", "Name", "Role", "Team", "Employment", "FTE", "Date", "Reason for leaving"],
            [
                *(
                    [
                        "Starter",
                        s.full_name,
                        s.get_role_display(),
                        s.team,
                        s.get_employment_display(),
                        s.fte,
                        s.start_date,
                        "",
                    ]
                    for s in started
                ),
                *(
                    [
                        "Leaver",
                        s.full_name,
                        s.get_role_display(),
                        s.team,
                        s.get_employment_display(),
                        s.fte,
                        s.leave_date,
                        s.get_leave_reason_display(),
                    ]
                    for s in left
                ),
            ],
        )
    ctx = _ctx(
        scope,
        "movement",
        started=started,
        left=left,
        reasons=selectors.leave_reason_summary(left),
        first=year_start(today),
        today=today,
    )
    return render(request, "workforce/movement.html", ctx)


@policy("workforce")
@login_required
@require_http_methods(["GET", "POST"])
def leave_reason(request: HttpRequest, staff_pk: int) -> HttpResponse:
    scope = Scope(request)
    staff = StaffMember.objects.filter(pk=staff_pk, team_id__in=scope.allowed, leave_date__isnull=False).first()
    if staff is None:
        raise Http404("No such leaver")
    if request.method == "POST":
        form = forms.LeaveReasonForm(request.POST)
        if form.is_valid():
            try:
                services.staff_leave_reason_set(
                    actor=request.user, staff=staff, reason=form.cleaned_data["reason"], request_id=request_id(request)
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Reason for leaving recorded for {staff}")
                return redirect("workforce:movement")
    else:
        form = forms.LeaveReasonForm(initial={"reason": staff.leave_reason or None})
    caption = f"{staff.full_name}, left {staff.leave_date:%-d %B %Y}"
    return render(
        request,
        "workforce/form.html",
        _ctx(
            scope,
            "movement",
            form=form,
            title="Reason for leaving",
            caption=caption,
            submit="Save",
            reasons=LeaveReason.choices,
        ),
    )


@policy("workforce")
@login_required
def caseloads(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    dist = selectors.caseload_distribution(team_ids=scope.team_ids)
    if request.GET.get("format") == "csv":
        return _csv(
            "caseloads.csv",
            ["Worker", "Role", "Team", "FTE", "Children", "Weighted caseload", "Team limit", "Over limit"],
            (
                [w.name, w.role, w.team, w.fte, w.children, w.weighted, w.limit, "yes" if w.over_limit else "no"]
                for w in dist.workers
            ),
        )
    weights = [(selectors.CATEGORY_LABELS[k], w) for k, w in selectors.CASELOAD_WEIGHTS.items()]
    return render(request, "workforce/caseloads.html", _ctx(scope, "caseloads", dist=dist, weights=weights))


@policy("workforce")
@login_required
def asye(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    rows = selectors.asye_workers(team_ids=scope.team_ids)
    if request.GET.get("format") == "csv":
        return _csv(
            "asye.csv",
            ["Worker", "Team", "Started", "ASYE ends", "Children", "Weighted caseload", "Protected limit", "Over"],
            (
                [
                    r.load.name,
                    r.load.team,
                    r.started,
                    r.asye_ends,
                    r.load.children,
                    r.load.weighted,
                    r.limit,
                    "yes" if r.over_protected_limit else "no",
                ]
                for r in rows
            ),
        )
    ctx = _ctx(
        scope,
        "asye",
        rows=rows,
        limit=selectors.asye_caseload_limit(),
        over=sum(1 for r in rows if r.over_protected_limit),
    )
    return render(request, "workforce/asye.html", ctx)


TRAINING_FILTERS = {
    "expired": "Expired",
    "expiring": "Expiring in 90 days",
    "current": "Current",
    "no_expiry": "No expiry",
}


@policy("workforce")
@login_required
def training(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    status = request.GET.get("status", "")
    if status and status not in TRAINING_FILTERS:
        status = ""
    rows = selectors.training_records(team_ids=scope.team_ids, as_of=clock.today(), status=status)
    if request.GET.get("format") == "csv":
        return _csv(
            "training.csv",
            ["Member of staff", "Team", "Course", "Provider", "Completed", "Expires", "Status"],
            (
                [
                    r.staff.full_name,
                    r.staff.team,
                    r.course,
                    r.provider,
                    r.completed_on,
                    r.expires_on,
                    TRAINING_FILTERS[st],
                ]
                for r, st in rows
            ),
        )
    ctx = _ctx(scope, "training", rows=rows, status=status, filters=TRAINING_FILTERS)
    return render(request, "workforce/training.html", ctx)


@policy("workforce")
@login_required
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest) -> HttpResponse:
    scope = Scope(request)
    staff = {s.pk: s for s in selectors.staff_in_teams(team_ids=scope.allowed, as_of=clock.today())}
    choices = _staff_choices(scope.allowed)
    if request.method == "POST":
        form = forms.TrainingForm(request.POST, staff=choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.training_record_add(
                    actor=request.user,
                    staff=staff[data["staff"]],
                    course=data["course"],
                    completed_on=data["completed_on"],
                    expires_on=data["expires_on"],
                    provider=data["provider"],
                    request_id=request_id(request),
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Training recorded")
                return redirect("workforce:training")
    else:
        form = forms.TrainingForm(staff=choices)
    return render(
        request, "workforce/form.html", _ctx(scope, "training", form=form, title="Record training", submit="Save")
    )
