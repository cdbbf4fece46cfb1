"""Writes about children looked after, private fostering, missing episodes and care leavers.

Every function is a service: atomic, validated, audited (an AuditEvent per row written) and, at the
end, recalculates the child's deadlines in the same transaction (STATUTE.md sections 2-4 and 9.1):

* ``period_of_care_start`` starts cla_review_first, health_initial, pep_initial and (with its
  first placement) care_plan and cla_visit_first.
* ``placement_change`` ends the current episode with X1 and opens a new one (RNE P/T/B/U): a new
  placement restarts the 1-week visit and the first year of 6-weekly visits.
* ``legal_status_change`` opens an RNE L episode: no placement change, so no visit clock moves.
* ``period_of_care_end`` stops every looked-after clock of the period.
* ``lac_review_record``, ``health_check_record``, ``care_plan_record``, ``pep_record`` meet clocks
  (a review or health assessment also starts the next link of its chain).
* ``private_fostering_notify`` starts pf_visit_first; ``private_fostering_end`` stops the visits.
* ``missing_return_record`` starts the 72-hour return interview clock; ``return_interview_record``
  meets it.
* ``pathway_plan_review_record`` starts (first plan) and moves the 6-monthly pathway plan clock.
* ``leaving_care_accommodation_start`` starts the personal adviser's 7-day visit (CLR reg 8);
  ``pa_visit_record`` meets it and starts the next 2-month link; ``leaving_care_accommodation_end`` stops it.

Statutory visits to a child in care are casework visits: ``visit_record(visit_type="cla")``
(``"pf"`` for private fostering).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.looked_after.choices import (
    NO_PROVIDER_PLACEMENTS,
    AccommodationBasis,
    CareLeaverEligibility,
    HealthCheckKind,
    InTouch,
    MissingKind,
    PFAnswer,
    PFDecision,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
    ReasonPlacedCeased,
    ReviewParticipation,
    SDQReason,
)
from safehold.looked_after.models import (
    AdoptionJourney,
    CareEpisode,
    CareLeaver,
    CareLeaverContact,
    HealthCheck,
    LACReview,
    LeavingCareAccommodation,
    MissingEpisode,
    PathwayPlanReview,
    PeriodOfCare,
    PreviousPermanence,
    PrivateFostering,
    SDQAssessment,
)
from safehold.people.models import Person

__all__ = [
    "adoption_journey_record",
    "care_leaver_contact_record",
    "care_leaver_record",
    "care_plan_record",
    "health_check_record",
    "lac_review_record",
    "leaving_care_accommodation_end",
    "leaving_care_accommodation_start",
    "legal_status_change",
    "missing_episode_record",
    "missing_return_record",
    "pa_visit_record",
    "pathway_plan_review_record",
    "pep_record",
    "period_of_care_end",
    "period_of_care_start",
    "placement_change",
    "private_fostering_answers_record",
    "private_fostering_assessment_complete",
    "private_fostering_end",
    "private_fostering_notify",
    "private_fostering_notify_new_carer",
    "return_interview_record",
    "sdq_record",
    "uasc_record",
]


# --- helpers ----------------------------------------------------------------------------------------------


def _refresh(child_id: int) -> None:
    from safehold.timescales.services import deadlines_refresh_child

    deadlines_refresh_child(child_id=child_id)


def _require_child(child: Person) -> None:
    if not child.is_child_record or child.merged_into_id is not None:
        raise ValidationFailed("This person does not have a child's record")


def _not_future(value: dt.date, field: str, label: str) -> None:
    if value > clock.today():
        raise ValidationFailed({field: [f"{label} cannot be in the future"]})


def _not_future_moment(value: dt.datetime, field: str, label: str) -> None:
    if value.tzinfo is None:
        raise ValidationFailed({field: [f"{label} needs a time zone"]})
    if value > clock.now():
        raise ValidationFailed({field: [f"{label} cannot be in the future"]})


def _not_before_birth(child: Person, value: dt.date, field: str, label: str) -> None:
    if child.date_of_birth is None:
        raise ValidationFailed(
            {field: ["Record the child's date of birth first: an unborn child cannot be looked after"]}
        )
    if value < child.date_of_birth:
        raise ValidationFailed({field: [f"{label} cannot be before the child was born"]})


def _open_period(child: Person) -> PeriodOfCare:
    period = PeriodOfCare.objects.select_for_update().filter(child=child, end_date__isnull=True).first()
    if period is None:
        raise ValidationFailed("This child is not looked after: start a period of care first")
    return period


def _period_on(child: Person, day: dt.date, label: str) -> PeriodOfCare:
    """The period of care the child was in on ``day``."""
    period = (
        PeriodOfCare.objects.select_for_update()
        .filter(child=child, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("-start_date")
        .first()
    )
    if period is None:
        raise ValidationFailed({"__all__": [f"The child was not looked after on the date of the {label}"]})
    return period


def _current_episode(period: PeriodOfCare) -> CareEpisode:
    episode = CareEpisode.objects.select_for_update().filter(period=period, end_date__isnull=True).first()
    if episode is None:  # pragma: no cover - a period always has an open episode while it is open
        raise ValidationFailed("This period of care has no current episode")
    return episode


def _check_placement(placement_type: str, placement_provider: str) -> None:
    if placement_type in NO_PROVIDER_PLACEMENTS:
        if placement_provider:
            raise ValidationFailed({"placement_provider": ["A temporary or 'other' placement has no provider"]})
    elif not placement_provider:
        raise ValidationFailed({"placement_provider": ["Select the placement provider"]})


# --- periods of care and episodes ---------------------------------------------------------------------------


@service
def period_of_care_start(
    *,
    actor: Any,
    child: Person,
    start_date: dt.date,
    legal_status: str,
    category_of_need: str,
    placement_type: str,
    placement_provider: str = "",
    home_postcode: str = "",
    placement_postcode: str = "",
    urn: str = "",
    carer: Person | None = None,
    previous_permanence: str = "",
    previous_permanence_la: str = "",
    previous_permanence_date: dt.date | None = None,
    request_id: str = "",
) -> PeriodOfCare:
    """The child starts to be looked after: a period of care and its first episode (RNE "S"). The previous
    permanence option (SSDA903 PrevPerm), when given, is recorded with it."""
    _require_child(child)
    _not_future(start_date, "start_date", "The date the child became looked after")
    _not_before_birth(child, start_date, "start_date", "The date the child became looked after")
    if PeriodOfCare.objects.select_for_update().filter(child=child, end_date__isnull=True).exists():
        raise ValidationFailed("This child is already looked after")
    latest = PeriodOfCare.objects.filter(child=child).order_by("-end_date").first()
    if latest is not None and latest.end_date is not None and start_date < latest.end_date:
        raise ValidationFailed({"start_date": ["A new period of care cannot start before the last one ended"]})
    _check_placement(placement_type, placement_provider)
    if not previous_permanence and (previous_permanence_la.strip() or previous_permanence_date is not None):
        raise ValidationFailed({"previous_permanence": ["Select the previous permanence order"]})
    if previous_permanence_date is not None and previous_permanence_date > start_date:
        raise ValidationFailed(
            {"previous_permanence_date": ["The previous permanence order must be before care started"]}
        )
    period = PeriodOfCare(child=child, start_date=start_date)
    create_audited(period, actor=actor, action="period_of_care.started", child_id=child.pk, request_id=request_id)
    episode = CareEpisode(
        period=period,
        child=child,
        start_date=start_date,
        reason_new_episode=ReasonNewEpisode.S,
        legal_status=legal_status,
        category_of_need=category_of_need,
        placement_type=placement_type,
        placement_provider=placement_provider,
        home_postcode=home_postcode,
        placement_postcode=placement_postcode,
        urn=urn,
        carer=carer,
    )
    create_audited(episode, actor=actor, action="care_episode.started", child_id=child.pk, request_id=request_id)
    if previous_permanence:
        perm = PreviousPermanence(child=child, kind=previous_permanence, la=previous_permanence_la.strip().upper(),
                                  order_date=previous_permanence_date)
        create_audited(perm, actor=actor, action="previous_permanence.recorded", child_id=child.pk,
                       request_id=request_id)
    _refresh(child.pk)
    return period


def _next_episode(
    *,
    actor: Any,
    child: Person,
    change_date: dt.date,
    reason_new_episode: str,
    request_id: str,
    reason_place_change: str = "",
    **fields: Any,
) -> CareEpisode:
    _require_child(child)
    _not_future(change_date, "change_date", "The date of the change")
    period = _open_period(child)
    current = _current_episode(period)
    placement_moves = reason_new_episode != ReasonNewEpisode.L
    if change_date < current.start_date or (placement_moves and change_date == current.start_date):
        raise ValidationFailed({"change_date": ["The change must be after the current episode started"]})
    ended: dict[str, Any] = {"end_date": change_date, "reason_ceased": ReasonEpisodeCeased.X1}
    if placement_moves:
        ended["reason_place_change"] = reason_place_change
    update_audited(current, actor=actor, action="care_episode.ended", child_id=child.pk, changes=ended)
    values: dict[str, Any] = {
        "legal_status": current.legal_status,
        "category_of_need": current.category_of_need,
        "placement_type": current.placement_type,
        "placement_provider": current.placement_provider,
        "home_postcode": current.home_postcode,
        "placement_postcode": current.placement_postcode,
        "urn": current.urn,
        "carer": current.carer,
    }
    values.update(fields)
    episode = CareEpisode(
        period=period, child=child, start_date=change_date, reason_new_episode=reason_new_episode, **values
    )
    create_audited(episode, actor=actor, action="care_episode.started", child_id=child.pk, request_id=request_id)
    return episode


@service
def placement_change(
    *,
    actor: Any,
    child: Person,
    change_date: dt.date,
    placement_type: str,
    reason_place_change: str,
    placement_provider: str = "",
    legal_status: str = "",
    same_carer: bool = False,
    placement_postcode: str = "",
    urn: str = "",
    carer: Person | None = None,
    request_id: str = "",
) -> CareEpisode:
    """A change of placement: the current episode ends (X1) and a new one starts the same day.

    RNE: P (new carer), T (same carer), or B / U when the legal status changes at the same time.
    A new placement restarts the statutory visit clocks (CPPCR reg 28: 1 week, then the first year).
    """
    if reason_place_change not in ReasonPlaceChange.values:
        raise ValidationFailed({"reason_place_change": ["Select the reason for the change of placement"]})
    _check_placement(placement_type, placement_provider)
    current_status = (
        CareEpisode.objects.filter(child=child, end_date__isnull=True).values_list("legal_status", flat=True).first()
    )
    status_changes = bool(legal_status) and legal_status != current_status
    if status_changes:
        rne = ReasonNewEpisode.U if same_carer else ReasonNewEpisode.B
    else:
        rne = ReasonNewEpisode.T if same_carer else ReasonNewEpisode.P
    fields: dict[str, Any] = {
        "placement_type": placement_type,
        "placement_provider": placement_provider,
        "placement_postcode": placement_postcode,
        "urn": urn,
    }
    if status_changes:
        fields["legal_status"] = legal_status
    if not same_carer:
        fields["carer"] = carer
    elif carer is not None:
        fields["carer"] = carer
    episode = _next_episode(
        actor=actor,
        child=child,
        change_date=change_date,
        reason_new_episode=rne,
        reason_place_change=reason_place_change,
        request_id=request_id,
        **fields,
    )
    _refresh(child.pk)
    return episode


@service
def legal_status_change(
    *, actor: Any, child: Person, change_date: dt.date, legal_status: str, request_id: str = ""
) -> CareEpisode:
    """A change of legal status only (RNE L). The placement continues, so visit clocks do not restart."""
    current_status = (
        CareEpisode.objects.filter(child=child, end_date__isnull=True).values_list("legal_status", flat=True).first()
    )
    if legal_status == current_status:
        raise ValidationFailed({"legal_status": ["This is already the child's legal status"]})
    episode = _next_episode(
        actor=actor,
        child=child,
        change_date=change_date,
        reason_new_episode=ReasonNewEpisode.L,
        request_id=request_id,
        legal_status=legal_status,
    )
    _refresh(child.pk)
    return episode


@service
def period_of_care_end(
    *, actor: Any, child: Person, end_date: dt.date, reason_ceased: str, request_id: str = ""
) -> PeriodOfCare:
    """The child ceases to be looked after: the last episode and the period end (903 REC)."""
    _require_child(child)
    if reason_ceased not in ReasonEpisodeCeased.values or reason_ceased == ReasonEpisodeCeased.X1:
        raise ValidationFailed({"reason_ceased": ["Select the reason the child ceased to be looked after"]})
    _not_future(end_date, "end_date", "The date the child ceased to be looked after")
    period = _open_period(child)
    current = _current_episode(period)
    if end_date < current.start_date:
        raise ValidationFailed({"end_date": ["The period of care cannot end before the current episode started"]})
    update_audited(
        current,
        actor=actor,
        action="care_episode.ended",
        child_id=child.pk,
        changes={"end_date": end_date, "reason_ceased": reason_ceased},
        request_id=request_id,
    )
    update_audited(
        period,
        actor=actor,
        action="period_of_care.ended",
        child_id=child.pk,
        changes={"end_date": end_date},
        request_id=request_id,
    )
    _refresh(child.pk)
    return period


# --- reviews, health, plans -----------------------------------------------------------------------------------


@service
def lac_review_record(
    *,
    actor: Any,
    child: Person,
    held_on: dt.date,
    participation: str,
    iro: Any = None,
    decisions: str = "",
    request_id: str = "",
) -> LACReview:
    """A looked-after child review (CPPCR reg 33). An early review resets the next due date."""
    _require_child(child)
    _not_future(held_on, "held_on", "The review date")
    period = _period_on(child, held_on, "review")
    if LACReview.objects.filter(period=period, held_on=held_on).exists():
        raise ValidationFailed({"held_on": ["A review is already recorded on this date"]})
    if participation not in ReviewParticipation.values:
        raise ValidationFailed({"participation": ["Select how the child took part in the review"]})
    review = LACReview(
        child=child, period=period, held_on=held_on, participation=participation, iro=iro, decisions=decisions
    )
    create_audited(review, actor=actor, action="lac_review.recorded", child_id=child.pk, request_id=request_id)
    _refresh(child.pk)
    return review


@service
def health_check_record(*, actor: Any, child: Person, kind: str, done_on: dt.date, request_id: str = "") -> HealthCheck:
    """A health check. Initial and review health assessments need the child to be looked after then;
    there is one initial assessment per period of care."""
    _require_child(child)
    if kind not in HealthCheckKind.values:
        raise ValidationFailed({"kind": ["Select the kind of health check"]})
    _not_future(done_on, "done_on", "The date of the health check")
    _not_before_birth(child, done_on, "done_on", "The date of the health check")
    if kind in {HealthCheckKind.INITIAL_HEALTH, HealthCheckKind.REVIEW_HEALTH}:
        period = _period_on(child, done_on, "health assessment")
        in_period = HealthCheck.objects.filter(
            child=child, kind=HealthCheckKind.INITIAL_HEALTH, done_on__gte=period.start_date
        )
        if period.end_date is not None:
            in_period = in_period.filter(done_on__lte=period.end_date)
        if kind == HealthCheckKind.INITIAL_HEALTH and in_period.exists():
            raise ValidationFailed(
                {"kind": ["An initial health assessment is already recorded for this period of care"]}
            )
        if kind == HealthCheckKind.REVIEW_HEALTH and not in_period.filter(done_on__lte=done_on).exists():
            raise ValidationFailed({"kind": ["Record the initial health assessment before a review health assessment"]})
    check = HealthCheck(child=child, kind=kind, done_on=done_on)
    create_audited(check, actor=actor, action="health_check.recorded", child_id=child.pk, request_id=request_id)
    _refresh(child.pk)
    return check


def _period_plan_date(
    *, actor: Any, child: Person, on: dt.date, field: str, label: str, action: str, request_id: str
) -> PeriodOfCare:
    _require_child(child)
    _not_future(on, field, f"The date of the {label}")
    period = _open_period(child)
    if getattr(period, field) is not None:
        raise ValidationFailed({field: [f"The {label} is already recorded for this period of care"]})
    previous_end = (
        PeriodOfCare.objects.filter(child=child, end_date__isnull=False, end_date__lte=period.start_date)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    if previous_end is not None and on <= previous_end:
        raise ValidationFailed({field: [f"The {label} must be after the previous period of care ended"]})
    update_audited(period, actor=actor, action=action, child_id=child.pk, changes={field: on}, request_id=request_id)
    _refresh(child.pk)
    return period


@service
def care_plan_record(*, actor: Any, child: Person, plan_date: dt.date, request_id: str = "") -> PeriodOfCare:
    """The care plan was agreed (CPPCR reg 4: before the first placement, or within 10 working days)."""
    return _period_plan_date(
        actor=actor,
        child=child,
        on=plan_date,
        field="care_plan_date",
        label="care plan",
        action="care_plan.recorded",
        request_id=request_id,
    )


@service
def pep_record(*, actor: Any, child: Person, pep_date: dt.date, request_id: str = "") -> PeriodOfCare:
    """The first personal education plan is in place (within 20 working days / for the first review)."""
    return _period_plan_date(
        actor=actor,
        child=child,
        on=pep_date,
        field="pep_date",
        label="personal education plan",
        action="pep.recorded",
        request_id=request_id,
    )


# --- private fostering -----------------------------------------------------------------------------------------


@service
def private_fostering_notify(
    *,
    actor: Any,
    child: Person,
    carer: Person,
    notified_on: dt.date,
    arrangement_start: dt.date | None = None,
    request_id: str = "",
) -> PrivateFostering:
    """The LA became aware of a private fostering arrangement: the 7-working-day visit clock starts."""
    _require_child(child)
    if carer.pk == child.pk:
        raise ValidationFailed({"carer": ["The carer cannot be the child"]})
    _not_future(notified_on, "notified_on", "The date the council became aware")
    if PrivateFostering.objects.select_for_update().filter(child=child, arrangement_end__isnull=True).exists():
        raise ValidationFailed("This child already has an open private fostering arrangement")
    arrangement = PrivateFostering(
        child=child, carer=carer, notified_on=notified_on, arrangement_start=arrangement_start
    )
    create_audited(
        arrangement, actor=actor, action="private_fostering.notified", child_id=child.pk, request_id=request_id
    )
    _refresh(child.pk)
    return arrangement


@service
def private_fostering_assessment_complete(
    *,
    actor: Any,
    arrangement: PrivateFostering,
    expected_version: int,
    completed_on: dt.date,
    decision: str,
    trafficking_considered: str | None = None,
    trafficking_concern: str | None = None,
    abandonment_concern: str | None = None,
    parents_contacted: str | None = None,
    parental_contact_arrangements: str | None = None,
    household_checks_done: str | None = None,
    child_views: str | None = None,
    request_id: str = "",
) -> PrivateFostering:
    """Complete the suitability assessment. Refused until the trafficking, abandonment and
    parental-contact questions are answered, the carer's household has been checked and the child's own
    views are recorded (M7); answers may be given here or already be on record."""
    if arrangement.assessment_completed_on is not None:
        raise ValidationFailed("The assessment of this arrangement is already complete")
    _not_future(completed_on, "completed_on", "The date the assessment was completed")
    if completed_on < arrangement.notified_on:
        raise ValidationFailed({"completed_on": ["The assessment cannot be completed before the council knew"]})
    if decision not in PFDecision.values:
        raise ValidationFailed({"decision": ["Select the decision on the arrangement"]})
    answers = {
        "trafficking_considered": trafficking_considered,
        "trafficking_concern": trafficking_concern,
        "abandonment_concern": abandonment_concern,
        "parents_contacted": parents_contacted,
        "household_checks_done": household_checks_done,
    }
    changes: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field, value in answers.items():
        if value is None:
            value = getattr(arrangement, field)
        if value and value not in PFAnswer.values:
            errors[field] = ["Answer yes or no"]
        changes[field] = value or ""
    required = {
        "trafficking_concern": "Answer whether there are concerns that the child has been trafficked",
        "abandonment_concern": "Answer whether there are concerns that the child has been abandoned",
        "parents_contacted": "Answer whether the parents have been contacted",
        "household_checks_done": "Record whether the checks on the carer's household have been done",
    }
    for field, message in required.items():
        if not changes[field]:
            errors.setdefault(field, [message])
    if changes["household_checks_done"] == PFAnswer.NO:
        errors.setdefault(
            "household_checks_done", ["Complete the checks on the carer's household before the assessment"]
        )
    views = (child_views if child_views is not None else arrangement.child_views).strip()
    if not views:
        errors["child_views"] = ["Record the child's own views about the arrangement"]
    changes["child_views"] = views
    if errors:
        raise ValidationFailed(errors)
    if parental_contact_arrangements is not None:
        changes["parental_contact_arrangements"] = parental_contact_arrangements
    changes["assessment_completed_on"] = completed_on
    changes["decision"] = decision
    update_audited(
        arrangement,
        actor=actor,
        action="private_fostering.assessed",
        child_id=arrangement.child_id,
        changes=changes,
        expected_version=expected_version,
        request_id=request_id,
    )
    _refresh(arrangement.child_id)
    return arrangement


@service
def private_fostering_answers_record(
    *,
    actor: Any,
    arrangement: PrivateFostering,
    expected_version: int,
    trafficking_considered: str = "",
    trafficking_concern: str = "",
    abandonment_concern: str = "",
    parents_contacted: str = "",
    parental_contact_arrangements: str = "",
    household_checks_done: str = "",
    child_views: str = "",
    request_id: str = "",
) -> PrivateFostering:
    """Record the safeguarding answers as they become known (any may still be blank); the assessment
    cannot be completed until all of them are given."""
    if arrangement.assessment_completed_on is not None:
        raise ValidationFailed("The assessment of this arrangement is already complete")
    answers = {
        "trafficking_considered": trafficking_considered,
        "trafficking_concern": trafficking_concern,
        "abandonment_concern": abandonment_concern,
        "parents_contacted": parents_contacted,
        "household_checks_done": household_checks_done,
    }
    errors = {f: ["Answer yes or no"] for f, v in answers.items() if v and v not in PFAnswer.values}
    if errors:
        raise ValidationFailed(errors)
    changes: dict[str, Any] = {
        **answers,
        "parental_contact_arrangements": parental_contact_arrangements.strip(),
        "child_views": child_views.strip(),
    }
    update_audited(
        arrangement,
        actor=actor,
        action="private_fostering.answers",
        child_id=arrangement.child_id,
        changes=changes,
        expected_version=expected_version,
        request_id=request_id,
    )
    return arrangement


@service
def private_fostering_notify_new_carer(
    *,
    actor: Any,
    child: Person,
    carer_given_name: str,
    carer_family_name: str,
    notified_on: dt.date,
    carer_date_of_birth: dt.date | None = None,
    arrangement_start: dt.date | None = None,
    request_id: str = "",
) -> PrivateFostering:
    """A notification naming a carer not yet on record: the carer's record and the arrangement, together."""
    from safehold.people.services import person_create

    if not carer_given_name.strip() or not carer_family_name.strip():
        raise ValidationFailed({"carer_given_name": ["Enter the private foster carer's name"]})
    carer = person_create(
        actor=actor,
        given_name=carer_given_name.strip(),
        family_name=carer_family_name.strip(),
        date_of_birth=carer_date_of_birth,
        request_id=request_id,
    )
    return private_fostering_notify(
        actor=actor,
        child=child,
        carer=carer,
        notified_on=notified_on,
        arrangement_start=arrangement_start,
        request_id=request_id,
    )


