from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _redactable_triggers(using: str = "default", **kwargs: Any) -> None:
    """After every ``migrate``: a field-history table added by a later migration gets the permit-aware
    append-only trigger too (``safehold.retention.redaction.ensure_triggers``; idempotent)."""
    from django.db import connections

    from safehold.retention.redaction import ensure_triggers

    ensure_triggers(connections[using])


class RetentionConfig(AppConfig):
    name = "safehold.retention"
    label = "retention"
    verbose_name = "Records retention"

    def ready(self) -> None:
        post_migrate.connect(_redactable_triggers, sender=self, dispatch_uid="retention-redactable-triggers")
