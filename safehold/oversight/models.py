"""Management oversight: supervision (with a structured discussion per child and actions) and the register of
management decisions that are not already casework sign-offs (those stay as audit events with reasons); case
audits (programme, sample, graded audit, moderation, actions, re-audit)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from safehold.core.models import ServiceWrittenModel
from safehold.oversight.choices import DecisionKind, Grade, Moderation, PackStatus

STAFF = "workforce.StaffMember"
PERSON = "people.Person"


class Supervision(ServiceWrittenModel):
    """One supervision session of a worker by a manager."""

    manager = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="supervisions_given")
    worker = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="supervisions")
    held_on = models.DateField(db_index=True)
    notes = models.TextField(blank=True, help_text="Wellbeing, workload and development (not about a child)")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Supervision of {self.worker} by {self.manager} on {self.held_on:%d %B %Y}"


class SupervisionDiscussion(ServiceWrittenModel):
    """The structured discussion of one child in a supervision."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="discussions")
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="supervision_discussions")
    discussion = models.TextField()
    decision = models.TextField()
    impact_analysis = models.TextField(help_text="The manager's analysis: is the work making a difference?")

    class Meta:
        ordering = ["-supervision__held_on", "-id"]
        indexes = [models.Index(fields=["child"], name="supdisc_child")]
        constraints = [
            models.UniqueConstraint(fields=["supervision", "child"], name="one_discussion_per_child_per_supervision")
        ]


class SupervisionAction(ServiceWrittenModel):
    """An action agreed in supervision about a child, with an owner and a due date."""

    discussion = models.ForeignKey(SupervisionDiscussion, on_delete=models.CASCADE, related_name="actions")
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="supervision_actions")
    owner = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="supervision_actions")
    description = models.CharField(max_length=500)
    due_date = models.DateField(db_index=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "completed_on"], name="supaction_owner_open")]


class ManagementDecision(ServiceWrittenModel):
    """A management decision about a child with its rationale."""

    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="management_decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    decided_on = models.DateField(db_index=True)
    decided_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="management_decisions")
    decision = models.TextField()
    rationale = models.TextField()

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="management_decision_has_rationale"),
        ]


# --- Case audits (practice quality assurance) -----------------------------------------------------------------

USER = "accounts.User"
TEAM = "workforce.Team"


class AuditProgramme(ServiceWrittenModel):
    """A programme of case audits: a theme for each month, each with a reproducibly drawn sample."""

    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField()

    class Meta:
        ordering = ["-created_on", "-id"]

    def __str__(self) -> str:
        return self.title


class AuditMonth(ServiceWrittenModel):
    """One month of a programme: its theme (a sampling theme of :mod:`safehold.inspection.sampling`), the
    sample size and seed, and (once drawn) the date of the draw and the size of the population drawn from."""

    programme = models.ForeignKey(AuditProgramme, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text="The first day of the month")
    theme = models.CharField(max_length=32)
    sample_size = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    drawn_on = models.DateField(null=True, blank=True)
    drawn_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "month"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "month"], name="one_theme_per_programme_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="audit_month_is_first_of_month"),
        ]


class AuditSampleChild(ServiceWrittenModel):
    """A child drawn for a month's audits, in drawn order."""

    month = models.ForeignKey(AuditMonth, on_delete=models.CASCADE, related_name="sample")
    child = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["month", "position"]
        constraints = [models.UniqueConstraint(fields=["month", "child"], name="audit_sample_child_once")]


