"""Writing the audit trail and the access log. Called from inside services and views."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from safehold.audit.models import AccessEvent, AuditEvent
from safehold.core.services import service


def _label(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        return None, "system"
    if isinstance(actor, str):
        return None, actor
    name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return actor.pk, f"{name or actor.get_username()} ({actor.get_username()})"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model | None) -> dict[str, Any] | None:
    """The concrete field values of a model instance, ready to store as before/after."""
    if instance is None:
        return None
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        data[f.attname] = _jsonable(getattr(instance, f.attname))
    return data


@service
def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    child_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    request_id: str = "",
) -> AuditEvent:
    actor_id, actor_label = _label(actor)
    if instance is not None:
        object_type = object_type or instance._meta.label
        object_id = object_id or str(instance.pk)
    event = AuditEvent(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        child_id=child_id,
        before=before,
        after=after,
        reason=reason,
        request_id=request_id,
    )
    event.save()
    return event


@service
def access_record(
    *,
    actor: Any,
    kind: str,
    child_id: int | None,
    path: str = "",
    detail: str = "",
    break_glass: bool = False,
    reason: str = "",
    request_id: str = "",
) -> AccessEvent:
    actor_id, actor_label = _label(actor)
    event = AccessEvent(
        actor_id=actor_id,
        actor_label=actor_label,
        kind=kind,
        child_id=child_id,
        path=path[:500],
        detail=detail[:500],
        break_glass=break_glass,
        reason=reason,
        request_id=request_id,
    )
    event.save()
    return event


@service
def access_record_many(*, actor: Any, kind: str, child_ids: list[int], path: str = "", request_id: str = "") -> None:
    """Log one access event per child (search results, exports) in one insert."""
    actor_id, actor_label = _label(actor)
    AccessEvent.objects.bulk_create(
        AccessEvent(
            actor_id=actor_id, actor_label=actor_label, kind=kind, child_id=cid, path=path[:500], request_id=request_id
        )
        for cid in child_ids
    )
