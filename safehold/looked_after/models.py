"""Children looked after, care leavers and private fostering, held the way SSDA903 needs them
(STATUTE.md §7): a period of care is a run of episodes; each episode carries legal status, placement
and provider as the Episodes table does."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from safehold.audit.history import child_history
from safehold.core.models import ServiceWrittenModel, VersionedModel
from safehold.looked_after.choices import (
    ACCOMMODATION_CHOICES,
    AccommodationBasis,
    Activity,
    CareLeaverEligibility,
    CategoryOfNeed,
    HealthCheckKind,
    InTouch,
    LegalStatus,
    LegalStatusAdopter,
    MissingKind,
    PFAnswer,
    PFDecision,
    PlacementProvider,
    PlacementType,
    PreviousPermanenceKind,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
    ReasonPlacedCeased,
    ReviewParticipation,
    SDQReason,
    SexAdopter,
)

PERSON = "people.Person"
STAFF = "workforce.StaffMember"


class PeriodOfCare(VersionedModel):
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="periods_of_care")
    start_date = models.DateField(db_index=True)
    end_date = models.DateField(null=True, blank=True)
    care_plan_date = models.DateField(null=True, blank=True, help_text="Date the care plan was agreed")
    pep_date = models.DateField(null=True, blank=True, help_text="Date the first personal education plan was in place")

    history = child_history()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="period_of_care_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_period_of_care"
            ),
        ]


class CareEpisode(VersionedModel):
    """One 903 episode: a span with one legal status and one placement."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="episodes")
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="care_episodes")
    start_date = models.DateField()
    reason_new_episode = models.CharField(max_length=1, choices=ReasonNewEpisode.choices)
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices)
    category_of_need = models.CharField(max_length=2, choices=CategoryOfNeed.choices)
    placement_type = models.CharField(max_length=3, choices=PlacementType.choices)
    placement_provider = models.CharField(max_length=3, choices=PlacementProvider.choices, blank=True)
    end_date = models.DateField(null=True, blank=True)
    reason_ceased = models.CharField(max_length=3, choices=ReasonEpisodeCeased.choices, blank=True)
    reason_place_change = models.CharField(max_length=6, choices=ReasonPlaceChange.choices, blank=True)
    home_postcode = models.CharField(max_length=8, blank=True)
    placement_postcode = models.CharField(max_length=8, blank=True)
    urn = models.CharField(max_length=8, blank=True, help_text="Ofsted unique reference number, or XXXXXXX")
    carer = models.ForeignKey(PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = child_history()

    class Meta:
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["child", "start_date"], name="episode_child_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="episode_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, reason_ceased="") | Q(end_date__isnull=False) & ~Q(reason_ceased=""),
                name="episode_end_and_reason_together",
            ),
        ]


class LACReview(ServiceWrittenModel):
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="lac_reviews")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    participation = models.CharField(max_length=3, choices=ReviewParticipation.choices)
    iro = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decisions = models.TextField(blank=True, help_text="The review's decisions and recommendations")

    class Meta:
        ordering = ["-held_on"]


class MissingEpisode(ServiceWrittenModel):
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=MissingKind.choices)
    started_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    rhi_offered = models.BooleanField(null=True, blank=True, help_text="Return home interview offered")
    rhi_accepted = models.BooleanField(null=True, blank=True)
    rhi_at = models.DateTimeField(null=True, blank=True)
    rhi_outcome = models.TextField(blank=True, help_text="What the child said, risks found and actions agreed")

    history = child_history()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=models.F("started_at")),
                name="missing_return_after_start",
            ),
        ]


class HealthCheck(ServiceWrittenModel):
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="health_checks")
    kind = models.CharField(max_length=16, choices=HealthCheckKind.choices)
    done_on = models.DateField()

    class Meta:
        ordering = ["-done_on"]


class SDQAssessment(ServiceWrittenModel):
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="sdq_assessments")
    done_on = models.DateField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=4, choices=SDQReason.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=40), name="sdq_score_range"),
            models.CheckConstraint(
                condition=Q(score__isnull=False, reason="") | Q(score__isnull=True) & ~Q(reason=""),
                name="sdq_score_or_reason",
            ),
        ]


class AnnualOutcome(ServiceWrittenModel):
    """OC2 facts for a year ending 31 March that are not events: convictions and substance misuse."""

    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="annual_outcomes")
    year_ending = models.DateField()
    convicted = models.BooleanField(default=False)
    substance_misuse = models.BooleanField(default=False)
    intervention_received = models.BooleanField(null=True, blank=True)
    intervention_offered = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "year_ending"], name="one_outcome_per_year")]


