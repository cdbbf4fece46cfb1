"""The child's statutory journey: contact → CIN episode (referral) → assessment → strategy discussion /
section 47 → conferences → CP plan or CIN plan → visits → closure. Field meanings follow the DfE CIN
census (STATUTE.md §6.2) so the return is a query, not a translation."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from safehold.audit.history import child_history
from safehold.casework.choices import (
    AbuseCategory,
    ApprovalKind,
    ApprovalStatus,
    AssessmentOutcome,
    ClosureReason,
    ConferenceType,
    ContactOutcome,
    PrimaryNeed,
    ReferralSource,
    Section47Outcome,
    ThresholdLevel,
    VisitType,
)
from safehold.core.models import ServiceWrittenModel, VersionedModel

STAFF = "workforce.StaffMember"
PERSON = "people.Person"


class Contact(VersionedModel):
    """Anything the front door receives about a child, and its threshold decision."""

    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="contacts")
    received_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=3, choices=ReferralSource.choices)
    referrer_name = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    threshold_level = models.CharField(max_length=1, choices=ThresholdLevel.choices, blank=True)
    outcome = models.CharField(max_length=16, choices=ContactOutcome.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    history = child_history()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(decided_at__gte=models.F("received_at")),
                name="contact_decided_after_received",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(decided_at__isnull=False), name="contact_outcome_has_date"
            ),
        ]


class CINEpisode(VersionedModel):
    """A child-in-need episode (CIN census ``CINdetails``): opened by a referral, closed with a reason."""

    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="cin_episodes")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    referral_date = models.DateField(db_index=True)
    referral_source = models.CharField(max_length=3, choices=ReferralSource.choices)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    referral_nfa = models.BooleanField(default=False)
    closure_date = models.DateField(null=True, blank=True, db_index=True)
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)

    history = child_history()

    class Meta:
        ordering = ["-referral_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True) | Q(closure_date__gte=models.F("referral_date")),
                name="cin_closure_after_referral",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(closure_date__isnull=True), name="one_open_cin_episode_per_child"
            ),
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True, closure_reason="")
                | Q(closure_date__isnull=False) & ~Q(closure_reason=""),
                name="cin_closure_date_and_reason_together",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class Assessment(VersionedModel):
    """A single assessment (CIN census ``Assessments``)."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="assessments")
    start_date = models.DateField()
    completed_date = models.DateField(null=True, blank=True, help_text="CIN AssessmentInternalReviewDate")
    authorised_date = models.DateField(null=True, blank=True, help_text="CIN AssessmentAuthorisationDate")
    authorised_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    factors = models.JSONField(default=list, blank=True, help_text="CIN assessment factor codes")
    child_seen = models.BooleanField(default=False)
    child_seen_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=AssessmentOutcome.choices, blank=True)
    worker = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    history = child_history()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_date__isnull=True) | Q(completed_date__gte=models.F("start_date")),
                name="assessment_completed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(authorised_date__isnull=True)
                | Q(completed_date__isnull=False) & Q(authorised_date__gte=models.F("completed_date")),
                name="assessment_authorised_after_completed",
            ),
        ]


class Section47(VersionedModel):
    """A section 47 enquiry (CIN census ``Section47``). It starts at the strategy discussion that initiated it."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="section47s")
    start_date = models.DateField(help_text="S47ActualStartDate: the initiating strategy discussion")
    icpc_target_date = models.DateField(null=True, blank=True, help_text="InitialCPCtarget")
    icpc_date = models.DateField(null=True, blank=True, help_text="DateOfInitialCPC")
    icpc_not_required = models.BooleanField(default=False)
    completed_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Section47Outcome.choices, blank=True)

    history = child_history()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(icpc_date__isnull=True) | Q(icpc_date__gte=models.F("start_date")),
                name="icpc_not_before_strategy_discussion",
            ),
            models.CheckConstraint(
                condition=~Q(icpc_not_required=True, icpc_date__isnull=False), name="icpc_not_required_has_no_date"
            ),
        ]


class StrategyDiscussion(ServiceWrittenModel):
    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="strategy_discussions")
    held_on = models.DateField()
    agencies = models.JSONField(default=list, blank=True)
    section47 = models.ForeignKey(
        Section47, null=True, blank=True, on_delete=models.SET_NULL, related_name="strategy_discussions"
    )
    decision = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]


class StrategyDecision(VersionedModel):
    """A decision to hold a strategy discussion: it starts the local ``strategy_discussion`` clock, which the
    discussion held in answer to it (``discussion``, set by the service that records the discussion) stops."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="strategy_decisions")
    decided_on = models.DateField()
    reason = models.TextField(help_text="Why a strategy discussion is needed")
    decided_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    discussion = models.OneToOneField(
        StrategyDiscussion, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )

    class Meta:
        ordering = ["-decided_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(discussion__isnull=True), name="one_outstanding_strategy_decision"
            ),
        ]


