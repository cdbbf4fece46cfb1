"""Annex A derivation: the pure core. Facts in (plain dataclasses, no Django), list rows out.

Windows (STATUTE.md §8): lists 1–8 look back 6 months from the inspection date, lists 10 and 11 look back
12 months; list 9 is a snapshot on the inspection date. The window runs from the same day of the month
6 (or 12) months before the inspection date up to and including the inspection date. A record that was
open during the window counts, not only one that started in it: it is in when it started on or before the
inspection date and ended on or after the window's first day, or has not ended.

Everything is read "as at" the inspection date: a date after it (an assessment completed later, a plan
ended later) is treated as not yet having happened, so an Annex A for a past date is what the record
said it would have been then.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from safehold.inspection.annex_a import spec

Value = str | int | dt.date | None

# --- facts (what the selectors read) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChildFact:
    id: int
    la_child_id: str
    sex: str
    ethnicity: str
    date_of_birth: dt.date | None
    disabled: bool = False
    uasc: bool = False
    uasc_ceased: dt.date | None = None


@dataclass(frozen=True, slots=True)
class AllocationFact:
    child_id: int
    start: dt.date
    end: dt.date | None
    team: str
    worker: str  # "" when allocated to a team only


@dataclass(frozen=True, slots=True)
class ContactFact:
    child_id: int
    received_on: dt.date
    source: str


@dataclass(frozen=True, slots=True)
class ReferralFact:
    """A CIN episode: opened by a referral, closed with a reason."""

    id: int
    child_id: int
    referral_date: dt.date
    source: str
    nfa: bool = False
    primary_need: str = ""
    closure_date: dt.date | None = None
    closure_reason: str = ""


@dataclass(frozen=True, slots=True)
class AssessmentFact:
    id: int
    child_id: int
    start: dt.date
    completed: dt.date | None = None
    authorised: dt.date | None = None
    child_seen: bool = False
    child_seen_date: dt.date | None = None
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class Section47Fact:
    id: int
    child_id: int
    start: dt.date
    completed: dt.date | None = None
    icpc_date: dt.date | None = None
    icpc_not_required: bool = False
    icpc_plan: bool | None = None  # the initial conference's decision, when there was one


@dataclass(frozen=True, slots=True)
class CPPlanFact:
    id: int
    child_id: int
    start: dt.date
    end: dt.date | None
    initial_category: str
    latest_category: str


@dataclass(frozen=True, slots=True)
class ReviewConferenceFact:
    plan_id: int
    held_on: dt.date


@dataclass(frozen=True, slots=True)
class CINPlanFact:
    child_id: int
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class VisitSummary:
    """The latest visit of one type to one child on or before the inspection date."""

    child_id: int
    visit_type: str
    last: dt.date
    last_seen: dt.date | None = None
    last_seen_alone: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PeriodFact:
    id: int
    child_id: int
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class CareEpisodeFact:
    child_id: int
    period_id: int
    start: dt.date
    end: dt.date | None
    reason_new_episode: str
    legal_status: str
    category_of_need: str
    placement_type: str
    placement_provider: str = ""
    placement_postcode: str = ""
    home_postcode: str = ""
    urn: str = ""
    reason_ceased: str = ""


@dataclass(frozen=True, slots=True)
class DatedFact:
    """A dated event of some kind for a child: LAC review, health assessment, dental check."""

    child_id: int
    kind: str
    on: dt.date


@dataclass(frozen=True, slots=True)
class MissingFact:
    child_id: int
    kind: str  # "M" missing, "A" away (absent)
    started_on: dt.date
    rhi_offered: bool | None = None
    rhi_accepted: bool | None = None


@dataclass(frozen=True, slots=True)
class AdoptionFact:
    child_id: int
    decision: dt.date
    placement_order: dt.date | None = None
    matched: dt.date | None = None
    placed: dt.date | None = None
    adoption_order: dt.date | None = None
    ceased: dt.date | None = None
    ceased_reason: str = ""


@dataclass(frozen=True, slots=True)
class AdopterFact:
    """One prospective adopter and their household's journey (Annex A list 11)."""

    identifier: str
    family: str
    sex: str
    ethnicity: str
    disabled: bool
    fostering_for_adoption: bool
    enquiry: dt.date
    stage1_started: dt.date | None = None
    stage1_ended: dt.date | None = None
    stage2_started: dt.date | None = None
    stage2_ended: dt.date | None = None
    application_submitted: dt.date | None = None
    approved: dt.date | None = None
    matched: dt.date | None = None
    placed: dt.date | None = None
    children_placed: int | None = None
    adoption_order: dt.date | None = None
    left: dt.date | None = None
    leaving_reason: str = ""


