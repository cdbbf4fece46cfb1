"""Reads for the child's record and the casework forms. Every entry point starts from the children the
user may see (``Person.objects.visible_to(user)``): a child the user may not see is a 404.

The child record page is a fixed number of queries whatever the size of the record: each table is read
once for the child (see ``test_query_counts``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from safehold.casework.choices import ApprovalKind, ApprovalStatus, AssessmentFactor
from safehold.casework.models import (
    ApprovalRequest,
    Assessment,
    CaseNote,
    ChildProtectionPlan,
    CINEpisode,
    CINPlan,
    CINPlanReview,
    Conference,
    Contact,
    CoreGroup,
    Section47,
    StrategyDiscussion,
    Visit,
)
from safehold.core import clock
from safehold.core.prepared import OutOfRange, Prepared, PreparedCounts
from safehold.people.models import Person, Relationship
from safehold.people.policies import VISIBILITY_PARAMS, visibility_for
from safehold.timescales.domain.rules import RULES, Rule

# --- The child ---------------------------------------------------------------------------------------------


def child_for(*, user: Any, pk: int) -> Person:
    """The child's record if the user may see it, else 404 (never a 403: existence is not disclosed)."""
    try:
        # get() rather than first(): the same row without the people table's default ordering to compile.
        return Person.objects.visible_to(user).children().get(pk=pk)
    except Person.DoesNotExist:
        raise Http404("No such child") from None


def _child_record_query(
    child_id: int, missing_since: dt.date, vis_scope: str, **visibility: Any
) -> QuerySet[Any]:
    from safehold.looked_after.models import PeriodOfCare
    from safehold.looked_after.selectors import missing_started_after

    in_care = PeriodOfCare.objects.filter(child=OuterRef("pk"), end_date__isnull=True).order_by().values("start_date")
    missing = (
        missing_started_after(missing_since)
        .filter(child=OuterRef("pk"))
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Person.objects.visible_under(vis_scope, **visibility)
        .children()
        .filter(pk=child_id)
        .annotate(
            in_care_since=Subquery(in_care[:1], output_field=DateField()),
            recent_missing=Coalesce(Subquery(missing, output_field=IntegerField()), 0),
        )
    )


# Compiled once per visibility rule (see safehold.core.prepared and people.policies.Visibility).
_CHILD_RECORD = Prepared(_child_record_query, child_id=int, missing_since=dt.date, **VISIBILITY_PARAMS)


def child_record_for(*, user: Any, pk: int) -> Person:
    """:func:`child_for`, with what the record page's banner reads from other tables as annotations (one round
    trip): ``in_care_since`` (the start of the open period of care, else None) and ``recent_missing`` (missing
    or away episodes started in the last 90 days)."""
    from safehold.looked_after.selectors import recent_missing_since

    visibility = visibility_for(user)
    try:
        found = _CHILD_RECORD(
            child_id=pk, missing_since=recent_missing_since(), shape=(visibility.shape,), **visibility.values()
        )
    except OutOfRange:  # an id no row can have (the URL takes any number)
        raise Http404("No such child") from None
    if not found:
        raise Http404("No such child")
    child: Person = found[0]
    return child


@dataclass
class CurrentPosition:
    """Where the child is on the statutory journey: the open records the forms act on."""

    episode: CINEpisode | None = None
    assessment: Assessment | None = None
    assessment_awaiting_signoff: Assessment | None = None
    section47: Section47 | None = None
    cp_plan: ChildProtectionPlan | None = None
    cin_plan: CINPlan | None = None
    in_care_since: dt.date | None = None
    undecided_contacts: list[Contact] = field(default_factory=list)
    referral_contacts: list[Contact] = field(default_factory=list)
    allocation: Any = None
    #: The pending request to close the case, or else the last one if the manager returned it.
    closure_request: ApprovalRequest | None = None
    #: The latest approval request for the open child in need plan.
    plan_request: ApprovalRequest | None = None

    @property
    def closure_pending(self) -> bool:
        return self.closure_request is not None and self.closure_request.is_pending

    @property
    def plan_label(self) -> str:
        if self.in_care_since:
            return "Child in care"
        if self.cp_plan:
            return "Child protection plan"
        if self.cin_plan:
            return "Child in need plan"
        if self.assessment:
            return "Assessment"
        if self.episode:
            return "Open child-in-need episode"
        return "No open episode"


