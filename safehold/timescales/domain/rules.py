"""Statutory and local timescale rules (STATUTE.md sections 1 to 5 and 9.1).

Each :class:`Rule` says what starts its clock, how long the clock runs, what stops or restarts it
and where the duty comes from. ``RULES`` is the national registry; rules with ``local=True`` are
local-authority standards whose amount an LA may change with :func:`with_local_amounts`.

Source status follows STATUTE.md: ``V`` (primary text read or validator-encoded), ``V-sec``
(secondary sources only) or ``local standard`` (no national timescale; the LA sets it).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Final

from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.periods import add_hours, add_months, add_weeks

__all__ = [
    "LOCAL_STANDARD",
    "RULES",
    "Rule",
    "Source",
    "Unit",
    "When",
    "with_local_amounts",
]

When = date | datetime
"""A clock start or due point: a date, or a datetime for hour-based rules."""

V: Final = "V"
V_SEC: Final = "V-sec"
LOCAL_STANDARD: Final = "local standard"


class Unit(enum.Enum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    CALENDAR_WEEKS = "calendar_weeks"
    CALENDAR_MONTHS = "calendar_months"
    HOURS = "hours"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a duty comes from: a STATUTE.md source key or title, a paragraph and a status."""

    document: str
    reference: str
    status: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One timescale.

    ``period_includes_start``: the statute words the period as "beginning with" the start day, so
    the start day is the first day of the period and the last day is one day earlier than plain
    addition gives (CA89 s.32: 26 weeks beginning with the day of issue ends on day 182 = issue +
    181 days). Only meaningful for calendar units.
    """

    code: str
    title: str
    starts: str
    unit: Unit
    amount: int
    stops: str
    restarts: str
    source: Source
    local: bool = False
    period_includes_start: bool = False

    def due(
        self,
        start: When,
        calendar: WorkingDayCalendar,
        *,
        start_counts_as_day_one: bool = False,
    ) -> When:
        """The last day (or, for ``HOURS``, the last moment) on which the duty is met in time.

        ``HOURS`` rules need a datetime and return one. Every other unit works on dates; a
        datetime start is reduced to its (local wall-clock) date. ``start_counts_as_day_one``
        only affects ``WORKING_DAYS`` rules (see :mod:`safehold.timescales.domain.calendar`).
        """
        if self.unit is Unit.HOURS:
            if not isinstance(start, datetime):
                raise TypeError(f"rule {self.code!r} counts hours and needs a datetime start")
            return add_hours(start, self.amount)
        day = start.date() if isinstance(start, datetime) else start
        if self.unit is Unit.WORKING_DAYS:
            return calendar.add_working_days(
                day, self.amount, start_counts_as_day_one=start_counts_as_day_one
            )
        if self.unit is Unit.CALENDAR_DAYS:
            result = day + timedelta(days=self.amount)
        elif self.unit is Unit.CALENDAR_WEEKS:
            result = add_weeks(day, self.amount)
        else:
            result = add_months(day, self.amount)
        if self.period_includes_start:
            result -= timedelta(days=1)
        return result


def _wt(reference: str, status: str = V_SEC) -> Source:
    return Source("WT23 (Working Together to Safeguard Children 2023; WT18 wording)", reference, status)


def _cppcr(reference: str, status: str = V) -> Source:
    return Source(
        "CPPCR: Care Planning, Placement and Case Review (England) Regulations 2010", reference, status
    )


def _pfr(reference: str, status: str = V) -> Source:
    return Source("PFR: Children (Private Arrangements for Fostering) Regulations 2005", reference, status)


def _local(reference: str) -> Source:
    return Source("Local authority standard (no national timescale)", reference, LOCAL_STANDARD)


_ALL: Final[tuple[Rule, ...]] = (
    # ---------------------------------------------------------------- child in need / CP
    Rule(
        code="referral_decision",
        title="Decision on next steps after a referral",
        starts="Referral (or contact treated as a referral) received",
        unit=Unit.WORKING_DAYS,
        amount=1,
        stops="Decision recorded and acknowledged to the referrer",
        restarts="Each new referral has its own clock",
        source=_wt("Ch.1, assessing need: decide within one working day (STATUTE 1.1)"),
    ),
    Rule(
        code="assessment",
        title="Single (s.17/s.47) assessment concluded",
        starts="Point of referral (a later assessment in the same episode: its own start)",
        unit=Unit.WORKING_DAYS,
        amount=45,
        stops="Assessment completed and authorised",
        restarts="Each assessment has its own clock",
        source=_wt("Ch.1, assessment timescale: no more than 45 working days from referral (STATUTE 1.1)"),
    ),
    Rule(
        code="icpc",
        title="Initial child protection conference",
        starts="Strategy discussion at which the s.47 enquiry was initiated (S47ActualStartDate)",
        unit=Unit.WORKING_DAYS,
        amount=15,
        stops="ICPC held, or s.47 enquiry ended with no conference",
        restarts="Not restarted by a further strategy discussion",
        source=_wt("Ch.1, ICPC within 15 working days of the initiating strategy discussion (STATUTE 1.1)"),
    ),
    Rule(
        code="core_group_first",
        title="First core group meeting",
        starts="ICPC (= CP plan start date)",
        unit=Unit.WORKING_DAYS,
        amount=10,
        stops="First core group held, or CP plan ended",
        restarts="Each new CP plan",
        source=_wt("Ch.1, first core group within 10 working days of the ICPC (STATUTE 1.1)"),
    ),
    Rule(
        code="cp_review_first",
        title="First review child protection conference",
        starts="ICPC (= CP plan start date)",
        unit=Unit.CALENDAR_MONTHS,
        amount=3,
        stops="Review conference held, or CP plan ended",
        restarts="Each new CP plan",
        source=_wt("Ch.1, first review conference within 3 months of the ICPC (STATUTE 1.1)"),
    ),
    Rule(
        code="cp_review_next",
        title="Subsequent review child protection conference",
        starts="Previous actual review conference",
        unit=Unit.CALENDAR_MONTHS,
        amount=6,
        stops="Review conference held, or CP plan ended",
        restarts="Each actual review restarts it",
        source=_wt("Ch.1, later review conferences at intervals of no more than 6 months (STATUTE 1.1)"),
    ),
    # ---------------------------------------------------------------- looked-after children
    Rule(
        code="care_plan",
        title="Care plan prepared",
        starts="Start of the first placement in the period of care",
        unit=Unit.WORKING_DAYS,
        amount=10,
        stops="Care plan recorded (before placement counts), or period of care ended",
        restarts="Each new period of care",
        source=_cppcr("reg 4(2): before the first placement or, if impracticable, within 10 working days"),
    ),
    Rule(
        code="cla_review_first",
        title="First looked-after child review",
        starts="Child becomes looked after (start of the period of care)",
        unit=Unit.WORKING_DAYS,
        amount=20,
        stops="Review held, or period of care ended",
        restarts="Each new period of care",
        source=_cppcr("reg 33(1): first review within 20 working days of becoming looked after"),
    ),
    Rule(
        code="cla_review_second",
        title="Second looked-after child review",
        starts="Actual date of the first review",
        unit=Unit.CALENDAR_MONTHS,
        amount=3,
        stops="Review held, or period of care ended",
        restarts="An early review resets it",
        source=_cppcr("reg 33(2): second review no more than three months after the first"),
    ),
    Rule(
        code="cla_review_next",
        title="Subsequent looked-after child review",
        starts="Actual date of the previous review",
        unit=Unit.CALENDAR_MONTHS,
        amount=6,
        stops="Review held, or period of care ended",
        restarts="Each actual review (early ones included, reg 33(3)) restarts it",
        source=_cppcr("reg 33(2): later reviews at intervals of no more than six months"),
    ),
    Rule(
        code="health_initial",
        title="Initial health assessment",
        starts="Child becomes looked after (start of the period of care)",
        unit=Unit.WORKING_DAYS,
        amount=20,
        stops="Initial health assessment done, or period of care ended",
        restarts="Each new period of care",
        source=Source(
            "HLTH15: Promoting the health and well-being of looked-after children (2015), with CPPCR reg 7",
            "Initial assessment in time for the first review, i.e. within 20 working days",
            V_SEC,
        ),
    ),
    Rule(
        code="health_review_under5",
        title="Review health assessment (child under 5)",
        starts="Previous health assessment",
        unit=Unit.CALENDAR_MONTHS,
        amount=6,
        stops="Review health assessment done, or period of care ended",
        restarts="Each actual health assessment",
        source=Source(
            "HLTH15: Promoting the health and well-being of looked-after children (2015)",
            "Review health assessment at least every 6 months before the 5th birthday",
            V_SEC,
        ),
    ),
    Rule(
        code="health_review_over5",
        title="Review health assessment (child aged 5 or over)",
        starts="Previous health assessment",
        unit=Unit.CALENDAR_MONTHS,
        amount=12,
        stops="Review health assessment done, or period of care ended",
        restarts="Each actual health assessment",
        source=Source(
            "HLTH15: Promoting the health and well-being of looked-after children (2015)",
            "Review health assessment at least every 12 months from age 5",
            V_SEC,
        ),
    ),
    Rule(
        code="pep_initial",
        title="Personal education plan in place",
        starts="Child becomes looked after (start of the period of care)",
        unit=Unit.WORKING_DAYS,
        amount=20,
        stops="PEP in place, or period of care ended",
        restarts="Each new period of care",
        source=Source(
            "PEP18: Promoting the education of looked-after children (2018), with CPPCR reg 5(b)(ii)",
            "PEP in place within 20 working days / for the first review",
            V_SEC,
        ),
    ),
    Rule(
        code="cla_visit_first",
        title="First statutory visit in a placement",
        starts="Start of any placement",
        unit=Unit.CALENDAR_WEEKS,
        amount=1,
        stops="Visit made, or placement ended",
        restarts="Each new placement",
        source=_cppcr("reg 28(2)(a): visit within one week of the start of any placement"),
    ),
    Rule(
        code="cla_visit_next_year1",
        title="Statutory visit, 6-weekly (first year of a placement, or not intended to last to 18)",
        starts="Last actual visit",
        unit=Unit.CALENDAR_WEEKS,
        amount=6,
        stops="Visit made, or placement ended",
        restarts="Each actual visit; a new placement restarts the first-visit clock",
        source=_cppcr("reg 28(2)(b) and (c)(ii): intervals of no more than six weeks"),
    ),
    Rule(
        code="cla_visit_next_after",
        title="Statutory visit, 3-monthly (after year 1 of a placement intended to last to 18)",
        starts="Last actual visit",
        unit=Unit.CALENDAR_MONTHS,
        amount=3,
        stops="Visit made, or placement ended",
        restarts="Each actual visit; a new placement restarts the first-visit clock",
        source=_cppcr("reg 28(2)(c)(i): intervals of no more than three months"),
    ),
    # ---------------------------------------------------------------- private fostering
    Rule(
        code="pf_visit_first",
        title="First private fostering visit",
        starts="Local authority becomes aware of the arrangement (notification)",
        unit=Unit.WORKING_DAYS,
        amount=7,
        stops="Visit made, or arrangement ended",
        restarts="Each new arrangement",
        source=_pfr("regs 4 and 7: visit within 7 working days of notification (reg 7 mirrors reg 4)"),
    ),
    Rule(
        code="pf_visit_next_year1",
        title="Private fostering visit, first year",
        starts="Previous visit",
        unit=Unit.CALENDAR_WEEKS,
        amount=6,
        stops="Visit made, or arrangement ended",
        restarts="Each actual visit",
        source=_pfr("reg 8: intervals of no more than 6 weeks in the first year"),
    ),
    Rule(
        code="pf_visit_next_after",
        title="Private fostering visit, second and later years",
        starts="Previous visit",
        unit=Unit.CALENDAR_WEEKS,
        amount=12,
        stops="Visit made, or arrangement ended",
        restarts="Each actual visit",
        source=_pfr("reg 8: intervals of no more than 12 weeks after the first year"),
    ),
    # ---------------------------------------------------------------- care leavers
    Rule(
        code="pathway_plan_review",
        title="Pathway plan review",
        starts="Previous pathway plan (review)",
        unit=Unit.CALENDAR_MONTHS,
        amount=6,
        stops="Review held, or entitlement ended",
        restarts="Each actual review",
        source=Source(
            "CLR: Care Leavers (England) Regulations 2010",
            "reg 7: review at least every six months (England text inferred via reg 8)",
            V_SEC,
        ),
    ),
    Rule(
        code="pa_visit_first",
        title="First personal adviser visit at new accommodation",
        starts="The local authority first provides the accommodation (s.23B(8) or s.24B(5))",
        unit=Unit.CALENDAR_DAYS,
        amount=7,
        stops="Visit made, or accommodation no longer provided",
        restarts="Each new accommodation",
        source=Source(
            "CLR: Care Leavers (England) Regulations 2010",
            "reg 8: a visit at the accommodation within 7 days of it first being provided",
            V,
        ),
    ),
    Rule(
        code="pa_visit",
        title="Personal adviser visit (accommodation provided)",
        starts="Previous visit",
        unit=Unit.CALENDAR_MONTHS,
        amount=2,
        stops="Visit made, or accommodation no longer provided",
        restarts="Each actual visit; new accommodation restarts the 7-day visit",
        source=Source(
            "CLR: Care Leavers (England) Regulations 2010",
            "reg 8: visits at intervals of no more than two months",
            V,
        ),
    ),
    # ---------------------------------------------------------------- missing
    Rule(
        code="rhi",
        title="Independent return home interview offered",
        starts="Date and time of return from a missing (or away) episode",
        unit=Unit.HOURS,
        amount=72,
        stops="Interview offered/held",
        restarts="Each return",
        source=Source(
            "MISS14: Children who run away or go missing from home or care (DfE 2014)",
            "Return interview offered within 72 hours of return",
            V_SEC,
        ),
    ),
    # ---------------------------------------------------------------- court
    Rule(
        code="plo_proceedings",
        title="Care proceedings disposed of",
        starts="Day the care/supervision application was issued",
        unit=Unit.CALENDAR_WEEKS,
        amount=26,
        stops="Final order / proceedings concluded",
        restarts="Not restarted; extensions of up to 8 weeks are granted by the court (s.32(5))",
        source=Source(
            "CA89: Children Act 1989",
            "s.32(1)(a)(ii): within 26 weeks beginning with the day the application was issued",
            V,
        ),
        period_includes_start=True,
    ),
    # ---------------------------------------------------------------- local standards
    Rule(
        code="contact_decision",
        title="Decision on a contact (local standard)",
        starts="Contact received",
        unit=Unit.WORKING_DAYS,
        amount=1,
        stops="Contact decision recorded",
        restarts="Each contact",
        source=_local("Many LAs apply about 24 hours to contacts; local practice (STATUTE 1.1)"),
        local=True,
    ),
    Rule(
        code="cp_visit",
        title="Child protection visit (local standard)",
        starts="CP plan start, then the last actual visit",
        unit=Unit.WORKING_DAYS,
        amount=10,
        stops="Visit made, or CP plan ended",
        restarts="Each actual visit",
        source=_local("No national CP visit frequency; typical local standard 10 working days (STATUTE 1.1)"),
        local=True,
    ),
    Rule(
        code="cin_visit",
        title="Child in need visit (local standard)",
        starts="CIN plan start, then the last actual visit",
        unit=Unit.WORKING_DAYS,
        amount=20,
        stops="Visit made, or CIN plan ended",
        restarts="Each actual visit",
        source=_local("No national CIN visit frequency; LA-configured"),
        local=True,
    ),
    Rule(
        code="cin_plan_review_first",
        title="First CIN plan review (local standard)",
        starts="CIN plan start",
        unit=Unit.CALENDAR_MONTHS,
        amount=3,
        stops="Review held, or CIN plan ended",
        restarts="Each new CIN plan",
        source=_local("No national CIN review frequency; first review around 3 months (STATUTE 1.1)"),
        local=True,
    ),
    Rule(
        code="cin_plan_review_next",
        title="Subsequent CIN plan review (local standard)",
        starts="Previous actual CIN plan review",
        unit=Unit.CALENDAR_MONTHS,
        amount=3,
        stops="Review held, or CIN plan ended",
        restarts="Each actual review",
        source=_local("No national CIN review frequency; then every 3 to 6 months (STATUTE 1.1)"),
        local=True,
    ),
    Rule(
        code="core_group_next",
        title="Subsequent core group meeting (local standard)",
        starts="Previous actual core group",
        unit=Unit.CALENDAR_WEEKS,
        amount=6,
        stops="Core group held, or CP plan ended",
        restarts="Each actual core group",
        source=_local("No national frequency after the first; typically every 4 to 6 weeks (STATUTE 1.1)"),
        local=True,
    ),
    Rule(
        code="strategy_discussion",
        title="Strategy discussion held (local standard)",
        starts="Decision to hold a strategy discussion",
        unit=Unit.WORKING_DAYS,
        amount=3,
        stops="Strategy discussion held",
        restarts="Each decision",
        source=_local("WT: 'as soon as possible', no national number; e.g. 3 working days locally"),
        local=True,
    ),
    Rule(
        code="exploitation_review",
        title="Exploitation risk screening review (local standard)",
        starts="Previous exploitation risk screening",
        unit=Unit.CALENDAR_MONTHS,
        amount=3,
        stops="Screening reviewed, or exploitation risk management ended",
        restarts="Each screening",
        source=_local("No national review frequency for exploitation risk (WT23 harm outside the home); LA-set"),
        local=True,
    ),
    # ---------------------------------------------------------------- early help (Family Help)
    Rule(
        code="eh_assessment",
        title="Early help assessment completed (local standard)",
        starts="Early help assessment started",
        unit=Unit.WORKING_DAYS,
        amount=30,
        stops="Assessment completed, or early help closed",
        restarts="Each assessment has its own clock",
        source=_local("STATUTE 1.3: Family Help is set locally (Families First Partnership guide); LA-set"),
        local=True,
    ),
    Rule(
        code="eh_review",
        title="Team around the family review (local standard)",
        starts="Early help assessment completed, then each review",
        unit=Unit.CALENDAR_WEEKS,
        amount=6,
        stops="Early help closed",
        restarts="Each review",
        source=_local("STATUTE 1.3: no national review frequency for early help plans; LA-set"),
        local=True,
    ),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _ALL}
"""The national registry, keyed by rule code."""


def with_local_amounts(
    overrides: Mapping[str, int], base: Mapping[str, Rule] | None = None
) -> dict[str, Rule]:
    """A copy of ``base`` (default :data:`RULES`) with the amounts of local standards changed.

    Raises ``ValueError`` for an unknown code, for a statutory (non-local) rule, or for an amount
    that is not a positive integer. ``base`` itself is never modified.
    """
    rules = dict(RULES if base is None else base)
    for code, amount in overrides.items():
        rule = rules.get(code)
        if rule is None:
            raise ValueError(f"unknown timescale rule {code!r}")
        if not rule.local:
            raise ValueError(f"rule {code!r} is statutory and cannot be changed locally")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            raise ValueError(f"amount for {code!r} must be a positive integer, not {amount!r}")
        rules[code] = replace(rule, amount=amount)
    return rules
