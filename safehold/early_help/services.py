"""Early help writes. Each service validates, writes and audits in one transaction; a refusal
(``ValidationFailed``) rolls everything back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safehold.casework import services as casework
from safehold.casework.choices import ContactOutcome, ReferralSource, ThresholdLevel
from safehold.casework.models import CINEpisode, Contact
from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.early_help.choices import ClosureOutcome, ConsentScope, EpisodeOrigin
from safehold.early_help.domain import HistoryFacts, history_summary
from safehold.early_help.models import (
    Consent,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EpisodeChild,
    FamilyGoal,
    GoalProgress,
    PartnerMembership,
    PartnerOrganisation,
    Review,
    TAFMember,
)
from safehold.people.models import Household, HouseholdMember, Person


def _not_future(value: dt.date, field: str, label: str) -> None:
    if value > clock.today():
        raise ValidationFailed({field: [f"{label} cannot be in the future"]})


def _open(episode: EarlyHelpEpisode) -> None:
    if episode.closed_on is not None:
        raise ValidationFailed("This early help episode is closed")


def _refresh(episode: EarlyHelpEpisode) -> None:
    """Recalculate the family's children's deadlines (the early help clocks are the engine's, per child)."""
    from safehold.timescales.services import deadlines_refresh_child

    for child_id in episode.children.order_by("child_id").values_list("child_id", flat=True):
        deadlines_refresh_child(child_id=child_id)


def _child_id(episode: EarlyHelpEpisode) -> int | None:
    first = episode.children.order_by("pk").first()
    return first.child_id if first else None


def household_for(*, actor: Any, child: Person, request_id: str = "") -> Household:
    """The child's current household, or a new one holding just the child."""
    member = (
        HouseholdMember.objects.filter(person=child, end_date__isnull=True).select_related("household").first()
    )
    if member is not None:
        return member.household
    household = create_audited(
        Household(name=f"{child.family_name} family"), actor=actor, action="household.created",
        child_id=child.pk, request_id=request_id,
    )
    create_audited(
        HouseholdMember(household=household, person=child, start_date=clock.today()), actor=actor,
        action="household.member_added", child_id=child.pk, request_id=request_id,
    )
    return household


def _household_children(household: Household) -> list[Person]:
    return [
        m.person
        for m in household.members.filter(end_date__isnull=True, person__is_child_record=True,
                                           person__merged_into__isnull=True).select_related("person")
    ]


def _lead(lead_staff: Any, lead_user: Any) -> dict[str, Any]:
    if lead_staff is not None and lead_user is not None:
        raise ValidationFailed({"lead": ["Choose one lead practitioner"]})
    organisation = None
    if lead_user is not None:
        membership = PartnerMembership.objects.filter(user=lead_user).select_related("organisation").first()
        if membership is None:
            raise ValidationFailed({"lead": ["This partner user has no organisation recorded"]})
        organisation = membership.organisation
    return {"lead_staff": lead_staff, "lead_user": lead_user, "lead_organisation": organisation}


def _open_episode(
    *, actor: Any, household: Household, children: list[Person], request_id: str, **fields: Any
) -> EarlyHelpEpisode:
    if EarlyHelpEpisode.objects.filter(household=household, closed_on__isnull=True).exists():
        raise ValidationFailed("This family already has an open early help episode")
    ids = {c.pk for c in children}
    everyone = children + [c for c in _household_children(household) if c.pk not in ids]
    episode = EarlyHelpEpisode(household=household, **fields)
    create_audited(episode, actor=actor, action="early_help.opened", child_id=everyone[0].pk if everyone else None,
                   request_id=request_id)
    for child in everyone:
        create_audited(EpisodeChild(episode=episode, child=child), actor=actor, action="early_help.child_added",
                       child_id=child.pk, request_id=request_id)
    return episode


@service
def early_help_open_from_contact(
    *,
    actor: Any,
    contact: Contact,
    opened_on: dt.date,
    lead_staff: Any = None,
    lead_user: Any = None,
    request_id: str = "",
) -> EarlyHelpEpisode:
    """Open early help for the child's family from a contact the front door decided as early help."""
    if contact.outcome != ContactOutcome.EARLY_HELP:
        raise ValidationFailed("Only a contact decided as early help can open an early help episode")
    if EarlyHelpEpisode.objects.filter(contact=contact).exists():
        raise ValidationFailed("Early help has already been opened from this contact")
    _not_future(opened_on, "opened_on", "The date early help started")
    if contact.decided_at and opened_on < contact.decided_at.date():
        raise ValidationFailed({"opened_on": ["Early help cannot start before the front door's decision"]})
    household = household_for(actor=actor, child=contact.child, request_id=request_id)
    return _open_episode(
        actor=actor, household=household, children=[contact.child], request_id=request_id,
        origin=EpisodeOrigin.CONTACT, contact=contact, reason=contact.decision_reason, opened_on=opened_on,
        **_lead(lead_staff, lead_user),
    )


@service
def early_help_step_down(
    *,
    actor: Any,
    cin_episode: CINEpisode,
    summary: str,
    opened_on: dt.date,
    lead_staff: Any = None,
    lead_user: Any = None,
    request_id: str = "",
) -> EarlyHelpEpisode:
    """Step down from a closed child-in-need or child protection episode into early help. ``summary`` is
    written by the social worker for the lead practitioner: the only part of the social-care record a
    partner lead practitioner sees."""
    if cin_episode.closure_date is None:
        raise ValidationFailed("Close the child-in-need episode before stepping down to early help")
    if EarlyHelpEpisode.objects.filter(stepped_down_from=cin_episode).exists():
        raise ValidationFailed("This episode has already been stepped down to early help")
    if not summary.strip():
        raise ValidationFailed({"summary": ["Enter the step-down summary for the lead practitioner"]})
    _not_future(opened_on, "opened_on", "The date early help started")
    if opened_on < cin_episode.closure_date:
        raise ValidationFailed({"opened_on": ["Early help cannot start before the social-care episode closed"]})
    child = cin_episode.child
    household = household_for(actor=actor, child=child, request_id=request_id)
    return _open_episode(
        actor=actor, household=household, children=[child], request_id=request_id,
        origin=EpisodeOrigin.STEP_DOWN, stepped_down_from=cin_episode, step_down_summary=summary.strip(),
        opened_on=opened_on, **_lead(lead_staff, lead_user),
    )


@service
def consent_record(
    *, actor: Any, episode: EarlyHelpEpisode, given_by: str, given_on: dt.date, scopes: list[str],
    request_id: str = "",
) -> Consent:
    _open(episode)
    errors: dict[str, list[str]] = {}
    if not given_by.strip():
        errors["given_by"] = ["Enter who gave consent"]
    if not scopes:
        errors["scopes"] = ["Select what the family agreed may be shared"]
    elif set(scopes) - set(ConsentScope.values):
        errors["scopes"] = ["Select from the list"]
    if errors:
        raise ValidationFailed(errors)
    _not_future(given_on, "given_on", "The date consent was given")
    if given_on < episode.opened_on:
        raise ValidationFailed({"given_on": ["Consent cannot be before early help started"]})
    consent = Consent(episode=episode, given_by=given_by.strip(), given_on=given_on, scopes=sorted(set(scopes)))
    return create_audited(consent, actor=actor, action="early_help.consent_given", child_id=_child_id(episode),
                          request_id=request_id)


@service
def consent_withdraw(
    *, actor: Any, consent: Consent, withdrawn_on: dt.date, withdrawn_by: str = "", scopes: list[str] | None = None,
    request_id: str = "",
) -> Consent:
    """Record that the family withdrew consent: who told us, when, and which sharing (``None``: all of it).

    Early help is voluntary: once consent to share with the lead practitioner is withdrawn, a partner lead
    practitioner sees only the family's name, the children and who leads again (:func:`current_scopes`).
    A later withdrawal may add the scopes still given; nothing is deleted, and every withdrawal is audited.
    """
    _open(consent.episode)
    remaining = consent.current
    if not remaining:
        raise ValidationFailed("This consent has already been withdrawn")
    errors: dict[str, list[str]] = {}
    if not withdrawn_by.strip():
        errors["withdrawn_by"] = ["Enter who withdrew consent"]
    chosen = set(remaining if scopes is None else scopes)
    if not chosen:
        errors["scopes"] = ["Select what the family no longer agrees may be shared"]
    elif chosen - remaining:
        errors["scopes"] = ["Select from the sharing the family still agrees to"]
    if errors:
        raise ValidationFailed(errors)
    _not_future(withdrawn_on, "withdrawn_on", "The date consent was withdrawn")
    if withdrawn_on < consent.given_on:
        raise ValidationFailed({"withdrawn_on": ["Consent cannot be withdrawn before it was given"]})
    if consent.withdrawn_on and withdrawn_on < consent.withdrawn_on:
        raise ValidationFailed({"withdrawn_on": ["This is before the last withdrawal of this consent"]})
    return update_audited(
        consent, actor=actor, action="early_help.consent_withdrawn", child_id=_child_id(consent.episode),
        changes={"withdrawn_on": withdrawn_on, "withdrawn_by": withdrawn_by.strip(),
                 "withdrawn_scopes": sorted(consent.withdrawn | chosen)},
        request_id=request_id,
    )


def current_scopes(episode: EarlyHelpEpisode) -> set[str]:
    """What the family currently agrees may be shared: every consent given, less what was withdrawn."""
    scopes: set[str] = set()
    for consent in episode.consents.all():
        scopes |= consent.current
    return scopes


def _require_consent(episode: EarlyHelpEpisode, what: str) -> None:
    if ConsentScope.LEAD not in current_scopes(episode):
        raise ValidationFailed(f"Record the family's consent to sharing with the lead practitioner before {what}")


@service
def assessment_start(
    *, actor: Any, episode: EarlyHelpEpisode, start_date: dt.date, organisation: PartnerOrganisation,
    request_id: str = "",
) -> EarlyHelpAssessment:
    _open(episode)
    _require_consent(episode, "starting the assessment")
    _not_future(start_date, "start_date", "The start date")
    if start_date < episode.opened_on:
        raise ValidationFailed({"start_date": ["The assessment cannot start before early help started"]})
    if episode.assessments.filter(completed_date__isnull=True).exists():
        raise ValidationFailed("An early help assessment is already in progress")
    assessment = EarlyHelpAssessment(episode=episode, start_date=start_date, organisation=organisation)
    create_audited(assessment, actor=actor, action="early_help.assessment_started", child_id=_child_id(episode),
                   request_id=request_id)
    _refresh(episode)
    return assessment


@service
def assessment_complete(
    *, actor: Any, assessment: EarlyHelpAssessment, expected_version: int, completed_date: dt.date, needs: str,
    request_id: str = "",
) -> EarlyHelpAssessment:
    _open(assessment.episode)
    if assessment.completed_date:
        raise ValidationFailed("This assessment is already complete")
    if not needs.strip():
        raise ValidationFailed({"needs": ["Enter the needs the assessment identified"]})
    if completed_date < assessment.start_date:
        raise ValidationFailed({"completed_date": ["The assessment cannot be completed before it started"]})
    _not_future(completed_date, "completed_date", "The completion date")
    update_audited(
        assessment, actor=actor, action="early_help.assessment_completed", child_id=_child_id(assessment.episode),
        changes={"completed_date": completed_date, "needs": needs.strip()}, expected_version=expected_version,
        request_id=request_id,
    )
    _refresh(assessment.episode)
    return assessment


@service
def goal_add(*, actor: Any, episode: EarlyHelpEpisode, text: str, request_id: str = "") -> FamilyGoal:
    _open(episode)
    _require_consent(episode, "recording goals")
    if not text.strip():
        raise ValidationFailed({"text": ["Enter the family's goal"]})
    goal = FamilyGoal(episode=episode, text=text.strip(), set_on=clock.today())
    return create_audited(goal, actor=actor, action="early_help.goal_added", child_id=_child_id(episode),
                          request_id=request_id)


@service
def taf_member_add(
    *, actor: Any, episode: EarlyHelpEpisode, name: str, agency: str, role: str = "", request_id: str = ""
) -> TAFMember:
    _open(episode)
    if ConsentScope.TEAM not in current_scopes(episode):
        raise ValidationFailed("The family has not agreed to sharing with a team around the family")
    if not name.strip() or not agency.strip():
        raise ValidationFailed({"name": ["Enter the member's name and agency"]})
    member = TAFMember(episode=episode, name=name.strip(), agency=agency.strip(), role=role.strip())
    return create_audited(member, actor=actor, action="early_help.taf_member_added", child_id=_child_id(episode),
                          request_id=request_id)


@service
def review_record(
    *, actor: Any, episode: EarlyHelpEpisode, held_on: dt.date, scores: dict[int, int], notes: str = "",
    request_id: str = "",
) -> Review:
    _open(episode)
    goals = {g.pk: g for g in episode.goals.all()}
    if not goals:
        raise ValidationFailed("Record the family's goals before a review")
    if set(scores) != set(goals):
        raise ValidationFailed("Score progress against every goal")
    if any(not 0 <= s <= 10 for s in scores.values()):
        raise ValidationFailed("Progress is scored from 0 to 10")
    _not_future(held_on, "held_on", "The review date")
    done = episode.assessments.filter(completed_date__isnull=False).order_by("completed_date").first()
    if done is None or done.completed_date is None:
        raise ValidationFailed("Complete the early help assessment before the first review")
    if held_on < done.completed_date:
        raise ValidationFailed({"held_on": ["A review cannot be before the assessment was completed"]})
    review = create_audited(Review(episode=episode, held_on=held_on, notes=notes), actor=actor,
                            action="early_help.reviewed", child_id=_child_id(episode), request_id=request_id)
    for goal_id, score in scores.items():
        create_audited(GoalProgress(review=review, goal=goals[goal_id], score=score), actor=actor,
                       action="early_help.goal_scored", child_id=_child_id(episode), request_id=request_id)
    _refresh(episode)
    return review


@service
def episode_close(
    *, actor: Any, episode: EarlyHelpEpisode, expected_version: int, closed_on: dt.date, outcome: str,
    stepped_up_to: CINEpisode | None = None, request_id: str = "",
) -> EarlyHelpEpisode:
    _open(episode)
    if outcome not in ClosureOutcome.values:
        raise ValidationFailed({"outcome": ["Select the outcome"]})
    if outcome == ClosureOutcome.STEPPED_UP and stepped_up_to is None:
        raise ValidationFailed({"outcome": ["Use 'Step up to social care' to close by stepping up"]})
    if closed_on < episode.opened_on:
        raise ValidationFailed({"closed_on": ["Early help cannot close before it started"]})
    _not_future(closed_on, "closed_on", "The closure date")
    if episode.assessments.filter(completed_date__isnull=True).exists() and outcome == ClosureOutcome.NEEDS_MET:
        raise ValidationFailed("Complete the assessment before closing with needs met")
    update_audited(
        episode, actor=actor, action="early_help.closed", child_id=_child_id(episode),
        changes={"closed_on": closed_on, "closure_outcome": outcome, "stepped_up_to": stepped_up_to},
        expected_version=expected_version, request_id=request_id,
    )
    _refresh(episode)
    return episode


def history_for(episode: EarlyHelpEpisode, why: str) -> str:
    assessment = episode.assessments.order_by("-start_date").first()
    latest = episode.reviews.order_by("-held_on", "-pk").first()
    scores = {p.goal_id: p.score for p in latest.progress.all()} if latest else {}
    return history_summary(HistoryFacts(
        opened_on=episode.opened_on,
        origin=episode.get_origin_display(),
        lead=episode.lead_label,
        reason=episode.reason,
        needs=assessment.needs if assessment else "",
        assessment_start=assessment.start_date if assessment else None,
        assessment_completed=assessment.completed_date if assessment else None,
        goals=[(g.text, scores.get(g.pk)) for g in episode.goals.all()],
        taf=[f"{m.name} ({m.agency})" for m in episode.taf_members.all()],
        reviews=episode.reviews.count(),
        why_step_up=why.strip(),
    ))


@service
def early_help_step_up(
    *, actor: Any, episode: EarlyHelpEpisode, child: Person, reason: str, primary_need: str = "",
    decided_by: Any = None, request_id: str = "",
) -> CINEpisode:
    """Step up to children's social care: a contact from early help carrying the history, decided as a
    referral, a referral (``referral_create``) and the early help episode closed as stepped up."""
    _open(episode)
    if not reason.strip():
        raise ValidationFailed({"reason": ["Enter why the family needs children's social care"]})
    if not episode.children.filter(child=child).exists():
        raise ValidationFailed({"child": ["Select a child in this family"]})
    summary = history_for(episode, reason)
    now = clock.now()
    contact = casework.contact_record(actor=actor, child=child, received_at=now, source=ReferralSource.S5D,
                                      summary=summary, referrer_name=episode.lead_label, request_id=request_id)
    casework.contact_decide(actor=actor, contact=contact, expected_version=contact.version,
                            outcome=ContactOutcome.REFERRAL, threshold_level=ThresholdLevel.LEVEL3,
                            reason=f"Step-up from early help: {reason.strip()}", decided_at=now,
                            decided_by=decided_by, request_id=request_id)
    cin = casework.referral_create(actor=actor, child=child, referral_date=now.date(), source=ReferralSource.S5D,
                                   primary_need=primary_need, contact=contact, request_id=request_id)
    episode_close(actor=actor, episode=episode, expected_version=episode.version, closed_on=now.date(),
                  outcome=ClosureOutcome.STEPPED_UP, stepped_up_to=cin, request_id=request_id)
    return cin


@service
def organisation_create(*, actor: Any, name: str, kind: str) -> PartnerOrganisation:
    return create_audited(PartnerOrganisation(name=name, kind=kind), actor=actor,
                          action="early_help.organisation_created", child_id=None)


@service
def membership_set(*, actor: Any, user: Any, organisation: PartnerOrganisation) -> PartnerMembership:
    return create_audited(PartnerMembership(user=user, organisation=organisation), actor=actor,
                          action="early_help.partner_membership", child_id=None)