@dataclass
class RecordRows:
    """The rows of one child's record that both the current position and the chronology need, each table read
    once (newest first), so the child record page does not read them twice."""

    episodes: list[CINEpisode]
    assessments: list[Assessment]
    section47s: list[Section47]
    cp_plans: list[ChildProtectionPlan]
    cin_plans: list[CINPlan]
    requests: list[ApprovalRequest]
    contacts: list[Contact]
    visits: list[Visit]
    allocations: list[Any]


#: The columns of a related row the record shows (its name): staff and teams are joined for their names only.
_NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "workforce.staffmember": ("given_name", "family_name"),
    "workforce.team": ("name",),
}


def _with_names(qs: QuerySet[Any], *relations: str) -> QuerySet[Any]:
    """``qs`` with each related staff member or team joined for its name alone (the row's own columns in full):
    a whole staff row per relation costs more to compile and load than the rest of the query."""
    model = qs.model
    own = [f.attname for f in model._meta.concrete_fields]
    names = [
        f"{relation}__{name}"
        for relation in relations
        for name in _NAME_FIELDS[model._meta.get_field(relation).related_model._meta.label_lower]
    ]
    return qs.select_related(*relations).only(*own, *names)


def _newest_first(rows: list[Any], field: str) -> list[Any]:
    """The rows newest first by a non-null ``field``, then by pk: the order of ``order_by("-field", "-pk")``, sorted
    here (a handful of rows per child) rather than compiled into each query."""
    return sorted(rows, key=attrgetter(field, "pk"), reverse=True)


def _allocations_of(child_id: int) -> QuerySet[Any]:
    from safehold.workforce.models import Allocation

    return _with_names(Allocation.objects.filter(child_id=child_id), "worker", "team")


# The record's tables, each a query compiled once per connection and run with the child's id (see
# safehold.core.prepared): the page reads the same nine shapes for every child.
_EPISODES = Prepared(lambda child_id: CINEpisode.objects.filter(child_id=child_id).order_by(), child_id=int)
_ASSESSMENTS = Prepared(
    lambda child_id: _with_names(Assessment.objects.filter(episode__child_id=child_id), "worker", "authorised_by")
    .order_by(),
    child_id=int,
)
_SECTION47S = Prepared(lambda child_id: Section47.objects.filter(episode__child_id=child_id).order_by(), child_id=int)
_CP_PLANS = Prepared(
    lambda child_id: ChildProtectionPlan.objects.filter(episode__child_id=child_id).order_by(), child_id=int
)
_CIN_PLANS = Prepared(lambda child_id: CINPlan.objects.filter(episode__child_id=child_id).order_by(), child_id=int)
_REQUESTS = Prepared(
    lambda child_id: _with_names(
        ApprovalRequest.objects.filter(episode__child_id=child_id), "requested_by", "decided_by"
    ).order_by(),
    child_id=int,
)
_CONTACTS = Prepared(
    lambda child_id: _with_names(Contact.objects.filter(child_id=child_id), "decided_by").order_by(), child_id=int
)
_VISITS = Prepared(
    lambda child_id: _with_names(Visit.objects.filter(child_id=child_id), "worker").order_by(), child_id=int
)
_ALLOCATIONS = Prepared(lambda child_id: _allocations_of(child_id).order_by(), child_id=int)


