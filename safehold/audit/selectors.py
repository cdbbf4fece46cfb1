"""Reads of the audit trail and access log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from safehold.audit.history import BASELINE_REASON, history_model
from safehold.audit.models import AccessEvent, AuditEvent


def access_events_for_child(*, child_id: int) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(child_id=child_id)


def audit_events_for_child(*, child_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(child_id=child_id)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def child_access_log(
    *,
    child_id: int,
    actor_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AccessEvent]:
    """Who has viewed (searched, exported, printed) this child, newest first, filtered by user and local date."""
    events = AccessEvent.objects.filter(child_id=child_id)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if date_from is not None:
        events = events.filter(occurred_at__gte=_day_start(date_from))
    if date_to is not None:
        events = events.filter(occurred_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return events.only(
        "occurred_at", "actor_id", "actor_label", "kind", "path", "detail", "break_glass", "reason"
    ).order_by("-occurred_at", "-id")


def child_access_actors(*, child_id: int) -> list[tuple[int, str]]:
    """The distinct people who have accessed this child's record, for the "viewed by" filter (one query)."""
    seen: dict[int, str] = {}
    rows = (
        AccessEvent.objects.filter(child_id=child_id, actor_id__isnull=False)
        .values_list("actor_id", "actor_label")
        .order_by("actor_label", "actor_id")
        .distinct()
    )
    for actor_id, label in rows:
        if actor_id is not None:
            seen.setdefault(int(actor_id), str(label))
    return sorted(seen.items(), key=lambda item: item[1].lower())


def records_as_at(model: type[models.Model], *, at: dt.datetime, **filters: Any) -> list[Any]:
    """The records of ``model`` matching ``filters`` as they stood at ``at``, from field history.

    ``Model.history.as_of(at)`` gives each record's latest history row up to ``at`` (a record deleted by then
    drops out). A record with no history row at all was loaded in bulk and never written since: its live
    values have held since its last write (``updated_at``), so it counts from then (see ``audit.history``).
    """
    historical = history_model(model)
    pk_attname = model._meta.pk.attname
    found = list(model.history.as_of(at).filter(**filters))  # type: ignore[attr-defined]
    untouched = (
        model._base_manager.filter(updated_at__lte=at, **filters)
        .exclude(Exists(historical.objects.filter(**{pk_attname: OuterRef("pk")})))
        .order_by("pk")
    )
    return [*found, *untouched]


def record_as_at(model: type[models.Model], *, object_id: Any, at: dt.datetime) -> Any | None:
    """One record as it stood at ``at``; ``None`` when it did not exist then (or had been deleted)."""
    records = records_as_at(model, at=at, pk=object_id)
    return records[0] if records else None


def history_begins(model: type[models.Model], *, object_id: Any) -> dt.datetime | None:
    """When the field history of a record loaded in bulk begins (before it, Safehold cannot say what the
    record said); ``None`` for a record created through a service, whose history starts at its creation."""
    first = (
        history_model(model)
        .objects.filter(**{model._meta.pk.attname: object_id})
        .order_by("history_date", "history_id")
        .values_list("history_date", "history_change_reason")
        .first()
    )
    if first is not None:
        return first[0] if first[1] == BASELINE_REASON else None
    return model._base_manager.filter(pk=object_id).values_list("updated_at", flat=True).first()


def changes_up_to(*, child_id: int, at: dt.datetime, limit: int = 20) -> QuerySet[AuditEvent]:
    """Who changed the child's record, with what action and reason, up to ``at`` (newest first): the why
    behind the field history."""
    return (
        AuditEvent.objects.filter(child_id=child_id, occurred_at__lte=at)
        .only("occurred_at", "actor_label", "action", "object_type", "reason")
        .order_by("-occurred_at", "-id")[:limit]
    )


