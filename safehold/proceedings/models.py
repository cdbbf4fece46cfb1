"""Pre-proceedings under the Public Law Outline and care or supervision proceedings (STATUTE.md section 5).

Pre-proceedings: the letter before proceedings, the offer of a family group decision-making (FGDM) meeting (a
duty before an application from the commencement of the Children's Wellbeing and Schools Act 2026 s.1), the
meetings and their review date, and the decision to apply or step down. Proceedings: the application, its
hearings, court extensions of the 26-week timetable (CA89 s.32(5)) and the final order.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from safehold.core.models import ServiceWrittenModel, VersionedModel
from safehold.proceedings.choices import (
    ApplicationType,
    FGDMResponse,
    HearingKind,
    MeetingKind,
    PreProceedingsDecision,
    ProceedingsOutcome,
)

PERSON = "people.Person"


class PreProceedings(VersionedModel):
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="pre_proceedings")
    started_on = models.DateField(help_text="Decision (legal gateway or planning meeting) to start pre-proceedings")
    letter_sent_on = models.DateField(null=True, blank=True, help_text="Letter before proceedings sent")
    fgdm_offered_on = models.DateField(null=True, blank=True, help_text="FGDM meeting offered to the family")
    fgdm_response = models.CharField(max_length=10, choices=FGDMResponse.choices, blank=True)
    fgdm_held_on = models.DateField(null=True, blank=True, help_text="FGDM meeting held")
    fgdm_not_held_reason = models.TextField(
        blank=True, help_text="Why holding an accepted meeting before the application is not in the child's interests"
    )
    decision = models.CharField(max_length=10, choices=PreProceedingsDecision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name_plural = "pre-proceedings"
        constraints = [
            models.CheckConstraint(
                condition=Q(letter_sent_on__isnull=True) | Q(letter_sent_on__gte=models.F("started_on")),
                name="pp_letter_after_start",
            ),
            models.CheckConstraint(
                condition=Q(fgdm_offered_on__isnull=True, fgdm_response="")
                | Q(fgdm_offered_on__isnull=False) & ~Q(fgdm_response=""),
                name="pp_fgdm_offer_and_response_together",
            ),
            models.CheckConstraint(
                condition=Q(fgdm_held_on__isnull=True)
                | Q(fgdm_response="accepted", fgdm_held_on__gte=models.F("fgdm_offered_on")),
                name="pp_fgdm_held_after_accepted_offer",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True, decision="") | Q(decided_on__isnull=False) & ~Q(decision=""),
                name="pp_decision_and_date_together",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(decided_on__isnull=True), name="one_open_pre_proceedings"
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.decided_on is None


class PreProceedingsMeeting(ServiceWrittenModel):
    pre_proceedings = models.ForeignKey(PreProceedings, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=10, choices=MeetingKind.choices)
    held_on = models.DateField()
    next_review_on = models.DateField(null=True, blank=True, help_text="Date set for the next review")
    notes = models.TextField(blank=True, help_text="What was agreed with the family")

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gt=models.F("held_on")),
                name="pp_meeting_review_after_meeting",
            ),
        ]


class Proceedings(VersionedModel):
    """An application for a care or supervision order: 26 weeks beginning with the day it was issued
    (CA89 s.32(1)(a)(ii)), unless the court extends the timetable."""

    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="care_proceedings")
    pre_proceedings = models.OneToOneField(
        PreProceedings, null=True, blank=True, on_delete=models.SET_NULL, related_name="proceedings"
    )
    application_type = models.CharField(max_length=12, choices=ApplicationType.choices)
    issued_on = models.DateField(help_text="Day the application was issued")
    court = models.CharField(max_length=200)
    case_number = models.CharField(max_length=40, blank=True)
    concluded_on = models.DateField(null=True, blank=True, help_text="Final order made or application withdrawn")
    outcome = models.CharField(max_length=20, choices=ProceedingsOutcome.choices, blank=True)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name_plural = "proceedings"
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=models.F("issued_on")),
                name="proceedings_concluded_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True, outcome="") | Q(concluded_on__isnull=False) & ~Q(outcome=""),
                name="proceedings_outcome_and_date_together",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(concluded_on__isnull=True), name="one_open_proceedings"
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.concluded_on is None


class Hearing(ServiceWrittenModel):
    proceedings = models.ForeignKey(Proceedings, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(max_length=10, choices=HearingKind.choices)
    heard_on = models.DateField()
    notes = models.TextField(blank=True, help_text="Directions and orders made")

    class Meta:
        ordering = ["heard_on", "pk"]


class Extension(ServiceWrittenModel):
    """The court extends the timetable by up to 8 weeks (CA89 s.32(5)); each further extension needs its own
    justification."""

    proceedings = models.ForeignKey(Proceedings, on_delete=models.CASCADE, related_name="extensions")
    granted_on = models.DateField()
    extended_to = models.DateField()
    reason = models.TextField()

    class Meta:
        ordering = ["extended_to", "pk"]
