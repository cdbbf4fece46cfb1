"""Reads about caseloads and allocation. Every selector starts from what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery

from safehold.people.models import Person


def caseload_for(*, user: Any) -> QuerySet[Any]:
    """The children currently allocated to the user, with what a social worker needs at a glance."""
    from safehold.casework.models import ChildProtectionPlan, CINPlan
    from safehold.looked_after.models import PeriodOfCare
    from safehold.timescales.models import DeadlineState
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
