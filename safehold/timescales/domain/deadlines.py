"""Clock semantics: from a child's recorded events to deadlines (STATUTE.md section 9.1).

Input is a flat list of :class:`ClockEvent` rows per child. ``ref`` names the record that owns a
clock (a referral, an assessment, an s.47 enquiry, a CP plan, a period of care, a placement, a
private fostering arrangement, a missing episode...): every event about that record carries the
same ``ref``. ``parent`` links a record to the one it hangs off where a clock needs it (an
assessment's referral; a placement's period of care).

Output is a list of :class:`Deadline` rows: one per clock link, met or open. Rules for every family:

* Chains (visits, reviews, core groups) run from the **last actual** event, never from the last
  due date, so an early event resets the next due date.
* A clock ends at its stop event (plan ended, period of care ended, placement ended...). Actual
  events after the stop are ignored. An open link whose due date is on or after the stop date is
  dropped (the duty lapsed before it was breached); one that was already overdue when the clock
  stopped is kept, unmet, with ``stopped_on`` set, so the missed deadline stays visible.
* Several events of one kind on the same day count once.

Every function here is pure: it takes the events and a :class:`ClockContext` (calendar, rule set,
counting convention) and returns new objects. :func:`child_deadlines` runs every family over one
child; :func:`bulk_deadlines` does it for many children, sharing one calendar table.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, KeysView, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, TypeVar

from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.periods import add_months
from safehold.timescales.domain.rules import RULES, Rule, When

__all__ = [
    "FAMILIES",
    "FAMILY_STARTS",
    "ClockContext",
    "ClockEvent",
    "Deadline",
    "DeadlineState",
    "EventIndex",
    "EventKind",
    "assessment_deadlines",
    "bulk_deadlines",
    "child_deadlines",
    "cin_plan_deadlines",
    "cla_care_plan_and_health_deadlines",
    "cla_review_deadlines",
    "cla_visit_deadlines",
    "contact_and_referral_deadlines",
    "early_help_deadlines",
    "cp_plan_deadlines",
    "group_events",
    "pa_visit_deadlines",
    "pathway_plan_deadlines",
    "pf_visit_deadlines",
    "proceedings_deadlines",
    "rhi_deadlines",
    "s47_deadlines",
    "state",
]

K = TypeVar("K", bound=Hashable)


class EventKind(enum.StrEnum):
    """What happened. ``ref`` (and sometimes ``parent``) on the event says to which record."""

    # Front door. ref = contact / referral.
    CONTACT = "contact"
    CONTACT_DECISION = "contact_decision"
    REFERRAL = "referral"
    REFERRAL_DECISION = "referral_decision"
    # Assessments. ref = assessment, parent = referral.
    ASSESSMENT_START = "assessment_start"
    ASSESSMENT_COMPLETE = "assessment_complete"
    # Strategy and s.47. ref = s.47 enquiry (or the safeguarding episode).
    STRATEGY_DECISION = "strategy_decision"
    STRATEGY_DISCUSSION = "strategy_discussion"
    # A discussion held in answer to a STRATEGY_DECISION (ref = the decision): it meets the strategy_discussion
    # clock without starting an ICPC clock (only a discussion that starts an s.47 does that).
    STRATEGY_HELD = "strategy_held"
    # The case closed before the decided discussion was held (ref = the decision): the clock stops.
    STRATEGY_DECISION_LAPSED = "strategy_decision_lapsed"
    ICPC = "icpc"
    S47_END = "s47_end"
    # Child protection plan. ref = CP plan; CP_PLAN_START is the ICPC date.
    CP_PLAN_START = "cp_plan_start"
    CP_REVIEW = "cp_review"
    CORE_GROUP = "core_group"
    CP_VISIT = "cp_visit"
    CP_PLAN_END = "cp_plan_end"
    # Child in need plan. ref = CIN plan.
    CIN_PLAN_START = "cin_plan_start"
    CIN_PLAN_REVIEW = "cin_plan_review"
    CIN_VISIT = "cin_visit"
    CIN_PLAN_END = "cin_plan_end"
    # Looked after. ref = period of care.
    CARE_PERIOD_START = "care_period_start"
    CARE_PERIOD_END = "care_period_end"
    CLA_REVIEW = "cla_review"
    CARE_PLAN = "care_plan"
    HEALTH_ASSESSMENT_INITIAL = "health_assessment_initial"
    HEALTH_ASSESSMENT_REVIEW = "health_assessment_review"
    PEP = "pep"
    # Placements. ref = placement, parent = period of care.
    PLACEMENT_START = "placement_start"
    PLACEMENT_INTENDED_UNTIL_18 = "placement_intended_until_18"
    PLACEMENT_END = "placement_end"
    CLA_VISIT = "cla_visit"
    # The child. ref unused.
    BIRTH = "birth"
    # Private fostering. ref = arrangement; PF_AWARE is when the LA became aware of it.
    PF_AWARE = "pf_aware"
    PF_VISIT = "pf_visit"
    PF_END = "pf_end"
    # Missing. ref = missing episode; `on` must be a datetime.
    MISSING_RETURN = "missing_return"
    RETURN_INTERVIEW = "return_interview"
    # Care leavers. ref = the care-leaver record.
    PATHWAY_PLAN = "pathway_plan"
    PATHWAY_PLAN_REVIEW = "pathway_plan_review"
    CARE_LEAVER_END = "care_leaver_end"
    # Personal adviser visits (CLR reg 8). ref = a spell of accommodation the LA provides (s.23B(8) / s.24B(5)).
    PA_ACCOMMODATION_START = "pa_accommodation_start"
    PA_ACCOMMODATION_END = "pa_accommodation_end"
    PA_VISIT = "pa_visit"
    # Court. ref = proceedings.
    APPLICATION_ISSUED = "application_issued"
    PROCEEDINGS_CONCLUDED = "proceedings_concluded"
    # A court extension of the timetable (CA89 s.32(5)): `on` is the date the timetable is extended TO.
    PROCEEDINGS_EXTENDED = "proceedings_extended"
    # Exploitation risk (local standard). ref = a spell of risk management, from its first screening.
    EXPLOITATION_SCREENING = "exploitation_screening"
    EXPLOITATION_REVIEW = "exploitation_review"
    EXPLOITATION_ENDED = "exploitation_ended"
    # Early help (local standards). ref = early help assessment (parent = episode) or episode.
    EH_ASSESSMENT_START = "eh_assessment_start"
    EH_ASSESSMENT_COMPLETE = "eh_assessment_complete"
    EH_REVIEW = "eh_review"
    EH_CLOSED = "eh_closed"


@dataclass(frozen=True, slots=True)
class ClockEvent:
    """One recorded fact about a child: what (``kind``), when (``on``) and about which record."""

    kind: EventKind
    on: When
    ref: str = ""
    parent: str = ""


@dataclass(frozen=True, slots=True)
class Deadline:
    """One clock link: the rule, when its clock started, when it falls due and when it was met.

    ``ref`` is the record the clock belongs to. ``stopped_on`` is set only on an unmet deadline
    whose clock stopped after it fell due (a missed deadline on a closed record).
    """

    rule_code: str
    start: When
    due: When
    met_on: When | None = None
    ref: str = ""
    stopped_on: When | None = None


DeadlineState = Literal["due", "overdue", "met_on_time", "met_late"]


def _as_date(value: When) -> date:
    return value.date() if isinstance(value, datetime) else value


def _on_or_before(a: When, b: When) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a <= b
    return _as_date(a) <= _as_date(b)


def state(deadline: Deadline, today: When) -> DeadlineState:
    """``met_on_time`` / ``met_late`` if met, else ``due`` (not yet past) or ``overdue``.

    The due date is the last day that counts as in time. Comparisons between a date and a
    datetime use the datetime's date, so pass a datetime ``today`` for hour-based deadlines.
    """
    if deadline.met_on is not None:
        return "met_on_time" if _on_or_before(deadline.met_on, deadline.due) else "met_late"
    return "due" if _on_or_before(today, deadline.due) else "overdue"


@dataclass(frozen=True, slots=True)
class ClockContext:
    """Everything a clock needs besides the events: calendar, rule set and counting convention."""

    calendar: WorkingDayCalendar
    rules: Mapping[str, Rule] = field(default_factory=lambda: RULES)
    start_counts_as_day_one: bool = False
    # Due dates already worked out, by (rule code, start): a due date depends on nothing else, and
    # a bulk run asks for the same few thousand (rule, start) pairs again and again.
    _memo: dict[tuple[str, When], When] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def due(self, code: str, start: When) -> When:
        key = (code, start)
        due = self._memo.get(key)
        if due is None:
            due = self.rules[code].due(
                start, self.calendar, start_counts_as_day_one=self.start_counts_as_day_one
            )
            self._memo[key] = due
        return due


class EventIndex:
    """A child's events grouped by kind and by (kind, ref), each list sorted by date."""

    __slots__ = ("_by_kind", "_by_kind_ref")

    def __init__(self, events: Iterable[ClockEvent]) -> None:
        # Group first, then turn each distinct kind into an EventKind once (a kind given as its
        # string value groups with the member: a StrEnum member hashes and compares as its value).
        grouped: dict[str, list[ClockEvent]] = defaultdict(list)
        for event in events:
            grouped[event.kind].append(event)
        by_kind: dict[EventKind, list[ClockEvent]] = {}
        by_kind_ref: dict[tuple[EventKind, str], list[ClockEvent]] = defaultdict(list)
        for key, items in grouped.items():
            kind = EventKind(key)
            if len(items) > 1:
                items.sort(key=_event_sort_key)
            by_kind[kind] = items
            for event in items:
                by_kind_ref[(kind, event.ref)].append(event)
        self._by_kind = by_kind
        self._by_kind_ref = dict(by_kind_ref)

    def of(self, kind: EventKind) -> Sequence[ClockEvent]:
        return self._by_kind.get(kind, ())

    def kinds(self) -> KeysView[EventKind]:
        """The kinds of event present."""
        return self._by_kind.keys()

    def for_ref(self, kind: EventKind, ref: str) -> Sequence[ClockEvent]:
        return self._by_kind_ref.get((kind, ref), ())

    def dates(self, kind: EventKind, ref: str) -> list[date]:
        """Distinct dates of ``kind`` events for ``ref``, ascending."""
        return sorted({_as_date(e.on) for e in self.for_ref(kind, ref)})

    def first_date(self, kind: EventKind, ref: str) -> date | None:
        items = self.for_ref(kind, ref)
        return _as_date(items[0].on) if items else None

    def starts(self, kind: EventKind) -> list[tuple[str, date]]:
        """(ref, earliest date) for every ref that has a ``kind`` event, in date order."""
        items = self._by_kind.get(kind)
        if not items:
            return []
        seen: dict[str, date] = {}
        for event in items:
            seen.setdefault(event.ref, _as_date(event.on))
        return sorted(seen.items(), key=lambda item: (item[1], item[0]))


