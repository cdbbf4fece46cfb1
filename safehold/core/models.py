"""Base models shared by every bounded context."""

from __future__ import annotations

from typing import Any

from django.db import models

from safehold.core import clock
from safehold.core.exceptions import ConcurrentEditError
from safehold.core.services import require_service


class ServiceWrittenQuerySet(models.QuerySet):
    """Bulk writes are refused outside a service, like ``save()``."""

    def update(self, **kwargs: Any) -> int:
        require_service(self.model._meta.verbose_name_plural)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        require_service(self.model._meta.verbose_name_plural)
        return super().delete()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        require_service(self.model._meta.verbose_name_plural)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        require_service(self.model._meta.verbose_name_plural)
        return super().bulk_update(objs, fields, *args, **kwargs)


class ServiceWrittenModel(models.Model):
    """A record that only services may write (child records and anything that feeds them)."""

    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    objects = ServiceWrittenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        require_service(self._meta.verbose_name)
        self.updated_at = clock.now()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        require_service(self._meta.verbose_name)
        return super().delete(*args, **kwargs)


class VersionedModel(ServiceWrittenModel):
    """An editable record with optimistic concurrency: every save must name the version it was read at."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_versioned(self, *, expected_version: int, update_fields: list[str] | None = None) -> None:
        """Save only if nobody else saved since ``expected_version`` was read; else ConcurrentEditError."""
        require_service(self._meta.verbose_name)
        current = type(self).objects.select_for_update().filter(pk=self.pk).values_list("version", flat=True).first()
        if current is None or current != expected_version:
            raise ConcurrentEditError(str(self._meta.verbose_name))
        self.version = expected_version + 1
        if update_fields is not None:
            update_fields = [*update_fields, "version", "updated_at"]
        self.save(update_fields=update_fields)