@service
def private_fostering_end(
    *, actor: Any, arrangement: PrivateFostering, expected_version: int, end_date: dt.date, request_id: str = ""
) -> PrivateFostering:
    """The arrangement ended: the private fostering visit clock stops."""
    if arrangement.arrangement_end is not None:
        raise ValidationFailed("This arrangement has already ended")
    _not_future(end_date, "end_date", "The end date")
    if end_date < arrangement.notified_on:
        raise ValidationFailed({"end_date": ["The arrangement cannot end before the council knew of it"]})
    update_audited(
        arrangement,
        actor=actor,
        action="private_fostering.ended",
        child_id=arrangement.child_id,
        changes={"arrangement_end": end_date},
        expected_version=expected_version,
        request_id=request_id,
    )
    _refresh(arrangement.child_id)
    return arrangement


# --- missing episodes --------------------------------------------------------------------------------------------


@service
def missing_episode_record(
    *, actor: Any, child: Person, kind: str, started_at: dt.datetime, request_id: str = ""
) -> MissingEpisode:
    """A child went missing (or was away without authorisation)."""
    _require_child(child)
    if kind not in MissingKind.values:
        raise ValidationFailed({"kind": ["Select missing or away"]})
    _not_future_moment(started_at, "started_at", "The time the child went missing")
    if MissingEpisode.objects.filter(child=child, returned_at__isnull=True).exists():
        raise ValidationFailed("This child is already recorded as missing: record their return first")
    episode = MissingEpisode(child=child, kind=kind, started_at=started_at)
    create_audited(episode, actor=actor, action="missing.started", child_id=child.pk, request_id=request_id)
    _refresh(child.pk)
    return episode


