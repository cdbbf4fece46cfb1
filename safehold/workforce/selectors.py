"""Reads about caseloads and allocation. Every selector starts from what the user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from safehold.core import clock
from safehold.core.prepared import Prepared, PreparedCounts
from safehold.people.models import Person
from safehold.people.policies import VISIBILITY_PARAMS, visibility_for


def caseload_for(*, user: Any) -> QuerySet[Any]:
    """The children currently allocated to the user, with what a social worker needs at a glance."""
    staff = getattr(user, "staff", None)
    if staff is None:
        return Person.objects.none()
    return _caseload(staff.pk, Person.objects.visible_to(user))


def _caseload(staff_id: int, people: QuerySet[Any]) -> QuerySet[Any]:
    """The ``people`` (already filtered to those the user may see) allocated to the worker, with the figures."""
    from safehold.casework.models import ChildProtectionPlan, CINPlan, Visit
    from safehold.looked_after.models import PeriodOfCare
    from safehold.timescales.models import Deadline, DeadlineState
    from safehold.workforce.models import Allocation

    mine = Allocation.objects.filter(child=OuterRef("pk"), end_date__isnull=True, worker_id=staff_id)
    open_cp = ChildProtectionPlan.objects.filter(episode__child=OuterRef("pk"), end_date__isnull=True)
    open_cin = CINPlan.objects.filter(episode__child=OuterRef("pk"), end_date__isnull=True)
    in_care = PeriodOfCare.objects.filter(child=OuterRef("pk"), end_date__isnull=True)
    due = Deadline.objects.filter(child=OuterRef("pk"), state=DeadlineState.DUE).order_by("due_date", "rule_code")
    overdue = (
        Deadline.objects.filter(child=OuterRef("pk"), state=DeadlineState.OVERDUE)
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    seen = Visit.objects.filter(child=OuterRef("pk"), seen=True).order_by("-visited_on")
    # The children are found from the worker's open allocations (an indexed IN list), and each figure is a
    # correlated subquery: no GROUP BY over deadlines x visits, no scan of every person (SQLite cannot turn a
    # correlated EXISTS into a lookup, so `Exists(mine)` here read the whole people table on a large borough).
    return (
        people.filter(pk__in=Allocation.objects.filter(end_date__isnull=True, worker_id=staff_id).values("child_id"))
        .annotate(
            next_due=Subquery(due.values("due_date")[:1]),
            next_rule=Subquery(due.values("rule_code")[:1]),
            overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
            last_visit=Subquery(seen.values("visited_on")[:1]),
            on_cp_plan=Exists(open_cp),
            on_cin_plan=Exists(open_cin),
            looked_after=Exists(in_care),
            allocated_since=Subquery(mine.values("start_date")[:1]),
        )
        .order_by("family_name", "given_name")
    )


def _caseload_page_query(staff_id: int, low: int, high: int, vis_scope: str, **visibility: Any) -> QuerySet[Any]:
    people = Person.objects.visible_under(vis_scope, **visibility)
    # Only the columns the page shows (with the figures): the people table has many more.
    return _caseload(staff_id, people).only("given_name", "family_name", "date_of_birth")[low:high]


def _caseload_count_query(staff_id: int, vis_scope: str, **visibility: Any) -> dict[str, QuerySet[Any]]:
    return {"children": _caseload(staff_id, Person.objects.visible_under(vis_scope, **visibility))}


# Compiled once per visibility rule (and page: a slice's bounds are written into the SQL) -- safehold.core.prepared.
_CASELOAD_PAGE = Prepared(_caseload_page_query, staff_id=int, **VISIBILITY_PARAMS)
_CASELOAD_COUNT = PreparedCounts(_caseload_count_query, staff_id=int, **VISIBILITY_PARAMS)


class CaseloadRows:
    """The user's caseload (:func:`caseload_for`) as a paginator reads it: ``count()`` and a slice, each one
    prepared query."""

    def __init__(self, user: Any, page_size: int = 25) -> None:
        staff = getattr(user, "staff", None)
        self.visibility = visibility_for(user)
        # Nobody's caseload without a staff record, nor for a role that sees no child (a partner, say).
        self.staff_id: int | None = staff.pk if staff is not None and self.visibility.scope != "nothing" else None
        self.page_size = page_size

    def count(self) -> int:
        if self.staff_id is None:
            return 0
        v = self.visibility
        counted: dict[str, int] = _CASELOAD_COUNT(staff_id=self.staff_id, shape=(v.shape,), **v.values())
        return counted["children"]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, bounds: slice) -> list[Any]:
        if not isinstance(bounds, slice) or bounds.step is not None:
            raise TypeError("a caseload is read a page (a slice) at a time")
        if self.staff_id is None:
            return []
        low, high = bounds.start or 0, bounds.stop
        wanted = None if high is None else max(high - low, 0)
        if wanted is not None and wanted < self.page_size:
            # The paginator ends the last page at the count: read a whole page and keep what was asked for, so
            # that each page is one compiled query whatever the size of the caseload.
            high = low + self.page_size
        v = self.visibility
        shape = (v.shape, ("low", low), ("high", high))
        rows: list[Any] = _CASELOAD_PAGE(staff_id=self.staff_id, shape=shape, **v.values())
        return rows if wanted is None else rows[:wanted]


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
    """The teams a manager manages, and the teams beneath those (empty for anyone who manages none).

    Kept on the user object, as Django keeps ``user.staff``: a request's user is loaded afresh for each request,
    and one page asks several times (its own scope, each visible_to(user) filter, the navigation).
    """
    from safehold.workforce.models import Team

    cached = getattr(user, "_safehold_managed_team_ids", None)
    if cached is not None:
        return set(cached)
    staff = getattr(user, "staff", None)
    if staff is None:
        return set()
    # The managed teams and the teams directly beneath them in one query; deeper levels only when there are some.
    ids: set[int] = set()
    frontier: set[int] = set()
    for pk, manager_id in Team.objects.filter(Q(manager=staff) | Q(parent__manager=staff)).values_list(
        "id", "manager_id"
    ):
        ids.add(pk)
        if manager_id != staff.pk:
            frontier.add(pk)
    while frontier:
        frontier = set(Team.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= frontier
    try:
        user._safehold_managed_team_ids = frozenset(ids)
    except AttributeError:  # pragma: no cover - an object that takes no attributes
        pass
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


def _category_arms(children: Any, *, worker: bool = False) -> list[QuerySet[Any]]:
    """(child id, tag[, None]) of each open CP plan, period of care, CIN plan and assessment ("assessment", or ""
    when its episode is closed) of the ``children`` (a list of ids or a subquery of ids): the arms of a UNION ALL.
    With ``worker``, each row has a third column, NULL, to stand beside allocations' (child, tag, worker) rows."""
    from django.db.models import Case, CharField, Value, When

    from safehold.casework.models import Assessment, ChildProtectionPlan, CINPlan
    from safehold.looked_after.models import PeriodOfCare

    def tagged(qs: QuerySet[Any], child: str, tag: str | Case) -> QuerySet[Any]:
        label = Value(tag, output_field=CharField()) if isinstance(tag, str) else tag
        if worker:
            no_worker = Value(None, output_field=IntegerField())
            return qs.order_by().annotate(tag=label, no_worker=no_worker).values_list(child, "tag", "no_worker")
        return qs.order_by().annotate(tag=label).values_list(child, "tag")

    # An assessment counts only in an open episode. That test is the row's tag ("" when the episode is closed)
    # rather than a filter: as a filter, SQLite reads every open episode in the LA by its closure_date index
    # (5 ms on a 300,000-child borough) instead of the children's episodes by child.
    open_episode = Case(
        When(episode__closure_date__isnull=True, then=Value("assessment")), default=Value(""), output_field=CharField()
    )
    return [
        tagged(
            ChildProtectionPlan.objects.filter(end_date__isnull=True, episode__child_id__in=children),
            "episode__child_id",
            "cp",
        ),
        tagged(PeriodOfCare.objects.filter(end_date__isnull=True, child_id__in=children), "child_id", "cla"),
        tagged(
            CINPlan.objects.filter(end_date__isnull=True, episode__child_id__in=children), "episode__child_id", "cin"
        ),
        tagged(
            Assessment.objects.filter(completed_date__isnull=True, episode__child_id__in=children),
            "episode__child_id",
            open_episode,
        ),
    ]


