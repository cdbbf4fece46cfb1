"""Return jobs: a performance analyst's request to export and validate a statutory return for a collection year,
run as a background task, with its progress, its file and the failures Safehold's own rules found in it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safehold.core import clock
from safehold.core.models import ServiceWrittenModel

USER = settings.AUTH_USER_MODEL


class ReturnKind(models.TextChoices):
    CIN = "cin", "CIN census"
    SSDA903 = "903", "SSDA903 (children looked after)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ReturnJob(ServiceWrittenModel):
    """One export of a return for a collection year (the year in which 31 March falls)."""

    kind = models.CharField(max_length=4, choices=ReturnKind.choices)
    year = models.PositiveSmallIntegerField(help_text="Collection year: the year in which 31 March falls")
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    progress_label = models.CharField(max_length=120, blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The background task doing the work")
    file = models.BinaryField(null=True, blank=True, help_text="CIN census XML, or a zip of the SSDA903 CSV files")
    file_name = models.CharField(max_length=100, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    child_ids = models.JSONField(default=list, blank=True, help_text="Children in the return (access log)")
    children = models.PositiveIntegerField(default=0, help_text="Children in the return")
    errors = models.PositiveIntegerField(default=0, help_text="Failures of error rules")
    queries = models.PositiveIntegerField(default=0, help_text="Failures of query rules (codes ending in Q)")
    error = models.TextField(blank=True, help_text="Why the job failed")

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status"], name="return_job_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year_label}"

    @property
    def year_label(self) -> str:
        return f"{self.year - 1}/{str(self.year)[2:]}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.READY, JobStatus.FAILED)


class ReturnFailure(ServiceWrittenModel):
    """One rule a child's record (or the whole return, when ``child_ref`` is blank) fails in a job's return."""

    job = models.ForeignKey(ReturnJob, on_delete=models.CASCADE, related_name="failures")
    rule_code = models.CharField(max_length=16)
    child_ref = models.CharField(max_length=64, blank=True, help_text="LA child id in the return")
    child_id = models.BigIntegerField(null=True, blank=True, help_text="The child's record, when it is found")
    message = models.TextField()
    fields = models.JSONField(default=list, blank=True, help_text="Affected items (and tables, for SSDA903)")
    is_query = models.BooleanField(default=False, help_text="A query (code ending in Q): a warning, not an error")

    class Meta:
        ordering = ["job", "child_ref", "rule_code", "id"]
        indexes = [
            models.Index(fields=["job", "child_ref"], name="return_failure_child"),
            models.Index(fields=["job", "rule_code"], name="return_failure_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.child_ref or '(return)'}"
