"""Reads for retention: the schedule, which records are due, the review list, holds and the disposal log.

:func:`facts` reads, for many children at once, what the retention rules need (dates of birth and death, which
record types each child's record holds, what is still open, last activity per type, adoption orders) with one
aggregate query per record type, so the nightly review of a whole borough takes seconds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from safehold.core import clock
from safehold.retention.choices import OPEN_STATUSES, ItemStatus, RecordTypeChoice
from safehold.retention.domain import DEFAULT_RULES, Due, Facts, RecordType, RuleSpec, due_date
from safehold.retention.models import DisposalLogEntry, LegalHold, RetentionRule, ReviewItem

T = RecordType


def rules() -> list[RetentionRule]:
    return list(RetentionRule.objects.order_by("id"))


def rule_specs() -> dict[RecordType, RuleSpec]:
    """The schedule as the domain reads it (a record type with no row yet uses its default)."""
    specs = {spec.record_type: spec for spec in DEFAULT_RULES}
    for rule in RetentionRule.objects.all():
        specs[RecordType(rule.record_type)] = rule.spec()
    return specs


def disposed_ids() -> set[int]:
    return set(DisposalLogEntry.objects.values_list("subject_id", flat=True))


def held_ids(person_ids: Iterable[int] | None = None) -> set[int]:
    qs = LegalHold.objects.filter(released_at__isnull=True)
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    return set(qs.values_list("person_id", flat=True))


def active_holds(person_id: int) -> list[LegalHold]:
    return list(LegalHold.objects.filter(person_id=person_id, released_at__isnull=True))


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


@dataclass
class _Acc:
    types: set[RecordType]
    open_types: set[RecordType]
    last: dict[RecordType, dt.date | None]
    order: dt.date | None = None


def _children(person_ids: Iterable[int] | None) -> QuerySet[Any]:
    from safehold.people.models import Person

    qs = Person.objects.filter(is_child_record=True, merged_into__isnull=True).exclude(
        pk__in=DisposalLogEntry.objects.values("subject_id")
    )
    if person_ids is not None:
        qs = qs.filter(pk__in=list(person_ids))
    return qs


def facts(person_ids: Iterable[int] | None = None) -> dict[int, Facts]:
    """What the retention rules need, per child (all children when ``person_ids`` is None)."""
    from safehold.casework.models import ChildProtectionPlan, CINEpisode, Contact, Section47
    from safehold.early_help.models import EpisodeChild
    from safehold.looked_after.models import AdoptionJourney, CareLeaver, PeriodOfCare, PrivateFostering

    ids = None if person_ids is None else list(person_ids)
    people = {
        pk: (dob or edob, dod)
        for pk, dob, edob, dod in _children(ids).values_list(
            "pk", "date_of_birth", "expected_date_of_birth", "date_of_death"
        )
    }
    acc: dict[int, _Acc] = defaultdict(lambda: _Acc(set(), set(), {}))

    def scoped(qs: QuerySet[Any], child: str = "child_id") -> QuerySet[Any]:
        return qs if ids is None else qs.filter(**{f"{child}__in": ids})

    def add(rows: Iterable[tuple[int, Any, int]], record_type: RecordType, *, as_date: bool = False) -> None:
        for child_id, last, open_count in rows:
            a = acc[child_id]
            a.types.add(record_type)
            a.last[record_type] = _local_date(last) if as_date else last
            if open_count:
                a.open_types.add(record_type)

    add(
        scoped(PeriodOfCare.objects.all())
        .values("child_id")
        .annotate(last=Max("end_date"), open=Count("id", filter=Q(end_date__isnull=True)))
        .values_list("child_id", "last", "open"),
        T.LOOKED_AFTER,
    )
    for child_id in scoped(CareLeaver.objects.all()).values_list("child_id", flat=True):
        acc[child_id].types.add(T.LOOKED_AFTER)
        acc[child_id].last.setdefault(T.LOOKED_AFTER, None)
    for child_id, order in (
        scoped(AdoptionJourney.objects.filter(adoption_order_date__isnull=False))
        .values("child_id")
        .annotate(order=Max("adoption_order_date"))
        .values_list("child_id", "order")
    ):
        acc[child_id].types.add(T.ADOPTION)
        acc[child_id].order = order
        acc[child_id].last[T.ADOPTION] = order
    cin_rows = list(
        scoped(CINEpisode.objects.all())
        .values("child_id")
        .annotate(last=Max("closure_date"), open=Count("id", filter=Q(closure_date__isnull=True)))
        .values_list("child_id", "last", "open")
    )
    add(cin_rows, T.CHILD_IN_NEED)
    cp_children = set(
        scoped(Section47.objects.all(), "episode__child_id").values_list("episode__child_id", flat=True)
    ) | set(scoped(ChildProtectionPlan.objects.all(), "episode__child_id").values_list("episode__child_id", flat=True))
    # Child protection is measured from the close of the child's social care involvement (their CIN episodes).
    add(((c, last, n) for c, last, n in cin_rows if c in cp_children), T.CHILD_PROTECTION)
    add(
        scoped(PrivateFostering.objects.all())
        .values("child_id")
        .annotate(
            last=Max(Coalesce("arrangement_end", "notified_on")),
            open=Count("id", filter=Q(arrangement_start__isnull=False, arrangement_end__isnull=True)),
        )
        .values_list("child_id", "last", "open"),
        T.PRIVATE_FOSTERING,
    )
    add(
        scoped(EpisodeChild.objects.all())
        .values("child_id")
        .annotate(last=Max("episode__closed_on"), open=Count("id", filter=Q(episode__closed_on__isnull=True)))
        .values_list("child_id", "last", "open"),
        T.EARLY_HELP,
    )
    add(
        scoped(Contact.objects.all())
        .values("child_id")
        .annotate(last=Max("decided_at"), open=Count("id", filter=Q(outcome="")))
        .values_list("child_id", "last", "open"),
        T.CONTACT,
        as_date=True,
    )

    work = open_work(ids)
    out: dict[int, Facts] = {}
    for pk, (born, died) in people.items():
        a = acc.get(pk)
        if a is None:
            out[pk] = Facts(date_of_birth=born, date_of_death=died, open_work=frozenset(work.get(pk, ())))
            continue
        out[pk] = Facts(
            date_of_birth=born,
            date_of_death=died,
            types=frozenset(a.types),
            open_types=frozenset(a.open_types),
            last_activity=dict(a.last),
            adoption_order_date=a.order,
            open_work=frozenset(work.get(pk, ())),
        )
    return out


#: Open work that keeps a record from falling due although it is not a record type of its own: (model, link to
#: the child, what "open" means there, a label). Open episodes of the record types themselves (CIN, care,
#: private fostering, early help, an undecided contact) are read in :func:`facts`.
OPEN_WORK: tuple[tuple[str, str, Q, str], ...] = (
    ("proceedings.PreProceedings", "child_id", Q(decided_on__isnull=True), "pre-proceedings"),
    ("proceedings.Proceedings", "child_id", Q(concluded_on__isnull=True), "care proceedings"),
    ("exploitation.PanelReferral", "child_id", Q(closed_on__isnull=True), "exploitation panel referral"),
    (
        "subject_access.SubjectAccessRequest",
        "person_id",
        ~Q(status="released"),
        "subject access request (altering data a request covers is an offence: DPA 2018 s173)",
    ),
)


def open_work(person_ids: list[int] | None = None) -> dict[int, set[str]]:
    """Per child, the open work of :data:`OPEN_WORK`, and exploitation risk management still running (a
    screening after the last recorded end of risk management, as ``exploitation.selectors`` reads it)."""
    from django.db.models import OuterRef, Subquery

    from safehold.retention.disposal import model_for

    found: dict[int, set[str]] = defaultdict(set)
    for label, link, is_open, what in OPEN_WORK:
        model = model_for(label)
        if model is None:
            continue
        qs = model._default_manager.filter(is_open)
        if person_ids is not None:
            qs = qs.filter(**{f"{link}__in": person_ids})
        for pk in qs.values_list(link, flat=True).distinct():
            found[pk].add(what)
    screening, risk_end = model_for("exploitation.Screening"), model_for("exploitation.RiskEnd")
    if screening is not None and risk_end is not None:
        last_end = (
            risk_end._default_manager.filter(child_id=OuterRef("child_id")).order_by("-ended_on").values("ended_on")[:1]
        )
        qs = screening._default_manager.all()
        if person_ids is not None:
            qs = qs.filter(child_id__in=person_ids)
        latest = qs.values("child_id").annotate(latest=Max("screened_on"), ended=Subquery(last_end))
        for row in latest:
            if row["ended"] is None or row["latest"] > row["ended"]:
                found[row["child_id"]].add("exploitation risk management")
    return found


@dataclass(frozen=True)
class ReviewScan:
    """What the nightly review found."""

    due: dict[int, Due]
    #: Records that would be due but are under a legal hold.
    held: set[int]
    undatable: int
    open_records: int
    children: int


def scan(*, today: dt.date | None = None, person_ids: Iterable[int] | None = None) -> ReviewScan:
    """Every child's record due for disposal on ``today`` (not already disposed of, not under a legal hold)."""
    today = today or clock.today()
    specs = rule_specs()
    all_facts = facts(person_ids)
    held = held_ids(None if person_ids is None else all_facts.keys())
    due: dict[int, Due] = {}
    held_due: set[int] = set()
    undatable = open_records = 0
    for pk, f in all_facts.items():
        if f.open_types or f.open_work:
            open_records += 1
            continue
        d = due_date(specs, f)
        if d is None:
            if f.types:
                undatable += 1
            continue
        if d.due_on <= today:
            if pk in held:
                held_due.add(pk)
            else:
                due[pk] = d
    return ReviewScan(due=due, held=held_due, undatable=undatable, open_records=open_records, children=len(all_facts))