def record_rows(*, child: Person) -> RecordRows:
    """One query per table, whatever the size of the record."""
    c = child.pk
    return RecordRows(
        episodes=_newest_first(_EPISODES(child_id=c), "referral_date"),
        assessments=_newest_first(_ASSESSMENTS(child_id=c), "start_date"),
        section47s=_newest_first(_SECTION47S(child_id=c), "start_date"),
        cp_plans=_newest_first(_CP_PLANS(child_id=c), "start_date"),
        cin_plans=_newest_first(_CIN_PLANS(child_id=c), "start_date"),
        requests=_newest_first(_REQUESTS(child_id=c), "requested_at"),
        contacts=_newest_first(_CONTACTS(child_id=c), "received_at"),
        visits=_newest_first(_VISITS(child_id=c), "visited_on"),
        allocations=_newest_first(_ALLOCATIONS(child_id=c), "start_date"),
    )


def current_position(*, child: Person, rows: RecordRows | None = None) -> CurrentPosition:
    """The open episode, assessment, enquiry and plans, worked out from the record's rows (read here unless
    the caller already has them)."""
    from safehold.looked_after.models import PeriodOfCare

    rows = rows if rows is not None else record_rows(child=child)
    pos = CurrentPosition()
    pos.episode = next((e for e in rows.episodes if e.closure_date is None), None)
    if pos.episode is not None:
        episode_id = pos.episode.pk
        assessments = [a for a in rows.assessments if a.episode_id == episode_id][:5]
        pos.assessment = next((a for a in assessments if a.completed_date is None), None)
        pos.assessment_awaiting_signoff = next(
            (a for a in assessments if a.completed_date and a.authorised_date is None), None
        )
        pos.section47 = next(
            (
                s
                for s in rows.section47s
                if s.episode_id == episode_id
                and s.icpc_date is None
                and not s.icpc_not_required
                and (s.completed_date is None or s.outcome == "icpc")
            ),
            None,
        )
        pos.cp_plan = next((p for p in rows.cp_plans if p.episode_id == episode_id and p.end_date is None), None)
        pos.cin_plan = next((p for p in rows.cin_plans if p.episode_id == episode_id and p.end_date is None), None)
        requests = [r for r in rows.requests if r.episode_id == episode_id]
        closures = [r for r in requests if r.kind == ApprovalKind.CLOSURE]
        pending = next((r for r in closures if r.is_pending), None)
        pos.closure_request = pending or next((r for r in closures[:1] if r.status == ApprovalStatus.RETURNED), None)
        if pos.cin_plan is not None:
            pos.plan_request = next((r for r in requests if r.cin_plan_id == pos.cin_plan.pk), None)
    if hasattr(child, "in_care_since"):  # read with the child by child_record_for
        pos.in_care_since = child.in_care_since
    else:
        pos.in_care_since = (
            PeriodOfCare.objects.filter(child=child, end_date__isnull=True)
            .values_list("start_date", flat=True)
            .first()
        )
    contacts = rows.contacts[:20]
    pos.undecided_contacts = [c for c in contacts if not c.outcome]
    pos.referral_contacts = [c for c in contacts if c.outcome == "referral"]
    pos.allocation = next((a for a in rows.allocations if a.end_date is None), None)
    return pos


# --- What is due and why -----------------------------------------------------------------------------------


@dataclass
class DueItem:
    """A timescale rule and, when its clock is running for this child, the date it falls due."""

    rule: Rule
    due_date: dt.date | None = None
    due_at: dt.datetime | None = None
    started: dt.date | None = None

    @property
    def overdue(self) -> bool:
        if self.due_at is not None:
            return self.due_at < clock.now()
        return self.due_date is not None and self.due_date < clock.today()

    @property
    def source(self) -> str:
        s = self.rule.source
        return f"{s.document}, {s.reference}"

    @property
    def status(self) -> str:
        return self.rule.source.status

    @property
    def summary(self) -> str:
        return rule_summary(self.rule)


def _unit(rule: Rule) -> str:
    unit = rule.unit.value.replace("_", " ")
    return unit[:-1] if rule.amount == 1 else unit


def rule_summary(rule: Rule) -> str:
    return f"{rule.amount} {_unit(rule)} from: {rule.starts}"