def _event_sort_key(event: ClockEvent) -> tuple[int, float]:
    on = event.on
    if isinstance(on, datetime):
        return (on.toordinal(), on.hour * 3600 + on.minute * 60 + on.second + on.microsecond / 1e6)
    return (on.toordinal(), -1.0)


def _index(events: Iterable[ClockEvent] | EventIndex) -> EventIndex:
    return events if isinstance(events, EventIndex) else EventIndex(events)


def _min_date(*values: date | None) -> date | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


# ---------------------------------------------------------------------- building blocks
def _finish(
    code: str, start: When, due: When, met: When | None, stop: When | None, ref: str
) -> Deadline | None:
    if met is not None:
        return Deadline(code, start, due, met, ref)
    if stop is not None and _on_or_before(stop, due):
        return None
    return Deadline(code, start, due, None, ref, stopped_on=stop)


def _single(
    ctx: ClockContext, code: str, start: date, actuals: Sequence[date], stop: date | None, ref: str
) -> list[Deadline]:
    """A one-off duty met by the first actual event (even one before the start), up to the stop."""
    met = next((a for a in actuals if stop is None or a <= stop), None)
    deadline = _finish(code, start, ctx.due(code, start), met, stop, ref)
    return [deadline] if deadline is not None else []


def _chain(
    ctx: ClockContext,
    rule_for: Callable[[int, date], str],
    start: date,
    actuals: Iterable[date],
    stop: date | None,
    ref: str,
) -> list[Deadline]:
    """A repeating duty: link ``i`` runs from the previous actual event (the start for link 0).

    ``rule_for(i, anchor)`` picks the rule code for link ``i`` anchored at ``anchor``.
    """
    out: list[Deadline] = []
    anchor = start
    step = 0
    for actual in sorted({a for a in actuals if a >= start and (stop is None or a <= stop)}):
        code = rule_for(step, anchor)
        out.append(Deadline(code, anchor, ctx.due(code, anchor), actual, ref))
        anchor = actual
        step += 1
    code = rule_for(step, anchor)
    tail = _finish(code, anchor, ctx.due(code, anchor), None, stop, ref)
    if tail is not None:
        out.append(tail)
    return out


