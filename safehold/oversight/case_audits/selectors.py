"""Reads about case audits. Audits of a child start from ``Person.objects.visible_to(user)``: an auditor sees
the audits of the children they may see; a social worker the audits of their own children (allocated to them
now, or whose work was audited). Trends are aggregates (grades counted by month, team and theme)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from safehold.accounts.policies import AUDITOR_ROLES
from safehold.accounts.roles import Role
from safehold.core import clock
from safehold.inspection.annex_a.domain import months_before
from safehold.inspection.models import SampleTheme
from safehold.oversight.choices import AD_HOC_THEME, GOOD_OR_BETTER, REAUDIT_THEME, Grade
from safehold.oversight.models import AuditAction, AuditMonth, AuditProgramme, AuditSampleChild, CaseAudit
from safehold.people.models import Person
from safehold.workforce.models import Allocation, Team

THEME_LABELS: dict[str, str] = {
    **{str(k): str(v) for k, v in SampleTheme.choices},
    AD_HOC_THEME: "Ad hoc audit",
    REAUDIT_THEME: "Re-audit",
}


def theme_label(code: str) -> str:
    return THEME_LABELS.get(code, code)


def is_auditor(user: Any) -> bool:
    return getattr(user, "role", None) in AUDITOR_ROLES


# --- Programme ------------------------------------------------------------------------------------------------


def programmes() -> QuerySet[AuditProgramme]:
    return AuditProgramme.objects.annotate(n_months=Count("months")).order_by("-created_on", "-pk")


def programme_for(*, pk: int) -> AuditProgramme:
    row = AuditProgramme.objects.filter(pk=pk).first()
    if row is None:
        raise Http404("No such programme")
    return row


@dataclass
class MonthRow:
    month: AuditMonth
    sampled: int
    audited: int
    moderated: int

    @property
    def theme_label(self) -> str:
        return theme_label(self.month.theme)


def months_of(*, programme: AuditProgramme) -> list[MonthRow]:
    months = programme.months.annotate(
        n_sample=Count("sample", distinct=True),
        n_audited=Count("audits", distinct=True),
        n_moderated=Count("audits", filter=Q(audits__moderated_on__isnull=False), distinct=True),
    ).order_by("month")
    return [MonthRow(m, m.n_sample, m.n_audited, m.n_moderated) for m in months]


def month_for(*, pk: int) -> AuditMonth:
    row = AuditMonth.objects.filter(pk=pk).select_related("programme", "drawn_by").first()
    if row is None:
        raise Http404("No such month")
    return row


@dataclass
class SampleRow:
    position: int
    child: Person
    audit: CaseAudit | None


def sample_for(*, user: Any, month: AuditMonth) -> tuple[list[SampleRow], int]:
    """The month's sample children the user may see, with each one's audit (if done); and how many of the
    sample the user may not see."""
    visible = Person.objects.visible_to(user).values("pk")
    members = list(AuditSampleChild.objects.filter(month=month).select_related("child").order_by("position"))
    shown = set(AuditSampleChild.objects.filter(month=month, child__in=visible).values_list("child_id", flat=True))
    audits = {a.child_id: a for a in CaseAudit.objects.filter(month=month)}
    rows = [SampleRow(m.position, m.child, audits.get(m.child_id)) for m in members if m.child_id in shown]
    return rows, len(members) - len(rows)


def redraw(*, month: AuditMonth) -> list[int]:
    """The sample drawn again from the same theme, date, seed and size, as its drawer (to show it
    reproduces: on an unchanged record this equals the stored sample, in order)."""
    from safehold.inspection import sampling

    if month.drawn_on is None or month.drawn_by is None:
        return []
    pool = sampling.candidates(user=month.drawn_by, theme=month.theme, as_of=month.drawn_on)
    return sampling.draw(pool, size=month.sample_size, seed=month.seed)


# --- Audits ---------------------------------------------------------------------------------------------------


def allocation_of(*, child: Person) -> tuple[Any, Any, Any]:
    """(team, worker, the team's manager) of the child's current allocation; Nones when unallocated."""
    current = (
        Allocation.objects.filter(child=child, end_date__isnull=True).select_related("team__manager", "worker").first()
    )
    if current is None:
        return None, None, None
    return current.team, current.worker, current.team.manager


def audits_visible(*, user: Any) -> QuerySet[CaseAudit]:
    """Audits the user may read: auditors, of any child they may see; social workers, of the children
    allocated to them now or whose work (as the allocated worker) was audited."""
    visible = Person.objects.visible_to(user).values("pk")
    qs = CaseAudit.objects.filter(child__in=visible).select_related(
        "child", "auditor", "moderator", "team", "worker", "manager", "month"
    )
    if is_auditor(user):
        return qs
    staff = getattr(user, "staff", None)
    if getattr(user, "role", None) == Role.SOCIAL_WORKER and staff is not None:
        mine = Allocation.objects.filter(child=OuterRef("child_id"), worker=staff, end_date__isnull=True)
        return qs.filter(Q(worker=staff) | Q(Exists(mine)))
    return qs.none()


def audit_for(*, user: Any, pk: int) -> CaseAudit:
    row = audits_visible(user=user).filter(pk=pk).first()
    if row is None:
        raise Http404("No such audit")
    return row


def awaiting_moderation(*, user: Any) -> QuerySet[CaseAudit]:
    """Audits of children the user may see, not yet moderated, that someone else audited."""
    staff = getattr(user, "staff", None)
    if staff is None or not is_auditor(user):
        return CaseAudit.objects.none()
    return (
        audits_visible(user=user).filter(moderated_on__isnull=True).exclude(auditor=staff).order_by("audited_on", "pk")
    )


def may_moderate(*, user: Any, audit: CaseAudit) -> bool:
    staff = getattr(user, "staff", None)
    return bool(is_auditor(user) and staff is not None and staff.pk != audit.auditor_id and audit.moderated_on is None)


def audit_history(*, audit: CaseAudit) -> list[CaseAudit]:
    """The chain of audits of the child this one belongs to: the first audit and its re-audits, oldest first."""
    first = audit
    while first.reaudit_of_id is not None:
        first = CaseAudit.objects.get(pk=first.reaudit_of_id)
    chain, frontier = [first], [first.pk]
    while frontier:
        nxt = list(CaseAudit.objects.filter(reaudit_of_id__in=frontier).order_by("audited_on", "pk"))
        chain.extend(nxt)
        frontier = [a.pk for a in nxt]
    return sorted(chain, key=lambda a: (a.audited_on, a.pk))


def child_audits(*, child: Person) -> list[CaseAudit]:
    """Every audit of the child (the caller has checked the user may see the child)."""
    return list(CaseAudit.objects.filter(child=child).select_related("auditor", "moderator").order_by("-audited_on"))


def child_audit_actions(*, child: Person) -> list[AuditAction]:
    return list(AuditAction.objects.filter(child=child).select_related("owner").order_by("-due_date", "-pk"))


def actions_open(*, owner: Any) -> QuerySet[AuditAction]:
    return (
        AuditAction.objects.filter(owner=owner, completed_on__isnull=True)
        .select_related("child", "audit")
        .order_by("due_date", "pk")
    )


def actions_for_user(*, user: Any) -> QuerySet[AuditAction]:
    """The user's open audit actions, for children they may see."""
    staff = getattr(user, "staff", None)
    if staff is None:
        return AuditAction.objects.none()
    return actions_open(owner=staff).filter(child__in=Person.objects.visible_to(user).values("pk"))


def action_for(*, user: Any, pk: int) -> AuditAction:
    """An open or closed audit action the user owns, or whose audit they did (404 otherwise)."""
    staff = getattr(user, "staff", None)
    if staff is None:
        raise Http404("No such action")
    row = (
        AuditAction.objects.filter(pk=pk, child__in=Person.objects.visible_to(user).values("pk"))
        .filter(Q(owner=staff) | Q(audit__auditor=staff))
        .select_related("audit", "child")
        .first()
    )
    if row is None:
        raise Http404("No such action")
    return row


# --- Trends ---------------------------------------------------------------------------------------------------

GRADE_ORDER = [str(g) for g in Grade.values]


@dataclass
class GradeCounts:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADE_ORDER, 0))

    def add(self, grade: str) -> None:
        if grade in self.counts:
            self.counts[grade] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def good_or_better(self) -> int:
        return sum(n for g, n in self.counts.items() if g in GOOD_OR_BETTER)

    @property
    def percent_good(self) -> float | None:
        return round(100 * self.good_or_better / self.total, 1) if self.total else None

    def ordered(self) -> list[int]:
        return [self.counts[g] for g in GRADE_ORDER]