@service
def missing_return_record(
    *, actor: Any, episode: MissingEpisode, returned_at: dt.datetime, request_id: str = ""
) -> MissingEpisode:
    """The child returned: the 72-hour return home interview clock starts."""
    if episode.returned_at is not None:
        raise ValidationFailed("The child's return is already recorded")
    _not_future_moment(returned_at, "returned_at", "The time the child returned")
    if returned_at < episode.started_at:
        raise ValidationFailed({"returned_at": ["The return cannot be before the child went missing"]})
    update_audited(
        episode,
        actor=actor,
        action="missing.returned",
        child_id=episode.child_id,
        changes={"returned_at": returned_at},
        request_id=request_id,
    )
    _refresh(episode.child_id)
    return episode


@service
def return_interview_record(
    *,
    actor: Any,
    episode: MissingEpisode,
    offered_at: dt.datetime,
    accepted: bool | None = None,
    outcome: str = "",
    request_id: str = "",
) -> MissingEpisode:
    """The independent return home interview was offered at ``offered_at`` (held then, if accepted).
    The offer meets the 72-hour clock (``rhi_at`` holds when it was offered)."""
    if episode.returned_at is None:
        raise ValidationFailed("Record the child's return before the return interview")
    if episode.rhi_at is not None:
        raise ValidationFailed("A return interview is already recorded for this episode")
    _not_future_moment(offered_at, "offered_at", "The time of the return interview")
    if offered_at < episode.returned_at:
        raise ValidationFailed({"offered_at": ["The interview cannot be offered before the child returned"]})
    update_audited(
        episode,
        actor=actor,
        action="missing.return_interview",
        child_id=episode.child_id,
        changes={"rhi_offered": True, "rhi_accepted": accepted, "rhi_at": offered_at, "rhi_outcome": outcome},
        request_id=request_id,
    )
    _refresh(episode.child_id)
    return episode


