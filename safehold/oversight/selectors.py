"""Reads about supervision, actions and management oversight.

Lists that name children start from ``Person.objects.visible_to(user)``. Aggregate measures (counts and
percentages over a scope: worker, team, service or the whole LA) are not limited by the viewer's own
caseload: the dashboard decides who may see which scope and suppresses small numbers for councillors.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safehold.audit.models import AuditEvent
from safehold.core import clock
from safehold.oversight.models import ManagementDecision, Supervision, SupervisionAction, SupervisionDiscussion
from safehold.people.models import Person
from safehold.workforce.choices import CASE_HOLDING_ROLES, ServiceArea
from safehold.workforce.models import Allocation, StaffMember, Team
from safehold.workforce.selectors import managed_team_ids

#: Casework sign-offs whose audit event carries the manager's rationale: part of the oversight register.
SIGN_OFF_ACTIONS: dict[str, str] = {
    "assessment.authorised": "Assessment authorised",
    "contact.decided": "Contact threshold decision",
    "episode.closed": "Case closed",
    "cin_plan.ended": "Child in need plan ended",
}
DEFAULT_SUPERVISION_WEEKS = 4
DEFAULT_OVERSIGHT_WEEKS = 6


def supervision_weeks_default() -> int:
    return int(getattr(settings, "SAFEHOLD_SUPERVISION_WEEKS", DEFAULT_SUPERVISION_WEEKS))


def oversight_weeks_default() -> int:
    return int(getattr(settings, "SAFEHOLD_OVERSIGHT_WEEKS", DEFAULT_OVERSIGHT_WEEKS))


# --- Scopes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """A level of the drill-down: the whole LA, a service area, a team or a worker."""

    level: str  # "la" | "service" | "team" | "worker"
    key: str = ""
    label: str = "Whole local authority"

    def allocation_q(self, prefix: str = "") -> Q:
        """Filter on an Allocation (``prefix`` is the path to it, e.g. ``"allocations__"``)."""
        if self.level == "service":
            return Q(**{f"{prefix}team__service_area": self.key})
        if self.level == "team":
            return Q(**{f"{prefix}team_id": int(self.key)})
        if self.level == "worker":
            return Q(**{f"{prefix}worker_id": int(self.key)})
        return Q()

    def deadline_q(self) -> Q:
        """Filter on a timescales Deadline (the worker and team the clock is attributed to, as worklists do)."""
        if self.level == "service":
            return Q(team__service_area=self.key)
        if self.level == "team":
            return Q(team_id=int(self.key))
        if self.level == "worker":
            return Q(worker_id=int(self.key))
        return Q()

    def team_ids(self) -> set[int]:
        if self.level == "service":
            return set(Team.objects.filter(service_area=self.key).values_list("pk", flat=True))
        if self.level == "team":
            return {int(self.key)}
        if self.level == "worker":
            team_id = StaffMember.objects.filter(pk=int(self.key)).values_list("team_id", flat=True).first()
            return {team_id} if team_id else set()
        return set(Team.objects.values_list("pk", flat=True))

    def parent(self) -> Scope | None:
        if self.level == "worker":
            staff = StaffMember.objects.filter(pk=int(self.key)).select_related("team").first()
            if staff and staff.team:
                return Scope("team", str(staff.team_id), staff.team.name)
            return LA
        if self.level == "team":
            team = Team.objects.filter(pk=int(self.key)).first()
            if team:
                return Scope("service", team.service_area, ServiceArea(team.service_area).label)
            return LA
        if self.level == "service":
            return LA
        return None

    def children_scopes(self) -> list[Scope]:
        """The next level down (LA → services → teams → workers)."""
        if self.level == "la":
            areas = sorted(set(Team.objects.values_list("service_area", flat=True)))
            return [Scope("service", a, ServiceArea(a).label) for a in areas]
        if self.level == "service":
            return [Scope("team", str(t.pk), t.name) for t in Team.objects.filter(service_area=self.key)]
        if self.level == "team":
            today = clock.today()
            staff = StaffMember.objects.filter(team_id=int(self.key), role__in=CASE_HOLDING_ROLES).filter(
                Q(leave_date__isnull=True) | Q(leave_date__gt=today)
            )
            return [Scope("worker", str(s.pk), s.full_name) for s in staff]
        return []


LA = Scope("la")


def scope_from(level: str | None, key: str | None) -> Scope:
    """Parse ``level``/``key`` from a query string; 404 for anything that does not exist."""
    level = level or "la"
    key = key or ""
    if level == "la":
        return LA
    if level == "service" and key in ServiceArea.values:
        return Scope("service", key, ServiceArea(key).label)
    if level in {"team", "worker"} and key.isdigit():
        if level == "team":
            team = Team.objects.filter(pk=int(key)).first()
            if team:
                return Scope("team", key, team.name)
        else:
            staff = StaffMember.objects.filter(pk=int(key)).first()
            if staff:
                return Scope("worker", key, staff.full_name)
    raise Http404("No such scope")


# --- Supervision -------------------------------------------------------------------------------------------


def supervisable_workers(*, user: Any) -> QuerySet[StaffMember]:
    """Workers in the teams the user manages (and beneath), other than the user."""
    staff = getattr(user, "staff", None)
    today = clock.today()
    qs = StaffMember.objects.filter(team_id__in=managed_team_ids(user=user)).filter(
        Q(leave_date__isnull=True) | Q(leave_date__gt=today)
    )
    if staff is not None:
        qs = qs.exclude(pk=staff.pk)
    return qs.order_by("family_name", "given_name")


def supervisions_for(*, user: Any) -> QuerySet[Supervision]:
    """Supervisions the user gave, or of workers in teams they manage."""
    staff = getattr(user, "staff", None)
    if staff is None:
        return Supervision.objects.none()
    return (
        Supervision.objects.filter(Q(manager=staff) | Q(worker__team_id__in=managed_team_ids(user=user)))
        .select_related("worker", "manager")
        .distinct()
    )


def supervision_for(*, user: Any, pk: int) -> Supervision:
    row = supervisions_for(user=user).filter(pk=pk).first()
    if row is None:
        raise Http404("No such supervision")
    return row


def worker_caseload(*, worker: StaffMember) -> QuerySet[Person]:
    return Person.objects.filter(allocations__worker=worker, allocations__end_date__isnull=True).order_by(
        "family_name", "given_name"
    )


def actions_open(*, owner: StaffMember | None = None) -> QuerySet[SupervisionAction]:
    qs = SupervisionAction.objects.filter(completed_on__isnull=True).select_related(
        "child", "owner", "discussion__supervision"
    )
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs.order_by("due_date", "pk")


def actions_overdue(*, owner: StaffMember | None = None, as_of: dt.date | None = None) -> QuerySet[SupervisionAction]:
    """Open supervision actions whose due date has passed (the worklist; the dashboard counts the same rows)."""
    return actions_open(owner=owner).filter(due_date__lt=as_of or clock.today())


def actions_for_user(*, user: Any) -> QuerySet[SupervisionAction]:
    staff = getattr(user, "staff", None)
    if staff is None:
        return SupervisionAction.objects.none()
    visible = Person.objects.visible_to(user).values("pk")
    return actions_open(owner=staff).filter(child__in=visible)


def action_for(*, user: Any, pk: int) -> SupervisionAction:
    """An open action the user owns or manages (404 otherwise)."""
    staff = getattr(user, "staff", None)
    if staff is None:
        raise Http404("No such action")
    row = (
        SupervisionAction.objects.filter(pk=pk)
        .filter(Q(owner=staff) | Q(discussion__supervision__manager=staff))
        .select_related("discussion__supervision", "child")
        .first()
    )
    if row is None:
        raise Http404("No such action")
    return row


@dataclass
class ChildOversight:
    """What the child's "management oversight" tab shows."""

    register: list[dict[str, Any]]
    discussions: list[SupervisionDiscussion]
    actions: list[SupervisionAction]
    today: dt.date
    audits: list[Any] = field(default_factory=list)
    audit_actions: list[Any] = field(default_factory=list)

    @property
    def overdue(self) -> list[SupervisionAction]:
        return [a for a in self.actions if a.completed_on is None and a.due_date < self.today]


