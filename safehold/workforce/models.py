"""Teams, staff, the establishment of posts, training records and the allocation of children to workers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.core.models import ServiceWrittenModel, VersionedModel
from safehold.workforce.choices import ChangeReason, Employment, LeaveReason, ServiceArea, StaffRole


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
    leave_reason = models.CharField(max_length=20, choices=LeaveReason.choices, blank=True)
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


class Post(ServiceWrittenModel):
    """A funded post in a team's establishment. ``holder`` is the member of staff in it; a post whose holder is
    missing, not yet started or gone is vacant on that date (see :mod:`safehold.workforce.census`)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="posts")
    role = models.CharField(max_length=32, choices=StaffRole.choices)
    fte = models.DecimalField(max_digits=3, decimal_places=2, default=1)
    holder = models.OneToOneField(StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="post")
    opened_on = models.DateField(help_text="The date the post was added to the establishment")
    closed_on = models.DateField(null=True, blank=True, help_text="The date the post was deleted (disestablished)")

    class Meta:
        ordering = ["team__name", "role", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0) & Q(fte__lte=1), name="post_fte_between_0_and_1"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="post_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.team} ({self.fte} FTE)"


class TrainingRecord(ServiceWrittenModel):
    """A course a member of staff completed, and when it needs renewing (if it does)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="training")
    course = models.CharField(max_length=200)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    provider = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["expires_on", "staff__family_name", "id"]
        indexes = [models.Index(fields=["expires_on"], name="training_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
                name="training_expires_after_completed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.staff}, {self.completed_on:%d %b %Y})"
