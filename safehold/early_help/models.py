"""Early help and Family Help (STATUTE.md §1.3): an episode for a family (household), opened from a contact
decided as early help or stepped down from social care, with the family's consent, an early help assessment,
the family's goals, a team around the family (TAF), reviews scored 0–10 per goal, and closure.

The lead practitioner is either a council staff member or a partner-agency user (a school, health visitor or
family hub worker) with their organisation. A partner lead sees only the episode they lead, and only the
step-down summary of the social-care record.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.core.models import ServiceWrittenModel, ServiceWrittenQuerySet, VersionedModel
from safehold.early_help.choices import ClosureOutcome, ConsentScope, EpisodeOrigin, OrganisationKind

STAFF = "workforce.StaffMember"
PERSON = "people.Person"


class PartnerOrganisation(ServiceWrittenModel):
    """An organisation that leads early help or completes early help assessments (Annex A list 2)."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerMembership(ServiceWrittenModel):
    """A partner-agency user's organisation (accounts.User has no organisation of its own)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="eh_membership")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="members")


class EpisodeQuerySet(ServiceWrittenQuerySet):
    def visible_to(self, user: Any) -> EpisodeQuerySet:
        from safehold.early_help.policies import episode_visibility_q

        return self.filter(episode_visibility_q(user)).distinct()

    def open(self) -> EpisodeQuerySet:
        return self.filter(closed_on__isnull=True)


class EarlyHelpEpisode(VersionedModel):
    """Early help for one family, from opening to closure."""

    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="early_help_episodes")
    origin = models.CharField(max_length=12, choices=EpisodeOrigin.choices)
    contact = models.ForeignKey(
        "casework.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="early_help_episodes"
    )
    stepped_down_from = models.ForeignKey(
        "casework.CINEpisode", null=True, blank=True, on_delete=models.SET_NULL, related_name="stepped_down_to"
    )
    step_down_summary = models.TextField(
        blank=True, help_text="Written by the social worker for the lead practitioner: all a partner sees of CSC"
    )
    reason = models.TextField(blank=True, help_text="Why early help: the front door's reasons")
    opened_on = models.DateField(db_index=True)
    lead_staff = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="eh_led_episodes",
        help_text="A partner-agency lead practitioner",
    )
    lead_organisation = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="led_episodes"
    )
    closed_on = models.DateField(null=True, blank=True, db_index=True)
    closure_outcome = models.CharField(max_length=12, choices=ClosureOutcome.choices, blank=True)
    stepped_up_to = models.ForeignKey(
        "casework.CINEpisode", null=True, blank=True, on_delete=models.SET_NULL, related_name="stepped_up_from"
    )

    objects = EpisodeQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = "early help episode"
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="eh_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, closure_outcome="")
                | Q(closed_on__isnull=False) & ~Q(closure_outcome=""),
                name="eh_closure_date_and_outcome_together",
            ),
            models.CheckConstraint(
                condition=Q(lead_staff__isnull=True) | Q(lead_user__isnull=True), name="eh_one_lead_practitioner"
            ),
            models.UniqueConstraint(
                fields=["household"], condition=Q(closed_on__isnull=True), name="eh_one_open_episode_per_household"
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def lead_label(self) -> str:
        if self.lead_staff_id:
            return f"{self.lead_staff} (council)"
        if self.lead_user_id:
            assert self.lead_user is not None
            name = self.lead_user.get_full_name() or self.lead_user.username
            org = f" ({self.lead_organisation})" if self.lead_organisation_id else ""
            return f"{name}{org}"
        return "Not yet agreed"


class EpisodeChild(ServiceWrittenModel):
    """A child the family's early help is for."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="early_help_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["episode", "child"], name="eh_child_once_per_episode")]


class Consent(ServiceWrittenModel):
    """Who agreed, when, and to what sharing. Withdrawal is recorded, never deleted: who withdrew it, when and
    which sharing (all of it, or some scopes; a later withdrawal may add the rest)."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(max_length=200)
    given_on = models.DateField()
    scopes = models.JSONField(default=list, help_text=f"Codes from {ConsentScope.__name__}")
    withdrawn_on = models.DateField(null=True, blank=True, help_text="The latest withdrawal")
    withdrawn_by = models.CharField(max_length=200, blank=True, help_text="Who told us consent was withdrawn")
    withdrawn_scopes = models.JSONField(default=list, blank=True, help_text="The scopes withdrawn")

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="eh_consent_withdrawn_after_given",
            ),
        ]

    @property
    def scope_labels(self) -> list[str]:
        return [str(ConsentScope(s).label) for s in self.scopes if s in ConsentScope.values]

    @property
    def withdrawn(self) -> set[str]:
        """The scopes withdrawn (a withdrawal recorded before scopes were named withdrew everything)."""
        if self.withdrawn_on is None:
            return set()
        return set(self.withdrawn_scopes) if self.withdrawn_scopes else set(self.scopes)

    @property
    def current(self) -> set[str]:
        """What this consent still covers."""
        return set(self.scopes) - self.withdrawn

    @property
    def withdrawn_labels(self) -> list[str]:
        return [str(ConsentScope(s).label) for s in sorted(self.withdrawn) if s in ConsentScope.values]


class EarlyHelpAssessment(VersionedModel):
    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.CASCADE, related_name="assessments")
    start_date = models.DateField(db_index=True)
    completed_date = models.DateField(null=True, blank=True)
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="assessments")
    needs = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "early help assessment"
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_date__isnull=True) | Q(completed_date__gte=models.F("start_date")),
                name="eh_assessment_completed_after_start",
            ),
        ]


class FamilyGoal(ServiceWrittenModel):
    """A goal in the family's own words."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=300)
    set_on = models.DateField()

    class Meta:
        ordering = ["set_on", "pk"]


class TAFMember(ServiceWrittenModel):
    """A member of the team around the family."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.CASCADE, related_name="taf_members")
    name = models.CharField(max_length=200)
    agency = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True, help_text="What they will do in the plan")

    class Meta:
        ordering = ["pk"]
        verbose_name = "team around the family member"


class Review(ServiceWrittenModel):
    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = "early help review"


class GoalProgress(ServiceWrittenModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(FamilyGoal, on_delete=models.CASCADE, related_name="progress")
    score = models.PositiveSmallIntegerField(help_text="0 (not started) to 10 (achieved)")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=10), name="eh_progress_0_to_10"),
            models.UniqueConstraint(fields=["review", "goal"], name="eh_one_score_per_goal_per_review"),
        ]