def child_oversight(*, child: Person) -> ChildOversight:
    """The register of management decisions (sign-offs with their recorded rationale from the audit trail,
    and decisions recorded here), supervision discussions and actions, and case audits and their actions for one
    child. The caller has already checked the user may see the child (and logs the view)."""
    register: list[dict[str, Any]] = []
    for event in AuditEvent.objects.filter(child_id=child.pk, action__in=list(SIGN_OFF_ACTIONS)):
        register.append(
            {
                "date": event.occurred_at.date(),
                "kind": SIGN_OFF_ACTIONS[event.action],
                "by": event.actor_label,
                "decision": "",
                "rationale": event.reason,
            }
        )
    for md in ManagementDecision.objects.filter(child=child).select_related("decided_by"):
        register.append(
            {
                "date": md.decided_on,
                "kind": md.get_kind_display(),
                "by": md.decided_by.full_name,
                "decision": md.decision,
                "rationale": md.rationale,
            }
        )
    register.sort(key=lambda r: r["date"], reverse=True)
    discussions = list(
        SupervisionDiscussion.objects.filter(child=child).select_related("supervision__manager", "supervision__worker")
    )
    actions = list(SupervisionAction.objects.filter(child=child).select_related("owner").order_by("-due_date"))
    from safehold.oversight.case_audits import selectors as audits

    return ChildOversight(
        register=register,
        discussions=discussions,
        actions=actions,
        today=clock.today(),
        audits=audits.child_audits(child=child),
        audit_actions=audits.child_audit_actions(child=child),
    )


