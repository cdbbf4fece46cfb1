from __future__ import annotations

from django.db.models import QuerySet

from safehold.audit.models import AccessEvent, AuditEvent


def access_events_for_child(*, child_id: int) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(child_id=child_id)


def audit_events_for_child(*, child_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(child_id=child_id)