_CATEGORY_ORDER = ["cp", "cla", "cin", "assessment"]  # as category_of: the heaviest work first


def _heaviest(rows: Any) -> dict[int, str]:
    out: dict[int, str] = {}
    for child_id, tag in rows:
        if tag and (child_id not in out or _CATEGORY_ORDER.index(tag) < _CATEGORY_ORDER.index(out[child_id])):
            out[child_id] = tag
    return out


def categories_by_child(*, child_ids: list[int]) -> dict[int, str]:
    """The heaviest category of work of each child, in one query whose cost follows the number of children.

    (Annotating each allocation with EXISTS subqueries lets PostgreSQL hash every open plan in the LA on each
    call: 120 ms for one team's caseloads in a 300,000-child borough, against a few ms for this.)
    """
    if not child_ids:
        return {}
    first, *rest = _category_arms(list(set(child_ids)))
    return _heaviest(first.union(*rest, all=True))


def unallocated_allocations(*, user: Any, team_ids: set[int]) -> QuerySet[Any]:
    """The open allocations to one of the teams with no named worker, of children the user may see (unordered)."""
    return unallocated_among(Person.objects.visible_to(user).children().values("pk"), team_ids)


def unallocated_among(visible: QuerySet[Any], team_ids: Iterable[int]) -> QuerySet[Any]:
    """The open allocations to one of the teams with no named worker, of the ``visible`` children (unordered)."""
    from safehold.workforce.models import Allocation

    return Allocation.objects.filter(
        end_date__isnull=True, worker__isnull=True, team_id__in=team_ids, child__in=visible
    )


