"""Reads of the audit trail and access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

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


def record_as_at(*, object_type: str, object_id: Any, at: dt.datetime) -> dict[str, Any] | None:
    """What a record said at ``at``: its field values from the last audited write at or before that moment.

    Every service write stores an ``after`` snapshot of the record (see ``core.auditing``), so the latest
    snapshot up to ``at`` is the record as it stood then. ``None`` when the record did not exist yet (or had
    been deleted by then: a deletion's audit event carries no ``after``).
    """
    event = (
        AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id), occurred_at__lte=at)
        .exclude(after__isnull=True, before__isnull=True)
        .order_by("-occurred_at", "-id")
        .only("after")
        .first()
    )
    if event is None or event.after is None:
        return None
    return dict(event.after)


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
