"""Documents on a child's record. Files live outside the web root, named by an unguessable id."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from safehold.core import clock
from safehold.core.models import ServiceWrittenModel, ServiceWrittenQuerySet


class DocumentQuerySet(ServiceWrittenQuerySet):
    def visible_to(self, user: Any) -> DocumentQuerySet:
        """Documents of children the user may see; a restricted document needs an explicit, unexpired grant."""
        from safehold.people.models import AccessGrant, Person

        granted = Exists(
            AccessGrant.objects.filter(child=OuterRef("child_id"), user_id=user.pk, expires_at__gt=clock.now())
        )
        return self.filter(child__in=Person.objects.visible_to(user).children().values("pk")).filter(
            Q(restricted=False) | Q(granted)
        )


class Document(ServiceWrittenModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    restricted = models.BooleanField(
        default=False, help_text="Restricted: only people on the child's named access list may open it"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = DocumentQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
