"""Prospective adopters (PRODUCT.md M10) through the two-stage process, for Annex A list 11.

A household (one adopter or a couple: the Annex A "family identifier") moves through its stages in the order of
Annex A list 11's columns: enquiry, stage 1 started and ended, stage 2 started and ended, application submitted
and approved, matched, placed, adoption order; or it leaves the process with a reason (Annex A's three codes).
Each date is set once, in order, by ``adoption.services``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from safehold.core.models import ServiceWrittenModel, VersionedModel
from safehold.people.choices import Ethnicity, Sex


class LeavingReason(models.TextChoices):
    """Annex A list 11 "Reason for leaving adoption process" (liiatools data-map)."""

    WITHDREW = "1", "Adopter withdrew from process"
    ON_HOLD = "2", "Process put on hold"
    REFUSED = "3", "Application refused"


#: The steps after the enquiry, in order: (field, label).
STEPS: tuple[tuple[str, str], ...] = (
    ("stage1_started", "Stage 1 started"),
    ("stage1_ended", "Stage 1 ended"),
    ("stage2_started", "Stage 2 started"),
    ("stage2_ended", "Stage 2 ended"),
    ("application_submitted", "Application submitted"),
    ("approved_on", "Approved as adopters"),
    ("matched_on", "Matched with a child or children"),
    ("placed_on", "Child or children placed"),
    ("adoption_order_on", "Adoption order made"),
)
STEP_LABELS = dict(STEPS)


class AdopterHousehold(VersionedModel):
    enquiry_on = models.DateField(help_text="Date the enquiry was received")
    fostering_for_adoption = models.BooleanField(default=False, help_text="Fostering for adoption (FFA)")
    stage1_started = models.DateField(null=True, blank=True)
    stage1_ended = models.DateField(null=True, blank=True)
    stage2_started = models.DateField(null=True, blank=True)
    stage2_ended = models.DateField(null=True, blank=True)
    application_submitted = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    matched_on = models.DateField(null=True, blank=True)
    placed_on = models.DateField(null=True, blank=True)
    children_placed = models.PositiveSmallIntegerField(null=True, blank=True)
    adoption_order_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    leaving_reason = models.CharField(max_length=1, choices=LeavingReason.choices, blank=True)
    leaving_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-enquiry_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True, leaving_reason="") | Q(left_on__isnull=False) & ~Q(leaving_reason=""),
                name="adopters_left_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(placed_on__isnull=True, children_placed__isnull=True)
                | Q(placed_on__isnull=False, children_placed__gte=1),
                name="adopters_placed_with_count",
            ),
        ]

    @property
    def family_identifier(self) -> str:
        return f"AF{self.pk:06d}"

    @property
    def next_step(self) -> tuple[str, str] | None:
        """The next step to record, or None once the order is made or the household has left."""
        if self.left_on is not None:
            return None
        return next(((f, label) for f, label in STEPS if getattr(self, f) is None), None)

    @property
    def latest(self) -> tuple[str, object]:
        """The latest step reached and its date (the enquiry when none)."""
        reached = [(label, getattr(self, f)) for f, label in STEPS if getattr(self, f) is not None]
        return reached[-1] if reached else ("Enquiry received", self.enquiry_on)

    @property
    def stage(self) -> str:
        if self.left_on is not None:
            return f"Left the process ({self.get_leaving_reason_display().lower()})"
        return self.latest[0]

    @property
    def names(self) -> str:
        return " and ".join(a.full_name for a in self.adopters.all())


class Adopter(ServiceWrittenModel):
    household = models.ForeignKey(AdopterHousehold, on_delete=models.CASCADE, related_name="adopters")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disabled = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    @property
    def identifier(self) -> str:
        return f"AD{self.pk:06d}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"
