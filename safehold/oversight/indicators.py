"""The leadership dashboard's indicators: each defined once, with its source and formula.

Timeliness indicators reuse the definitions in :mod:`safehold.inspection.indicators` (the same rule codes
over the timescales engine's ``Deadline`` rows), narrowed to a scope by the worker and team the clock is
attributed to — as the worklists do. Other indicators count casework records of children whose current
allocation is in the scope. A :class:`Figure` keeps numerator and denominator so small numbers can be
suppressed for councillors.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from safehold.casework.choices import ContactOutcome
from safehold.casework.models import ChildProtectionPlan, CINEpisode, Contact
from safehold.inspection.annex_a.domain import months_before
from safehold.inspection.indicators import INDICATORS as INSPECTION_INDICATORS
from safehold.looked_after.models import CareEpisode, CareLeaverContact
from safehold.oversight import selectors
from safehold.oversight.choices import GOOD_OR_BETTER
from safehold.oversight.models import CaseAudit
from safehold.oversight.selectors import Scope
from safehold.timescales.models import Deadline, DeadlineState
from safehold.workforce.models import Allocation
from safehold.workforce.selectors import CensusMeasures, caseloads_by_worker, census_measures

NATIONAL_FILE = Path(__file__).parent / "data" / "national_indicators.csv"
SUPPRESS_BELOW = 5


#: The unit of a figure that is not measured at its scope: the workforce rates of one worker (an agency worker's
#: "vacancy rate" would be 100%, anyone else's 0%), which only mean something for a team or more.
NOT_MEASURED = "none"


@dataclass(frozen=True)
class Figure:
    numerator: Decimal | int
    denominator: Decimal | int
    unit: str  # "percent" | "ratio" | "count" | NOT_MEASURED

    @property
    def value(self) -> float | None:
        if self.unit == NOT_MEASURED:
            return None
        if self.unit == "count":
            return float(self.numerator)
        if not self.denominator:
            return None
        scale = 100 if self.unit == "percent" else 1
        return round(float(scale * Decimal(self.numerator) / Decimal(self.denominator)), 1)

    def display(self, *, suppress: bool = False) -> str:
        """The value as shown; with ``suppress``, any count from 1 to 4 makes it "fewer than 5"."""
        if self.unit == NOT_MEASURED:
            return "Not measured for one worker"
        if suppress and self.unit != "ratio":
            small = [n for n in (self.numerator, self.denominator) if 0 < n < SUPPRESS_BELOW]
            if self.unit == "count":
                small = [self.numerator] if 0 < self.numerator < SUPPRESS_BELOW else []
            if small:
                return "fewer than 5"
        value = self.value
        if value is None:
            return "No data"
        if self.unit == "percent":
            return f"{value:.1f}%"
        if self.unit == "count":
            return f"{int(value)}"
        return f"{value:.1f}"


Compute = Callable[[Scope, dt.date, dt.date], Figure]
#: Many periods at once (one query, bucketed by day): must equal ``compute`` for each period (tested).
ComputeMany = Callable[[Scope, list[tuple[dt.date, dt.date]]], list[Figure]]


@dataclass(frozen=True)
class DashboardIndicator:
    code: str
    title: str
    source: str
    formula: str
    unit: str
    compute: Compute
    national_code: str = ""
    higher_is_better: bool | None = True
    trend: bool = True  # False for point-in-time measures (no monthly history)
    compute_many: ComputeMany | None = None

    def figures(self, scope: Scope, periods: list[tuple[dt.date, dt.date]]) -> list[Figure]:
        """The figure for each period (one query where the indicator has a bulk form)."""
        if self.compute_many is not None:
            return self.compute_many(scope, periods)
        return [self.compute(scope, first, last) for first, last in periods]


# --- Formulas ----------------------------------------------------------------------------------------------


def _deadline_rate(rule_codes: tuple[str, ...]) -> Compute:
    def compute(scope: Scope, first: dt.date, last: dt.date) -> Figure:
        qs = Deadline.objects.filter(
            scope.deadline_q(),
            rule_code__in=rule_codes,
            met_on__gte=first,
            met_on__lte=last,
            state__in=(DeadlineState.MET_ON_TIME, DeadlineState.MET_LATE),
        )
        on_time = qs.filter(state=DeadlineState.MET_ON_TIME).count()
        return Figure(on_time, qs.count(), "percent")

    return compute


def _bucket(periods: list[tuple[dt.date, dt.date]], by_day: dict[dt.date, tuple[int, int]], unit: str) -> list[Figure]:
    out = []
    for first, last in periods:
        num = sum(n for day, (n, _) in by_day.items() if first <= day <= last)
        den = sum(d for day, (_, d) in by_day.items() if first <= day <= last)
        out.append(Figure(num, den, unit))
    return out


def _deadline_rate_many(rule_codes: tuple[str, ...]) -> ComputeMany:
    def compute_many(scope: Scope, periods: list[tuple[dt.date, dt.date]]) -> list[Figure]:
        rows = (
            Deadline.objects.filter(
                scope.deadline_q(),
                rule_code__in=rule_codes,
                met_on__gte=min(f for f, _ in periods),
                met_on__lte=max(last for _, last in periods),
                state__in=(DeadlineState.MET_ON_TIME, DeadlineState.MET_LATE),
            )
            .values("met_on", "state")
            .annotate(n=Count("id"))
            .values_list("met_on", "state", "n")
        )
        by_day: dict[dt.date, tuple[int, int]] = {}
        for day, state, n in rows:
            if day is None:  # never: met_on is bounded above
                continue
            on_time, total = by_day.get(day, (0, 0))
            by_day[day] = (on_time + (n if state == DeadlineState.MET_ON_TIME else 0), total + n)
        return _bucket(periods, by_day, "percent")

    return compute_many


def _day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end


def _in_scope(scope: Scope, child_ref: str) -> Q:
    if scope.level == "la":
        return Q()
    allocated = Allocation.objects.filter(child=OuterRef(child_ref), end_date__isnull=True).filter(scope.allocation_q())
    return Q(Exists(allocated))


def contact_conversion(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    """Contacts decided in the period (by local date) whose outcome was a referral."""
    start, end = _day_bounds(first, last)
    qs = Contact.objects.filter(_in_scope(scope, "child_id"), decided_at__gte=start, decided_at__lt=end)
    qs = qs.exclude(outcome="")
    return Figure(qs.filter(outcome=ContactOutcome.REFERRAL).count(), qs.count(), "percent")


def contact_conversion_many(scope: Scope, periods: list[tuple[dt.date, dt.date]]) -> list[Figure]:
    start, _ = _day_bounds(min(f for f, _ in periods), min(f for f, _ in periods))
    _, end = _day_bounds(max(last for _, last in periods), max(last for _, last in periods))
    rows = (
        Contact.objects.filter(_in_scope(scope, "child_id"), decided_at__gte=start, decided_at__lt=end)
        .exclude(outcome="")
        .annotate(day=TruncDate("decided_at"))
        .values("day")
        .annotate(n=Count("id"), referrals=Count("id", filter=Q(outcome=ContactOutcome.REFERRAL)))
        .values_list("day", "referrals", "n")
    )
    return _bucket(periods, {day: (referrals, n) for day, referrals, n in rows}, "percent")


def rereferrals(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    """Referrals in the period that were within 12 months of the same child's previous referral."""
    this = list(
        CINEpisode.objects.filter(
            _in_scope(scope, "child_id"), referral_date__gte=first, referral_date__lte=last
        ).values_list("child_id", "referral_date")
    )
    history: dict[int, list[dt.date]] = defaultdict(list)
    for child_id, date in CINEpisode.objects.filter(child_id__in={c for c, _ in this}).values_list(
        "child_id", "referral_date"
    ):
        history[child_id].append(date)
    within = 0
    for child_id, date in this:
        earlier = [d for d in history[child_id] if d < date]
        if earlier and months_before(date, 12) <= max(earlier):
            within += 1
    return Figure(within, len(this), "percent")