# --- care leavers -----------------------------------------------------------------------------------------------


@service
def pathway_plan_review_record(
    *, actor: Any, child: Person, held_on: dt.date, request_id: str = ""
) -> PathwayPlanReview:
    """A pathway plan (the first one) or a review of it: the 6-monthly review clock runs from it."""
    _require_child(child)
    _not_future(held_on, "held_on", "The date of the pathway plan review")
    if not PeriodOfCare.objects.filter(child=child, start_date__lte=held_on).exists():
        raise ValidationFailed("A pathway plan is only for a child who is or has been looked after")
    if PathwayPlanReview.objects.filter(child=child, held_on=held_on).exists():
        raise ValidationFailed({"held_on": ["A pathway plan review is already recorded on this date"]})
    review = PathwayPlanReview(child=child, held_on=held_on)
    create_audited(review, actor=actor, action="pathway_plan.reviewed", child_id=child.pk, request_id=request_id)
    _refresh(child.pk)
    return review


@service
def care_leaver_record(
    *,
    actor: Any,
    child: Person,
    personal_adviser: Any = None,
    staying_put: bool = False,
    request_id: str = "",
) -> CareLeaver:
    """Record (or update) the young person's leaving-care status: the eligibility category is derived from
    the care history, never typed; the personal adviser and Staying Put are recorded."""
    from safehold.looked_after.selectors import eligibility_for

    _require_child(child)
    result = eligibility_for(child=child)
    if result.category is None:
        raise ValidationFailed("This young person is not entitled to leaving-care support: " + "; ".join(
            result.reasons
        ))
    if staying_put and result.category != CareLeaverEligibility.FORMER_RELEVANT:
        raise ValidationFailed({"staying_put": ["Staying Put is for a former relevant young person aged 18 or over"]})
    existing = CareLeaver.objects.select_for_update().filter(child=child).first()
    values = {"eligibility": result.category, "personal_adviser": personal_adviser, "staying_put": staying_put}
    if existing is None:
        leaver = CareLeaver(child=child, **values)
        create_audited(leaver, actor=actor, action="care_leaver.recorded", child_id=child.pk, request_id=request_id)
    else:
        leaver = update_audited(
            existing, actor=actor, action="care_leaver.updated", child_id=child.pk, changes=values,
            request_id=request_id,
        )
    if not child.care_experienced:
        from safehold.people.services import person_update

        person_update(
            actor=actor, person=child, expected_version=child.version, care_experienced=True, request_id=request_id
        )
    return leaver