def _steps(*codes: str) -> Callable[[int, date], str]:
    """Rule codes by link number; the last one repeats."""

    def pick(step: int, _anchor: date) -> str:
        return codes[min(step, len(codes) - 1)]

    return pick


# ---------------------------------------------------------------------- families
def contact_and_referral_deadlines(
    events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext
) -> list[Deadline]:
    """``contact_decision`` per contact and ``referral_decision`` per referral (own ref)."""
    idx = _index(events)
    out: list[Deadline] = []
    for ref, start in idx.starts(EventKind.CONTACT):
        out += _single(ctx, "contact_decision", start, idx.dates(EventKind.CONTACT_DECISION, ref), None, ref)
    for ref, start in idx.starts(EventKind.REFERRAL):
        out += _single(
            ctx, "referral_decision", start, idx.dates(EventKind.REFERRAL_DECISION, ref), None, ref
        )
    return out


def assessment_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """45 working days per assessment (``ref`` = assessment, ``parent`` = referral).

    The first assessment started for a referral runs from the referral date (WT: "from the point
    of referral"). Every later assessment in the same referral/episode has its own clock from its
    own start date, as does an assessment with no known referral. Met by ASSESSMENT_COMPLETE.
    """
    idx = _index(events)
    referral_dates = dict(idx.starts(EventKind.REFERRAL))
    used: set[str] = set()
    seen: set[str] = set()
    out: list[Deadline] = []
    for event in idx.of(EventKind.ASSESSMENT_START):
        own = _as_date(event.on)
        if event.ref in seen:
            continue  # a later duplicate start row for the same assessment
        seen.add(event.ref)
        referral = referral_dates.get(event.parent) if event.parent else None
        if referral is not None and event.parent not in used and referral <= own:
            start = referral
            used.add(event.parent)
        else:
            start = own
        done = idx.dates(EventKind.ASSESSMENT_COMPLETE, event.ref)
        out += _single(ctx, "assessment", start, done, None, event.ref)
    return out