def unallocated_for(*, user: Any, team_ids: set[int]) -> QuerySet[Any]:
    """Children allocated to one of the teams but to no named worker, oldest first."""
    qs = unallocated_allocations(user=user, team_ids=team_ids).select_related("child", "team")
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


_ALLOCATED = "allocated"


def _case_holders_query(team_ids: tuple[int, ...], today: dt.date) -> QuerySet[Any]:
    from safehold.workforce.choices import CASE_HOLDING_ROLES
    from safehold.workforce.models import StaffMember

    return (
        StaffMember.objects.filter(team_id__in=team_ids, role__in=CASE_HOLDING_ROLES)
        .filter(Q(leave_date__isnull=True) | Q(leave_date__gt=today))
        .select_related("team")
        .only("given_name", "family_name", "role", "fte", "team__name", "team__caseload_limit")
        .order_by("family_name", "given_name")
    )


def _worker_loads_query(worker_ids: tuple[int, ...]) -> QuerySet[Any]:
    """The workers' open allocations and their children's open work in one round trip: the allocations are the
    union's rows tagged "allocated" (a child has one open allocation), the children's work the other rows."""
    from django.db.models import CharField, Value

    from safehold.workforce.models import Allocation

    open_allocations = Allocation.objects.filter(end_date__isnull=True, worker_id__in=worker_ids)
    return (
        open_allocations.order_by()
        .annotate(tag=Value(_ALLOCATED, output_field=CharField()))
        .values_list("child_id", "tag", "worker_id")
        .union(*_category_arms(open_allocations.values("child_id"), worker=True), all=True)
    )


# Compiled once per number of teams or workers (see safehold.core.prepared): the team page asks the same two.
_CASE_HOLDERS = Prepared(_case_holders_query, team_ids=tuple, today=dt.date)
_WORKER_LOADS = Prepared(_worker_loads_query, worker_ids=tuple)


def caseloads_by_worker(*, team_ids: set[int]) -> list[WorkerLoad]:
    """Each case-holding worker in the teams with their number of children and weighted caseload (two queries)."""
    loads = {
        s.pk: WorkerLoad(
            s.pk,
            s.full_name,
            s.team.name if s.team else "",
            s.get_role_display(),
            s.fte,
            s.team.caseload_limit if s.team else 18,
        )
        for s in _CASE_HOLDERS(team_ids=sorted(team_ids), today=clock.today())
    }
    rows = _WORKER_LOADS(worker_ids=list(loads))
    allocations = [(worker_id, child_id) for child_id, tag, worker_id in rows if tag == _ALLOCATED]
    categories = _heaviest((child_id, tag) for child_id, tag, _ in rows if tag != _ALLOCATED)
    for worker_id, child_id in allocations:
        load = loads[worker_id]
        category = categories.get(child_id, "other")
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