@service
def care_leaver_contact_record(
    *,
    actor: Any,
    child: Person,
    contacted_on: dt.date,
    in_touch: str,
    activity: str,
    accommodation: str,
    request_id: str = "",
) -> CareLeaverContact:
    """Contact with a care leaver (903 OC3): in touch, activity and accommodation. A young person who is not
    in touch (or has died, refused or returned home) has activity and accommodation "0"."""
    _require_child(child)
    _not_future(contacted_on, "contacted_on", "The date of the contact")
    if not CareLeaver.objects.filter(child=child).exists():
        raise ValidationFailed("Record the young person's leaving-care status first")
    errors: dict[str, list[str]] = {}
    if in_touch not in InTouch.values:
        errors["in_touch"] = ["Select whether the council is in touch"]
    elif in_touch == InTouch.YES:
        if activity == "0":
            errors["activity"] = ["Select the young person's main activity"]
        if accommodation == "0":
            errors["accommodation"] = ["Select the young person's accommodation"]
    else:
        if activity != "0":
            errors["activity"] = ["When the council is not in touch, the activity is 'not in touch'"]
        if accommodation != "0":
            errors["accommodation"] = ["When the council is not in touch, the accommodation is 'not in touch'"]
    if errors:
        raise ValidationFailed(errors)
    contact = CareLeaverContact(
        child=child, contacted_on=contacted_on, in_touch=in_touch, activity=activity, accommodation=accommodation
    )
    create_audited(contact, actor=actor, action="care_leaver.contact", child_id=child.pk, request_id=request_id)
    return contact