def _open_deadlines_query(child_id: int, codes: tuple[str, ...] | None) -> QuerySet[Any]:
    from safehold.timescales.models import Deadline

    qs = Deadline.objects.filter(child_id=child_id, met_on__isnull=True, stopped_on__isnull=True)
    if codes is not None:
        qs = qs.filter(rule_code__in=codes)
    return qs.order_by("due_date", "rule_code").values_list("rule_code", "due_date", "due_at", "start_date")


# Compiled once per set of rule codes (the record asks for all of them; each form for its own fixed few).
_OPEN_DEADLINES = Prepared(_open_deadlines_query, child_id=int)


def open_deadlines(*, child: Person, rule_codes: list[str] | None = None) -> list[DueItem]:
    """The child's open deadlines (not met, not stopped), soonest first, with the rule behind each."""
    codes = tuple(rule_codes) if rule_codes is not None else None
    items = []
    for code, due, due_at, start in _OPEN_DEADLINES(child_id=child.pk, shape=(("codes", codes),)):
        rule = RULES.get(code)
        if rule is not None:
            items.append(DueItem(rule=rule, due_date=due, due_at=due_at, started=start))
    return items


def due_for_form(*, child: Person, rule_codes: list[str]) -> list[DueItem]:
    """What a form should say is due and why: each rule it concerns, with a due date when its clock runs."""
    running = open_deadlines(child=child, rule_codes=rule_codes)
    codes = {item.rule.code for item in running}
    return running + [DueItem(rule=RULES[code]) for code in rule_codes if code in RULES and code not in codes]


# --- Family ------------------------------------------------------------------------------------------------


@dataclass
class FamilyMember:
    person_id: int
    name: str
    relationship: str
    parental_responsibility: bool
    is_child_record: bool


def _family_query(child_id: int) -> QuerySet[Any]:
    # Both directions in one query: people related to the child, and people the child is related to (only the
    # columns the page shows: the two people's whole rows cost more to read than the rest of the query).
    return (
        Relationship.objects.filter(Q(other_id=child_id) | Q(person_id=child_id), end_date__isnull=True)
        .order_by("pk")
        .values_list(
            "person_id", "other_id", "kind", "has_parental_responsibility",
            "person__given_name", "person__family_name", "person__is_child_record",
            "other__given_name", "other__family_name", "other__is_child_record",
        )
    )


_FAMILY = Prepared(_family_query, child_id=int)


def family_of(*, child: Person) -> list[FamilyMember]:
    rows: list[FamilyMember] = []
    labels = _labels(Relationship, "kind")
    rels = _FAMILY(child_id=child.pk)
    for person_id, other_id, kind, pr, given, family, is_child, *_ in rels:
        if other_id == child.pk:
            rows.append(FamilyMember(person_id, f"{given} {family}", labels.get(kind, kind), pr, is_child))
    for _, other_id, kind, _, _, _, _, given, family, is_child in rels:
        if other_id != child.pk:
            relationship = f"{child.given_name} is their {labels.get(kind, kind).lower()}"
            rows.append(FamilyMember(other_id, f"{given} {family}", relationship, False, is_child))
    return rows


