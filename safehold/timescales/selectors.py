"""Worklists over materialised deadlines: overdue now, due soon and drift.

Every selector starts from the children the user may see (``Person.objects.visible_to(user)``), so
a worker never sees another team's children whatever filters are passed. A scope is narrowed with
``worker_id`` (a StaffMember), ``team_id`` (a Team) or neither (the whole LA, as far as the user
can see). "Overdue" and "due" are worked out from the dates at the time of asking, not from the
stored ``state`` (which the nightly refresh keeps current), so a list is right even mid-day.

Deadlines whose clock stopped while they were unmet (``stopped_on``: a missed deadline on a
closed plan or placement) stay in the timeliness history but are not worklist items: nothing can
now be done about them.

Performance (docs/timescales.md, "Benchmark"): worklists read open deadlines through the partial
index ``deadline_open_due`` (open rows only, ordered by due date) and check visibility per row with
an ``EXISTS`` on the child, so an LA-wide list costs in proportion to the open deadlines it
returns, not to the number of children or of stored deadlines. The querysets select only the
columns a worklist shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from safehold.core import clock
from safehold.people.models import Person
from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.rules import RULES
from safehold.timescales.models import Deadline

__all__ = [
    "DEFAULT_DRIFT_MARGIN",
    "DUE_SOON_WORKING_DAYS",
    "SORTS",
    "VISIT_RULES",
    "DriftRow",
    "deadlines_for",
    "deadlines_visible_to",
    "drift",
    "due_soon",
    "filter_options",
    "overdue_now",
]

#: Rules that are visiting standards: any overdue one puts the child on the drift list.
VISIT_RULES = frozenset(
    {
        "cla_visit_first",
        "cla_visit_next_year1",
        "cla_visit_next_after",
        "cp_visit",
        "cin_visit",
        "pf_visit_first",
        "pf_visit_next_year1",
        "pf_visit_next_after",
        "pa_visit_first",
        "pa_visit",
    }
)
DUE_SOON_WORKING_DAYS = 10
DEFAULT_DRIFT_MARGIN = 10

SORTS: dict[str, tuple[str, ...]] = {
    "due": ("due_date", "due_at", "child__family_name", "child__given_name", "rule_code"),
    "-due": ("-due_date", "-due_at", "child__family_name", "child__given_name", "rule_code"),
    "child": ("child__family_name", "child__given_name", "child_id", "due_date", "rule_code"),
    "rule": ("rule_code", "due_date", "child__family_name", "child__given_name"),
    "worker": ("worker__family_name", "worker__given_name", "due_date", "child__family_name"),
    "team": ("team__name", "due_date", "child__family_name"),
}


def drift_margin_default() -> int:
    return int(getattr(settings, "SAFEHOLD_DRIFT_MARGIN_WORKING_DAYS", DEFAULT_DRIFT_MARGIN))


def _calendar() -> WorkingDayCalendar:
    from safehold.timescales.services import calendar

    return calendar()


def deadlines_visible_to(user: Any) -> QuerySet[Deadline]:
    """Every stored deadline of a child the user may see.

    Visibility is an ``EXISTS`` on the deadline's child (one primary-key probe per candidate row)
    rather than ``child IN (every visible child)``, which would read every child for each list.
    """
    visible = Person.objects.visible_to(user).children().filter(pk=OuterRef("child_id"))
    return Deadline.objects.filter(Exists(visible))


def _scope(
    qs: QuerySet[Deadline],
    *,
    worker_id: int | None = None,
    team_id: int | None = None,
    rule: str | None = None,
    state: str | None = None,
) -> QuerySet[Deadline]:
    if worker_id is not None:
        qs = qs.filter(worker_id=worker_id)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    if rule:
        qs = qs.filter(rule_code=rule)
    if state:
        qs = qs.filter(state=state)
    return qs


def _local_day(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date() if timezone.is_aware(now) else now.date()


def _open() -> Q:
    return Q(met_on__isnull=True, stopped_on__isnull=True)


def _overdue_q(today: dt.date, now: dt.datetime) -> Q:
    # ``due_date <= today`` is implied by either branch (an hour rule's due_date is the local date
    # of its due_at) and lets the database range-scan the open-deadline index.
    return (
        _open()
        & Q(due_date__lte=today)
        & (Q(due_at__isnull=True, due_date__lt=today) | Q(due_at__isnull=False, due_at__lt=now))
    )


#: What a worklist row shows (the page and the team pages): nothing else is read.
LIST_FIELDS = (
    "child_id",
    "rule_code",
    "start_date",
    "due_date",
    "due_at",
    "met_on",
    "stopped_on",
    "state",
    "worker_id",
    "team_id",
    "child__given_name",
    "child__family_name",
    "worker__given_name",
    "worker__family_name",
    "team__name",
)


def _sorted(qs: QuerySet[Deadline], sort: str) -> QuerySet[Deadline]:
    return (
        qs.select_related("child", "worker", "team").only(*LIST_FIELDS).order_by(*SORTS.get(sort, SORTS["due"]), "pk")
    )


def deadlines_for(
    *,
    user: Any,
    worker_id: int | None = None,
    team_id: int | None = None,
    rule: str | None = None,
    state: str | None = None,
    sort: str = "due",
) -> QuerySet[Deadline]:
    """Stored deadlines the user may see, narrowed by worker, team, rule and stored state."""
    qs = _scope(deadlines_visible_to(user), worker_id=worker_id, team_id=team_id, rule=rule, state=state)
    return _sorted(qs, sort)


def overdue_now(
    *,
    user: Any,
    worker_id: int | None = None,
    team_id: int | None = None,
    rule: str | None = None,
    sort: str = "due",
    now: dt.datetime | None = None,
) -> QuerySet[Deadline]:
    """Open deadlines whose due date (or, for hour rules, due moment) has passed."""
    now = now or clock.now()
    today = _local_day(now)
    qs = _scope(deadlines_visible_to(user), worker_id=worker_id, team_id=team_id, rule=rule)
    return _sorted(qs.filter(_overdue_q(today, now)), sort)


def due_soon(
    *,
    user: Any,
    worker_id: int | None = None,
    team_id: int | None = None,
    rule: str | None = None,
    sort: str = "due",
    working_days: int = DUE_SOON_WORKING_DAYS,
    now: dt.datetime | None = None,
    cal: WorkingDayCalendar | None = None,
) -> QuerySet[Deadline]:
    """Open deadlines not yet past that fall due today or in the next ``working_days`` working days."""
    now = now or clock.now()
    today = _local_day(now)
    horizon = (cal or _calendar()).add_working_days(today, working_days)
    not_past = Q(due_at__isnull=True, due_date__gte=today) | Q(due_at__isnull=False, due_at__gte=now)
    qs = _scope(deadlines_visible_to(user), worker_id=worker_id, team_id=team_id, rule=rule)
    return _sorted(qs.filter(_open() & not_past, due_date__lte=horizon), sort)


@dataclass
class DriftRow:
    """One child on the drift list."""

    child_id: int
    child_name: str
    worker_name: str
    team_name: str
    worker_id: int | None
    team_id: int | None
    overdue_count: int
    worst_working_days: int
    worst_rule: str
    worst_due: dt.date
    visit_overdue: bool
    last_visit: dt.date | None
    rules: list[str] = field(default_factory=list)

    @property
    def worst_rule_title(self) -> str:
        rule = RULES.get(self.worst_rule)
        return rule.title if rule else self.worst_rule

    @property
    def url(self) -> str:
        return f"/children/{self.child_id}/"


DRIFT_SORTS = ("worst", "child", "worker", "count", "last_visit")


def drift(
    *,
    user: Any,
    worker_id: int | None = None,
    team_id: int | None = None,
    rule: str | None = None,
    margin: int | None = None,
    sort: str = "worst",
    now: dt.datetime | None = None,
    cal: WorkingDayCalendar | None = None,
) -> list[DriftRow]:
    """Children drifting: any clock overdue by more than ``margin`` working days (default 10), or an
    open visiting standard overdue at all (no visit for longer than the standard allows).

    Rows are per child, with every overdue rule; ``sort`` is one of ``worst`` (most working days
    overdue first, the default), ``child``, ``worker``, ``count`` or ``last_visit`` (longest unseen
    first).
    """
    from safehold.casework.models import Visit

    now = now or clock.now()
    today = _local_day(now)
    margin = drift_margin_default() if margin is None else margin
    if margin < 0:
        raise ValueError("the drift margin cannot be negative")
    cal = cal or _calendar()
    # Overdue by more than `margin` working days <=> due before the margin-th working day before
    # today (counting from the last working day on or before today): see docs/timescales.md.
    threshold = cal.add_working_days(cal.roll_backward(today), -margin)
    qs = _scope(deadlines_visible_to(user), worker_id=worker_id, team_id=team_id, rule=rule)
    qs = qs.filter(_overdue_q(today, now)).filter(Q(due_date__lt=threshold) | Q(rule_code__in=VISIT_RULES))
    # One read: the rows with the names they show (joined, not looked up per child) and each
    # child's last visit (a backward probe of the visit index, not an aggregate over every visit).
    last_visit = Subquery(
        Visit.objects.filter(child_id=OuterRef("child_id"), seen=True).order_by("-visited_on").values("visited_on")[:1]
    )
    rows = qs.annotate(last_visit=last_visit).values_list(
        "child_id",
        "rule_code",
        "due_date",
        "worker_id",
        "team_id",
        "child__given_name",
        "child__family_name",
        "worker__given_name",
        "worker__family_name",
        "team__name",
        "last_visit",
    )
    per_child: dict[int, list[tuple[str, dt.date, int | None, int | None]]] = {}
    names: dict[int, str] = {}
    workers: dict[int, str] = {}
    teams: dict[int, str] = {}
    last_visits: dict[int, dt.date | None] = {}
    for child_id, rule_code, due, w, t, given, family, w_given, w_family, team_name, last in rows:
        items = per_child.get(child_id)
        if items is None:
            items = per_child[child_id] = []
            names[child_id] = f"{given} {family}".strip()
            last_visits[child_id] = last
        items.append((rule_code, due, w, t))
        if w is not None:
            workers[w] = f"{w_given} {w_family}"
        if t is not None:
            teams[t] = team_name
    if not per_child:
        return []
    overdue_by: dict[dt.date, int] = {}
    out: list[DriftRow] = []
    for child_id, items in per_child.items():
        scored = []
        for code, due, worker, team in items:
            if due not in overdue_by:
                overdue_by[due] = cal.working_days_between(due, today)
            scored.append((overdue_by[due], code, due, worker, team))
        drifting = [s for s in scored if s[0] > margin or s[1] in VISIT_RULES]
        if not drifting:
            continue
        worst = max(drifting, key=lambda s: (s[0], s[1]))
        w_id, t_id = worst[3], worst[4]
        out.append(
            DriftRow(
                child_id=child_id,
                child_name=names[child_id],
                worker_name=workers.get(w_id, "Unallocated") if w_id else "Unallocated",
                team_name=teams.get(t_id, "") if t_id else "",
                worker_id=w_id,
                team_id=t_id,
                overdue_count=len(drifting),
                worst_working_days=worst[0],
                worst_rule=worst[1],
                worst_due=worst[2],
                visit_overdue=any(s[1] in VISIT_RULES for s in drifting),
                last_visit=last_visits.get(child_id),
                rules=sorted({s[1] for s in drifting}),
            )
        )
    return _sort_drift(out, sort)


def _sort_drift(rows: list[DriftRow], sort: str) -> list[DriftRow]:
    if sort == "child":
        return sorted(rows, key=lambda r: (r.child_name.split(" ")[-1], r.child_name, r.child_id))
    if sort == "worker":
        return sorted(rows, key=lambda r: (r.worker_name, -r.worst_working_days, r.child_id))
    if sort == "count":
        return sorted(rows, key=lambda r: (-r.overdue_count, -r.worst_working_days, r.child_id))
    if sort == "last_visit":
        return sorted(rows, key=lambda r: (r.last_visit or dt.date.min, r.child_id))
    return sorted(rows, key=lambda r: (-r.worst_working_days, r.child_id))


def filter_options(*, user: Any) -> dict[str, list[tuple[int, str]]]:
    """Workers and teams that hold deadlines of children the user may see (for filter menus).

    Per worker and team, the first visible deadline that names them (a correlated subquery with
    ``LIMIT 1``, which stops at the first hit), rather than a semi-join over every stored deadline.
    """
    from safehold.workforce.models import StaffMember, Team

    visible = deadlines_visible_to(user).order_by()

    def first_visible(**match: Any) -> Subquery:
        return Subquery(visible.filter(**match).values("pk")[:1])

    workers = (
        StaffMember.objects.annotate(hit=first_visible(worker_id=OuterRef("pk")))
        .filter(hit__isnull=False)
        .order_by("family_name", "given_name")
        .values_list("pk", "given_name", "family_name")
    )
    teams = (
        Team.objects.annotate(hit=first_visible(team_id=OuterRef("pk")))
        .filter(hit__isnull=False)
        .order_by("name")
        .values_list("pk", "name")
    )
    return {"workers": [(pk, f"{g} {f}") for pk, g, f in workers], "teams": list(teams)}
