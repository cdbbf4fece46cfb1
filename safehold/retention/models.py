"""Records retention: the schedule, legal holds, the disposal review list and the disposal log.

* :class:`RetentionRule` — one row of the schedule per record type, with its source (statutory rules cite their
  regulation; the rest are local policy). An administrator may edit a rule (audited); a statutory rule may be
  lengthened, never shortened below its statutory minimum.
* :class:`LegalHold` — placed on a child's record with a reason, by whom and when; released with a reason. While
  a hold is active nothing of that record is disposed of.
* :class:`ReviewItem` — a record the nightly review found due for disposal, waiting for the data protection
  officer's decision (:class:`ReviewDecision`: approve or defer, always with a reason).
* :class:`DisposalLogEntry` — append-only: what was disposed of, when, under which rule and on whose approval.
  It holds no personal data: the subject is an opaque id and the disposal reference.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.audit.models import AppendOnlyModel
from safehold.core import clock
from safehold.core.models import ServiceWrittenModel, VersionedModel
from safehold.retention.choices import OPEN_STATUSES, BasisChoice, Decision, ItemStatus, RecordTypeChoice
from safehold.retention.domain import Basis, RecordType, RuleSpec

PERSON = "people.Person"
USER = settings.AUTH_USER_MODEL


class RetentionRule(VersionedModel):
    record_type = models.CharField(max_length=20, choices=RecordTypeChoice.choices, unique=True)
    basis = models.CharField(max_length=16, choices=BasisChoice.choices)
    years = models.PositiveSmallIntegerField()
    death_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="If the child died before 18: years from the date of death instead"
    )
    statutory = models.BooleanField(default=False, editable=False)
    minimum_years = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    minimum_death_years = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    source = models.TextField(help_text="The regulation, or the local policy, the period comes from")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(years__gte=1) & Q(years__lte=150), name="retention_years_range"),
            models.CheckConstraint(
                condition=Q(death_years__isnull=True) | Q(death_years__gte=1) & Q(death_years__lte=150),
                name="retention_death_years_range",
            ),
        ]

    def __str__(self) -> str:
        return self.get_record_type_display()

    def spec(self) -> RuleSpec:
        return RuleSpec(
            record_type=RecordType(self.record_type),
            basis=Basis(self.basis),
            years=self.years,
            death_years=self.death_years,
            source=self.source,
            statutory=self.statutory,
            minimum_years=self.minimum_years,
            minimum_death_years=self.minimum_death_years,
        )

    @property
    def summary(self) -> str:
        return self.spec().describe()


class LegalHold(VersionedModel):
    """A legal hold on a child's record: nothing of it is disposed of while the hold is active."""

    person = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="retention_holds")
    reason = models.TextField(help_text="The matter: claim, inquiry or request, with its reference")
    placed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    placed_by_label = models.CharField(max_length=200)
    placed_at = models.DateTimeField(default=clock.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    released_by_label = models.CharField(max_length=200, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["person", "released_at"], name="hold_person_active")]
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True, release_reason="")
                | Q(released_at__isnull=False) & ~Q(release_reason=""),
                name="hold_release_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class ReviewItem(VersionedModel):
    """A record proposed for disposal by the nightly review, and where it stands."""

    person = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="retention_items")
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.PROPOSED, db_index=True)
    due_on = models.DateField()
    record_type = models.CharField(max_length=20, choices=RecordTypeChoice.choices)
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    rule_version = models.PositiveIntegerField()
    rule_summary = models.CharField(max_length=300)
    proposed_on = models.DateField()
    defer_until = models.DateField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=200, blank=True)
    disposal = models.OneToOneField(
        "retention.DisposalLogEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="item"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=OPEN_STATUSES), name="one_open_review_item_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.DEFERRED) | Q(defer_until__isnull=False),
                name="deferred_item_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.DISPOSED) | Q(disposal__isnull=False),
                name="disposed_item_has_log_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"Review item {self.pk}"


class ReviewDecision(ServiceWrittenModel):
    """The data protection officer's decision on a review item: approve or defer, with a reason."""

    item = models.ForeignKey(ReviewItem, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    reason = models.TextField()
    defer_until = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_by_label = models.CharField(max_length=200)
    decided_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=Decision.APPROVE, defer_until__isnull=True)
                | Q(decision=Decision.DEFER, defer_until__isnull=False),
                name="defer_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.decided_by_label})"


class DisposalLogEntry(AppendOnlyModel):
    """One disposal. Append-only (also in the database on PostgreSQL) and free of personal data."""

    reference = models.CharField(max_length=20, unique=True, help_text="Opaque disposal reference")
    subject_id = models.BigIntegerField(db_index=True, help_text="Internal id of the disposed record (opaque)")
    record_type = models.CharField(max_length=20, choices=RecordTypeChoice.choices)
    rule_basis = models.CharField(max_length=16, choices=BasisChoice.choices)
    rule_years = models.PositiveSmallIntegerField()
    rule_death_years = models.PositiveSmallIntegerField(null=True, blank=True)
    rule_statutory = models.BooleanField()
    rule_version = models.PositiveIntegerField()
    rule_summary = models.CharField(max_length=300)
    rule_source = models.TextField()
    due_on = models.DateField()
    approved_by_id = models.BigIntegerField()
    approved_by_label = models.CharField(max_length=200)
    approved_at = models.DateTimeField()
    disposed_at = models.DateTimeField(default=clock.now, db_index=True)
    rows = models.JSONField(default=dict, help_text="Rows changed or removed, per kind of record")
    files_deleted = models.PositiveIntegerField(default=0)
    audit_events_retained = models.PositiveIntegerField(
        default=0, help_text="Audit events about this record kept (the audit trail is never disposed of)"
    )

    class Meta:
        ordering = ["-disposed_at", "-id"]
        verbose_name_plural = "disposal log entries"

    def __str__(self) -> str:
        return self.reference

    @property
    def total_rows(self) -> int:
        return sum(int(n) for n in (self.rows or {}).values())


class RedactionPermit(ServiceWrittenModel):
    """Lets one disposal redact one row of an append-only table (an audit event or a field-history row).

    The append-only triggers on those tables refuse every UPDATE unless a permit for that table and row exists
    in the same transaction — and even then refuse a change to the columns that prove who did what when
    (``safehold.retention.redaction``). Permits are written and deleted by the disposal service inside its
    transaction, so none is ever committed; on PostgreSQL a deferred constraint trigger refuses the commit of a
    transaction that leaves one behind (docs/adr/0005).
    """

    table_name = models.CharField(max_length=100)
    row_id = models.BigIntegerField()
    reference = models.CharField(max_length=12, help_text="The disposal reference")

    class Meta:
        indexes = [models.Index(fields=["table_name", "row_id"], name="redaction_permit_row")]