def _labels(model: Any, field_name: str) -> dict[Any, str]:
    """A choice field's labels by value, as ``get_FOO_display`` gives them (for rows read with ``values_list``)."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


# --- Chronology --------------------------------------------------------------------------------------------

CHRONOLOGY_TYPES: dict[str, str] = {
    "contact": "Contacts",
    "referral": "Referrals and closures",
    "assessment": "Assessments",
    "s47": "Strategy discussions and section 47 enquiries",
    "conference": "Conferences",
    "plan": "Plans",
    "meeting": "Core groups and plan reviews",
    "visit": "Visits",
    "note": "Case notes",
    "allocation": "Allocation",
}


@dataclass
class TimelineEvent:
    on: dt.date
    kind: str
    title: str
    description: str = ""
    by: str = ""
    at: dt.datetime | None = None

    @property
    def kind_label(self) -> str:
        return CHRONOLOGY_TYPES.get(self.kind, self.kind)

    # The timeline's date labels, formatted here rather than by a date filter per event (as the filters give them:
    # the time in the local time zone, the date as "5 June 2025").
    @property
    def datetime_attr(self) -> str:
        """The ``datetime`` attribute of the event's ``<time>``: ISO 8601, with the local time when known."""
        return timezone.localtime(self.at).isoformat() if self.at is not None else self.on.isoformat()

    @property
    def when(self) -> str:
        """"5 June 2025", or "5 June 2025 at 14:05" when the time is known."""
        day = f"{self.on.day} {self.on:%B %Y}"
        return f"{day} at {timezone.localtime(self.at):%H:%M}" if self.at is not None else day


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _staff_name(staff: Any) -> str:
    return staff.full_name if staff is not None else ""


def _meetings_and_notes_query(
    child_id: int, note: bool, s47: bool, conference: bool, core_group: bool, review: bool
) -> QuerySet[Any]:
    """The UNION ALL of :func:`_meetings_and_notes`, one arm per table asked for (at least one)."""
    null_date = Value(None, output_field=DateField())
    null_time = Value(None, output_field=DateTimeField())
    null_int = Value(None, output_field=IntegerField())
    blank = Value("", output_field=CharField())
    no = Value(False, output_field=BooleanField())

    def arm(qs: QuerySet[Any], kind: str, **columns: Any) -> QuerySet[Any]:
        cols = {
            "on": null_date,
            "at": null_time,
            "ref": null_int,
            "text": blank,
            "body": blank,
            "flag": no,
            "person": null_int,
            "given": blank,
            "family": blank,
        }
        cols.update(columns)
        named = {f"c_{name}": value if not isinstance(value, str) else F(value) for name, value in cols.items()}
        return (
            qs.order_by().annotate(c_kind=Value(kind, output_field=CharField()), **named).values_list("c_kind", *named)
        )

    arms = []
    if note:  # first: its columns' types (a datetime, a flag) are the union's
        arms.append(
            arm(
                CaseNote.objects.filter(child_id=child_id),
                "note",
                at="written_at",
                text="subject",
                body="body",
                flag="restricted",
                person="author_id",
                given="author__given_name",
                family="author__family_name",
            )
        )
    if s47:
        arms.append(
            arm(
                StrategyDiscussion.objects.filter(episode__child_id=child_id),
                "s47",
                on="held_on",
                ref="section47_id",
                body="decision",
            )
        )
    if conference:
        arms.append(
            arm(
                Conference.objects.filter(episode__child_id=child_id),
                "conference",
                on="held_on",
                text="kind",
                flag="outcome_plan",
                person="chair_id",
                given="chair__given_name",
                family="chair__family_name",
            )
        )
    if core_group:
        arms.append(arm(CoreGroup.objects.filter(plan__episode__child_id=child_id), "core_group", on="held_on"))
    if review:
        arms.append(arm(CINPlanReview.objects.filter(plan__episode__child_id=child_id), "review", on="held_on"))
    first, *rest = arms
    return first.union(*rest, all=True) if rest else first


_MEETINGS_AND_NOTES = Prepared(_meetings_and_notes_query, child_id=int)


def _meetings_and_notes(child: Person, wanted: set[str], rows: RecordRows) -> list[tuple[Any, ...]]:
    """The chronology's strategy discussions, conferences, core groups, plan reviews and case notes in one round
    trip (a UNION ALL of one arm per table wanted, none for meetings of plans the child never had), each row
    (kind, date, datetime, reference, text, body, flag, person id, given name, family name)."""
    shape = (
        ("note", "note" in wanted),
        ("s47", "s47" in wanted and bool(rows.episodes)),
        ("conference", "conference" in wanted and bool(rows.episodes)),
        ("core_group", "meeting" in wanted and bool(rows.cp_plans)),
        ("review", "meeting" in wanted and bool(rows.cin_plans)),
    )
    if not any(flag for _, flag in shape):
        return []
    return _MEETINGS_AND_NOTES(child_id=child.pk, shape=shape)