# --- personal adviser visits while the council provides accommodation (CLR reg 8) ---------------------------


def _require_care_leaver(child: Person) -> CareLeaver:
    leaver = CareLeaver.objects.filter(child=child).first()
    if leaver is None:
        raise ValidationFailed("Record the young person's leaving-care status first")
    return leaver


@service
def leaving_care_accommodation_start(
    *,
    actor: Any,
    child: Person,
    provided_from: dt.date,
    basis: str,
    description: str,
    request_id: str = "",
) -> LeavingCareAccommodation:
    """The council starts to provide a care leaver's accommodation (s.23B(8) or s.24B(5)): the personal adviser
    must visit there within 7 days (CLR reg 8). One spell at a time; a new spell restarts the 7-day visit."""
    _require_child(child)
    _require_care_leaver(child)
    errors: dict[str, list[str]] = {}
    if basis not in AccommodationBasis.values:
        errors["basis"] = ["Select why the council provides the accommodation"]
    if not description.strip():
        errors["description"] = ["Enter the kind of accommodation"]
    if errors:
        raise ValidationFailed(errors)
    _not_future(provided_from, "provided_from", "The date the accommodation was first provided")
    _not_before_birth(child, provided_from, "provided_from", "The date the accommodation was first provided")
    current = LeavingCareAccommodation.objects.select_for_update().filter(child=child, provided_until__isnull=True)
    if current.exists():
        raise ValidationFailed("The council already provides accommodation for this young person: end it first")
    latest = LeavingCareAccommodation.objects.filter(child=child).order_by("-provided_until").first()
    if latest is not None and latest.provided_until is not None and provided_from < latest.provided_until:
        raise ValidationFailed(
            {"provided_from": ["New accommodation cannot start before the last accommodation ended"]}
        )
    spell = LeavingCareAccommodation(
        child=child, basis=basis, description=description.strip(), provided_from=provided_from
    )
    create_audited(
        spell, actor=actor, action="leaving_care_accommodation.started", child_id=child.pk, request_id=request_id
    )
    _refresh(child.pk)
    return spell