@dataclass
class Trends:
    first: dt.date
    last: dt.date
    by_month: list[tuple[dt.date, GradeCounts]]
    by_team: list[tuple[str, GradeCounts]]
    by_theme: list[tuple[str, GradeCounts]]
    total: GradeCounts
    moderated: int
    regraded: int


def trends(*, as_of: dt.date | None = None, months: int = 12, team_id: int | None = None, theme: str = "") -> Trends:
    """Final grades (the moderator's where they regraded) of audits done in the ``months`` calendar months up to
    the one containing ``as_of``: by month, by team (the child's team when audited) and by theme."""
    as_of = as_of or clock.today()
    start = months_before(as_of.replace(day=1), months - 1)
    qs = CaseAudit.objects.filter(audited_on__gte=start, audited_on__lte=as_of)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    if theme:
        qs = qs.filter(theme=theme)
    month_keys = [months_before(as_of.replace(day=1), months - 1 - i) for i in range(months)]
    by_month: dict[dt.date, GradeCounts] = {m: GradeCounts() for m in month_keys}
    by_team: dict[str, GradeCounts] = defaultdict(GradeCounts)
    by_theme: dict[str, GradeCounts] = defaultdict(GradeCounts)
    total = GradeCounts()
    moderated = regraded = 0
    rows = qs.values_list("audited_on", "team__name", "theme", "grade", "moderated_grade", "moderated_on")
    for audited_on, team_name, theme_code, grade, moderated_grade, moderated_on in rows:
        final = moderated_grade or grade
        by_month[audited_on.replace(day=1)].add(final)
        by_team[team_name or "No team"].add(final)
        by_theme[theme_label(theme_code)].add(final)
        total.add(final)
        moderated += moderated_on is not None
        regraded += bool(moderated_grade)
    return Trends(
        first=start,
        last=as_of,
        by_month=list(by_month.items()),
        by_team=sorted(by_team.items()),
        by_theme=sorted(by_theme.items()),
        total=total,
        moderated=moderated,
        regraded=regraded,
    )


def trend_filters() -> tuple[list[tuple[int, str]], list[tuple[str, str]]]:
    """(teams, themes) to filter the trends by: teams with audits, and every theme."""
    team_ids = CaseAudit.objects.exclude(team__isnull=True).values_list("team_id", flat=True).distinct()
    teams = [(t.pk, t.name) for t in Team.objects.filter(pk__in=team_ids).order_by("name")]
    return teams, list(THEME_LABELS.items())