def chronology(
    *, child: Person, viewer: Any = None, types: set[str] | None = None, rows: RecordRows | None = None
) -> list[TimelineEvent]:
    """Every significant event on the child's record, newest first, optionally only some types.

    One query per kind of record (none for those in ``rows``, nor for the meetings of plans the child never had),
    so the page does not slow down as the record grows.
    """
    rows = rows if rows is not None else record_rows(child=child)
    wanted = set(CHRONOLOGY_TYPES) if not types else set(types) & set(CHRONOLOGY_TYPES)
    out: list[TimelineEvent] = []
    add = out.append

    if "contact" in wanted:
        for c in rows.contacts:
            add(
                TimelineEvent(
                    _local_date(c.received_at), "contact", f"Contact received from {c.get_source_display().lower()}",
                    c.summary, c.referrer_name, c.received_at,
                )
            )
            if c.decided_at:
                add(
                    TimelineEvent(
                        _local_date(c.decided_at), "contact",
                        f"Contact decision: {c.get_outcome_display()} ({c.get_threshold_level_display()})",
                        c.decision_reason, _staff_name(c.decided_by), c.decided_at,
                    )
                )
    if "referral" in wanted:
        for e in rows.episodes:
            add(
                TimelineEvent(
                    e.referral_date, "referral", "Referral: child-in-need episode opened",
                    f"Source: {e.get_referral_source_display()}. "
                    f"Primary need: {e.get_primary_need_display() or 'not yet recorded'}",
                )
            )
            if e.closure_date:
                add(TimelineEvent(e.closure_date, "referral", "Case closed", e.get_closure_reason_display()))
    if "assessment" in wanted:
        factor_labels = dict(AssessmentFactor.choices)
        for a in rows.assessments:
            add(TimelineEvent(a.start_date, "assessment", "Assessment started", "", _staff_name(a.worker)))
            if a.completed_date:
                factors = ", ".join(factor_labels.get(f, f) for f in a.factors)
                seen = "Child seen" if a.child_seen else "Child not seen"
                add(
                    TimelineEvent(
                        a.completed_date, "assessment", f"Assessment completed: {a.get_outcome_display()}",
                        f"{seen}. Factors: {factors or 'none recorded'}", _staff_name(a.worker),
                    )
                )
            if a.authorised_date:
                add(
                    TimelineEvent(
                        a.authorised_date, "assessment", "Assessment signed off by a manager", "",
                        _staff_name(a.authorised_by),
                    )
                )
    if "s47" in wanted:
        # Discussions, conferences and meetings belong to an episode or a plan: no query for a child who has none.
        for s in rows.section47s:
            if s.completed_date:
                add(TimelineEvent(s.completed_date, "s47", f"Section 47 enquiry ended: {s.get_outcome_display()}"))
    if "plan" in wanted:
        for p in rows.cp_plans:
            category = p.get_initial_category_display()
            add(TimelineEvent(p.start_date, "plan", f"Child protection plan started ({category})"))
            if p.end_date:
                add(TimelineEvent(p.end_date, "plan", "Child protection plan ended"))
        for cp in rows.cin_plans:
            add(TimelineEvent(cp.start_date, "plan", "Child in need plan started"))
            if cp.end_date:
                add(TimelineEvent(cp.end_date, "plan", "Child in need plan ended"))
    if wanted & {"referral", "plan"}:
        for req in rows.requests:
            kind = "referral" if req.kind == ApprovalKind.CLOSURE else "plan"
            if kind not in wanted:
                continue
            what = "closure" if kind == "referral" else ("step-down to a child in need plan" if req.step_down
                                                         else "child in need plan")
            add(
                TimelineEvent(
                    _local_date(req.requested_at), kind, f"Manager's approval requested: {what}", req.summary,
                    _staff_name(req.requested_by), req.requested_at,
                )
            )
            if req.decided_at is not None:
                verb = "approved" if req.status == ApprovalStatus.APPROVED else "returned to the worker"
                add(
                    TimelineEvent(
                        _local_date(req.decided_at), kind, f"Manager {verb}: {what}", req.rationale,
                        _staff_name(req.decided_by), req.decided_at,
                    )
                )
    if "visit" in wanted:
        for v in rows.visits:
            seen = "seen alone" if v.seen_alone else ("seen" if v.seen else "not seen")
            add(TimelineEvent(v.visited_on, "visit", f"{v.get_visit_type_display()}: child {seen}", v.notes,
                              _staff_name(v.worker)))
    viewer_staff = getattr(viewer, "staff", None) if viewer is not None else None
    conference_kinds = _labels(Conference, "kind")
    for kind, on, at, ref, text, body, flag, person_id, given, family in _meetings_and_notes(child, wanted, rows):
        name = f"{given} {family}" if person_id is not None else ""
        if kind == "s47":
            decision = "Section 47 enquiry started" if ref else "No section 47 enquiry"
            add(TimelineEvent(on, "s47", f"Strategy discussion: {decision}", body))
        elif kind == "conference":
            result = "child protection plan" if flag else "no plan"
            add(TimelineEvent(on, "conference", f"{conference_kinds.get(text, text)}: {result}", "", name))
        elif kind == "core_group":
            add(TimelineEvent(on, "meeting", "Core group meeting"))
        elif kind == "review":
            add(TimelineEvent(on, "meeting", "Child in need plan review"))
        else:
            hidden = flag and (viewer_staff is None or person_id != viewer_staff.pk)
            add(
                TimelineEvent(
                    _local_date(at), "note", f"Case note: {text}", "This note is restricted." if hidden else body,
                    name, at,
                )
            )
    if "allocation" in wanted:
        for al in rows.allocations:
            who = _staff_name(al.worker) or "no named worker"
            add(TimelineEvent(al.start_date, "allocation", f"Allocated to {al.team.name}: {who}"))
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    out.sort(key=lambda e: (e.on, e.at or epoch), reverse=True)
    return out