# --- Measures ----------------------------------------------------------------------------------------------


def _open_allocations(scope: Scope) -> QuerySet[Allocation]:
    return Allocation.objects.filter(end_date__isnull=True, child__merged_into__isnull=True).filter(
        scope.allocation_q()
    )


def discussed_since(since: dt.date) -> Exists:
    return Exists(SupervisionDiscussion.objects.filter(child=OuterRef("child_id"), supervision__held_on__gte=since))


def overseen_since(since: dt.date) -> Q:
    """Any recorded management oversight of the child since ``since``: a supervision discussion, a management
    decision or a casework sign-off with its rationale."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))  # local midnight, as the dates are
    return (
        Q(discussed_since(since))
        | Q(Exists(ManagementDecision.objects.filter(child=OuterRef("child_id"), decided_on__gte=since)))
        | Q(
            Exists(
                AuditEvent.objects.filter(
                    child_id=OuterRef("child_id"), action__in=list(SIGN_OFF_ACTIONS), occurred_at__gte=start
                )
            )
        )
    )


@dataclass(frozen=True)
class Coverage:
    discussed: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.discussed / self.total, 1) if self.total else None


def supervision_coverage(*, scope: Scope, weeks: int | None = None, as_of: dt.date | None = None) -> Coverage:
    """Open (allocated) children in the scope discussed in a supervision in the last ``weeks`` weeks
    (``as_of`` − 7×weeks days, inclusive)."""
    as_of = as_of or clock.today()
    since = as_of - dt.timedelta(weeks=weeks or supervision_weeks_default())
    qs = _open_allocations(scope)
    return Coverage(discussed=qs.filter(discussed_since(since)).count(), total=qs.count())


def supervision_coverage_by(
    *, level: str, weeks: int | None = None, as_of: dt.date | None = None
) -> dict[str, Coverage]:
    """Coverage for every worker / team / service in one query, keyed as the Scope key."""
    as_of = as_of or clock.today()
    since = as_of - dt.timedelta(weeks=weeks or supervision_weeks_default())
    column = {"worker": "worker_id", "team": "team_id", "service": "team__service_area"}[level]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, discussed in _open_allocations(LA).annotate(d=discussed_since(since)).values_list(column, "d"):
        if key is None:
            continue
        counts[str(key)][1] += 1
        counts[str(key)][0] += int(bool(discussed))
    return {k: Coverage(discussed=v[0], total=v[1]) for k, v in counts.items()}


def children_without_oversight(
    *, user: Any, scope: Scope = LA, weeks: int | None = None, as_of: dt.date | None = None
) -> QuerySet[Allocation]:
    """Open allocations (of children the user may see) with no recorded management oversight in ``weeks``."""
    as_of = as_of or clock.today()
    since = as_of - dt.timedelta(weeks=weeks or oversight_weeks_default())
    visible = Person.objects.visible_to(user).children().values("pk")
    return (
        _open_allocations(scope)
        .filter(child__in=visible)
        .exclude(overseen_since(since))
        .select_related("child", "team", "worker")
        .order_by("child__family_name", "child__given_name")
    )


def without_oversight_count(*, scope: Scope = LA, weeks: int | None = None, as_of: dt.date | None = None) -> Coverage:
    """(children without oversight, open children) in the scope — an aggregate, not limited to the viewer."""
    as_of = as_of or clock.today()
    since = as_of - dt.timedelta(weeks=weeks or oversight_weeks_default())
    qs = _open_allocations(scope)
    return Coverage(discussed=qs.exclude(overseen_since(since)).count(), total=qs.count())


def named_children(*, user: Any, scope: Scope) -> QuerySet[Person]:
    """The named children at the end of the drill-down (visible to the user)."""
    allocated = Allocation.objects.filter(child=OuterRef("pk"), end_date__isnull=True).filter(scope.allocation_q())
    return Person.objects.visible_to(user).children().filter(Exists(allocated)).order_by("family_name", "given_name")