class AdoptionJourney(VersionedModel):
    """Decision that the child should be placed for adoption, through to an order or a reversal
    (903 PlacedAdoption and AD1)."""

    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="adoption_journeys")
    decision_date = models.DateField(help_text="903 DATE_PLACED / DATE_INT: should be placed for adoption")
    placement_order_date = models.DateField(null=True, blank=True)
    matched_date = models.DateField(null=True, blank=True)
    placed_date = models.DateField(null=True, blank=True)
    adoption_order_date = models.DateField(null=True, blank=True)
    ceased_date = models.DateField(null=True, blank=True, help_text="Decision no longer to place (903)")
    ceased_reason = models.CharField(max_length=3, choices=ReasonPlacedCeased.choices, blank=True)
    adopted_by_foster_carer = models.BooleanField(null=True, blank=True)
    number_of_adopters = models.PositiveSmallIntegerField(null=True, blank=True)
    sex_of_adopters = models.CharField(max_length=2, choices=SexAdopter.choices, blank=True)
    legal_status_of_adopters = models.CharField(max_length=3, choices=LegalStatusAdopter.choices, blank=True)

    history = child_history()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(matched_date__isnull=True) | Q(matched_date__gte=models.F("decision_date")),
                name="adoption_match_after_decision",
            ),
            models.CheckConstraint(
                condition=Q(ceased_date__isnull=True, ceased_reason="")
                | Q(ceased_date__isnull=False) & ~Q(ceased_reason=""),
                name="adoption_ceased_with_reason",
            ),
        ]


class PreviousPermanence(ServiceWrittenModel):
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="previous_permanence")
    kind = models.CharField(max_length=2, choices=PreviousPermanenceKind.choices)
    la = models.CharField(max_length=3, blank=True, help_text="LA code, or NIR, SCO, WAL, NUK, 999")
    order_date = models.DateField(null=True, blank=True)


class CareLeaver(VersionedModel):
    child = models.OneToOneField(PERSON, on_delete=models.CASCADE, related_name="care_leaver")
    eligibility = models.CharField(max_length=16, choices=CareLeaverEligibility.choices)
    personal_adviser = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    staying_put = models.BooleanField(default=False)

    history = child_history()


class PathwayPlanReview(ServiceWrittenModel):
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="pathway_plan_reviews")
    held_on = models.DateField()

    class Meta:
        ordering = ["-held_on"]


class CareLeaverContact(ServiceWrittenModel):
    """Contact around a birthday (903 OC3): in touch, activity and accommodation."""

    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="care_leaver_contacts")
    contacted_on = models.DateField()
    in_touch = models.CharField(max_length=4, choices=InTouch.choices)
    activity = models.CharField(max_length=2, choices=Activity.choices)
    accommodation = models.CharField(max_length=2, choices=ACCOMMODATION_CHOICES)

    class Meta:
        ordering = ["-contacted_on"]


class LeavingCareAccommodation(VersionedModel):
    """A spell of accommodation the council provides for a care leaver (CA89 s.23B(8) or s.24B(5)). While it is
    provided, the personal adviser visits within 7 days of it first being provided and then at intervals of no
    more than two months (CLR reg 8); the visits are casework visits of type "care_leaver"."""

    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="leaving_care_accommodation")
    basis = models.CharField(max_length=5, choices=AccommodationBasis.choices)
    description = models.CharField(max_length=200, help_text="The kind of accommodation, e.g. supported lodgings")
    provided_from = models.DateField()
    provided_until = models.DateField(null=True, blank=True)

    history = child_history()

    class Meta:
        ordering = ["-provided_from"]
        verbose_name_plural = "leaving care accommodation"
        constraints = [
            models.CheckConstraint(
                condition=Q(provided_until__isnull=True) | Q(provided_until__gte=models.F("provided_from")),
                name="leaving_care_accommodation_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(provided_until__isnull=True), name="one_open_leaving_care_accommodation"
            ),
        ]


class PrivateFostering(VersionedModel):
    """A private fostering arrangement. The suitability assessment cannot be completed until the
    trafficking/abandonment and parental-contact questions are answered, the carer's household has been
    checked and the child's own views are recorded (enforced in the service)."""

    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="private_fostering")
    carer = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="private_fostering_as_carer")
    notified_on = models.DateField(help_text="Date the LA became aware of the arrangement")
    arrangement_start = models.DateField(null=True, blank=True)
    arrangement_end = models.DateField(null=True, blank=True)
    trafficking_considered = models.CharField(max_length=3, choices=PFAnswer.choices, blank=True)
    trafficking_concern = models.CharField(max_length=3, choices=PFAnswer.choices, blank=True)
    abandonment_concern = models.CharField(max_length=3, choices=PFAnswer.choices, blank=True)
    parents_contacted = models.CharField(max_length=3, choices=PFAnswer.choices, blank=True)
    parental_contact_arrangements = models.TextField(blank=True)
    household_checks_done = models.CharField(
        max_length=3,
        choices=PFAnswer.choices,
        blank=True,
        help_text="Checks on the carer and every member of the household aged 16 or over (PFR Sch 2)",
    )
    child_views = models.TextField(blank=True, help_text="The child's own wishes and feelings, seen alone")
    assessment_completed_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=16, choices=PFDecision.choices, blank=True)

    history = child_history()

    class Meta:
        verbose_name_plural = "private fostering arrangements"
        constraints = [
            models.CheckConstraint(
                condition=Q(assessment_completed_on__isnull=True)
                | ~Q(trafficking_concern="") & ~Q(abandonment_concern="") & ~Q(parents_contacted=""),
                name="pf_assessment_needs_safeguarding_answers",
            ),
        ]