# --- Visits ------------------------------------------------------------------------------------------------


def recent_visits(*, child: Person, limit: int = 10, rows: RecordRows | None = None) -> list[Visit]:
    if rows is not None:
        return rows.visits[:limit]
    return list(Visit.objects.filter(child=child).select_related("worker").order_by("-visited_on", "-pk")[:limit])


# --- Manager sign-off --------------------------------------------------------------------------------------


def _visible_children(user: Any) -> QuerySet[Any]:
    return Person.objects.visible_to(user).children().values("pk")


def assessments_awaiting_signoff(*, user: Any, team_ids: set[int] | None = None) -> QuerySet[Assessment]:
    """Completed assessments not yet authorised, of children the user may see (optionally in some teams)."""
    return _assessments_awaiting(_visible_children(user), team_ids)


def _assessments_awaiting(visible: QuerySet[Any], team_ids: Iterable[int] | None) -> QuerySet[Assessment]:
    qs = Assessment.objects.filter(
        completed_date__isnull=False, authorised_date__isnull=True, episode__child__in=visible
    )
    if team_ids is not None:
        qs = qs.filter(
            episode__child__allocations__end_date__isnull=True, episode__child__allocations__team_id__in=team_ids
        )
    return qs.select_related("episode__child", "worker").order_by("completed_date", "pk")


def assessment_for_signoff(*, user: Any, pk: int, team_ids: set[int] | None = None) -> Assessment:
    assessment = assessments_awaiting_signoff(user=user, team_ids=team_ids).filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment awaiting sign-off")
    return assessment


def _in_teams(
    qs: QuerySet[ApprovalRequest], visible: QuerySet[Any], team_ids: Iterable[int]
) -> QuerySet[ApprovalRequest]:
    """Requests about children the user may see (``visible``) whose open allocation is in one of the teams."""
    return qs.filter(
        episode__child__in=visible,
        episode__child__allocations__end_date__isnull=True,
        episode__child__allocations__team_id__in=team_ids,
    )