def s47_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Strategy discussion (local) and ICPC clocks, per s.47 ``ref``.

    ``strategy_discussion``: from the decision to hold one, met by the first discussion.
    ``icpc``: 15 working days from the **first** strategy discussion for the ref (the one that
    initiated the s.47); later discussions do not restart it. Met by the ICPC; stopped by S47_END
    (enquiry concluded without a conference).
    """
    idx = _index(events)
    out: list[Deadline] = []
    for ref, start in idx.starts(EventKind.STRATEGY_DECISION):
        held = sorted({*idx.dates(EventKind.STRATEGY_DISCUSSION, ref), *idx.dates(EventKind.STRATEGY_HELD, ref)})
        lapsed = idx.first_date(EventKind.STRATEGY_DECISION_LAPSED, ref)
        out += _single(ctx, "strategy_discussion", start, held, lapsed, ref)
    for ref, start in idx.starts(EventKind.STRATEGY_DISCUSSION):
        icpcs = [d for d in idx.dates(EventKind.ICPC, ref) if d >= start]
        out += _single(ctx, "icpc", start, icpcs, idx.first_date(EventKind.S47_END, ref), ref)
    return out


def cp_plan_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Per CP plan (``ref``; start = ICPC date): review conferences, core groups and CP visits.

    Reviews: 3 months from the ICPC, then 6 months from the previous actual review. Core groups:
    10 working days from the ICPC, then the local interval from the previous one. Visits: the
    local interval from the plan start, then from the last visit. CP_PLAN_END stops them all.
    """
    idx = _index(events)
    out: list[Deadline] = []
    for ref, start in idx.starts(EventKind.CP_PLAN_START):
        stop = idx.first_date(EventKind.CP_PLAN_END, ref)
        reviews = idx.dates(EventKind.CP_REVIEW, ref)
        out += _chain(ctx, _steps("cp_review_first", "cp_review_next"), start, reviews, stop, ref)
        groups = idx.dates(EventKind.CORE_GROUP, ref)
        out += _chain(ctx, _steps("core_group_first", "core_group_next"), start, groups, stop, ref)
        visits = idx.dates(EventKind.CP_VISIT, ref)
        out += _chain(ctx, _steps("cp_visit"), start, visits, stop, ref)
    return out