@service
def leaving_care_accommodation_end(
    *,
    actor: Any,
    accommodation: LeavingCareAccommodation,
    expected_version: int,
    provided_until: dt.date,
    request_id: str = "",
) -> LeavingCareAccommodation:
    """The council no longer provides the accommodation: the personal adviser visit clock stops."""
    if accommodation.provided_until is not None:
        raise ValidationFailed("This accommodation has already ended")
    _not_future(provided_until, "provided_until", "The date the accommodation ended")
    if provided_until < accommodation.provided_from:
        raise ValidationFailed({"provided_until": ["The accommodation cannot end before it was first provided"]})
    update_audited(
        accommodation,
        actor=actor,
        action="leaving_care_accommodation.ended",
        child_id=accommodation.child_id,
        changes={"provided_until": provided_until},
        expected_version=expected_version,
        request_id=request_id,
    )
    _refresh(accommodation.child_id)
    return accommodation


@service
def pa_visit_record(
    *,
    actor: Any,
    child: Person,
    visited_on: dt.date,
    seen: bool,
    worker: Any = None,
    notes: str = "",
    request_id: str = "",
) -> Any:
    """A personal adviser's visit to a care leaver (a casework visit of type "care_leaver"). While the council
    provides accommodation, a visit at which the young person was seen meets the current reg 8 visit and starts
    the next 2-month one (the chain runs from the last actual visit)."""
    from safehold.casework.services import visit_record

    _require_child(child)
    _require_care_leaver(child)
    return visit_record(
        actor=actor,
        child=child,
        visit_type="care_leaver",
        visited_on=visited_on,
        seen=seen,
        worker=worker,
        notes=notes,
        request_id=request_id,
    )


# --- adoption and permanence (M10) -------------------------------------------------------------------------------

#: The milestones of an adoption journey, in the order they must happen (each not before the one before).
ADOPTION_MILESTONES: tuple[tuple[str, str], ...] = (
    ("decision_date", "The decision that the child should be placed for adoption"),
    ("placement_order_date", "The placement order"),
    ("matched_date", "The match with adopters"),
    ("placed_date", "The placement for adoption"),
    ("adoption_order_date", "The adoption order"),
)


def _check_adoption_dates(child: Person, dates: dict[str, dt.date | None]) -> None:
    errors: dict[str, list[str]] = {}
    for name, label in ADOPTION_MILESTONES:
        value = dates.get(name)
        if value is None:
            continue
        if value > clock.today():
            errors.setdefault(name, []).append(f"{label} cannot be in the future")
        elif child.date_of_birth is not None and value < child.date_of_birth:
            errors.setdefault(name, []).append(f"{label} cannot be before the child was born")
    previous: tuple[str, dt.date] | None = None
    for name, label in ADOPTION_MILESTONES:
        value = dates.get(name)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            before = dict(ADOPTION_MILESTONES)[previous[0]]
            before = before[:1].lower() + before[1:]
            errors.setdefault(name, []).append(
                f"{label} cannot be before {before} ({previous[1]:%-d %B %Y})"
            )
        previous = (name, value)
    needs = (("placed_date", "matched_date", "Record the match before the placement for adoption"),
             ("adoption_order_date", "placed_date", "Record the placement for adoption before the adoption order"))
    for later, earlier, message in needs:
        if dates.get(later) is not None and dates.get(earlier) is None:
            errors.setdefault(later, []).append(message)
    if errors:
        raise ValidationFailed(errors)


