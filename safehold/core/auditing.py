"""Helpers services use to write an instance and its audit event together."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from safehold.audit.services import audit_record, snapshot
from safehold.core.exceptions import ValidationFailed


def validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's field, clean() and constraint validation; raise ValidationFailed with messages."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        raise ValidationFailed(
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"__all__": [str(m) for m in exc.messages]}
        ) from exc


def create_audited(
    instance: models.Model,
    *,
    actor: Any,
    action: str,
    child_id: int | None,
    reason: str = "",
    request_id: str = "",
    clean: bool = True,
) -> Any:
    if clean:
        validate(instance)
    instance.save()
    audit_record(
        actor=actor,
        action=action,
        instance=instance,
        child_id=child_id,
        after=snapshot(instance),
        reason=reason,
        request_id=request_id,
    )
    return instance


def update_audited(
    instance: Any,
    *,
    actor: Any,
    action: str,
    child_id: int | None,
    changes: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
    request_id: str = "",
) -> Any:
    """Apply ``changes`` to ``instance``; refuse a stale save when the model is versioned."""
    before = snapshot(instance)
    for field, value in changes.items():
        setattr(instance, field, value)
    validate(instance)
    if hasattr(instance, "save_versioned"):
        if expected_version is None:
            expected_version = instance.version
        instance.save_versioned(expected_version=expected_version)
    else:
        instance.save()
    audit_record(
        actor=actor,
        action=action,
        instance=instance,
        child_id=child_id,
        before=before,
        after=snapshot(instance),
        reason=reason,
        request_id=request_id,
    )
    return instance