class CaseAudit(ServiceWrittenModel):
    """An audit of one child's case: graded domains, findings and an overall grade; then moderation by a
    second auditor (agree, or regrade with a reason). ``worker``, ``manager`` and ``team`` are the child's
    allocation when audited (the people actions go back to; the team trends count it under)."""

    child = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="case_audits")
    month = models.ForeignKey(AuditMonth, null=True, blank=True, on_delete=models.PROTECT, related_name="audits")
    theme = models.CharField(max_length=32)
    reaudit_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reaudits")
    auditor = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="audits_done")
    audited_on = models.DateField(db_index=True)
    team = models.ForeignKey(TEAM, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="audits_of_work")
    manager = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField()
    grade = models.CharField(max_length=24, choices=Grade.choices)
    moderator = models.ForeignKey(
        STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="audits_moderated"
    )
    moderated_on = models.DateField(null=True, blank=True)
    moderation = models.CharField(max_length=12, choices=Moderation.choices, blank=True)
    moderated_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    moderation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-audited_on", "-id"]
        indexes = [models.Index(fields=["child"], name="caseaudit_child")]
        constraints = [
            models.CheckConstraint(condition=~Q(findings=""), name="case_audit_has_findings"),
            models.CheckConstraint(
                condition=Q(moderator__isnull=True) | ~Q(moderator=models.F("auditor")),
                name="case_audit_moderator_not_auditor",
            ),
        ]

    def __str__(self) -> str:
        return f"Audit of {self.child} on {self.audited_on:%d %B %Y}"

    @property
    def final_grade(self) -> str:
        """The moderated grade where the moderator regraded, otherwise the auditor's."""
        return self.moderated_grade or self.grade

    @property
    def final_grade_label(self) -> str:
        return str(Grade(self.final_grade).label)


class AuditDomainGrade(ServiceWrittenModel):
    """The grade (and the auditor's comment) for one domain of an audit (domains: ``data/audit_domains.csv``)."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=40)
    grade = models.CharField(max_length=24, choices=Grade.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["audit", "id"]
        constraints = [models.UniqueConstraint(fields=["audit", "domain"], name="one_grade_per_audit_domain")]


class AuditAction(ServiceWrittenModel):
    """An action from an audit, back to the child's worker or manager, with a due date."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="actions")
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="audit_actions")
    owner = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="audit_actions")
    description = models.CharField(max_length=500)
    due_date = models.DateField(db_index=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "completed_on"], name="auditaction_owner_open")]


# --- Dashboard snapshots and scrutiny packs --------------------------------------------------------------------


class SnapshotRefresh(ServiceWrittenModel):
    """One refresh of the dashboard's indicator snapshots: every indicator's figures (the 12-month period, and
    each of the trend months) computed for the scopes of ``levels`` as they stood on ``as_of``. The dashboard
    reads the latest finished refresh when it is recent enough and says when it was computed."""

    as_of = models.DateField()
    levels = models.CharField(max_length=40, help_text="Comma-separated scope levels refreshed")
    months = models.PositiveSmallIntegerField(default=13)
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]


class IndicatorSnapshot(ServiceWrittenModel):
    """A dashboard indicator's figure for one scope over one period (``first``..``last``), as computed by a
    refresh: the 12-month period to the refresh date, or one calendar month of the trend (the current month up
    to the refresh date)."""

    refresh = models.ForeignKey(SnapshotRefresh, on_delete=models.CASCADE, related_name="snapshots")
    code = models.CharField(max_length=40)
    level = models.CharField(max_length=8)
    key = models.CharField(max_length=40, blank=True)
    first = models.DateField()
    last = models.DateField()
    numerator = models.DecimalField(max_digits=14, decimal_places=4)
    denominator = models.DecimalField(max_digits=14, decimal_places=4)
    unit = models.CharField(max_length=8)

    class Meta:
        ordering = ["refresh", "level", "key", "code", "first"]
        constraints = [
            models.UniqueConstraint(
                fields=["refresh", "level", "key", "code", "first", "last"], name="one_snapshot_per_scope_period"
            )
        ]
        indexes = [models.Index(fields=["refresh", "level", "key"], name="snapshot_scope")]


class ScrutinyPack(ServiceWrittenModel):
    """A printable monthly report of the dashboard for councillors (whole-LA aggregates, small counts
    suppressed, no names), built by a background task into ``file``."""

    month = models.DateField(help_text="The first day of the month the pack reports on")
    status = models.CharField(max_length=8, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    progress_label = models.CharField(max_length=120, blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    file = models.BinaryField(null=True, blank=True)
    file_name = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in (PackStatus.READY, PackStatus.FAILED)

    @property
    def month_label(self) -> str:
        return f"{self.month:%B %Y}"