def due_now(person_id: int, *, today: dt.date | None = None) -> Due | None:
    """The child's due date and governing rule if their record is due today, else None."""
    found = scan(today=today, person_ids=[person_id])
    return found.due.get(person_id)


def describe_facts(f: Facts, specs: Mapping[RecordType, RuleSpec]) -> list[dict[str, Any]]:
    """Per record type held: its rule and the date it alone would fall due (for the review page)."""
    from safehold.retention.domain import type_due_date

    rows = []
    for record_type in RecordType:
        if record_type not in f.types:
            continue
        spec = specs[record_type]
        rows.append(
            {
                "record_type": record_type,
                "label": RecordTypeChoice(record_type.value).label,
                "rule": spec.describe(),
                "last_activity": f.last_activity.get(record_type),
                "open": record_type in f.open_types,
                "due_on": type_due_date(spec, f),
            }
        )
    return rows


def review_list() -> QuerySet[ReviewItem]:
    return ReviewItem.objects.filter(status__in=OPEN_STATUSES).select_related("person").order_by("due_on", "id")


def recent_items(limit: int = 20) -> QuerySet[ReviewItem]:
    return (
        ReviewItem.objects.exclude(status__in=OPEN_STATUSES)
        .select_related("disposal")
        .order_by("-updated_at", "-id")[:limit]
    )


def item_for(pk: int) -> ReviewItem:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(ReviewItem.objects.select_related("person", "rule", "disposal"), pk=pk)


def holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.select_related("person").order_by("released_at", "-placed_at", "-id")


def disposal_log() -> QuerySet[DisposalLogEntry]:
    return DisposalLogEntry.objects.order_by("-disposed_at", "-id")


def open_item_status_counts() -> dict[str, int]:
    counts = dict(
        ReviewItem.objects.filter(status__in=OPEN_STATUSES)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {s.value: counts.get(s.value, 0) for s in (ItemStatus.PROPOSED, ItemStatus.DEFERRED)}


def child_by_la_child_id(la_child_id: str) -> Any:
    """The child's record with this LA child id (any child: a hold protects, it shows nothing), or None."""
    from safehold.people.models import Person

    value = (la_child_id or "").strip()
    if not value:
        return None
    return Person.objects.filter(la_child_id=value, is_child_record=True, merged_into__isnull=True).first()
