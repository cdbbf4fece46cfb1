"""Materialised deadlines (one per open or recently met clock) and LA closure days."""

from __future__ import annotations

from django.db import models

from safehold.core.models import ServiceWrittenModel


class ClosureDay(ServiceWrittenModel):
    """A day the LA is closed (e.g. a council closure between Christmas and New Year): not a working day."""

    class Kind(models.TextChoices):
        LA_CLOSURE = "la_closure", "Council closure day"
        BANK_HOLIDAY = "bank_holiday", "Newly proclaimed bank holiday"

    date = models.DateField(unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.LA_CLOSURE)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}"


class LocalStandard(ServiceWrittenModel):
    """The LA's own amount for a local-standard rule (e.g. CP visits every 10 working days)."""

    rule_code = models.CharField(max_length=40, unique=True)
    amount = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.rule_code} = {self.amount}"


class DeadlineState(models.TextChoices):
    DUE = "due", "Due"
    OVERDUE = "overdue", "Overdue"
    MET_ON_TIME = "met_on_time", "Met on time"
    MET_LATE = "met_late", "Met late"


class Deadline(ServiceWrittenModel):
    """One clock of one child (see docs/timescales.md).

    Indexes: each is paid for on every row of the nightly rewrite, so there is none that another
    one's leading column already gives. ``child``, ``worker``, ``team`` and ``state`` have no index
    of their own: the unique constraint (child, ...) and the (worker, state), (team, state) and
    (state, due_date) indexes serve those look-ups.
    """

    # db_index=False: the unique constraint (child, rule_code, start_ref) leads with the child.
    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="deadlines", db_index=False)
    rule_code = models.CharField(max_length=40)
    start_ref = models.CharField(
        max_length=80, help_text="The event that started the clock, e.g. casework.Section47:12"
    )
    start_date = models.DateField()
    start_at = models.DateTimeField(null=True, blank=True, help_text="For hour rules")
    due_date = models.DateField(db_index=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="For hour rules")
    met_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True, help_text="Clock stopped while this was unmet")
    state = models.CharField(max_length=12, choices=DeadlineState.choices)
    worker = models.ForeignKey(
        "workforce.StaffMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadlines",
        db_index=False,
    )
    team = models.ForeignKey(
        "workforce.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="deadlines", db_index=False
    )

    class Meta:
        ordering = ["due_date"]
        indexes = [
            models.Index(fields=["state", "due_date"], name="deadline_state_due"),
            models.Index(fields=["worker", "state"], name="deadline_worker_state"),
            models.Index(fields=["team", "state"], name="deadline_team_state"),
            # Worklists read open deadlines only (about one in ten stored rows): a partial index in
            # due-date order, holding what the count and the visibility check need.
            models.Index(
                fields=["due_date", "due_at", "child"],
                name="deadline_open_due",
                condition=models.Q(met_on__isnull=True, stopped_on__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["child", "rule_code", "start_ref"], name="one_deadline_per_clock"),
        ]
