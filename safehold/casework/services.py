"""Writes along the child's statutory journey. Each service validates, writes, audits and recalculates
the child's deadlines in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safehold.casework.choices import (
    ApprovalKind,
    ApprovalStatus,
    AssessmentOutcome,
    ClosureReason,
    ConferenceType,
    ContactOutcome,
    Section47Outcome,
)
from safehold.casework.models import (
    ApprovalRequest,
    Assessment,
    CaseNote,
    ChildProtectionPlan,
    CINEpisode,
    CINPlan,
    CINPlanReview,
    Conference,
    Contact,
    CoreGroup,
    Section47,
    StrategyDecision,
    StrategyDiscussion,
    Visit,
)
from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ConcurrentEditError, ValidationFailed
from safehold.core.services import service
from safehold.people.models import Person


def _refresh(child: Person) -> None:
    from safehold.timescales.services import deadlines_refresh_child

    deadlines_refresh_child(child_id=child.pk)


def _not_future(value: dt.date | dt.datetime, field: str, label: str) -> None:
    today = clock.today()
    day = value.date() if isinstance(value, dt.datetime) else value
    if day > today:
        raise ValidationFailed({field: [f"{label} cannot be in the future"]})


def _require_child(child: Person) -> None:
    if not child.is_child_record or child.merged_into_id is not None:
        raise ValidationFailed("This person does not have a child's record")


def _open_episode(child: Person) -> CINEpisode:
    episode = CINEpisode.objects.filter(child=child, closure_date__isnull=True).first()
    if episode is None:
        raise ValidationFailed("This child has no open child-in-need episode. Record a referral first.")
    return episode


# --- Front door -------------------------------------------------------------------------------------------


@service
def contact_record(
    *,
    actor: Any,
    child: Person,
    received_at: dt.datetime,
    source: str,
    summary: str = "",
    referrer_name: str = "",
    request_id: str = "",
) -> Contact:
    _require_child(child)
    _not_future(received_at, "received_at", "The date of the contact")
    contact = Contact(child=child, received_at=received_at, source=source, summary=summary, referrer_name=referrer_name)
    create_audited(contact, actor=actor, action="contact.recorded", child_id=child.pk, request_id=request_id)
    _refresh(child)
    return contact


@service
def contact_decide(
    *,
    actor: Any,
    contact: Contact,
    expected_version: int,
    outcome: str,
    threshold_level: str,
    reason: str,
    decided_at: dt.datetime | None = None,
    decided_by: Any = None,
    request_id: str = "",
) -> Contact:
    if contact.outcome:
        raise ValidationFailed("A decision has already been recorded for this contact")
    if not reason.strip():
        raise ValidationFailed({"reason": ["Enter the reasons for the decision against the threshold levels"]})
    if not threshold_level:
        raise ValidationFailed({"threshold_level": ["Select the threshold level"]})
    decided_at = decided_at or clock.now()
    if decided_at < contact.received_at:
        raise ValidationFailed({"decided_at": ["The decision cannot be before the contact was received"]})
    update_audited(
        contact,
        actor=actor,
        action="contact.decided",
        child_id=contact.child_id,
        changes={
            "outcome": outcome,
            "threshold_level": threshold_level,
            "decision_reason": reason,
            "decided_at": decided_at,
            "decided_by": decided_by,
        },
        expected_version=expected_version,
        request_id=request_id,
    )
    _refresh(contact.child)
    return contact


@service
def referral_create(
    *,
    actor: Any,
    child: Person,
    referral_date: dt.date,
    source: str,
    primary_need: str = "",
    contact: Contact | None = None,
    request_id: str = "",
) -> CINEpisode:
    """Open a child-in-need episode. A child has at most one open episode (CIN rule 8815)."""
    _require_child(child)
    _not_future(referral_date, "referral_date", "The referral date")
    if CINEpisode.objects.filter(child=child, closure_date__isnull=True).exists():
        raise ValidationFailed("This child already has an open child-in-need episode")
    latest = CINEpisode.objects.filter(child=child).order_by("-closure_date").first()
    if latest and latest.closure_date and referral_date < latest.closure_date:
        raise ValidationFailed({"referral_date": ["A new referral cannot start before the last episode closed"]})
    born = child.date_of_birth or child.expected_date_of_birth
    if born and referral_date < born - dt.timedelta(weeks=40):
        raise ValidationFailed({"referral_date": ["The referral is more than 40 weeks before the child's birth"]})
    if contact is not None and contact.outcome != ContactOutcome.REFERRAL:
        raise ValidationFailed("Only a contact decided as a referral to social care can open an episode")
    episode = CINEpisode(
        child=child, contact=contact, referral_date=referral_date, referral_source=source, primary_need=primary_need
    )
    create_audited(episode, actor=actor, action="referral.created", child_id=child.pk, request_id=request_id)
    _refresh(child)
    return episode


def _closure_checks(episode: CINEpisode, closure_date: dt.date, reason: str) -> None:
    """What closing an episode needs; asked when a worker requests closure and again when it is approved."""
    if episode.closure_date:
        raise ValidationFailed("This episode is already closed")
    if closure_date < episode.referral_date:
        raise ValidationFailed({"closure_date": ["The case cannot close before the referral date"]})
    _not_future(closure_date, "closure_date", "The closure date")
    if reason not in ClosureReason.values:
        raise ValidationFailed({"reason": ["Select a reason for closure"]})
    if reason in {ClosureReason.RC8, ClosureReason.RC9} and not episode.assessments.exists():
        raise ValidationFailed({"reason": ["'Closed after assessment' needs an assessment on this episode"]})
    if (
        episode.cp_plans.filter(end_date__isnull=True).exists()
        or episode.cin_plans.filter(end_date__isnull=True).exists()
    ):
        raise ValidationFailed("End the child's current plan before closing the case")
    if episode.assessments.filter(completed_date__isnull=True).exists():
        raise ValidationFailed("Complete or end the open assessment before closing the case")


@service
def episode_close(
    *,
    actor: Any,
    episode: CINEpisode,
    expected_version: int,
    closure_date: dt.date,
    reason: str,
    nfa: bool = False,
    request_id: str = "",
) -> CINEpisode:
    _closure_checks(episode, closure_date, reason)
    update_audited(
        episode,
        actor=actor,
        action="episode.closed",
        child_id=episode.child_id,
        changes={"closure_date": closure_date, "closure_reason": reason, "referral_nfa": nfa},
        expected_version=expected_version,
        request_id=request_id,
    )
    _refresh(episode.child)
    return episode


# --- Assessment -------------------------------------------------------------------------------------------


@service
def assessment_start(
    *, actor: Any, episode: CINEpisode, start_date: dt.date, worker: Any = None, request_id: str = ""
) -> Assessment:
    if episode.closure_date:
        raise ValidationFailed("The episode is closed")
    if start_date < episode.referral_date:
        raise ValidationFailed({"start_date": ["The assessment cannot start before the referral"]})
    _not_future(start_date, "start_date", "The start date")
    if episode.assessments.filter(completed_date__isnull=True).exists():
        raise ValidationFailed("This child already has an assessment in progress")
    assessment = Assessment(episode=episode, start_date=start_date, worker=worker)
    create_audited(
        assessment, actor=actor, action="assessment.started", child_id=episode.child_id, request_id=request_id
    )
    _refresh(episode.child)
    return assessment


@service
def assessment_complete(
    *,
    actor: Any,
    assessment: Assessment,
    expected_version: int,
    completed_date: dt.date,
    factors: list[str],
    child_seen: bool,
    outcome: str,
    child_seen_date: dt.date | None = None,
    request_id: str = "",
) -> Assessment:
    from safehold.casework.choices import AssessmentFactor

    errors: dict[str, list[str]] = {}
    if not factors:
        errors["factors"] = ["Select the factors identified, or 'No factors identified'"]
    elif "21" in factors and len(factors) > 1:
        errors["factors"] = ["'No factors identified' cannot be combined with other factors"]
    elif set(factors) - set(AssessmentFactor.values):
        errors["factors"] = ["Select factors from the list"]
    if completed_date < assessment.start_date:
        errors["completed_date"] = ["The assessment cannot be completed before it started"]
    if errors:
        raise ValidationFailed(errors)
    _not_future(completed_date, "completed_date", "The completion date")
    update_audited(
        assessment,
        actor=actor,
        action="assessment.completed",
        child_id=assessment.episode.child_id,
        changes={
            "completed_date": completed_date,
            "factors": sorted(set(factors)),
            "child_seen": child_seen,
            "child_seen_date": child_seen_date,
            "outcome": outcome,
        },
        expected_version=expected_version,
        request_id=request_id,
    )
    if outcome == AssessmentOutcome.STRATEGY and _outstanding_strategy_decision(assessment.episode) is None:
        # Concluding that a strategy discussion is needed is the decision to hold one: its clock starts.
        _strategy_decision_create(
            actor=actor,
            episode=assessment.episode,
            decided_on=completed_date,
            reason="The assessment concluded that a strategy discussion is needed",
            decided_by=assessment.worker,
            request_id=request_id,
        )
    _refresh(assessment.episode.child)
    return assessment


@service
def assessment_authorise(
    *,
    actor: Any,
    assessment: Assessment,
    expected_version: int,
    authorised_date: dt.date,
    manager: Any,
    reason: str = "",
    request_id: str = "",
) -> Assessment:
    """A manager signs off a completed assessment; ``reason`` is the recorded rationale (kept in the audit)."""
    if assessment.completed_date is None:
        raise ValidationFailed("A manager can only sign off a completed assessment")
    if authorised_date < assessment.completed_date:
        raise ValidationFailed({"authorised_date": ["Sign-off cannot be before the assessment was completed"]})
    update_audited(
        assessment,
        actor=actor,
        action="assessment.authorised",
        child_id=assessment.episode.child_id,
        changes={"authorised_date": authorised_date, "authorised_by": manager},
        expected_version=expected_version,
        reason=reason,
        request_id=request_id,
    )
    return assessment


# --- Child protection -------------------------------------------------------------------------------------


@service
def strategy_discussion_record(
    *,
    actor: Any,
    episode: CINEpisode,
    held_on: dt.date,
    start_section47: bool,
    decision: str = "",
    agencies: list[str] | None = None,
    request_id: str = "",
) -> StrategyDiscussion:
    """Record a strategy discussion. When it decides on a section 47 enquiry and none is open, it starts
    one (and the ICPC clock); a further discussion on an open enquiry does not restart the clock."""
    if episode.closure_date:
        raise ValidationFailed("The episode is closed")
    if held_on < episode.referral_date:
        raise ValidationFailed({"held_on": ["The strategy discussion cannot be before the referral"]})
    _not_future(held_on, "held_on", "The date of the strategy discussion")
    s47 = episode.section47s.filter(completed_date__isnull=True).first()
    if start_section47 and s47 is None:
        from safehold.timescales.services import due_date

        s47 = Section47(episode=episode, start_date=held_on, icpc_target_date=due_date("icpc", held_on))
        create_audited(s47, actor=actor, action="section47.started", child_id=episode.child_id, request_id=request_id)
    discussion = StrategyDiscussion(
        episode=episode,
        held_on=held_on,
        agencies=agencies or [],
        decision=decision,
        section47=s47 if start_section47 else None,
    )
    create_audited(
        discussion,
        actor=actor,
        action="strategy_discussion.recorded",
        child_id=episode.child_id,
        request_id=request_id,
    )
    # The discussion answers the outstanding decision to hold one: that stops the strategy_discussion clock.
    outstanding = (
        StrategyDecision.objects.select_for_update()
        .filter(episode=episode, discussion__isnull=True, decided_on__lte=held_on)
        .first()
    )
    if outstanding is not None:
        update_audited(
            outstanding,
            actor=actor,
            action="strategy_decision.met",
            child_id=episode.child_id,
            changes={"discussion": discussion},
            request_id=request_id,
        )
    _refresh(episode.child)
    return discussion


def _outstanding_strategy_decision(episode: CINEpisode) -> StrategyDecision | None:
    return StrategyDecision.objects.select_for_update().filter(episode=episode, discussion__isnull=True).first()


def _strategy_decision_create(
    *, actor: Any, episode: CINEpisode, decided_on: dt.date, reason: str, decided_by: Any, request_id: str
) -> StrategyDecision:
    decision = StrategyDecision(episode=episode, decided_on=decided_on, reason=reason.strip(), decided_by=decided_by)
    return create_audited(
        decision, actor=actor, action="strategy_decision.recorded", child_id=episode.child_id, request_id=request_id
    )


@service
def strategy_decision_record(
    *,
    actor: Any,
    episode: CINEpisode,
    decided_on: dt.date,
    reason: str,
    decided_by: Any = None,
    request_id: str = "",
) -> StrategyDecision:
    """A decision to hold a strategy discussion. It starts the local ``strategy_discussion`` clock (3 working
    days unless the LA set its own standard); the next discussion recorded on the episode stops it. An episode
    has one outstanding decision at a time."""
    if episode.closure_date:
        raise ValidationFailed("The episode is closed")
    if not reason.strip():
        raise ValidationFailed({"reason": ["Enter why a strategy discussion is needed"]})
    if decided_on < episode.referral_date:
        raise ValidationFailed({"decided_on": ["The decision cannot be before the referral"]})
    _not_future(decided_on, "decided_on", "The date of the decision")
    pending = _outstanding_strategy_decision(episode)
    if pending is not None:
        raise ValidationFailed(
            f"A strategy discussion was already decided on {pending.decided_on:%-d %B %Y} and has not been held: "
            "record that discussion first"
        )
    decision = _strategy_decision_create(
        actor=actor,
        episode=episode,
        decided_on=decided_on,
        reason=reason,
        decided_by=decided_by,
        request_id=request_id,
    )
    _refresh(episode.child)
    return decision


@service
def section47_complete(
    *,
    actor: Any,
    section47: Section47,
    expected_version: int,
    completed_date: dt.date,
    outcome: str,
    request_id: str = "",
) -> Section47:
    if completed_date < section47.start_date:
        raise ValidationFailed({"completed_date": ["The enquiry cannot end before it started"]})
    changes: dict[str, Any] = {"completed_date": completed_date, "outcome": outcome}
    if outcome != Section47Outcome.ICPC:
        changes["icpc_not_required"] = True
    update_audited(
        section47,
        actor=actor,
        action="section47.completed",
        child_id=section47.episode.child_id,
        changes=changes,
        expected_version=expected_version,
        request_id=request_id,
    )
    _refresh(section47.episode.child)
    return section47


@service
def icpc_record(
    *,
    actor: Any,
    section47: Section47,
    held_on: dt.date,
    plan: bool,
    initial_category: str = "",
    chair: Any = None,
    request_id: str = "",
) -> Conference:
    """Record the initial child protection conference; a plan starts the same day (CIN rule 2885)."""
    if held_on < section47.start_date:
        raise ValidationFailed({"held_on": ["The conference cannot be before the strategy discussion"]})
    if section47.icpc_date:
        raise ValidationFailed("An initial conference is already recorded for this enquiry")
    _not_future(held_on, "held_on", "The conference date")
    episode = section47.episode
    if plan and not initial_category:
        raise ValidationFailed({"initial_category": ["Select the category of abuse"]})
    if plan and episode.cp_plans.filter(end_date__isnull=True).exists():
        raise ValidationFailed("This child is already subject to a child protection plan")
    update_audited(
        section47,
        actor=actor,
        action="section47.icpc_held",
        child_id=episode.child_id,
        changes={
            "icpc_date": held_on,
            "outcome": Section47Outcome.ICPC,
            "completed_date": section47.completed_date or held_on,
        },
        request_id=request_id,
    )
    cp_plan = None
    if plan:
        for cin_plan in episode.cin_plans.filter(end_date__isnull=True):
            update_audited(
                cin_plan,
                actor=actor,
                action="cin_plan.ended",
                child_id=episode.child_id,
                changes={"end_date": held_on},
                reason="Superseded by a child protection plan at the initial conference",
                request_id=request_id,
            )
        cp_plan = ChildProtectionPlan(
            episode=episode, start_date=held_on, initial_category=initial_category, latest_category=initial_category
        )
        create_audited(cp_plan, actor=actor, action="cp_plan.started", child_id=episode.child_id, request_id=request_id)
    conference = Conference(
        episode=episode,
        kind=ConferenceType.INITIAL,
        held_on=held_on,
        section47=section47,
        plan=cp_plan,
        outcome_plan=plan,
        chair=chair,
    )
    create_audited(
        conference, actor=actor, action="conference.initial", child_id=episode.child_id, request_id=request_id
    )
    _refresh(episode.child)
    return conference


@service
def cp_review_record(
    *,
    actor: Any,
    plan: ChildProtectionPlan,
    held_on: dt.date,
    continue_plan: bool,
    latest_category: str = "",
    chair: Any = None,
    request_id: str = "",
) -> Conference:
    if plan.end_date:
        raise ValidationFailed("This plan has ended")
    if held_on <= plan.start_date:
        raise ValidationFailed({"held_on": ["A review conference must be after the plan started"]})
    _not_future(held_on, "held_on", "The conference date")
    conference = Conference(
        episode=plan.episode,
        kind=ConferenceType.REVIEW,
        held_on=held_on,
        plan=plan,
        outcome_plan=continue_plan,
        chair=chair,
    )
    create_audited(
        conference, actor=actor, action="conference.review", child_id=plan.episode.child_id, request_id=request_id
    )
    changes: dict[str, Any] = {}
    if latest_category:
        changes["latest_category"] = latest_category
    if not continue_plan:
        changes["end_date"] = held_on
    if changes:
        update_audited(plan, actor=actor, action="cp_plan.reviewed", child_id=plan.episode.child_id, changes=changes)
    _refresh(plan.episode.child)
    return conference


@service
def core_group_record(*, actor: Any, plan: ChildProtectionPlan, held_on: dt.date, request_id: str = "") -> CoreGroup:
    if held_on < plan.start_date or (plan.end_date and held_on > plan.end_date):
        raise ValidationFailed({"held_on": ["The core group must be held while the plan is in force"]})
    _not_future(held_on, "held_on", "The meeting date")
    meeting = CoreGroup(plan=plan, held_on=held_on)
    create_audited(
        meeting, actor=actor, action="core_group.recorded", child_id=plan.episode.child_id, request_id=request_id
    )
    _refresh(plan.episode.child)
    return meeting


# --- Child in need plans, visits, notes ---------------------------------------------------------------------


@service
def cin_plan_start(*, actor: Any, episode: CINEpisode, start_date: dt.date, request_id: str = "") -> CINPlan:
    if episode.closure_date:
        raise ValidationFailed("The episode is closed")
    if start_date < episode.referral_date:
        raise ValidationFailed({"start_date": ["The plan cannot start before the referral"]})
    if episode.cp_plans.filter(end_date__isnull=True).exists():
        raise ValidationFailed("A child in need plan cannot run alongside a child protection plan (CIN rule 4001)")
    if episode.cin_plans.filter(end_date__isnull=True).exists():
        raise ValidationFailed("This child already has a child in need plan")
    plan = CINPlan(episode=episode, start_date=start_date)
    create_audited(plan, actor=actor, action="cin_plan.started", child_id=episode.child_id, request_id=request_id)
    # A new plan goes to the team manager for approval.
    plan_approval_request(actor=actor, plan=plan, requested_by=getattr(actor, "staff", None), request_id=request_id)
    _refresh(episode.child)
    return plan


@service
def cin_plan_review_record(*, actor: Any, plan: CINPlan, held_on: dt.date, request_id: str = "") -> CINPlanReview:
    if held_on < plan.start_date:
        raise ValidationFailed({"held_on": ["The review cannot be before the plan started"]})
    review = CINPlanReview(plan=plan, held_on=held_on)
    create_audited(
        review, actor=actor, action="cin_plan.reviewed", child_id=plan.episode.child_id, request_id=request_id
    )
    _refresh(plan.episode.child)
    return review


@service
def cin_plan_end(
    *, actor: Any, plan: CINPlan, expected_version: int, end_date: dt.date, request_id: str = ""
) -> CINPlan:
    if end_date < plan.start_date:
        raise ValidationFailed({"end_date": ["The plan cannot end before it started"]})
    update_audited(
        plan,
        actor=actor,
        action="cin_plan.ended",
        child_id=plan.episode.child_id,
        changes={"end_date": end_date},
        expected_version=expected_version,
        request_id=request_id,
    )
    _refresh(plan.episode.child)
    return plan


@service
def visit_record(
    *,
    actor: Any,
    child: Person,
    visit_type: str,
    visited_on: dt.date,
    seen: bool,
    seen_alone: bool = False,
    worker: Any = None,
    notes: str = "",
    request_id: str = "",
) -> Visit:
    _require_child(child)
    _not_future(visited_on, "visited_on", "The visit date")
    if seen_alone and not seen:
        raise ValidationFailed({"seen_alone": ["A child can only be seen alone if they were seen"]})
    visit = Visit(
        child=child,
        visit_type=visit_type,
        visited_on=visited_on,
        seen=seen,
        seen_alone=seen_alone,
        worker=worker,
        notes=notes,
    )
    create_audited(visit, actor=actor, action="visit.recorded", child_id=child.pk, request_id=request_id)
    _refresh(child)
    return visit


@service
def case_note_add(
    *, actor: Any, child: Person, subject: str, body: str, author: Any = None, request_id: str = ""
) -> CaseNote:
    _require_child(child)
    if not subject.strip() or not body.strip():
        raise ValidationFailed({"body": ["Enter a subject and the note"]})
    note = CaseNote(child=child, written_at=clock.now(), subject=subject, body=body, author=author)
    return create_audited(note, actor=actor, action="case_note.added", child_id=child.pk, request_id=request_id)


# --- Manager approval: closing the case, new child in need plans ---------------------------------------------


def _lock_episode(episode: CINEpisode) -> None:
    """Serialise requests on one episode (a double-submitted form cannot make two pending requests)."""
    CINEpisode.objects.select_for_update().filter(pk=episode.pk).values_list("pk", flat=True).first()


@service
def closure_request(
    *,
    actor: Any,
    episode: CINEpisode,
    expected_version: int,
    closure_date: dt.date,
    reason: str,
    summary: str,
    nfa: bool = False,
    requested_by: Any = None,
    request_id: str = "",
) -> ApprovalRequest:
    """A social worker asks to close the case. The episode stays open (and its clocks run) until the team
    manager approves the request with :func:`approval_decide`. The checks of closing run now, so a manager is
    never asked to approve a closure that could not happen; they run again when it is approved."""
    _lock_episode(episode)
    if episode.version != expected_version:
        raise ConcurrentEditError("child-in-need episode")
    if ApprovalRequest.objects.filter(
        episode=episode, kind=ApprovalKind.CLOSURE, status=ApprovalStatus.PENDING
    ).exists():
        raise ValidationFailed("A request to close this case is already awaiting the manager's approval")
    if not summary.strip():
        raise ValidationFailed({"summary": ["Enter a closure summary for your manager"]})
    _closure_checks(episode, closure_date, reason)
    row = ApprovalRequest(
        episode=episode,
        kind=ApprovalKind.CLOSURE,
        closure_date=closure_date,
        closure_reason=reason,
        nfa=nfa,
        summary=summary.strip(),
        requested_at=clock.now(),
        requested_by=requested_by,
    )
    return create_audited(
        row, actor=actor, action="closure.requested", child_id=episode.child_id, request_id=request_id
    )


@service
def plan_approval_request(
    *, actor: Any, plan: CINPlan, summary: str = "", requested_by: Any = None, request_id: str = ""
) -> ApprovalRequest:
    """Ask the team manager to approve a child in need plan: made when the plan starts (:func:`cin_plan_start`),
    and again by the worker after a manager returned it. A plan that follows a child protection plan on the same
    episode is a step-down and is recorded as one."""
    episode = plan.episode
    _lock_episode(episode)
    if plan.end_date:
        raise ValidationFailed("This plan has ended")
    statuses = set(ApprovalRequest.objects.filter(cin_plan=plan).values_list("status", flat=True))
    if ApprovalStatus.PENDING in statuses:
        raise ValidationFailed("This plan is already awaiting the manager's approval")
    if ApprovalStatus.APPROVED in statuses:
        raise ValidationFailed("This plan has already been approved")
    if statuses and not summary.strip():
        raise ValidationFailed({"summary": ["Enter what has changed since the manager returned the plan"]})
    row = ApprovalRequest(
        episode=episode,
        kind=ApprovalKind.CIN_PLAN,
        cin_plan=plan,
        step_down=episode.cp_plans.filter(end_date__isnull=False, end_date__lte=plan.start_date).exists(),
        summary=summary.strip(),
        requested_at=clock.now(),
        requested_by=requested_by,
    )
    return create_audited(
        row, actor=actor, action="cin_plan.approval_requested", child_id=episode.child_id, request_id=request_id
    )


def approval_decision_text(row: ApprovalRequest, *, approve: bool) -> str:
    """The decision as the management decisions register records it."""
    if row.kind == ApprovalKind.CLOSURE:
        assert row.closure_date is not None
        if approve:
            return f"Case closure approved: closed on {row.closure_date:%-d %B %Y} ({row.get_closure_reason_display()})"
        return "Case closure not approved: returned to the social worker"
    assert row.cin_plan is not None
    what = "Step-down from a child protection plan to a child in need plan" if row.step_down else "Child in need plan"
    outcome = "approved" if approve else "not approved: returned to the social worker"
    return f"{what} (plan started {row.cin_plan.start_date:%-d %B %Y}) {outcome}"


@service
def approval_decide(
    *,
    actor: Any,
    request: ApprovalRequest,
    expected_version: int,
    approve: bool,
    rationale: str,
    manager: Any,
    request_id: str = "",
) -> ApprovalRequest:
    """The team manager approves a request or returns it to the worker, with their rationale (the worker sees it
    on the child's record). Approving a closure closes the episode through :func:`episode_close`, which stops its
    clocks. Either way the decision goes in the management decisions register (``ManagementDecision``)."""
    from safehold.oversight.choices import DecisionKind
    from safehold.oversight.services import management_decision_record

    if request.status != ApprovalStatus.PENDING:
        raise ValidationFailed(f"This request has already been decided: {request.get_status_display().lower()}")
    if not rationale.strip():
        raise ValidationFailed({"rationale": ["Enter your rationale for the decision"]})
    if manager is None:
        raise ValidationFailed("Only a manager with a staff record can make this decision")
    episode = request.episode
    if request.kind == ApprovalKind.CLOSURE and approve:
        assert request.closure_date is not None
        episode_close(
            actor=actor, episode=episode, expected_version=episode.version, closure_date=request.closure_date,
            reason=request.closure_reason, nfa=request.nfa, request_id=request_id,
        )
    decision = management_decision_record(
        actor=actor,
        child=episode.child,
        kind=DecisionKind.CLOSURE if request.kind == ApprovalKind.CLOSURE else DecisionKind.PLAN_APPROVAL,
        decided_on=clock.today(),
        decided_by=manager,
        decision=approval_decision_text(request, approve=approve),
        rationale=rationale.strip(),
        request_id=request_id,
    )
    return update_audited(
        request,
        actor=actor,
        action=f"{request.kind}.{'approved' if approve else 'returned'}",
        child_id=episode.child_id,
        changes={
            "status": ApprovalStatus.APPROVED if approve else ApprovalStatus.RETURNED,
            "decided_at": clock.now(),
            "decided_by": manager,
            "rationale": rationale.strip(),
            "decision": decision,
        },
        expected_version=expected_version,
        reason=rationale.strip(),
        request_id=request_id,
    )
