"""Reads for the returns pages: recent jobs, a job's failures counted per rule and grouped per child."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, QuerySet

from safehold.people.models import Person
from safehold.returns.models import ReturnFailure, ReturnJob

#: Children per page of the failures page.
CHILDREN_PER_PAGE = 50
#: The job's columns a page needs (never the file, nor the list of children).
LIGHT = ("file", "child_ids")


def recent_jobs(limit: int = 20) -> QuerySet[ReturnJob]:
    return ReturnJob.objects.select_related("requested_by").defer(*LIGHT)[:limit]


def job_for(pk: int) -> ReturnJob | None:
    return ReturnJob.objects.select_related("requested_by").defer(*LIGHT).filter(pk=pk).first()


@dataclass(frozen=True)
class RuleCount:
    code: str
    message: str
    is_query: bool
    failures: int
    children: int


def rule_counts(job: ReturnJob) -> list[RuleCount]:
    """Each rule that failed, with how many failures and children: errors first, then queries, by code."""
    rows = (
        ReturnFailure.objects.filter(job=job)
        .values("rule_code", "is_query")
        .annotate(n=Count("id"), children=Count("child_ref", distinct=True), message=Min("message"))
        .order_by("is_query", "rule_code")
    )
    return [RuleCount(r["rule_code"], r["message"], r["is_query"], r["n"], r["children"]) for r in rows]


@dataclass
class ChildFailures:
    """One child's failures (``child_ref`` blank: the rules about the return as a whole)."""

    child_ref: str
    child_id: int | None
    name: str = ""
    visible: bool = False
    failures: list[ReturnFailure] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.failures if not f.is_query)

    @property
    def queries(self) -> int:
        return sum(1 for f in self.failures if f.is_query)


@dataclass
class FailurePage:
    groups: list[ChildFailures]
    page: Page  # of LA child ids (Django's paginator, for the pagination component)


def failures_by_child(
    *, job: ReturnJob, user: Any, rule: str = "", page: Any = 1, per_page: int = CHILDREN_PER_PAGE
) -> FailurePage:
    """A page of children with failures (the return as a whole first, then by LA child id), each with all its
    failures (or only those of ``rule``). A child's name and link are given only when ``user`` may see the record."""
    qs = ReturnFailure.objects.filter(job=job)
    if rule:
        qs = qs.filter(rule_code=rule)
    refs_qs = qs.order_by("child_ref").values_list("child_ref", flat=True).distinct()
    current = Paginator(refs_qs, per_page).get_page(page)
    refs = list(current.object_list)
    groups: dict[str, ChildFailures] = {}
    for f in qs.filter(child_ref__in=refs).order_by("child_ref", "is_query", "rule_code", "id"):
        group = groups.get(f.child_ref)
        if group is None:
            group = groups[f.child_ref] = ChildFailures(child_ref=f.child_ref, child_id=f.child_id)
        group.failures.append(f)
    ids = [g.child_id for g in groups.values() if g.child_id is not None]
    visible = {
        pk: f"{given} {family}".strip()
        for pk, given, family in Person.objects.visible_to(user)
        .filter(pk__in=ids)
        .values_list("pk", "given_name", "family_name")
    }
    for group in groups.values():
        if group.child_id in visible:
            group.visible = True
            group.name = visible[group.child_id]
    return FailurePage(groups=[groups[r] for r in refs if r in groups], page=current)