def cin_plan_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Per CIN plan (``ref``): plan reviews and visits (local standards); CIN_PLAN_END stops."""
    idx = _index(events)
    out: list[Deadline] = []
    for ref, start in idx.starts(EventKind.CIN_PLAN_START):
        stop = idx.first_date(EventKind.CIN_PLAN_END, ref)
        reviews = idx.dates(EventKind.CIN_PLAN_REVIEW, ref)
        out += _chain(ctx, _steps("cin_plan_review_first", "cin_plan_review_next"), start, reviews, stop, ref)
        out += _chain(ctx, _steps("cin_visit"), start, idx.dates(EventKind.CIN_VISIT, ref), stop, ref)
    return out


def _care_periods(idx: EventIndex) -> list[tuple[str, date, date | None]]:
    """(ref, start, stop) per period of care; a later period's start also ends an earlier one."""
    starts = idx.starts(EventKind.CARE_PERIOD_START)
    periods: list[tuple[str, date, date | None]] = []
    for i, (ref, start) in enumerate(starts):
        following = next((s for _, s in starts[i + 1 :] if s > start), None)
        periods.append((ref, start, _min_date(idx.first_date(EventKind.CARE_PERIOD_END, ref), following)))
    return periods


def cla_review_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Looked-after reviews per period of care (``ref``), CPPCR reg 33.

    First: 20 working days from the period start. Second: 3 months from the actual first review.
    Then 6 months from the previous actual review; an early review resets the next due date. A
    new period of care restarts at 20 working days; CARE_PERIOD_END (or the next period's start)
    stops the clock.
    """
    idx = _index(events)
    out: list[Deadline] = []
    steps = _steps("cla_review_first", "cla_review_second", "cla_review_next")
    for ref, start, stop in _care_periods(idx):
        out += _chain(ctx, steps, start, idx.dates(EventKind.CLA_REVIEW, ref), stop, ref)
    return out


def cla_care_plan_and_health_deadlines(
    events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext
) -> list[Deadline]:
    """Per period of care: care plan, initial health assessment, PEP and health reviews.

    Care plan: 10 working days from the first placement that starts within the period (a plan
    recorded before the placement meets it). Initial health assessment and PEP: 20 working days
    from the period start. Review health assessments (needs a BIRTH event): from the initial
    assessment, then each review, every 6 months while the child was under 5 at the previous
    assessment, else every 12 months.
    """
    idx = _index(events)
    birth_events = idx.of(EventKind.BIRTH)
    birth = _as_date(birth_events[0].on) if birth_events else None
    placements = idx.starts(EventKind.PLACEMENT_START)
    out: list[Deadline] = []
    for ref, start, stop in _care_periods(idx):
        first_placement = next((s for _, s in placements if s >= start and (stop is None or s <= stop)), None)
        if first_placement is not None:
            out += _single(ctx, "care_plan", first_placement, idx.dates(EventKind.CARE_PLAN, ref), stop, ref)
        initial = idx.dates(EventKind.HEALTH_ASSESSMENT_INITIAL, ref)
        out += _single(ctx, "health_initial", start, initial, stop, ref)
        out += _single(ctx, "pep_initial", start, idx.dates(EventKind.PEP, ref), stop, ref)
        if birth is not None and initial and (stop is None or initial[0] <= stop):
            fifth = add_months(birth, 60)

            def by_age(_step: int, anchor: date, fifth: date = fifth) -> str:
                return "health_review_under5" if anchor < fifth else "health_review_over5"

            reviews = idx.dates(EventKind.HEALTH_ASSESSMENT_REVIEW, ref)
            out += _chain(ctx, by_age, initial[0], reviews, stop, ref)
    return out


def cla_visit_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Statutory visits per placement (``ref`` = placement), CPPCR reg 28(2).

    First visit within 1 week of the placement start; then from the **last actual visit**: 6
    weeks while that visit fell in the placement's first year; after that, 3 months if the
    placement is recorded as intended to last until 18 (PLACEMENT_INTENDED_UNTIL_18 on or before
    the anchoring visit), otherwise still 6 weeks. Each new placement restarts the first-year
    clock and the 1-week visit; legal-status changes are not events here and so restart nothing.
    The clock stops at PLACEMENT_END, the next placement's start, or the end of the placement's
    period of care (``parent`` = period ref).
    """
    idx = _index(events)
    placements = idx.starts(EventKind.PLACEMENT_START)
    parents = {e.ref: e.parent for e in idx.of(EventKind.PLACEMENT_START)}
    out: list[Deadline] = []
    for i, (ref, start) in enumerate(placements):
        following = next((s for _, s in placements[i + 1 :] if s > start), None)
        parent = parents.get(ref, "")
        period_end = idx.first_date(EventKind.CARE_PERIOD_END, parent) if parent else None
        stop = _min_date(idx.first_date(EventKind.PLACEMENT_END, ref), following, period_end)
        first_year_ends = add_months(start, 12)
        long_term = idx.first_date(EventKind.PLACEMENT_INTENDED_UNTIL_18, ref)

        def pick(
            step: int,
            anchor: date,
            first_year_ends: date = first_year_ends,
            long_term: date | None = long_term,
        ) -> str:
            if step == 0:
                return "cla_visit_first"
            if anchor >= first_year_ends and long_term is not None and long_term <= anchor:
                return "cla_visit_next_after"
            return "cla_visit_next_year1"

        out += _chain(ctx, pick, start, idx.dates(EventKind.CLA_VISIT, ref), stop, ref)
    return out


def pf_visit_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Private fostering visits per arrangement (``ref``), PFR regs 4/7 and 8.

    First: 7 working days from the date the LA became aware. Then from the previous visit: 6
    weeks while that visit fell within a year of the LA becoming aware, else 12 weeks. PF_END
    stops the clock.
    """
    idx = _index(events)
    out: list[Deadline] = []
    for ref, aware in idx.starts(EventKind.PF_AWARE):
        year_one_ends = add_months(aware, 12)

        def pick(step: int, anchor: date, year_one_ends: date = year_one_ends) -> str:
            if step == 0:
                return "pf_visit_first"
            return "pf_visit_next_year1" if anchor < year_one_ends else "pf_visit_next_after"

        stop = idx.first_date(EventKind.PF_END, ref)
        out += _chain(ctx, pick, aware, idx.dates(EventKind.PF_VISIT, ref), stop, ref)
    return out


def rhi_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Return home interview: 72 hours from the return (a datetime) per missing episode."""
    idx = _index(events)
    out: list[Deadline] = []
    seen: set[str] = set()
    for event in idx.of(EventKind.MISSING_RETURN):
        if not isinstance(event.on, datetime):
            raise ValueError(f"missing episode {event.ref!r}: the return needs a date and time")
        if event.ref in seen:
            continue
        seen.add(event.ref)
        interviews = [e.on for e in idx.for_ref(EventKind.RETURN_INTERVIEW, event.ref)]
        met = interviews[0] if interviews else None
        deadline = _finish("rhi", event.on, ctx.due("rhi", event.on), met, None, event.ref)
        if deadline is not None:
            out.append(deadline)
    return out


def pathway_plan_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Pathway plan reviews every 6 months from the first plan, then the previous review."""
    idx = _index(events)
    out: list[Deadline] = []
    for ref, start in idx.starts(EventKind.PATHWAY_PLAN):
        stop = idx.first_date(EventKind.CARE_LEAVER_END, ref)
        reviews = idx.dates(EventKind.PATHWAY_PLAN_REVIEW, ref)
        out += _chain(ctx, _steps("pathway_plan_review"), start, reviews, stop, ref)
    return out


def pa_visit_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Personal adviser visits per spell of LA-provided accommodation (``ref``), CLR reg 8.

    First visit within 7 days of the accommodation first being provided; then from the **last actual
    visit**, at intervals of no more than 2 months. A new spell of accommodation restarts the 7-day visit;
    PA_ACCOMMODATION_END stops the clock.
    """
    idx = _index(events)
    out: list[Deadline] = []
    for ref, start in idx.starts(EventKind.PA_ACCOMMODATION_START):
        stop = idx.first_date(EventKind.PA_ACCOMMODATION_END, ref)
        visits = idx.dates(EventKind.PA_VISIT, ref)
        out += _chain(ctx, _steps("pa_visit_first", "pa_visit"), start, visits, stop, ref)
    return out


def proceedings_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """26 weeks beginning with the day of issue (CA89 s.32(1)(a)(ii)), per proceedings ``ref``.

    A court extension (PROCEEDINGS_EXTENDED, s.32(5)) moves the due date to the latest date extended to.
    """
    idx = _index(events)
    out: list[Deadline] = []
    for ref, issued in idx.starts(EventKind.APPLICATION_ISSUED):
        due = ctx.due("plo_proceedings", issued)
        extended = idx.dates(EventKind.PROCEEDINGS_EXTENDED, ref)
        if extended and extended[-1] > _as_date(due):
            due = extended[-1]
        concluded = idx.dates(EventKind.PROCEEDINGS_CONCLUDED, ref)
        deadline = _finish("plo_proceedings", issued, due, concluded[0] if concluded else None, None, ref)
        if deadline is not None:
            out.append(deadline)
    return out


def exploitation_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Exploitation risk screening reviews (local standard) per spell of risk management (``ref``): from the
    first screening, then from each later screening; EXPLOITATION_ENDED stops the clock."""
    idx = _index(events)
    out: list[Deadline] = []
    for ref, start in idx.starts(EventKind.EXPLOITATION_SCREENING):
        stop = idx.first_date(EventKind.EXPLOITATION_ENDED, ref)
        reviews = idx.dates(EventKind.EXPLOITATION_REVIEW, ref)
        out += _chain(ctx, _steps("exploitation_review"), start, reviews, stop, ref)
    return out


def early_help_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """Early help local standards (STATUTE 1.3). Per assessment (``ref``; ``parent`` = the episode): completed
    within the local number of working days of its start. Per episode (``ref``): a team around the family review
    within the local interval of the first completed assessment, then of each review. EH_CLOSED (on the episode)
    stops both."""
    idx = _index(events)
    out: list[Deadline] = []
    episodes: dict[str, date] = {}
    seen: set[str] = set()
    for event in idx.of(EventKind.EH_ASSESSMENT_START):
        if event.ref in seen:
            continue  # a later duplicate start row for the same assessment
        seen.add(event.ref)
        start = _as_date(event.on)
        stop = idx.first_date(EventKind.EH_CLOSED, event.parent)
        done = idx.dates(EventKind.EH_ASSESSMENT_COMPLETE, event.ref)
        out += _single(ctx, "eh_assessment", start, done, stop, event.ref)
        if done and (stop is None or done[0] <= stop):
            first = episodes.get(event.parent)
            episodes[event.parent] = done[0] if first is None else min(first, done[0])
    for ref, completed in sorted(episodes.items(), key=lambda item: (item[1], item[0])):
        stop = idx.first_date(EventKind.EH_CLOSED, ref)
        out += _chain(ctx, _steps("eh_review"), completed, idx.dates(EventKind.EH_REVIEW, ref), stop, ref)
    return out


Family = Callable[[EventIndex, ClockContext], list[Deadline]]

FAMILIES: tuple[Family, ...] = (
    contact_and_referral_deadlines,
    assessment_deadlines,
    s47_deadlines,
    cp_plan_deadlines,
    cin_plan_deadlines,
    cla_review_deadlines,
    cla_care_plan_and_health_deadlines,
    cla_visit_deadlines,
    pf_visit_deadlines,
    rhi_deadlines,
    pathway_plan_deadlines,
    pa_visit_deadlines,
    proceedings_deadlines,
    exploitation_deadlines,
    early_help_deadlines,
)
"""Every clock family, in a stable order."""

FAMILY_STARTS: Mapping[Family, frozenset[EventKind]] = {
    contact_and_referral_deadlines: frozenset({EventKind.CONTACT, EventKind.REFERRAL}),
    assessment_deadlines: frozenset({EventKind.ASSESSMENT_START}),
    s47_deadlines: frozenset({EventKind.STRATEGY_DECISION, EventKind.STRATEGY_DISCUSSION}),
    cp_plan_deadlines: frozenset({EventKind.CP_PLAN_START}),
    cin_plan_deadlines: frozenset({EventKind.CIN_PLAN_START}),
    cla_review_deadlines: frozenset({EventKind.CARE_PERIOD_START}),
    cla_care_plan_and_health_deadlines: frozenset({EventKind.CARE_PERIOD_START}),
    cla_visit_deadlines: frozenset({EventKind.PLACEMENT_START}),
    pf_visit_deadlines: frozenset({EventKind.PF_AWARE}),
    rhi_deadlines: frozenset({EventKind.MISSING_RETURN}),
    pathway_plan_deadlines: frozenset({EventKind.PATHWAY_PLAN}),
    pa_visit_deadlines: frozenset({EventKind.PA_ACCOMMODATION_START}),
    proceedings_deadlines: frozenset({EventKind.APPLICATION_ISSUED}),
    exploitation_deadlines: frozenset({EventKind.EXPLOITATION_SCREENING}),
    early_help_deadlines: frozenset({EventKind.EH_ASSESSMENT_START}),
}
"""The kinds of event that start a family's clocks: with none of them a family has nothing to do,
so :func:`child_deadlines` skips it (most children have events of only a few families). A family
not listed always runs; a test checks that each listed family gives nothing without its kinds."""


def child_deadlines(events: Iterable[ClockEvent] | EventIndex, ctx: ClockContext) -> list[Deadline]:
    """All deadlines for one child's events."""
    idx = _index(events)
    present = idx.kinds()
    out: list[Deadline] = []
    for family in FAMILIES:
        starts = FAMILY_STARTS.get(family)
        if starts is not None and present.isdisjoint(starts):
            continue
        out += family(idx, ctx)
    return out


def group_events(rows: Iterable[tuple[K, ClockEvent]]) -> dict[K, list[ClockEvent]]:
    """Group ``(child key, event)`` rows, e.g. straight from a database cursor, by child."""
    grouped: dict[K, list[ClockEvent]] = defaultdict(list)
    for key, event in rows:
        grouped[key].append(event)
    return dict(grouped)


def bulk_deadlines(
    children: Mapping[K, Iterable[ClockEvent]] | Iterable[tuple[K, Iterable[ClockEvent]]],
    ctx: ClockContext,
) -> Iterator[tuple[K, Deadline]]:
    """``(child key, deadline)`` for every child, lazily, sharing ``ctx``'s calendar tables.

    For speed, call ``ctx.calendar.precompute(first_year, last_year)`` first.
    """
    items = children.items() if isinstance(children, Mapping) else children
    for key, events in items:
        for deadline in child_deadlines(events, ctx):
            yield key, deadline