# --- Workforce: establishment, census measures, caseload distribution, ASYE, training ----------------------


def workforce_team_ids(*, user: Any) -> set[int]:
    """The teams whose workforce the user may see: a team manager's own teams (and those beneath); every team
    for a head of service or director. (The view's policy has already admitted the role.)"""
    from safehold.accounts.roles import Role
    from safehold.workforce.models import Team

    if getattr(user, "role", None) in {Role.HEAD_OF_SERVICE, Role.DIRECTOR}:
        return set(Team.objects.values_list("pk", flat=True))
    return managed_team_ids(user=user)


def _staff_row(s: Any) -> Any:
    from safehold.workforce.census import StaffRow

    return StaffRow(employment=s.employment, fte=s.fte, start=s.start_date, leave=s.leave_date)


def census_rows(*, team_ids: set[int] | None, staff_id: int | None = None) -> tuple[list[Any], list[Any]]:
    """(staff rows, post rows) of the registered social work roles in the teams (None: the whole LA), for
    :mod:`safehold.workforce.census`. Every member of staff ever recorded is read: leavers count too."""
    from safehold.workforce.census import PostRow
    from safehold.workforce.choices import SOCIAL_WORK_ROLES
    from safehold.workforce.models import Post, StaffMember

    staff = StaffMember.objects.filter(role__in=SOCIAL_WORK_ROLES)
    posts = Post.objects.filter(role__in=SOCIAL_WORK_ROLES).select_related("holder")
    if team_ids is not None:
        staff = staff.filter(team_id__in=team_ids)
        posts = posts.filter(team_id__in=team_ids)
    if staff_id is not None:
        staff = staff.filter(pk=staff_id)
        posts = posts.filter(holder_id=staff_id)
    staff_rows = [_staff_row(s) for s in staff.only("employment", "fte", "start_date", "leave_date")]
    post_rows = [
        PostRow(fte=p.fte, opened=p.opened_on, closed=p.closed_on, holder=_staff_row(p.holder) if p.holder else None)
        for p in posts
    ]
    return staff_rows, post_rows


@dataclass(frozen=True)
class CensusMeasures:
    """The workforce census measures for a set of teams on a date (see :mod:`safehold.workforce.census`)."""

    as_of: Any
    first: Any
    in_post_fte: Decimal
    agency_fte: Decimal
    vacancy_fte: Decimal
    leavers_fte: Decimal
    leavers: int
    starters_fte: Decimal
    starters: int
    agency_rate: Any
    turnover_rate: Any
    vacancy_rate: Any


def census_measures(*, team_ids: set[int] | None, as_of: Any, staff_id: int | None = None) -> CensusMeasures:
    from safehold.workforce import census

    staff, posts = census_rows(team_ids=team_ids, staff_id=staff_id)
    left = census.leavers(staff, as_of)
    started = census.starters(staff, as_of)
    return CensusMeasures(
        as_of=as_of,
        first=census.year_start(as_of),
        in_post_fte=census.in_post_fte(staff, as_of),
        agency_fte=census.agency_fte(staff, as_of),
        vacancy_fte=census.vacancy_fte(posts, as_of),
        leavers_fte=sum((s.fte for s in left), Decimal(0)),
        leavers=len(left),
        starters_fte=sum((s.fte for s in started), Decimal(0)),
        starters=len(started),
        agency_rate=census.agency_rate(staff, as_of),
        turnover_rate=census.turnover_rate(staff, as_of),
        vacancy_rate=census.vacancy_rate(posts, staff, as_of),
    )


@dataclass
class TeamEstablishment:
    """A team's posts on a date (every role), by how each stands."""

    team: Any
    posts: int = 0
    fte: Decimal = Decimal(0)
    counts: dict[str, int] = field(default_factory=lambda: {"permanent": 0, "agency": 0, "vacant": 0})
    ftes: dict[str, Decimal] = field(
        default_factory=lambda: {"permanent": Decimal(0), "agency": Decimal(0), "vacant": Decimal(0)}
    )

    @property
    def census_vacancy_fte(self) -> Decimal:
        """Vacant and agency-covered posts: the census's vacancy count."""
        return self.ftes["vacant"] + self.ftes["agency"]


