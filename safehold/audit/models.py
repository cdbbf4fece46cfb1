"""Append-only audit trail (writes) and access log (reads).

Neither table has a foreign key to the child or the user: an append-only record must survive the
deletion (retention disposal, account removal) of what it describes, so ids are kept as plain values
together with a readable label.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from safehold.core import clock
from safehold.core.services import require_service


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} is append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} is append-only")
        require_service(self._meta.verbose_name)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} is append-only")


class AuditEvent(AppendOnlyModel):
    """One write: who did what to which record of which child, with the values before and after."""

    occurred_at = models.DateTimeField(default=clock.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["child_id", "occurred_at"], name="audit_child_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"


class AccessEvent(AppendOnlyModel):
    """One read: a view, search, export or print of a child's record."""

    class Kind(models.TextChoices):
        VIEW = "view", "Viewed record"
        SEARCH = "search", "Search result"
        EXPORT = "export", "Export"
        PRINT = "print", "Print"
        API = "api", "API read"

    occurred_at = models.DateTimeField(default=clock.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    break_glass = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["child_id", "occurred_at"], name="access_child_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.kind} child {self.child_id}"
