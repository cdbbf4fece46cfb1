"""Inspection readiness: Annex A exports, case samples shared with inspectors, the LA's inspection history
and its improvement plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.core import clock
from safehold.core.models import ServiceWrittenModel, VersionedModel

USER = settings.AUTH_USER_MODEL


class AnnexAExport(ServiceWrittenModel):
    """One request for Annex A on a date, the background task generating it, its progress, and (when ready) the
    files it produced."""

    class Status(models.TextChoices):
        PENDING = "pending", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    as_of = models.DateField(help_text="Inspection date the lists are drawn up for")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    task_id = models.CharField(max_length=64, blank=True, help_text="The background task generating the files")
    started_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    progress_label = models.CharField(max_length=120, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    row_counts = models.JSONField(default=dict, blank=True, help_text="Rows per list number")
    child_ids = models.JSONField(default=list, blank=True, help_text="Children named in the export (access log)")
    workbook = models.BinaryField(null=True, blank=True)
    csv_zip = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)


class SampleTheme(models.TextChoices):
    RANDOM_OPEN = "random_open", "Random: children with an open case"
    CP_OVER_18_MONTHS = "cp_over_18_months", "Children on a child protection plan for more than 18 months"
    RECENT_NFA_CONTACTS = "recent_nfa_contacts", "Contacts with no further action in the last 3 months"
    CLA_PLACEMENT_MOVES = "cla_placement_moves", "Children in care with 3 or more placements in 12 months"
    REPEAT_REFERRALS = "repeat_referrals", "Children with 3 or more referrals in 12 months"
    UNALLOCATED = "unallocated", "Children with an open case and no allocated worker"


class CaseSample(ServiceWrittenModel):
    """A reproducible sample of children for audit or for inspectors: the same theme, date and seed draw the
    same children from the same record."""

    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=32, choices=SampleTheme.choices)
    reason = models.TextField(help_text="Why the sample was drawn (inspection, audit programme)")
    size = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    as_of = models.DateField()
    population = models.PositiveIntegerField(help_text="How many children the theme matched")
    drawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CaseSampleMember(ServiceWrittenModel):
    sample = models.ForeignKey(CaseSample, on_delete=models.CASCADE, related_name="members")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["sample", "position"]
        constraints = [models.UniqueConstraint(fields=["sample", "child"], name="sample_child_once")]


class CaseSampleShare(ServiceWrittenModel):
    """A sample shared with an inspector: one AccessGrant per child, all expiring together."""

    sample = models.ForeignKey(CaseSample, on_delete=models.CASCADE, related_name="shares")
    inspector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    grant_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-shared_at", "-id"]


class InspectionKind(models.TextChoices):
    STANDARD = "standard", "Standard inspection"
    SHORT = "short", "Short inspection"
    FOCUSED = "focused", "Focused visit"
    MONITORING = "monitoring", "Monitoring visit"
    JTAI = "jtai", "Joint targeted area inspection (JTAI)"


#: Inspections that carry judgements; visits and JTAIs give findings only.
JUDGED_KINDS = frozenset({InspectionKind.STANDARD, InspectionKind.SHORT})


class Judgement(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class Inspection(VersionedModel):
    """An Ofsted inspection or visit of the LA's children's services (ILACS) or a JTAI."""

    kind = models.CharField(max_length=12, choices=InspectionKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    overall_effectiveness = models.CharField(
        max_length=24, choices=Judgement.choices, blank=True, help_text="Not given for inspections from April 2026"
    )
    help_and_protection = models.CharField(max_length=24, choices=Judgement.choices, blank=True)
    children_in_care = models.CharField(max_length=24, choices=Judgement.choices, blank=True)
    care_leavers = models.CharField(max_length=24, choices=Judgement.choices, blank=True)
    leaders = models.CharField(max_length=24, choices=Judgement.choices, blank=True)
    summary = models.TextField(blank=True)
    report_url = models.URLField(blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="inspection_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%B %Y}"

    @property
    def judgements(self) -> list[tuple[str, str]]:
        pairs = [
            ("Overall effectiveness", self.get_overall_effectiveness_display()),
            ("Help and protection", self.get_help_and_protection_display()),
            ("Children in care", self.get_children_in_care_display()),
            ("Care leavers", self.get_care_leavers_display()),
            ("Leaders", self.get_leaders_display()),
        ]
        return [(label, value) for label, value in pairs if value]


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    IMPROVEMENT = "improvement", "Area for improvement"
    RECOMMENDATION = "recommendation", "Recommendation"


class InspectionFinding(ServiceWrittenModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=16, choices=FindingKind.choices)
    text = models.TextField()

    class Meta:
        ordering = ["inspection", "kind", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    BLOCKED = "blocked", "Blocked"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ImprovementAction(VersionedModel):
    """One action of the improvement plan, optionally measured by a live indicator from the record."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    finding = models.ForeignKey(
        InspectionFinding, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    owner = models.ForeignKey("workforce.StaffMember", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    rag = models.CharField(max_length=5, choices=Rag.choices, default=Rag.AMBER)
    indicator = models.CharField(max_length=40, blank=True, help_text="Code of an indicator in inspection.indicators")
    target = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class ImprovementEvidence(ServiceWrittenModel):
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="evidence")
    label = models.CharField(max_length=200)
    url = models.URLField()
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["added_at", "id"]
