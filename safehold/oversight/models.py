"""Management oversight: supervision (with a structured discussion per child and actions) and the register of
management decisions that are not already casework sign-offs (those stay as audit events with reasons)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from safehold.core.models import ServiceWrittenModel
from safehold.oversight.choices import DecisionKind

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