def latest_plan_request(*, plan: CINPlan) -> ApprovalRequest | None:
    rows = ApprovalRequest.objects.filter(cin_plan=plan).select_related("decided_by")
    return rows.order_by("-requested_at", "-pk").first()


def approvals_awaiting(*, user: Any, team_ids: set[int], kind: str | None = None) -> QuerySet[ApprovalRequest]:
    """Pending closure and plan approval requests for the manager's teams, oldest first."""
    return _approvals_awaiting(_visible_children(user), team_ids, kind)


def _approvals_awaiting(
    visible: QuerySet[Any], team_ids: Iterable[int], kind: str | None = None
) -> QuerySet[ApprovalRequest]:
    qs = ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return (
        _in_teams(qs, visible, team_ids)
        .select_related("episode__child", "cin_plan", "requested_by")
        .order_by("requested_at", "pk")
    )


def _waiting_query(team_ids: tuple[int, ...], vis_scope: str, **visibility: Any) -> dict[str, QuerySet[Any]]:
    from safehold.workforce.selectors import unallocated_among

    visible = Person.objects.visible_under(vis_scope, **visibility).children().values("pk")
    return {
        "unallocated": unallocated_among(visible, team_ids),
        "assessments": _assessments_awaiting(visible, team_ids),
        "approvals": _approvals_awaiting(visible, team_ids),
    }


# One statement, compiled once per visibility rule and number of teams (see safehold.core.prepared).
_WAITING = PreparedCounts(_waiting_query, team_ids=tuple, **VISIBILITY_PARAMS)


def waiting_for_team(*, user: Any, team_ids: set[int]) -> dict[str, int]:
    """What waits for the manager of the teams, counted among the children the user may see: ``unallocated``
    children (no named worker), completed ``assessments`` awaiting sign-off, and pending ``approvals``."""
    visibility = visibility_for(user)
    if visibility.scope == "nothing":  # sees no child, so nothing waits for them
        return {"unallocated": 0, "assessments": 0, "approvals": 0}
    counted: dict[str, int] = _WAITING(team_ids=sorted(team_ids), shape=(visibility.shape,), **visibility.values())
    return counted


def approval_for_manager(*, user: Any, pk: int, team_ids: set[int]) -> ApprovalRequest:
    """A request (pending or decided) about a child in the manager's teams, else 404."""
    row = (
        _in_teams(ApprovalRequest.objects.filter(pk=pk), _visible_children(user), team_ids)
        .select_related("episode__child", "cin_plan", "requested_by", "decided_by")
        .first()
    )
    if row is None:
        raise Http404("No such request in your teams")
    return row


# --- Search ------------------------------------------------------------------------------------------------

SEARCH_LIMIT = 50


def children_search(
    *,
    user: Any,
    name: str = "",
    date_of_birth: dt.date | None = None,
    nhs_number: str = "",
    la_child_id: str = "",
    limit: int = SEARCH_LIMIT,
) -> list[Person]:
    """Children the user may see matching every term given (name words match given, family or other names)."""
    qs = Person.objects.visible_to(user).children()
    for word in name.split():
        qs = qs.filter(
            Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(other_names__icontains=word)
        )
    if date_of_birth:
        qs = qs.filter(Q(date_of_birth=date_of_birth) | Q(expected_date_of_birth=date_of_birth))
    if nhs_number:
        qs = qs.filter(nhs_number=nhs_number.replace(" ", ""))
    if la_child_id:
        qs = qs.filter(la_child_id__iexact=la_child_id.strip())
    return list(qs.order_by("family_name", "given_name", "pk")[:limit])


def factor_labels(codes: list[str]) -> list[str]:
    labels = dict(AssessmentFactor.choices)
    return [str(labels.get(code, code)) for code in codes]