def record_changes(*, object_type: str, object_id: Any) -> list[dict[str, Any]]:
    """Field-by-field history of one record: when, who, which fields changed from what to what."""
    history = []
    events = AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("occurred_at", "id")
    for event in events:
        before, after = event.before or {}, event.after or {}
        changed = {
            field: (before.get(field), after.get(field))
            for field in sorted(set(before) | set(after))
            if before.get(field) != after.get(field) and field not in {"updated_at", "version"}
        }
        history.append(
            {"occurred_at": event.occurred_at, "actor": event.actor_label, "action": event.action, "changed": changed}
        )
    return history


#: The parts of a child's record the "as at" page shows, from field history: model, heading, how the record
#: reaches the child, and the fields shown (visits and case notes keep history too, but are not listed here).
AS_AT_SECTIONS: list[tuple[str, str, str, list[str]]] = [
    ("casework.Contact", "Contacts", "child_id", ["received_at", "source", "threshold_level", "outcome"]),
    (
        "casework.CINEpisode",
        "Child in need episodes",
        "child_id",
        ["referral_date", "referral_source", "primary_need", "referral_nfa", "closure_date", "closure_reason"],
    ),
    (
        "casework.Assessment",
        "Assessments",
        "episode__child_id",
        ["start_date", "completed_date", "authorised_date", "child_seen", "outcome"],
    ),
    (
        "casework.Section47",
        "Section 47 enquiries",
        "episode__child_id",
        ["start_date", "icpc_date", "icpc_not_required", "completed_date", "outcome"],
    ),
    (
        "casework.ChildProtectionPlan",
        "Child protection plans",
        "episode__child_id",
        ["start_date", "end_date", "initial_category", "latest_category"],
    ),
    ("casework.CINPlan", "Child in need plans", "episode__child_id", ["start_date", "end_date"]),
    (
        "looked_after.PeriodOfCare",
        "Periods of care",
        "child_id",
        ["start_date", "end_date", "care_plan_date", "pep_date"],
    ),
    (
        "looked_after.CareEpisode",
        "Care episodes",
        "child_id",
        ["start_date", "legal_status", "placement_type", "placement_provider", "end_date", "reason_ceased"],
    ),
    (
        "looked_after.AdoptionJourney",
        "Adoption",
        "child_id",
        ["decision_date", "placement_order_date", "matched_date", "placed_date", "adoption_order_date", "ceased_date"],
    ),
    ("looked_after.CareLeaver", "Care leaver", "child_id", ["eligibility", "staying_put"]),
    (
        "looked_after.PrivateFostering",
        "Private fostering",
        "child_id",
        ["notified_on", "arrangement_start", "arrangement_end", "assessment_completed_on", "decision"],
    ),
]


@dataclass
class AsAtSection:
    heading: str
    columns: list[str]
    rows: list[list[Any]]


def _label(field: models.Field[Any, Any]) -> str:
    text = str(field.verbose_name)
    return text[:1].upper() + text[1:]


def _value(instance: models.Model, field: models.Field[Any, Any]) -> Any:
    value = getattr(instance, field.attname)
    if value not in (None, "") and field.choices:
        return instance._get_FIELD_display(field)  # type: ignore[attr-defined]
    return value


def child_record_as_at(*, child_id: int, at: dt.datetime) -> list[AsAtSection]:
    """The child's casework and care records as they stood at ``at``, one section per kind, from field
    history (two queries a kind)."""
    sections = []
    for label, heading, to_child, names in AS_AT_SECTIONS:
        model = apps.get_model(label)
        if not hasattr(model._meta, "simple_history_manager_attribute"):
            continue  # no field history kept (a test asserts every section's model has it)
        fields = [model._meta.get_field(name) for name in names]
        records = records_as_at(model, at=at, **{to_child: child_id})
        if not records:
            continue
        sort_field = fields[0].attname
        records.sort(key=lambda r: (getattr(r, sort_field) is None, getattr(r, sort_field) or 0, r.pk))
        sections.append(
            AsAtSection(
                heading=heading,
                columns=[_label(f) for f in fields],  # type: ignore[arg-type]
                rows=[[_value(r, f) for f in fields] for r in records],  # type: ignore[arg-type]
            )
        )
    return sections
