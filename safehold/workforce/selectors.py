"""Reads about caseloads and allocation. Every selector starts from what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery

from safehold.core import clock
from safehold.people.models import Person


def caseload_for(*, user: Any) -> QuerySet[Any]:
    """The children currently allocated to the user, with what a social worker needs at a glance."""
    from safehold.casework.models import ChildProtectionPlan, CINPlan
    from safehold.looked_after.models import PeriodOfCare
    from safehold.timescales.models import Deadline, DeadlineState
    from safehold.workforce.models import Allocation

    staff = getattr(user, "staff", None)
    if staff is None:
        return Person.objects.none()
    mine = Allocation.objects.filter(child=OuterRef("pk"), end_date__isnull=True, worker=staff)
    open_cp = ChildProtectionPlan.objects.filter(episode__child=OuterRef("pk"), end_date__isnull=True)
    open_cin = CINPlan.objects.filter(episode__child=OuterRef("pk"), end_date__isnull=True)
    in_care = PeriodOfCare.objects.filter(child=OuterRef("pk"), end_date__isnull=True)
    return (
        Person.objects.visible_to(user)
        .filter(Exists(mine))
        .annotate(
            next_due=Min("deadlines__due_date", filter=Q(deadlines__state=DeadlineState.DUE)),
            next_rule=Subquery(
                Deadline.objects.filter(child=OuterRef("pk"), state=DeadlineState.DUE)
                .order_by("due_date", "rule_code")
                .values("rule_code")[:1]
            ),
            overdue=Count("deadlines", filter=Q(deadlines__state=DeadlineState.OVERDUE), distinct=True),
            last_visit=Max("visits__visited_on", filter=Q(visits__seen=True)),
            on_cp_plan=Exists(open_cp),
            on_cin_plan=Exists(open_cin),
            looked_after=Exists(in_care),
            allocated_since=Subquery(mine.values("start_date")[:1]),
        )
        .order_by("family_name", "given_name")
    )


def plan_label(child: Any) -> str:
    if getattr(child, "looked_after", False):
        return "Child in care"
    if getattr(child, "on_cp_plan", False):
        return "Child protection plan"
    if getattr(child, "on_cin_plan", False):
        return "Child in need plan"
    return "Assessment or other"


# --- Team manager views -------------------------------------------------------------------------------------

#: Weighted caseload: a child counts at the weight of the heaviest work they need, so a worker's load reflects
#: more than the number of children. Local standard, documented in docs: child protection 1.5, child in care
#: 1.25, child in need 1, assessment 1; any other allocated child 1. A team's ``caseload_limit`` is compared with
#: the weighted figure.
CASELOAD_WEIGHTS: dict[str, Decimal] = {
    "cp": Decimal("1.5"),
    "cla": Decimal("1.25"),
    "cin": Decimal("1"),
    "assessment": Decimal("1"),
    "other": Decimal("1"),
}
CATEGORY_LABELS = {
    "cp": "Child protection",
    "cla": "Child in care",
    "cin": "Child in need",
    "assessment": "Assessment",
    "other": "Other",
}


def managed_team_ids(*, user: Any) -> set[int]:
    """The teams a manager manages, and the teams beneath those (empty for anyone who manages none)."""
    from safehold.workforce.models import Team

    staff = getattr(user, "staff", None)
    if staff is None:
        return set()
    ids: set[int] = set()
    frontier = set(Team.objects.filter(manager=staff).values_list("id", flat=True))
    while frontier:
        ids |= frontier
        frontier = set(Team.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
    return ids


def teams_by_id(*, team_ids: set[int]) -> list[Any]:
    from safehold.workforce.models import Team

    return list(Team.objects.filter(pk__in=team_ids).order_by("name"))


def _with_categories(qs: QuerySet[Any], child_ref: str) -> QuerySet[Any]:
    from safehold.casework.models import Assessment, ChildProtectionPlan, CINPlan
    from safehold.looked_after.models import PeriodOfCare

    return qs.annotate(
        is_cp=Exists(ChildProtectionPlan.objects.filter(episode__child=OuterRef(child_ref), end_date__isnull=True)),
        is_cla=Exists(PeriodOfCare.objects.filter(child=OuterRef(child_ref), end_date__isnull=True)),
        is_cin=Exists(CINPlan.objects.filter(episode__child=OuterRef(child_ref), end_date__isnull=True)),
        in_assessment=Exists(
            Assessment.objects.filter(
                episode__child=OuterRef(child_ref), episode__closure_date__isnull=True, completed_date__isnull=True
            )
        ),
    )


def category_of(row: Any) -> str:
    """The heaviest category of work for an annotated allocation or child."""
    if getattr(row, "is_cp", False):
        return "cp"
    if getattr(row, "is_cla", False):
        return "cla"
    if getattr(row, "is_cin", False):
        return "cin"
    if getattr(row, "in_assessment", False):
        return "assessment"
    return "other"


def unallocated_for(*, user: Any, team_ids: set[int]) -> QuerySet[Any]:
    """Children allocated to one of the teams but to no named worker, oldest first."""
    from safehold.workforce.models import Allocation

    visible = Person.objects.visible_to(user).children().values("pk")
    qs = Allocation.objects.filter(
        end_date__isnull=True, worker__isnull=True, team_id__in=team_ids, child__in=visible
    ).select_related("child", "team")
    return _with_categories(qs, "child").order_by("start_date", "child__family_name", "pk")


@dataclass
class WorkerLoad:
    staff_id: int
    name: str
    team: str
    role: str
    fte: Decimal
    limit: int
    children: int = 0
    weighted: Decimal = Decimal("0")
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def over_limit(self) -> bool:
        return self.weighted > self.limit

    @property
    def breakdown(self) -> str:
        parts = [f"{CATEGORY_LABELS[k]} {n}" for k, n in self.by_category.items() if n]
        return ", ".join(parts) or "None"


def caseloads_by_worker(*, team_ids: set[int]) -> list[WorkerLoad]:
    """Each case-holding worker in the teams with their number of children and weighted caseload (two queries)."""
    from safehold.workforce.choices import CASE_HOLDING_ROLES
    from safehold.workforce.models import Allocation, StaffMember

    today = clock.today()
    staff = (
        StaffMember.objects.filter(team_id__in=team_ids, role__in=CASE_HOLDING_ROLES)
        .filter(Q(leave_date__isnull=True) | Q(leave_date__gt=today))
        .select_related("team")
        .order_by("family_name", "given_name")
    )
    loads = {
        s.pk: WorkerLoad(
            s.pk, s.full_name, s.team.name if s.team else "", s.get_role_display(), s.fte,
            s.team.caseload_limit if s.team else 18,
        )
        for s in staff
    }
    allocations = _with_categories(
        Allocation.objects.filter(end_date__isnull=True, worker_id__in=list(loads)), "child"
    ).only("pk", "worker_id", "child_id")
    for allocation in allocations:
        load = loads[allocation.worker_id]
        category = category_of(allocation)
        load.children += 1
        load.weighted += CASELOAD_WEIGHTS[category]
        load.by_category[category] = load.by_category.get(category, 0) + 1
    return list(loads.values())


def workers_for_allocation(*, team_ids: set[int]) -> list[tuple[int, str]]:
    """(staff id, "Name – Team") for case-holding workers who can take a new allocation."""
    from safehold.workforce.choices import CASE_HOLDING_ROLES
    from safehold.workforce.models import StaffMember

    today = clock.today()
    return [
        (pk, f"{given} {family} – {team}")
        for pk, given, family, team in StaffMember.objects.filter(team_id__in=team_ids, role__in=CASE_HOLDING_ROLES)
        .filter(Q(leave_date__isnull=True) | Q(leave_date__gt=today))
        .order_by("family_name", "given_name")
        .values_list("pk", "given_name", "family_name", "team__name")
    ]
