"""Teams, staff and the allocation of children to workers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.core.models import ServiceWrittenModel, VersionedModel
from safehold.workforce.choices import ChangeReason, Employment, ServiceArea, StaffRole


class Team(ServiceWrittenModel):
    name = models.CharField(max_length=120, unique=True)
    service_area = models.CharField(max_length=32, choices=ServiceArea.choices)
    manager = models.ForeignKey(
        "workforce.StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    caseload_limit = models.PositiveSmallIntegerField(
        default=18, help_text="Local standard: the weighted caseload above which a worker is over capacity."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffMember(VersionedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    sw_id = models.CharField(
        max_length=20, unique=True, help_text="Social Work England registration or local id (903 SW_ID)."
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    role = models.CharField(max_length=32, choices=StaffRole.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    employment = models.CharField(max_length=16, choices=Employment.choices, default=Employment.PERMANENT)
    fte = models.DecimalField(max_digits=3, decimal_places=2, default=1)
    start_date = models.DateField()
    leave_date = models.DateField(null=True, blank=True)
    qualified_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(leave_date__isnull=True) | Q(leave_date__gte=models.F("start_date")),
                name="staff_leave_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return str(self)


class Allocation(ServiceWrittenModel):
    """A child's allocation to a team and (when allocated) a named worker, with its history."""

    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="allocations")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=8, choices=ChangeReason.choices, blank=True)

    class Meta:
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["child", "end_date"], name="alloc_child_open"),
            models.Index(fields=["worker", "end_date"], name="alloc_worker_open"),
            models.Index(fields=["team", "end_date"], name="alloc_team_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="allocation_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_allocation_per_child"
            ),
        ]