def posts_with_status(*, team_ids: set[int], as_of: Any) -> list[tuple[Any, str]]:
    """Each post open on the date in the teams, with its status ("permanent", "agency" or "vacant")."""
    from safehold.workforce import census
    from safehold.workforce.models import Post

    qs = (
        Post.objects.filter(team_id__in=team_ids, opened_on__lte=as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .select_related("team", "holder")
        .order_by("team__name", "role", "pk")
    )
    out = []
    for post in qs:
        row = census.PostRow(
            fte=post.fte,
            opened=post.opened_on,
            closed=post.closed_on,
            holder=_staff_row(post.holder) if post.holder else None,
        )
        out.append((post, census.post_status(row, as_of)))
    return out


def establishment(*, team_ids: set[int], as_of: Any) -> list[TeamEstablishment]:
    """Per team: posts and FTE, split into filled by LA-employed staff, covered by agency workers and vacant."""
    from safehold.workforce.models import Team

    rows = {t.pk: TeamEstablishment(team=t) for t in Team.objects.filter(pk__in=team_ids).order_by("name")}
    for post, status in posts_with_status(team_ids=team_ids, as_of=as_of):
        row = rows[post.team_id]
        row.posts += 1
        row.fte += post.fte
        row.counts[status] += 1
        row.ftes[status] += post.fte
    return list(rows.values())


def starters_and_leavers(*, team_ids: set[int], as_of: Any) -> tuple[list[Any], list[Any]]:
    """Staff (any role) who started, and who left, in the 12 months to ``as_of``; newest first."""
    from safehold.workforce.census import year_start
    from safehold.workforce.models import StaffMember

    first = year_start(as_of)
    base = StaffMember.objects.filter(team_id__in=team_ids).select_related("team")
    started = list(base.filter(start_date__gte=first, start_date__lte=as_of).order_by("-start_date", "family_name"))
    left = list(base.filter(leave_date__gte=first, leave_date__lte=as_of).order_by("-leave_date", "family_name"))
    return started, left


def leave_reason_summary(leavers: list[Any]) -> list[tuple[str, int, Decimal]]:
    """(reason, leavers, FTE), most common first; leavers with no reason recorded last."""
    from safehold.workforce.choices import LeaveReason

    counts: dict[str, list[Any]] = {}
    for s in leavers:
        counts.setdefault(s.leave_reason or "", []).append(s)
    labels = dict(LeaveReason.choices)
    rows = [
        (str(labels.get(code, "Not recorded")), len(group), sum((s.fte for s in group), Decimal(0)))
        for code, group in counts.items()
    ]
    return sorted(rows, key=lambda r: (r[0] == "Not recorded", -r[1], r[0]))


#: Caseload bands (upper bounds, inclusive): a worker with 7 children, or a weighted 7.5, is in "more than 5,
#: up to 10".
CASELOAD_BANDS: tuple[int, ...] = (5, 10, 15, 20, 25)


def band_labels() -> list[str]:
    labels, lower = [], None
    for upper in CASELOAD_BANDS:
        labels.append(f"{upper} or fewer" if lower is None else f"More than {lower}, up to {upper}")
        lower = upper
    labels.append(f"More than {lower}")
    return labels


def band_of(value: Decimal | int) -> int:
    for i, upper in enumerate(CASELOAD_BANDS):
        if value <= upper:
            return i
    return len(CASELOAD_BANDS)


@dataclass
class CaseloadDistribution:
    workers: list[WorkerLoad]
    bands: list[tuple[str, int, int]]  # (label, workers by number of children, workers by weighted caseload)
    children: int
    weighted: Decimal
    fte: Decimal

    @property
    def per_fte(self) -> Decimal | None:
        return (Decimal(self.children) / self.fte).quantize(Decimal("0.1")) if self.fte else None

    @property
    def over_limit(self) -> int:
        return sum(1 for w in self.workers if w.over_limit)


def caseload_distribution(*, team_ids: set[int]) -> CaseloadDistribution:
    """How case-holding workers' caseloads spread, by number of children and by weighted caseload (the team
    pages' :func:`caseloads_by_worker` figures, banded)."""
    workers = caseloads_by_worker(team_ids=team_ids)
    by_count = [0] * (len(CASELOAD_BANDS) + 1)
    by_weight = [0] * (len(CASELOAD_BANDS) + 1)
    for w in workers:
        by_count[band_of(w.children)] += 1
        by_weight[band_of(w.weighted)] += 1
    return CaseloadDistribution(
        workers=workers,
        bands=list(zip(band_labels(), by_count, by_weight, strict=True)),
        children=sum(w.children for w in workers),
        weighted=sum((w.weighted for w in workers), Decimal(0)),
        fte=sum((w.fte for w in workers), Decimal(0)),
    )


#: The default protected caseload for a social worker in their assessed and supported year in employment
#: (ASYE): a local standard (``SAFEHOLD_ASYE_CASELOAD_LIMIT``), compared with the weighted caseload. The ASYE
#: framework asks employers to protect a newly qualified worker's caseload; Safehold ships no national number.
DEFAULT_ASYE_CASELOAD_LIMIT = Decimal(12)


def asye_caseload_limit() -> Decimal:
    from django.conf import settings

    return Decimal(str(getattr(settings, "SAFEHOLD_ASYE_CASELOAD_LIMIT", DEFAULT_ASYE_CASELOAD_LIMIT)))


@dataclass(frozen=True)
class AsyeWorker:
    load: WorkerLoad
    started: Any
    qualified: Any
    asye_ends: Any
    limit: Decimal

    @property
    def over_protected_limit(self) -> bool:
        return self.load.weighted > self.limit


def asye_workers(*, team_ids: set[int]) -> list[AsyeWorker]:
    """Newly qualified social workers (role ASYE) in post in the teams, with their caseload against the
    protected limit. The ASYE year is the 12 months from their start."""
    from safehold.workforce.choices import StaffRole
    from safehold.workforce.models import StaffMember

    limit = asye_caseload_limit()
    loads = {w.staff_id: w for w in caseloads_by_worker(team_ids=team_ids)}
    out = []
    for s in StaffMember.objects.filter(pk__in=list(loads), role=StaffRole.ASYE).order_by("family_name", "given_name"):
        # The last day of the ASYE year: the day before the first anniversary of the start.
        try:
            anniversary = s.start_date.replace(year=s.start_date.year + 1)
        except ValueError:  # 29 February
            anniversary = s.start_date.replace(year=s.start_date.year + 1, day=28)
        ends = anniversary - dt.timedelta(days=1)
        out.append(
            AsyeWorker(load=loads[s.pk], started=s.start_date, qualified=s.qualified_date, asye_ends=ends, limit=limit)
        )
    return out


#: Training that expires within this many days is shown as "expiring soon".
TRAINING_WARNING_DAYS = 90


def training_status(expires_on: Any, as_of: Any) -> str:
    """ "expired" (on or after its expiry date), "expiring" (within 90 days), "current" or "no_expiry"."""
    if expires_on is None:
        return "no_expiry"
    if expires_on <= as_of:
        return "expired"
    if expires_on <= as_of + dt.timedelta(days=TRAINING_WARNING_DAYS):
        return "expiring"
    return "current"


def training_records(*, team_ids: set[int], as_of: Any, status: str = "") -> list[tuple[Any, str]]:
    """Training records of staff in the teams who are in post, with their status; expired first."""
    from safehold.workforce.models import TrainingRecord

    qs = (
        TrainingRecord.objects.filter(staff__team_id__in=team_ids)
        .filter(Q(staff__leave_date__isnull=True) | Q(staff__leave_date__gt=as_of))
        .select_related("staff", "staff__team")
    )
    rows = [(r, training_status(r.expires_on, as_of)) for r in qs]
    if status:
        rows = [r for r in rows if r[1] == status]
    order = {"expired": 0, "expiring": 1, "current": 2, "no_expiry": 3}
    return sorted(rows, key=lambda r: (order[r[1]], r[0].expires_on or as_of, r[0].staff.family_name, r[0].pk))


def staff_in_teams(*, team_ids: set[int], as_of: Any) -> QuerySet[Any]:
    """Staff in post in the teams (for choosing a post holder or a training record's member of staff)."""
    from safehold.workforce.models import StaffMember

    return (
        StaffMember.objects.filter(team_id__in=team_ids, start_date__lte=as_of)
        .filter(Q(leave_date__isnull=True) | Q(leave_date__gt=as_of))
        .order_by("family_name", "given_name")
    )
