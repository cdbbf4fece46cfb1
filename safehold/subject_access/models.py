"""Subject access requests: the request, the items assembled from everything held about the person, the
redactions a reviewer marks, and the release (who approved it, when, and the redacted export itself)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.core import clock
from safehold.core.models import ServiceWrittenModel, VersionedModel
from safehold.subject_access.choices import EXEMPTION_CHOICES, SarStatus


class SubjectAccessRequest(VersionedModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="subject_access_requests")
    requester = models.CharField(max_length=200, help_text="Who made the request (the person, or who acts for them)")
    received_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=SarStatus.choices, default=SarStatus.IN_REVIEW)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assembled_at = models.DateTimeField(default=clock.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_label = models.CharField(max_length=200, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    #: The released export (redactions applied), frozen at approval: both the JSON and the printable copy are it.
    export = models.JSONField(null=True, blank=True)
    export_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="released", approved_at__isnull=False, export__isnull=False) | ~Q(status="released"),
                name="sar_released_is_approved",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"SAR-{self.pk:05d}" if self.pk else "SAR"

    @property
    def is_open_for_review(self) -> bool:
        return self.status == SarStatus.IN_REVIEW


class SarItem(ServiceWrittenModel):
    """One thing held about the person, copied when the request was assembled: ``fields`` is a list of
    ``{"name", "label", "value"}`` (values as text), so the review and the release see the same data."""

    sar = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    section = models.CharField(max_length=100)
    source = models.CharField(max_length=100, help_text="Where it came from: the kind of record and its id")
    title = models.CharField(max_length=300)
    occurred_on = models.DateField(null=True, blank=True)
    fields = models.JSONField(default=list)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["sar", "position"], name="sar_item_position")]

    def __str__(self) -> str:
        return self.title


class SarRedaction(ServiceWrittenModel):
    """Information a reviewer withholds, with the exemption that allows it.

    ``item`` and ``field`` set: that field; ``item`` set, ``field`` empty: the whole item; ``text`` set: only that
    word or phrase (within the field, the item, or — with no item — everywhere in the release)."""

    sar = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="redactions")
    item = models.ForeignKey(SarItem, null=True, blank=True, on_delete=models.CASCADE, related_name="redactions")
    field = models.CharField(max_length=100, blank=True)
    text = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=20, choices=EXEMPTION_CHOICES)
    note = models.TextField(blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["marked_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(item__isnull=False) | ~Q(text=""), name="sar_redaction_has_scope")
        ]

    def __str__(self) -> str:
        return f"Redaction {self.pk} on {self.sar_id}"