@service
def adoption_journey_record(
    *,
    actor: Any,
    child: Person,
    decision_date: dt.date,
    placement_order_date: dt.date | None = None,
    matched_date: dt.date | None = None,
    placed_date: dt.date | None = None,
    adoption_order_date: dt.date | None = None,
    ceased_date: dt.date | None = None,
    ceased_reason: str = "",
    adopted_by_foster_carer: bool | None = None,
    expected_version: int | None = None,
    request_id: str = "",
) -> AdoptionJourney:
    """Record or move on the child's open adoption journey (903 PlacedAdoption and AD1): the best-interest
    decision, placement order, match, placement and adoption order, each not before the one before; or the
    decision that the child should no longer be placed (with its RD reason). A journey that ended (an order
    or a reversed decision) is closed: a new decision starts a new journey."""
    _require_child(child)
    dates = {"decision_date": decision_date, "placement_order_date": placement_order_date,
             "matched_date": matched_date, "placed_date": placed_date, "adoption_order_date": adoption_order_date}
    _check_adoption_dates(child, dates)
    if ceased_date is not None or ceased_reason:
        if ceased_date is None:
            raise ValidationFailed({"ceased_date": ["Enter the date of the decision no longer to place the child"]})
        if ceased_reason not in ReasonPlacedCeased.values:
            raise ValidationFailed({"ceased_reason": ["Select why the child should no longer be placed for adoption"]})
        if adoption_order_date is not None:
            raise ValidationFailed(
                {"ceased_date": ["An adoption order has been made: the decision can no longer be reversed"]}
            )
        _not_future(ceased_date, "ceased_date", "The date of the decision no longer to place")
        if ceased_date < decision_date:
            raise ValidationFailed(
                {"ceased_date": ["The decision no longer to place cannot be before the decision to place"]}
            )
    values: dict[str, Any] = {**dates, "ceased_date": ceased_date, "ceased_reason": ceased_reason,
                              "adopted_by_foster_carer": adopted_by_foster_carer}
    journey = (
        AdoptionJourney.objects.select_for_update()
        .filter(child=child, adoption_order_date__isnull=True, ceased_date__isnull=True)
        .order_by("-decision_date", "-pk")
        .first()
    )
    if journey is None:
        journey = AdoptionJourney(child=child, **values)
        create_audited(journey, actor=actor, action="adoption.recorded", child_id=child.pk, request_id=request_id)
        return journey
    if expected_version is None:
        raise ValidationFailed("This child's adoption journey has changed: reload the page and try again")
    update_audited(journey, actor=actor, action="adoption.updated", child_id=child.pk, changes=values,
                   expected_version=expected_version, request_id=request_id)
    return journey


# --- SDQ and UASC -----------------------------------------------------------------------------------------------


@service
def sdq_record(
    *, actor: Any, child: Person, done_on: dt.date, score: int | None = None, reason: str = "", request_id: str = ""
) -> SDQAssessment:
    """A Strengths and Difficulties Questionnaire (903 OC2): a total score 0-40, or the reason there is none."""
    _require_child(child)
    _not_future(done_on, "done_on", "The date of the SDQ")
    _not_before_birth(child, done_on, "done_on", "The date of the SDQ")
    if score is not None and reason:
        raise ValidationFailed({"reason": ["Give either a score or a reason there is no score, not both"]})
    if score is None and not reason:
        raise ValidationFailed({"score": ["Enter the total score, or select why there is no score"]})
    if score is not None and not 0 <= score <= 40:
        raise ValidationFailed({"score": ["The total score must be between 0 and 40"]})
    if reason and reason not in SDQReason.values:
        raise ValidationFailed({"reason": ["Select why there is no score"]})
    sdq = SDQAssessment(child=child, done_on=done_on, score=score, reason=reason)
    create_audited(sdq, actor=actor, action="sdq.recorded", child_id=child.pk, request_id=request_id)
    return sdq


@service
def uasc_record(
    *, actor: Any, child: Person, expected_version: int, uasc: bool, ceased_on: dt.date | None = None,
    request_id: str = "",
) -> Person:
    """Whether the child is an unaccompanied asylum-seeking child, and the date UASC status ceased (903 DUC)."""
    from safehold.people.services import person_update

    _require_child(child)
    if ceased_on is not None:
        if not uasc:
            raise ValidationFailed({"ceased_on": ["Only a child recorded as UASC can have a date UASC status ceased"]})
        _not_future(ceased_on, "ceased_on", "The date UASC status ceased")
        _not_before_birth(child, ceased_on, "ceased_on", "The date UASC status ceased")
    result: Person = person_update(actor=actor, person=child, expected_version=expected_version, uasc=uasc,
                                   uasc_ceased=ceased_on, request_id=request_id)
    return result
