"""Code lists for pre-proceedings and care proceedings (STATUTE.md section 5; CWSA26 s.1 for the FGDM offer)."""

from __future__ import annotations

from django.db import models


class FGDMResponse(models.TextChoices):
    """The family's answer to the offer of a family group decision-making meeting."""

    AWAITED = "awaited", "No answer yet"
    ACCEPTED = "accepted", "Accepted by a parent or someone with parental responsibility"
    DECLINED = "declined", "Declined"


class MeetingKind(models.TextChoices):
    INITIAL = "initial", "Pre-proceedings meeting"
    REVIEW = "review", "Review meeting"


class PreProceedingsDecision(models.TextChoices):
    ISSUE = "issue", "Apply to the court (issue care proceedings)"
    STEP_DOWN = "step_down", "End pre-proceedings without applying"


class ApplicationType(models.TextChoices):
    CARE = "care", "Care order (Children Act 1989, section 31)"
    SUPERVISION = "supervision", "Supervision order (Children Act 1989, section 31)"


class HearingKind(models.TextChoices):
    """Public Law Outline stages (PD12A) and the other hearings a case has."""

    FIRST = "first", "First hearing and allocation"
    INTERIM = "interim", "Interim order hearing"
    CMH = "cmh", "Case management hearing"
    IRH = "irh", "Issues resolution hearing"
    FINAL = "final", "Final hearing"
    OTHER = "other", "Other hearing"


class ProceedingsOutcome(models.TextChoices):
    CARE_ORDER = "care_order", "Care order"
    SUPERVISION_ORDER = "supervision_order", "Supervision order"
    PLACEMENT_ORDER = "placement_order", "Care order and placement order"
    SGO = "sgo", "Special guardianship order"
    CAO = "cao", "Child arrangements order"
    NO_ORDER = "no_order", "No order"
    WITHDRAWN = "withdrawn", "Application withdrawn"
    OTHER = "other", "Other order"