class ChildProtectionPlan(VersionedModel):
    """CIN census ``ChildProtectionPlans``."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="cp_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    initial_category = models.CharField(max_length=3, choices=AbuseCategory.choices)
    latest_category = models.CharField(max_length=3, choices=AbuseCategory.choices)

    history = child_history()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="cp_plan_ends_after_start",
            ),
        ]


class Conference(ServiceWrittenModel):
    """Initial and review child protection conferences (review dates are CIN ``CPPreviewDate``)."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="conferences")
    kind = models.CharField(max_length=12, choices=ConferenceType.choices)
    held_on = models.DateField()
    section47 = models.ForeignKey(Section47, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    plan = models.ForeignKey(
        ChildProtectionPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="conferences"
    )
    outcome_plan = models.BooleanField(default=False, help_text="Child made (or kept) subject to a CP plan")
    chair = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]


class CoreGroup(ServiceWrittenModel):
    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.CASCADE, related_name="core_groups")
    held_on = models.DateField()

    class Meta:
        ordering = ["-held_on"]


class CINPlan(VersionedModel):
    """CIN census ``CINPlanDates``."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    history = child_history()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "child in need plan"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="cin_plan_ends_after_start",
            ),
        ]


class CINPlanReview(ServiceWrittenModel):
    plan = models.ForeignKey(CINPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    agencies = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-held_on"]


class Visit(VersionedModel):
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="visits")
    visit_type = models.CharField(max_length=12, choices=VisitType.choices)
    visited_on = models.DateField(db_index=True)
    seen = models.BooleanField(default=True)
    seen_alone = models.BooleanField(default=False)
    worker = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    history = child_history()

    class Meta:
        ordering = ["-visited_on"]
        indexes = [models.Index(fields=["child", "visited_on"], name="visit_child_date")]
        constraints = [
            models.CheckConstraint(condition=Q(seen_alone=False) | Q(seen=True), name="visit_seen_alone_implies_seen"),
        ]


class CaseNote(VersionedModel):
    child = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="case_notes")
    written_at = models.DateTimeField(db_index=True)
    author = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    restricted = models.BooleanField(default=False)

    history = child_history()

    class Meta:
        ordering = ["-written_at"]


class ApprovalRequest(VersionedModel):
    """A social worker's request for their team manager's approval: closing the case (the episode closes only
    when the manager approves), or a new child in need plan (a step-down when it follows a child protection plan
    on the same episode). The manager approves it or returns it with a reason; either way the decision and its
    rationale are a :class:`~safehold.oversight.models.ManagementDecision`."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="approval_requests")
    kind = models.CharField(max_length=12, choices=ApprovalKind.choices)
    cin_plan = models.ForeignKey(
        CINPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="approval_requests"
    )
    step_down = models.BooleanField(default=False, help_text="The plan follows a child protection plan")
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)
    nfa = models.BooleanField(default=False, help_text="The referral led to no further action")
    summary = models.TextField(blank=True, help_text="The worker's summary for the manager")
    requested_at = models.DateTimeField(db_index=True)
    requested_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField(blank=True, help_text="The manager's rationale (and, if returned, why)")
    decision = models.OneToOneField(
        "oversight.ManagementDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["status", "requested_at"], name="approval_status_age")]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "kind"], condition=Q(status="pending"), name="one_pending_approval_per_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind="closure") | Q(closure_date__isnull=False) & ~Q(closure_reason=""),
                name="closure_request_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="cin_plan") | Q(cin_plan__isnull=False), name="plan_approval_names_its_plan"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | ~Q(status="pending") & Q(decided_at__isnull=False) & ~Q(rationale=""),
                name="approval_decided_with_rationale",
            ),
        ]

    @property
    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.PENDING