@dataclass(frozen=True, slots=True)
class CareLeaverFact:
    child_id: int
    eligibility: str
    personal_adviser: str = ""


@dataclass(frozen=True, slots=True)
class CareLeaverContactFact:
    child_id: int
    contacted_on: dt.date
    in_touch: str
    activity: str
    accommodation: str


@dataclass(frozen=True, slots=True)
class EarlyHelpFact:
    """An early help assessment, or a current LA-coordinated early help episode without one (``start`` None),
    for one child of the household it is about."""

    child_id: int
    start: dt.date | None
    completed: dt.date | None = None
    organisation: str = ""


@dataclass
class Facts:
    """Everything the derivation reads. Selectors may pass more than the windows need; never less."""

    children: dict[int, ChildFact] = field(default_factory=dict)
    allocations: list[AllocationFact] = field(default_factory=list)
    contacts: list[ContactFact] = field(default_factory=list)
    referrals: list[ReferralFact] = field(default_factory=list)
    assessments: list[AssessmentFact] = field(default_factory=list)
    section47s: list[Section47Fact] = field(default_factory=list)
    cp_plans: list[CPPlanFact] = field(default_factory=list)
    review_conferences: list[ReviewConferenceFact] = field(default_factory=list)
    cin_plans: list[CINPlanFact] = field(default_factory=list)
    visits: list[VisitSummary] = field(default_factory=list)
    periods: list[PeriodFact] = field(default_factory=list)
    care_episodes: list[CareEpisodeFact] = field(default_factory=list)
    lac_reviews: list[DatedFact] = field(default_factory=list)
    health: list[DatedFact] = field(default_factory=list)
    missing: list[MissingFact] = field(default_factory=list)
    adoptions: list[AdoptionFact] = field(default_factory=list)
    care_leavers: list[CareLeaverFact] = field(default_factory=list)
    care_leaver_contacts: list[CareLeaverContactFact] = field(default_factory=list)
    early_help: list[EarlyHelpFact] = field(default_factory=list)
    adopters: list[AdopterFact] = field(default_factory=list)


# --- output ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a list: the child it is about (for links and the access log) and its cells."""

    child_id: int | None
    values: tuple[Value, ...]


@dataclass(frozen=True)
class AnnexList:
    number: int
    title: str
    headings: tuple[str, ...]
    window_start: dt.date
    rows: tuple[Row, ...]

    @property
    def sheet_name(self) -> str:
        return f"List {self.number}"

    def column(self, heading: str) -> int:
        return self.headings.index(heading)

    @property
    def child_ids(self) -> set[int]:
        return {r.child_id for r in self.rows if r.child_id is not None}


@dataclass(frozen=True)
class AnnexA:
    as_of: dt.date
    lists: tuple[AnnexList, ...]

    def get(self, number: int) -> AnnexList:
        return self.lists[number - 1]

    @property
    def child_ids(self) -> set[int]:
        ids: set[int] = set()
        for lst in self.lists:
            ids |= lst.child_ids
        return ids


# --- dates -----------------------------------------------------------------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier, clamped to the month's last day (31 Aug → 28 Feb)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def window_start(as_of: dt.date, months: int) -> dt.date:
    return months_before(as_of, months)