def _two_years_after(start: dt.date) -> dt.date:
    try:
        return start.replace(year=start.year + 2)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 2, day=28)


def cp_plans_two_years(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    """CP plans ending in the period that had lasted two years or more (end date on or after the second
    anniversary of the start)."""
    rows = list(
        ChildProtectionPlan.objects.filter(
            _in_scope(scope, "episode__child_id"), end_date__gte=first, end_date__lte=last
        ).values_list("start_date", "end_date")
    )
    long = sum(1 for start, end in rows if end is not None and end >= _two_years_after(start))
    return Figure(long, len(rows), "percent")


def cp_plans_second(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    """CP plans starting in the period where the child had an earlier CP plan (any time before)."""
    rows = list(
        ChildProtectionPlan.objects.filter(
            _in_scope(scope, "episode__child_id"), start_date__gte=first, start_date__lte=last
        ).values_list("episode__child_id", "start_date")
    )
    starts: dict[int, list[dt.date]] = defaultdict(list)
    for child_id, start in ChildProtectionPlan.objects.filter(episode__child_id__in={c for c, _ in rows}).values_list(
        "episode__child_id", "start_date"
    ):
        starts[child_id].append(start)
    second = sum(1 for child_id, start in rows if any(s < start for s in starts[child_id]))
    return Figure(second, len(rows), "percent")


def caseload_average(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    """Allocated children per case-holding FTE now (workforce ``caseloads_by_worker``, the team page's figures)."""
    loads = caseloads_by_worker(team_ids=scope.team_ids())
    if scope.level == "worker":
        loads = [w for w in loads if w.staff_id == int(scope.key)]
    return Figure(sum(w.children for w in loads), sum((w.fte for w in loads), Decimal(0)), "ratio")


def _census(scope: Scope, last: dt.date) -> CensusMeasures:
    """The workforce census measures on ``last`` for the scope (the workforce pages' selector)."""
    if scope.level == "la":
        return census_measures(team_ids=None, as_of=last)
    return census_measures(team_ids=scope.team_ids(), as_of=last)


def _workforce_rate(scope: Scope, last: dt.date, measure: str) -> Figure:
    """A workforce census rate for a team or more; not measured for a single worker."""
    if scope.level == "worker":
        return Figure(0, 0, NOT_MEASURED)
    rate = getattr(_census(scope, last), measure)
    return Figure(rate.numerator, rate.denominator, "percent")


def agency_rate(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    """Agency FTE ÷ (agency FTE + LA-employed FTE in post) in social work roles on the last day (DfE children's
    social work workforce census definition; see :mod:`safehold.workforce.census`)."""
    return _workforce_rate(scope, last, "agency_rate")


def turnover_rate(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    """FTE of LA-employed social work leavers in the 12 months to the last day ÷ LA-employed FTE in post then."""
    return _workforce_rate(scope, last, "turnover_rate")


def vacancy_rate(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    """FTE of social work posts vacant or covered by agency workers ÷ (that FTE + LA-employed FTE in post)."""
    return _workforce_rate(scope, last, "vacancy_rate")


def supervision_measure(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    cov = selectors.supervision_coverage(scope=scope, as_of=last)
    return Figure(cov.discussed, cov.total, "percent")


def without_oversight(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    cov = selectors.without_oversight_count(scope=scope, as_of=last)
    return Figure(cov.discussed, cov.total, "percent")


def overdue_actions(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    qs = selectors.actions_overdue(as_of=last)
    if scope.level == "worker":
        qs = qs.filter(owner_id=int(scope.key))
    elif scope.level != "la":
        qs = qs.filter(owner__team_id__in=scope.team_ids())
    return Figure(qs.count(), 0, "count")


def audits_good(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    """Case audits done in the period whose final grade (the moderator's where regraded) is good or
    outstanding, by the child's team or worker when audited."""
    qs = CaseAudit.objects.filter(audited_on__gte=first, audited_on__lte=last)
    if scope.level == "worker":
        qs = qs.filter(worker_id=int(scope.key))
    elif scope.level != "la":
        qs = qs.filter(team_id__in=scope.team_ids())
    finals = [moderated or grade for grade, moderated in qs.values_list("grade", "moderated_grade")]
    return Figure(sum(1 for g in finals if g in GOOD_OR_BETTER), len(finals), "percent")


#: SSDA903 ACTIV codes for education, employment or training (full or part time); G4–G6 are NEET, 0 unknown.
EET_ACTIVITIES = frozenset({"F1", "F2", "F4", "F5", "P1", "P2", "P4", "P5"})


def _care_leaver_contacts(scope: Scope, first: dt.date, last: dt.date) -> list[CareLeaverContact]:
    """The latest care leaver contact in the period of each young person not looked after at any time in it —
    the rows the SSDA903 return's OC3 table reports for a collection year (STATUTE.md §7)."""
    latest: dict[int, CareLeaverContact] = {}
    for c in CareLeaverContact.objects.filter(_in_scope(scope, "child_id"), contacted_on__range=(first, last)).order_by(
        "contacted_on", "id"
    ):
        latest[c.child_id] = c
    in_care = set(
        CareEpisode.objects.filter(child_id__in=set(latest), start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values_list("child_id", flat=True)
    )
    return [c for child_id, c in latest.items() if child_id not in in_care]


def care_leavers_in_touch(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    rows = _care_leaver_contacts(scope, first, last)
    return Figure(sum(1 for c in rows if c.in_touch == "YES"), len(rows), "percent")


def care_leavers_suitable(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    rows = _care_leaver_contacts(scope, first, last)
    return Figure(sum(1 for c in rows if len(c.accommodation) == 2 and c.accommodation[1] == "1"), len(rows), "percent")


def care_leavers_eet(scope: Scope, first: dt.date, last: dt.date) -> Figure:
    rows = _care_leaver_contacts(scope, first, last)
    return Figure(sum(1 for c in rows if c.activity in EET_ACTIVITIES), len(rows), "percent")


_I = INSPECTION_INDICATORS
CL = "Care leaver contacts (SSDA903 OC3 definition: latest contact in the period, young people not in care then)"
WD = "Working Together to Safeguard Children 2023; timescales engine Deadline rows"
CIN = "Casework records (CIN census definitions)"
CLA_VISITS = ("cla_visit_first", "cla_visit_next_year1", "cla_visit_next_after")
CSWW = "Workforce records, DfE children's social work workforce census definitions"

DASHBOARD: dict[str, DashboardIndicator] = {
    i.code: i
    for i in (
        DashboardIndicator(
            code="contact_conversion",
            title="Contacts that became referrals",
            source="Contacts with a recorded decision (front door)",
            formula="contacts decided in the period with outcome 'referral' ÷ contacts decided in the period",
            unit="percent",
            compute=contact_conversion,
            compute_many=contact_conversion_many,
            higher_is_better=None,
        ),
        DashboardIndicator(
            code="rereferrals_12m",
            title="Re-referrals within 12 months",
            source=CIN,
            formula="referrals in the period within 12 months of the child's previous referral ÷ referrals in the "
            "period",
            unit="percent",
            compute=rereferrals,
            national_code="rereferrals_within_12m_pct",
            higher_is_better=False,
        ),
        DashboardIndicator(
            code="decisions_1wd",
            title="Referral decisions within 1 working day",
            source=WD + " (rule referral_decision)",
            formula="referral_decision clocks met on time in the period ÷ clocks met in the period",
            unit="percent",
            compute=_deadline_rate(("referral_decision",)),
            compute_many=_deadline_rate_many(("referral_decision",)),
        ),
        DashboardIndicator(
            code="assessments_45wd",
            title=_I["assessments_45wd"].title,
            source=WD + " (inspection indicator assessments_45wd)",
            formula="assessment clocks met on time in the period ÷ assessment clocks met in the period",
            unit="percent",
            compute=_deadline_rate(_I["assessments_45wd"].rule_codes),
            compute_many=_deadline_rate_many(_I["assessments_45wd"].rule_codes),
            national_code="assessments_within_45_working_days_pct",
        ),
        DashboardIndicator(
            code="icpc_15wd",
            title=_I["icpc_15wd"].title,
            source=WD + " (inspection indicator icpc_15wd)",
            formula="ICPC clocks met on time in the period ÷ ICPC clocks met in the period",
            unit="percent",
            compute=_deadline_rate(_I["icpc_15wd"].rule_codes),
            compute_many=_deadline_rate_many(_I["icpc_15wd"].rule_codes),
            national_code="icpc_within_15_working_days_pct",
        ),
        DashboardIndicator(
            code="cp_plans_2yrs",
            title="Child protection plans ending that lasted 2 years or more",
            source=CIN,
            formula="CP plans ended in the period lasting ≥ 2 years ÷ CP plans ended in the period",
            unit="percent",
            compute=cp_plans_two_years,
            national_code="cpp_ended_lasting_2yrs_plus_pct",
            higher_is_better=False,
        ),
        DashboardIndicator(
            code="cp_plans_second",
            title="Second or subsequent child protection plans",
            source=CIN,
            formula="CP plans started in the period where the child had an earlier CP plan ÷ CP plans started",
            unit="percent",
            compute=cp_plans_second,
            national_code="cpp_second_or_subsequent_pct",
            higher_is_better=False,
        ),
        DashboardIndicator(
            code="cla_reviews_on_time",
            title=_I["cla_reviews_on_time"].title,
            source="Care Planning Regulations 2010 reg. 33; timescales engine (inspection indicator "
            "cla_reviews_on_time)",
            formula="CLA review clocks met on time in the period ÷ CLA review clocks met in the period",
            unit="percent",
            compute=_deadline_rate(_I["cla_reviews_on_time"].rule_codes),
            compute_many=_deadline_rate_many(_I["cla_reviews_on_time"].rule_codes),
        ),
        DashboardIndicator(
            code="cp_visits_on_time",
            title="Child protection visits on time",
            source="Local authority standard (no national CP visit frequency); timescales engine (rule cp_visit)",
            formula="CP visit clocks met on time in the period ÷ CP visit clocks met in the period",
            unit="percent",
            compute=_deadline_rate(("cp_visit",)),
            compute_many=_deadline_rate_many(("cp_visit",)),
        ),
        DashboardIndicator(
            code="cla_visits_on_time",
            title="Visits to children in care on time",
            source="Care Planning Regulations 2010 reg. 28; timescales engine (rules cla_visit_*)",
            formula="CLA visit clocks met on time in the period ÷ CLA visit clocks met in the period",
            unit="percent",
            compute=_deadline_rate(CLA_VISITS),
            compute_many=_deadline_rate_many(CLA_VISITS),
        ),
        DashboardIndicator(
            code="care_leavers_in_touch",
            title="Care leavers in touch",
            source=CL,
            formula="care leavers whose latest contact in the period records them in touch ÷ care leavers with a "
            "contact in the period",
            unit="percent",
            compute=care_leavers_in_touch,
        ),
        DashboardIndicator(
            code="care_leavers_suitable",
            title="Care leavers in suitable accommodation",
            source=CL,
            formula="care leavers whose latest contact in the period records suitable accommodation ÷ care leavers "
            "with a contact in the period",
            unit="percent",
            compute=care_leavers_suitable,
        ),
        DashboardIndicator(
            code="care_leavers_eet",
            title="Care leavers in education, employment or training",
            source=CL,
            formula="care leavers whose latest contact in the period records education, employment or training ÷ "
            "care leavers with a contact in the period",
            unit="percent",
            compute=care_leavers_eet,
        ),
        DashboardIndicator(
            code="caseload_average",
            title="Average caseload per case-holding FTE",
            source="Workforce: open allocations and staff FTE (team caseload page selector)",
            formula="children allocated to case-holding workers now ÷ those workers' FTE",
            unit="ratio",
            compute=caseload_average,
            national_code="sw_average_caseload_fte",
            higher_is_better=False,
            trend=False,
        ),
        DashboardIndicator(
            code="agency_rate",
            title="Agency social workers (FTE)",
            source=CSWW + " (agency worker rate)",
            formula="agency FTE ÷ (agency FTE + LA-employed FTE in post), social work roles, at the end of the period",
            unit="percent",
            compute=agency_rate,
            national_code="sw_agency_worker_rate_fte_pct",
            higher_is_better=False,
        ),
        DashboardIndicator(
            code="turnover_rate",
            title="Social worker turnover (FTE, 12 months)",
            source=CSWW + " (turnover rate)",
            formula="FTE of LA-employed social workers who left in the 12 months to the end of the period ÷ "
            "LA-employed FTE in post at its end",
            unit="percent",
            compute=turnover_rate,
            national_code="sw_turnover_rate_fte_pct",
            higher_is_better=False,
        ),
        DashboardIndicator(
            code="vacancy_rate",
            title="Social worker vacancies (FTE)",
            source=CSWW + " (vacancy rate); workforce establishment of posts",
            formula="FTE of social work posts vacant or covered by agency workers ÷ (that FTE + LA-employed FTE in "
            "post), now",
            unit="percent",
            compute=vacancy_rate,
            national_code="sw_vacancy_rate_fte_pct",
            higher_is_better=False,
            trend=False,
        ),
        DashboardIndicator(
            code="supervision_coverage",
            title="Open children discussed in supervision in the last 4 weeks",
            source="Supervision records (oversight)",
            formula="allocated children with a supervision discussion in the 4 weeks to the end of the period ÷ "
            "allocated children now",
            unit="percent",
            compute=supervision_measure,
            trend=False,
        ),
        DashboardIndicator(
            code="without_oversight",
            title="Open children with no management oversight recorded in 6 weeks",
            source="Supervision discussions, management decisions and casework sign-offs",
            formula="allocated children with none of these in the 6 weeks to the end of the period ÷ allocated "
            "children now",
            unit="percent",
            compute=without_oversight,
            higher_is_better=False,
            trend=False,
        ),
        DashboardIndicator(
            code="audits_good",
            title="Case audits graded good or outstanding",
            source="Case audits (oversight), final grade after moderation",
            formula="audits done in the period graded good or outstanding ÷ audits done in the period",
            unit="percent",
            compute=audits_good,
        ),
        DashboardIndicator(
            code="overdue_actions",
            title="Overdue supervision actions",
            source="Supervision actions (the overdue actions worklist)",
            formula="open supervision actions due before today",
            unit="count",
            compute=overdue_actions,
            higher_is_better=False,
            trend=False,
        ),
    )
}


def period(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months up to and including ``as_of`` (as the inspection indicators)."""
    return months_before(as_of, 12) + dt.timedelta(days=1), as_of


def month_end(month: dt.date) -> dt.date:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def trend(
    indicator: DashboardIndicator, *, scope: Scope, as_of: dt.date, months: int = 13
) -> list[tuple[dt.date, Figure]]:
    """Month by month, oldest first, for the ``months`` calendar months up to the one containing ``as_of``."""
    out = []
    for i in range(months):
        month = months_before(as_of.replace(day=1), months - 1 - i)
        out.append((month, indicator.compute(scope, month, min(month_end(month), as_of))))
    return out


@dataclass(frozen=True)
class National:
    value: float
    year_ending: dt.date
    unit: str
    source: str


@lru_cache(maxsize=1)
def national_figures() -> dict[str, National]:
    """Latest England figure per indicator code from the shipped, year-stamped data file."""
    out: dict[str, National] = {}
    with NATIONAL_FILE.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            year = dt.date.fromisoformat(row["year_ending"])
            current = out.get(row["indicator_code"])
            if current is None or year > current.year_ending:
                out[row["indicator_code"]] = National(float(row["value"]), year, row["unit"], row["source"])
    return out