def open_during(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    """True when a span that started on ``start`` and ended on ``end`` (None: still open) touches [first, last]."""
    return start <= last and (end is None or end >= first)


def age_on(dob: dt.date | None, day: dt.date) -> int | None:
    if dob is None or dob > day:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _by(day: dt.date | None, as_of: dt.date) -> dt.date | None:
    """A date as known on the inspection date: later dates have not happened yet."""
    return day if day is not None and day <= as_of else None


def _yes_no(flag: bool | None) -> str | None:
    if flag is None:
        return None
    return spec.YES if flag else spec.NO


def _postcode_area(postcode: str) -> str:
    area = ""
    for ch in postcode.strip().upper():
        if not ch.isalpha():
            break
        area += ch
    return area


# --- the derivation --------------------------------------------------------------------------------------


class _Context:
    """Indexes over the facts, built once per derivation."""

    def __init__(self, facts: Facts, as_of: dt.date, la_name: str) -> None:
        self.facts = facts
        self.as_of = as_of
        self.la_name = la_name
        self.start6 = window_start(as_of, 6)
        self.start12 = window_start(as_of, 12)
        self.allocations: dict[int, list[AllocationFact]] = defaultdict(list)
        for a in facts.allocations:
            if a.start <= as_of:
                self.allocations[a.child_id].append(a)
        self.visits: dict[tuple[int, str], VisitSummary] = {}
        self.last_seen: dict[int, dt.date] = {}
        for v in facts.visits:
            if v.last > as_of:
                continue
            self.visits[(v.child_id, v.visit_type)] = v
            if v.last_seen and v.last_seen <= as_of:
                prev = self.last_seen.get(v.child_id)
                if prev is None or v.last_seen > prev:
                    self.last_seen[v.child_id] = v.last_seen
        self.periods: dict[int, list[PeriodFact]] = defaultdict(list)
        for p in sorted(facts.periods, key=lambda p: (p.start, p.id)):
            if p.start <= as_of:
                self.periods[p.child_id].append(p)
        self._cells: dict[int, tuple[Value, ...]] = {}
        self._allocation: dict[int, tuple[str, str]] = {}
        self.episodes_by_child: dict[int, list[CareEpisodeFact]] = defaultdict(list)
        for e in sorted(facts.care_episodes, key=lambda e: (e.start, e.period_id)):
            if e.start <= as_of:
                self.episodes_by_child[e.child_id].append(e)

    # common cells
    def child_cells(self, child_id: int) -> tuple[Value, ...]:
        cells = self._cells.get(child_id)
        if cells is None:
            c = self.facts.children[child_id]
            cells = self._cells[child_id] = (
                c.la_child_id,
                spec.GENDER.get(c.sex, spec.GENDER["U"]),
                spec.ETHNICITY.get(c.ethnicity, spec.ETHNICITY["NOBT"]),
                c.date_of_birth,
                age_on(c.date_of_birth, self.as_of),
            )
        return cells

    def disabled(self, child_id: int) -> str:
        return spec.YES if self.facts.children[child_id].disabled else spec.NO

    def allocation(self, child_id: int) -> tuple[str, str]:
        """Team and worker on the inspection date; for a case closed by then, its last allocation."""
        known = self._allocation.get(child_id)
        if known is not None:
            return known
        self._allocation[child_id] = found = self._find_allocation(child_id)
        return found

    def _find_allocation(self, child_id: int) -> tuple[str, str]:
        candidates = self.allocations.get(child_id, [])
        current = [a for a in candidates if a.end is None or a.end >= self.as_of]
        pool = current or candidates
        if not pool:
            return "", ""
        latest = max(pool, key=lambda a: (a.start, a.end or dt.date.max))
        return latest.team, latest.worker

    def looked_after_on(self, child_id: int, day: dt.date) -> bool:
        return any(p.start <= day and (p.end is None or p.end >= day) for p in self.periods.get(child_id, []))

    def known(self, child_id: int) -> bool:
        return child_id in self.facts.children


def derive(facts: Facts, as_of: dt.date, *, la_name: str = "", on_list: Callable[[int], None] | None = None) -> AnnexA:
    """All eleven lists for an inspection on ``as_of``. ``on_list(n)`` is called as list ``n`` is started (a
    background job reports it as its progress)."""
    ctx = _Context(facts, as_of, la_name)
    builders = {
        1: _list1,
        2: _list2,
        3: _list3,
        4: _list4,
        5: _list5,
        6: _list6,
        7: _list7,
        8: _list8,
        9: _list9,
        10: _list10,
        11: _list11,
    }
    lists = []
    for number in range(1, 12):
        if on_list is not None:
            on_list(number)
        months = spec.WINDOW_MONTHS[number]
        rows = builders[number](ctx)
        lists.append(
            AnnexList(
                number=number,
                title=spec.TITLES[number],
                headings=spec.HEADINGS[number],
                window_start=window_start(as_of, months),
                rows=tuple(rows),
            )
        )
    return AnnexA(as_of=as_of, lists=tuple(lists))


def _list11(ctx: _Context) -> list[Row]:
    """Prospective adopters in the process at any time in the 12 months before: enquiry by the inspection date,
    and neither an adoption order nor leaving the process before the window. Dates after the inspection date are
    not yet known on it, so they are blank."""
    out = []
    for a in ctx.facts.adopters:
        if a.enquiry > ctx.as_of:
            continue
        order, left = _by(a.adoption_order, ctx.as_of), _by(a.left, ctx.as_of)
        ended = order or left
        if ended is not None and ended < ctx.start12:
            continue
        placed = _by(a.placed, ctx.as_of)
        values = (
            a.identifier,
            a.family,
            spec.GENDER.get(a.sex, spec.GENDER["U"]),
            spec.ETHNICITY.get(a.ethnicity, spec.ETHNICITY["NOBT"]),
            spec.YES if a.disabled else spec.NO,
            spec.YES if a.fostering_for_adoption else spec.NO,
            a.enquiry,
            _by(a.stage1_started, ctx.as_of),
            _by(a.stage1_ended, ctx.as_of),
            _by(a.stage2_started, ctx.as_of),
            _by(a.stage2_ended, ctx.as_of),
            _by(a.application_submitted, ctx.as_of),
            _by(a.approved, ctx.as_of),
            _by(a.matched, ctx.as_of),
            placed,
            a.children_placed if placed else None,
            order,
            left,
            spec.LEAVING_ADOPTION.get(a.leaving_reason) if left else None,
        )
        out.append(((a.enquiry, a.family, a.identifier), Row(None, values)))
    return _sorted(out)


def _sorted(rows: Iterable[tuple[tuple[object, ...], Row]]) -> list[Row]:
    return [row for _, row in sorted(rows, key=lambda item: item[0])]


def _list1(ctx: _Context) -> list[Row]:
    """Every contact received in the 6 months before the inspection: one row per contact."""
    out = []
    for c in ctx.facts.contacts:
        if ctx.start6 <= c.received_on <= ctx.as_of and ctx.known(c.child_id):
            row = Row(c.child_id, (*ctx.child_cells(c.child_id), c.received_on, spec.SOURCE.get(c.source, "")))
            out.append(((c.received_on, c.child_id), row))
    return _sorted(out)


def _list2(ctx: _Context) -> list[Row]:
    """Early help: every early help assessment in the 6 months before the inspection, plus current LA-coordinated
    early help (an open episode, with or without an assessment); one row per child per assessment. The selector
    (:func:`safehold.early_help.selectors.annex_a_list2`) chooses the population; here a record dated after the
    inspection date has not happened yet (a later completion is blank) and an assessment starting after it is
    left out."""
    out = []
    for e in ctx.facts.early_help:
        if not ctx.known(e.child_id) or (e.start is not None and e.start > ctx.as_of):
            continue
        completed = _by(e.completed, ctx.as_of)
        row = Row(e.child_id, (*ctx.child_cells(e.child_id), e.start, completed, e.organisation))
        out.append(((e.start is None, e.start or ctx.as_of, e.child_id, e.organisation), row))
    return _sorted(out)


def _list3(ctx: _Context) -> list[Row]:
    """Every referral in the 6 months before: one row per referral, with the child's referrals in 12 months."""
    in_year: dict[int, int] = defaultdict(int)
    for r in ctx.facts.referrals:
        if ctx.start12 <= r.referral_date <= ctx.as_of:
            in_year[r.child_id] += 1
    out = []
    for r in ctx.facts.referrals:
        if not (ctx.start6 <= r.referral_date <= ctx.as_of) or not ctx.known(r.child_id):
            continue
        closed = _by(r.closure_date, ctx.as_of)
        team, worker = ctx.allocation(r.child_id)
        values = (
            *ctx.child_cells(r.child_id),
            r.referral_date,
            spec.SOURCE.get(r.source, ""),
            spec.YES if (r.nfa and closed) else spec.NO,
            in_year[r.child_id],
            team,
            worker,
        )
        out.append(((r.referral_date, r.child_id, r.id), Row(r.child_id, values)))
    return _sorted(out)


_SUPPORT_OUTCOMES = frozenset({"cin_plan", "strategy", "looked_after"})


def _list4(ctx: _Context) -> list[Row]:
    """Assessments open at any time in the 6 months before: one row per assessment."""
    out = []
    for a in ctx.facts.assessments:
        completed = _by(a.completed, ctx.as_of)
        if not open_during(a.start, completed, ctx.start6, ctx.as_of) or not ctx.known(a.child_id):
            continue
        seen = bool(_by(a.child_seen_date, ctx.as_of)) or (a.child_seen and completed is not None)
        requires = None
        if completed is not None and a.outcome:
            requires = _yes_no(a.outcome in _SUPPORT_OUTCOMES)
        team, worker = ctx.allocation(a.child_id)
        values = (
            *ctx.child_cells(a.child_id),
            ctx.disabled(a.child_id),
            a.start,
            spec.YES if seen else spec.NO,
            _by(a.authorised, ctx.as_of),
            requires,
            team,
            worker,
        )
        out.append(((a.start, a.child_id, a.id), Row(a.child_id, values)))
    return _sorted(out)


def _list5(ctx: _Context) -> list[Row]:
    """Section 47 enquiries open at any time in the 6 months before (including open ones): one row each."""
    s47_year: dict[int, int] = defaultdict(int)
    icpc_year: dict[int, int] = defaultdict(int)
    for s in ctx.facts.section47s:
        if ctx.start12 <= s.start <= ctx.as_of:
            s47_year[s.child_id] += 1
        if s.icpc_date and ctx.start12 <= s.icpc_date <= ctx.as_of:
            icpc_year[s.child_id] += 1
    out = []
    for s in ctx.facts.section47s:
        completed = _by(s.completed, ctx.as_of)
        if not open_during(s.start, completed, ctx.start6, ctx.as_of) or not ctx.known(s.child_id):
            continue
        icpc = _by(s.icpc_date, ctx.as_of)
        unnecessary: str | None = None
        if icpc is not None:
            unnecessary = spec.NO
        elif completed is not None:
            unnecessary = _yes_no(s.icpc_not_required)
        team, worker = ctx.allocation(s.child_id)
        values = (
            *ctx.child_cells(s.child_id),
            ctx.disabled(s.child_id),
            s.start,
            unnecessary,
            icpc,
            _yes_no(s.icpc_plan) if icpc is not None else None,
            s47_year[s.child_id],
            icpc_year[s.child_id],
            team,
            worker,
        )
        out.append(((s.start, s.child_id, s.id), Row(s.child_id, values)))
    return _sorted(out)


def _list6(ctx: _Context) -> list[Row]:
    """Children receiving CIN services at the inspection or in the 6 months before: one row per child (their
    latest episode). An episode closed at referral with no further action is a referral, not a service."""
    latest: dict[int, ReferralFact] = {}
    for r in ctx.facts.referrals:
        closed = _by(r.closure_date, ctx.as_of)
        if not open_during(r.referral_date, closed, ctx.start6, ctx.as_of) or not ctx.known(r.child_id):
            continue
        if r.nfa and closed is not None:
            continue
        prev = latest.get(r.child_id)
        if prev is None or (r.referral_date, r.id) > (prev.referral_date, prev.id):
            latest[r.child_id] = r
    cp_open = {
        p.child_id for p in ctx.facts.cp_plans if open_during(p.start, _by(p.end, ctx.as_of), ctx.as_of, ctx.as_of)
    }
    cin_open = {
        p.child_id for p in ctx.facts.cin_plans if open_during(p.start, _by(p.end, ctx.as_of), ctx.as_of, ctx.as_of)
    }
    out = []
    for child_id, r in latest.items():
        closed = _by(r.closure_date, ctx.as_of)
        if closed is not None:
            status = "closed"
        elif ctx.looked_after_on(child_id, ctx.as_of):
            status = "looked_after"
        elif child_id in cp_open:
            status = "cp_plan"
        elif child_id in cin_open:
            status = "cin_plan"
        else:
            status = "open_assessment"
        team, worker = ctx.allocation(child_id)
        values = (
            *ctx.child_cells(child_id),
            ctx.disabled(child_id),
            r.referral_date,
            spec.NEED.get(r.primary_need or "N0", spec.NEED["N0"]),
            ctx.last_seen.get(child_id),
            closed,
            spec.CLOSURE.get(r.closure_reason) if closed else None,
            spec.CASE_STATUS[status],
            team,
            worker,
        )
        out.append(((r.referral_date, child_id), Row(child_id, values)))
    return _sorted(out)


_EMERGENCY_STATUSES = frozenset({"L1", "L2"})


def _list7(ctx: _Context) -> list[Row]:
    """Child protection plans in force at the inspection or ended in the 6 months before: one row per plan."""
    plans_by_child: dict[int, list[CPPlanFact]] = defaultdict(list)
    for p in ctx.facts.cp_plans:
        plans_by_child[p.child_id].append(p)
    reviews: dict[int, dt.date] = {}
    for c in ctx.facts.review_conferences:
        if c.held_on <= ctx.as_of and (c.plan_id not in reviews or c.held_on > reviews[c.plan_id]):
            reviews[c.plan_id] = c.held_on
    out = []
    for p in ctx.facts.cp_plans:
        end = _by(p.end, ctx.as_of)
        if not open_during(p.start, end, ctx.start6, ctx.as_of) or not ctx.known(p.child_id):
            continue
        visit = ctx.visits.get((p.child_id, "cp"))
        seen_alone = None
        if visit is not None:
            seen_alone = _yes_no(visit.last_seen_alone == visit.last)
        emergency = any(
            e.legal_status in _EMERGENCY_STATUSES and open_during(e.start, _by(e.end, ctx.as_of), ctx.start6, ctx.as_of)
            for e in ctx.episodes_by_child.get(p.child_id, [])
        )
        previous = sum(1 for q in plans_by_child[p.child_id] if q.start < p.start)
        team, worker = ctx.allocation(p.child_id)
        values = (
            *ctx.child_cells(p.child_id),
            ctx.disabled(p.child_id),
            p.start,
            spec.ABUSE.get(p.initial_category),
            spec.ABUSE.get(p.latest_category or p.initial_category),
            visit.last if visit else None,
            seen_alone,
            reviews.get(p.id),
            end,
            spec.YES if emergency else spec.NO,
            previous,
            team,
            worker,
        )
        out.append(((p.start, p.child_id, p.id), Row(p.child_id, values)))
    return _sorted(out)


_NEW_PLACEMENT = frozenset({"S", "P", "T", "B", "U"})


def _placements(episodes: Sequence[CareEpisodeFact], as_of: dt.date) -> list[tuple[dt.date, dt.date | None, int]]:
    """Placements as (start, end, period id): a change of legal status alone (RNE L) continues a placement."""
    spans: list[tuple[dt.date, dt.date | None, int]] = []
    for e in episodes:
        end = _by(e.end, as_of)
        if spans and e.reason_new_episode not in _NEW_PLACEMENT and spans[-1][2] == e.period_id:
            spans[-1] = (spans[-1][0], end, e.period_id)
        else:
            spans.append((e.start, end, e.period_id))
    return spans


def _list8(ctx: _Context) -> list[Row]:
    """Children looked after at the inspection or who ceased in the 6 months before: one row per child."""
    health_last: dict[tuple[int, str], dt.date] = {}
    for h in ctx.facts.health:
        kind = "dental" if h.kind == "dental" else "health" if h.kind in {"initial_health", "review_health"} else ""
        if kind and h.on <= ctx.as_of:
            key = (h.child_id, kind)
            if key not in health_last or h.on > health_last[key]:
                health_last[key] = h.on
    review_last: dict[int, dt.date] = {}
    for r in ctx.facts.lac_reviews:
        if r.on <= ctx.as_of and (r.child_id not in review_last or r.on > review_last[r.child_id]):
            review_last[r.child_id] = r.on
    missing_by_child: dict[int, list[MissingFact]] = defaultdict(list)
    for m in ctx.facts.missing:
        if m.started_on <= ctx.as_of:
            missing_by_child[m.child_id].append(m)
    out = []
    for child_id, periods in ctx.periods.items():
        if not ctx.known(child_id):
            continue
        current = [p for p in periods if open_during(p.start, _by(p.end, ctx.as_of), ctx.start6, ctx.as_of)]
        if not current:
            continue
        period = current[-1]
        ended = _by(period.end, ctx.as_of)
        all_episodes = ctx.episodes_by_child.get(child_id, [])
        episodes = [e for e in all_episodes if e.period_id == period.id]
        if not episodes:
            continue
        latest = episodes[-1]
        status_start = latest.start
        for e in reversed(episodes[:-1]):
            if e.legal_status != latest.legal_status:
                break
            status_start = e.start
        spans = _placements(all_episodes, ctx.as_of)
        in_year = sum(1 for s, e, _ in spans if open_during(s, e, ctx.start12, ctx.as_of))
        last_placement = max((s for s, _, pid in spans if pid == period.id), default=latest.start)
        second = any(
            p.start < period.start and p.end is not None and p.end >= ctx.start12 for p in periods if p.id != period.id
        )
        c = ctx.facts.children[child_id]
        uasc = c.uasc and (c.uasc_ceased is None or c.uasc_ceased >= ctx.start12)
        postcode = latest.placement_postcode.strip().upper()
        inside: bool | None = None
        if postcode:
            home = _postcode_area(latest.home_postcode)
            inside = bool(home) and _postcode_area(postcode) == home
        missing = missing_by_child.get(child_id, [])
        missing_year = sum(1 for m in missing if m.kind == "M" and m.started_on >= ctx.start12)
        absent_year = sum(1 for m in missing if m.kind == "A" and m.started_on >= ctx.start12)
        last_missing = max((m for m in missing if m.kind == "M"), key=lambda m: m.started_on, default=None)
        offered = accepted = None
        if last_missing is not None:
            offered = _yes_no(bool(last_missing.rhi_offered))
            if last_missing.rhi_offered:
                accepted = _yes_no(last_missing.rhi_accepted)
        cla_visit = ctx.visits.get((child_id, "cla"))
        iro_visit = ctx.visits.get((child_id, "iro"))
        team, worker = ctx.allocation(child_id)
        values = (
            *ctx.child_cells(child_id),
            spec.YES if uasc else spec.NO,
            ctx.disabled(child_id),
            period.start,
            spec.NEED.get(latest.category_of_need),
            spec.YES if second else spec.NO,
            status_start,
            spec.LEGAL_STATUS.get(latest.legal_status),
            review_last.get(child_id) if review_last.get(child_id, dt.date.min) >= period.start else None,
            cla_visit.last if cla_visit else None,
            None,  # permanence plan: not yet recorded
            iro_visit.last if iro_visit else None,
            health_last.get((child_id, "health")),
            health_last.get((child_id, "dental")),
            in_year,
            ended,
            spec.REASON_CEASED.get(latest.reason_ceased) if ended else None,
            last_placement,
            spec.PLACEMENT_TYPE.get(latest.placement_type),
            spec.PROVIDER.get(latest.placement_provider),
            postcode or None,
            latest.urn or None,
            spec.IN_OUT[inside] if inside is not None else None,
            (ctx.la_name or None) if inside else None,
            missing_year,
            absent_year,
            offered,
            accepted,
            team,
            worker,
        )
        out.append(((period.start, child_id), Row(child_id, values)))
    return _sorted(out)


_LEAVER_ELIGIBILITY = frozenset({"relevant", "former_relevant", "qualifying"})


def _list9(ctx: _Context) -> list[Row]:
    """Care leavers entitled on the inspection date (relevant, former relevant, qualifying): aged 16–24, not
    looked after that day. Eligible children are still looked after: they are on list 8."""
    contacts: dict[int, CareLeaverContactFact] = {}
    for c in ctx.facts.care_leaver_contacts:
        if c.contacted_on <= ctx.as_of:
            prev = contacts.get(c.child_id)
            if prev is None or c.contacted_on > prev.contacted_on:
                contacts[c.child_id] = c
    out = []
    for leaver in ctx.facts.care_leavers:
        if leaver.eligibility not in _LEAVER_ELIGIBILITY or not ctx.known(leaver.child_id):
            continue
        age = age_on(ctx.facts.children[leaver.child_id].date_of_birth, ctx.as_of)
        if age is None or not 16 <= age <= 24 or ctx.looked_after_on(leaver.child_id, ctx.as_of):
            continue
        if not ctx.periods.get(leaver.child_id):
            continue
        contact = contacts.get(leaver.child_id)
        accommodation = contact.accommodation if contact else ""
        team, worker = ctx.allocation(leaver.child_id)
        values = (
            *ctx.child_cells(leaver.child_id),
            ctx.disabled(leaver.child_id),
            team,
            worker or leaver.personal_adviser,
            spec.ELIGIBILITY[leaver.eligibility],
            spec.IN_TOUCH.get(contact.in_touch) if contact else None,
            spec.ACCOMMODATION.get(accommodation[:1]) if len(accommodation) == 2 else None,
            spec.SUITABILITY.get(accommodation[1:]) if len(accommodation) == 2 else None,
            spec.ACTIVITY.get(contact.activity) if contact else None,
        )
        out.append(((ctx.facts.children[leaver.child_id].la_child_id, leaver.child_id), Row(leaver.child_id, values)))
    return _sorted(out)


_FFA_PLACEMENTS = frozenset({"U2", "U5"})


def _list10(ctx: _Context) -> list[Row]:
    """Children with a decision that they should be placed for adoption that was in force at any time in the 12
    months before: adopted in that time, still waiting, or with the decision reversed in that time."""
    out = []
    for a in ctx.facts.adoptions:
        if a.decision > ctx.as_of or not ctx.known(a.child_id):
            continue
        order = _by(a.adoption_order, ctx.as_of)
        ceased = _by(a.ceased, ctx.as_of)
        ended = order or ceased
        if ended is not None and ended < ctx.start12:
            continue
        periods = ctx.periods.get(a.child_id, [])
        entered = max((p for p in periods if p.start <= a.decision), key=lambda p: p.start, default=None)
        ffa = None
        if entered is not None:
            ffa = min(
                (
                    e.start
                    for e in ctx.episodes_by_child.get(a.child_id, [])
                    if e.period_id == entered.id and e.placement_type in _FFA_PLACEMENTS
                ),
                default=None,
            )
        c = ctx.facts.children[a.child_id]
        values = (
            c.la_child_id,
            None,  # family identifier: siblings placed together are not yet linked in the record
            spec.GENDER.get(c.sex, spec.GENDER["U"]),
            spec.ETHNICITY.get(c.ethnicity, spec.ETHNICITY["NOBT"]),
            c.date_of_birth,
            age_on(c.date_of_birth, ctx.as_of),
            ctx.disabled(a.child_id),
            entered.start if entered else None,
            a.decision,
            _by(a.placement_order, ctx.as_of),
            _by(a.matched, ctx.as_of),
            _by(a.placed, ctx.as_of),
            order,
            ceased,
            spec.NO_LONGER_PLACED.get(a.ceased_reason) if ceased else None,
            ffa,
        )
        out.append(((a.decision, a.child_id), Row(a.child_id, values)))
    return _sorted(out)
