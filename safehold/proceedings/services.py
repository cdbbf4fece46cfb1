"""Writes about pre-proceedings and care proceedings. Each service validates, writes, audits and, where a clock
moves, recalculates the child's deadlines in the same transaction.

* ``proceedings_issue`` starts the 26-week ``plo_proceedings`` clock (CA89 s.32(1)(a)(ii)). From the date in
  ``settings.SAFEHOLD_FGDM_DUTY_FROM`` it is refused until a family group decision-making meeting has been offered
  (CWSA26 s.1, new CA89 s.31ZA) and, if the family accepted, held (or the reason it is not in the child's best
  interests to hold it first is recorded).
* ``extension_record`` moves the due date to the date the court extended the timetable to (s.32(5): up to 8
  weeks at a time).
* ``proceedings_conclude`` meets the clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.people.models import Person
from safehold.proceedings.choices import (
    ApplicationType,
    FGDMResponse,
    HearingKind,
    MeetingKind,
    PreProceedingsDecision,
    ProceedingsOutcome,
)
from safehold.proceedings.models import Extension, Hearing, PreProceedings, PreProceedingsMeeting, Proceedings

__all__ = [
    "MAX_EXTENSION",
    "extension_record",
    "fgdm_duty_applies",
    "fgdm_duty_from",
    "fgdm_offer_record",
    "hearing_record",
    "letter_before_proceedings_record",
    "pre_proceedings_decide",
    "pre_proceedings_meeting_record",
    "pre_proceedings_start",
    "proceedings_conclude",
    "proceedings_issue",
    "statutory_limit",
    "timetable_end",
]

#: CA89 s.32(5)-(8): each extension ends no more than 8 weeks after the timetable it extends.
MAX_EXTENSION = dt.timedelta(weeks=8)


def _refresh(child_id: int) -> None:
    from safehold.timescales.services import deadlines_refresh_child

    deadlines_refresh_child(child_id=child_id)


def _require_child(child: Person) -> None:
    if not child.is_child_record or child.merged_into_id is not None:
        raise ValidationFailed("This person does not have a child's record")


def _not_future(value: dt.date, field: str, label: str) -> None:
    if value > clock.today():
        raise ValidationFailed({field: [f"{label} cannot be in the future"]})


def fgdm_duty_from() -> dt.date:
    """The date the FGDM duty (CWSA26 s.1) applies from, as configured."""
    value: dt.date = settings.SAFEHOLD_FGDM_DUTY_FROM
    return value


def fgdm_duty_applies(on: dt.date) -> bool:
    """True when an application issued on ``on`` needs an FGDM offer first (CWSA26 s.1 in force)."""
    return on >= fgdm_duty_from()


def statutory_limit(proceedings: Proceedings) -> dt.date:
    """The end of the 26 weeks beginning with the day of issue (from the rule table, so counted one way only)."""
    from safehold.timescales.services import due_date

    return due_date("plo_proceedings", proceedings.issued_on)  # type: ignore[no-any-return]


def timetable_end(proceedings: Proceedings) -> dt.date:
    """The current end of the timetable: the 26-week limit, or the latest date the court extended it to."""
    latest = proceedings.extensions.order_by("-extended_to").values_list("extended_to", flat=True).first()
    limit = statutory_limit(proceedings)
    return max(limit, latest) if latest else limit


# --- pre-proceedings ---------------------------------------------------------------------------------------


@service
def pre_proceedings_start(*, actor: Any, child: Person, started_on: dt.date, request_id: str = "") -> PreProceedings:
    """The council decides to start pre-proceedings under the Public Law Outline."""
    _require_child(child)
    _not_future(started_on, "started_on", "The date pre-proceedings started")
    if PreProceedings.objects.select_for_update().filter(child=child, decided_on__isnull=True).exists():
        raise ValidationFailed("This child is already in pre-proceedings")
    if Proceedings.objects.filter(child=child, concluded_on__isnull=True).exists():
        raise ValidationFailed("Care proceedings are already under way for this child")
    pp = PreProceedings(child=child, started_on=started_on)
    return create_audited(pp, actor=actor, action="pre_proceedings.started", child_id=child.pk, request_id=request_id)


def _open(pp: PreProceedings) -> None:
    if not pp.is_open:
        raise ValidationFailed("Pre-proceedings have ended for this child")


@service
def letter_before_proceedings_record(
    *, actor: Any, pre_proceedings: PreProceedings, expected_version: int, sent_on: dt.date, request_id: str = ""
) -> PreProceedings:
    """The letter before proceedings was sent to the parents (with the FGDM offer, once the duty applies)."""
    _open(pre_proceedings)
    if pre_proceedings.letter_sent_on is not None:
        raise ValidationFailed("The letter before proceedings is already recorded")
    _not_future(sent_on, "sent_on", "The date the letter was sent")
    if sent_on < pre_proceedings.started_on:
        raise ValidationFailed({"sent_on": ["The letter cannot be sent before pre-proceedings started"]})
    return update_audited(
        pre_proceedings,
        actor=actor,
        action="pre_proceedings.letter_sent",
        child_id=pre_proceedings.child_id,
        changes={"letter_sent_on": sent_on},
        expected_version=expected_version,
        request_id=request_id,
    )


@service
def fgdm_offer_record(
    *,
    actor: Any,
    pre_proceedings: PreProceedings,
    expected_version: int,
    offered_on: dt.date,
    response: str,
    held_on: dt.date | None = None,
    not_held_reason: str = "",
    request_id: str = "",
) -> PreProceedings:
    """The offer of a family group decision-making meeting, the family's answer and, if it was accepted, when the
    meeting was held (or why holding it before an application is not in the child's best interests)."""
    _open(pre_proceedings)
    errors: dict[str, list[str]] = {}
    if response not in FGDMResponse.values:
        errors["response"] = ["Select the family's answer to the offer"]
    if offered_on > clock.today():
        errors["offered_on"] = ["The date of the offer cannot be in the future"]
    elif offered_on < pre_proceedings.started_on:
        errors["offered_on"] = ["The offer cannot be before pre-proceedings started"]
    if held_on is not None:
        if response != FGDMResponse.ACCEPTED:
            errors["held_on"] = ["A meeting can only be held if the family accepted the offer"]
        elif held_on > clock.today():
            errors["held_on"] = ["The date of the meeting cannot be in the future"]
        elif held_on < offered_on:
            errors["held_on"] = ["The meeting cannot be held before it was offered"]
    if not_held_reason.strip() and response != FGDMResponse.ACCEPTED:
        errors["not_held_reason"] = ["Give a reason only when the family accepted the meeting"]
    if errors:
        raise ValidationFailed(errors)
    return update_audited(
        pre_proceedings,
        actor=actor,
        action="pre_proceedings.fgdm_offer",
        child_id=pre_proceedings.child_id,
        changes={
            "fgdm_offered_on": offered_on,
            "fgdm_response": response,
            "fgdm_held_on": held_on,
            "fgdm_not_held_reason": not_held_reason.strip(),
        },
        expected_version=expected_version,
        request_id=request_id,
    )


@service
def pre_proceedings_meeting_record(
    *,
    actor: Any,
    pre_proceedings: PreProceedings,
    kind: str,
    held_on: dt.date,
    next_review_on: dt.date | None = None,
    notes: str = "",
    request_id: str = "",
) -> PreProceedingsMeeting:
    """A pre-proceedings meeting with the parents and their lawyers, or a review, with the next review date."""
    _open(pre_proceedings)
    errors: dict[str, list[str]] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = ["Select the kind of meeting"]
    if held_on > clock.today():
        errors["held_on"] = ["The date of the meeting cannot be in the future"]
    elif held_on < pre_proceedings.started_on:
        errors["held_on"] = ["The meeting cannot be before pre-proceedings started"]
    if next_review_on is not None and next_review_on <= held_on:
        errors["next_review_on"] = ["The review must be after the meeting"]
    if errors:
        raise ValidationFailed(errors)
    meeting = PreProceedingsMeeting(
        pre_proceedings=pre_proceedings, kind=kind, held_on=held_on, next_review_on=next_review_on, notes=notes
    )
    return create_audited(
        meeting,
        actor=actor,
        action="pre_proceedings.meeting",
        child_id=pre_proceedings.child_id,
        request_id=request_id,
    )


@service
def pre_proceedings_decide(
    *,
    actor: Any,
    pre_proceedings: PreProceedings,
    expected_version: int,
    decision: str,
    decided_on: dt.date,
    request_id: str = "",
) -> PreProceedings:
    """End pre-proceedings: apply to the court, or step down without applying."""
    _open(pre_proceedings)
    if decision not in PreProceedingsDecision.values:
        raise ValidationFailed({"decision": ["Select the decision"]})
    _not_future(decided_on, "decided_on", "The date of the decision")
    if decided_on < pre_proceedings.started_on:
        raise ValidationFailed({"decided_on": ["The decision cannot be before pre-proceedings started"]})
    return update_audited(
        pre_proceedings,
        actor=actor,
        action="pre_proceedings.decided",
        child_id=pre_proceedings.child_id,
        changes={"decision": decision, "decided_on": decided_on},
        expected_version=expected_version,
        request_id=request_id,
    )


# --- proceedings --------------------------------------------------------------------------------------------


def _fgdm_refusal(pp: PreProceedings | None, issued_on: dt.date) -> str:
    """Why the FGDM duty stops this application, in plain English ("" when it does not)."""
    if not fgdm_duty_applies(issued_on):
        return ""
    if pp is None or pp.fgdm_offered_on is None or pp.fgdm_offered_on > issued_on:
        return (
            "The council must offer the family a family group decision-making meeting before it applies for a care "
            "or supervision order (Children's Wellbeing and Schools Act 2026, section 1). Record the offer in "
            "pre-proceedings first."
        )
    held_first = pp.fgdm_held_on is not None and pp.fgdm_held_on <= issued_on
    if pp.fgdm_response == FGDMResponse.ACCEPTED and not held_first and not pp.fgdm_not_held_reason:
        return (
            "The family accepted the family group decision-making meeting, so it must be held before the application "
            "unless that is not in the child's best interests. Record the meeting, or why holding it first is not "
            "in the child's best interests."
        )
    return ""


@service
def proceedings_issue(
    *,
    actor: Any,
    child: Person,
    application_type: str,
    issued_on: dt.date,
    court: str,
    case_number: str = "",
    request_id: str = "",
) -> Proceedings:
    """The application for a care or supervision order was issued: the 26-week clock starts. The child's open
    pre-proceedings (or the last ones, if they ended with a decision to apply) become part of the case."""
    _require_child(child)
    errors: dict[str, list[str]] = {}
    if application_type not in ApplicationType.values:
        errors["application_type"] = ["Select the order applied for"]
    if not court.strip():
        errors["court"] = ["Enter the court"]
    if errors:
        raise ValidationFailed(errors)
    _not_future(issued_on, "issued_on", "The date the application was issued")
    if Proceedings.objects.select_for_update().filter(child=child, concluded_on__isnull=True).exists():
        raise ValidationFailed("Care proceedings are already under way for this child")
    pp = (
        PreProceedings.objects.select_for_update(of=("self",))
        .filter(child=child, proceedings__isnull=True)
        .exclude(decision=PreProceedingsDecision.STEP_DOWN)
        .order_by("-started_on", "-pk")
        .first()
    )
    if pp is not None and issued_on < pp.started_on:
        raise ValidationFailed({"issued_on": ["The application cannot be issued before pre-proceedings started"]})
    refusal = _fgdm_refusal(pp, issued_on)
    if refusal:
        raise ValidationFailed(refusal)
    if pp is not None and pp.is_open:
        update_audited(
            pp,
            actor=actor,
            action="pre_proceedings.decided",
            child_id=child.pk,
            changes={"decision": PreProceedingsDecision.ISSUE, "decided_on": issued_on},
            request_id=request_id,
        )
    proceedings = Proceedings(
        child=child,
        pre_proceedings=pp,
        application_type=application_type,
        issued_on=issued_on,
        court=court.strip(),
        case_number=case_number.strip(),
    )
    create_audited(proceedings, actor=actor, action="proceedings.issued", child_id=child.pk, request_id=request_id)
    _refresh(child.pk)
    return proceedings


def _open_proceedings(proceedings: Proceedings) -> None:
    if not proceedings.is_open:
        raise ValidationFailed("These proceedings have concluded")


@service
def hearing_record(
    *, actor: Any, proceedings: Proceedings, kind: str, heard_on: dt.date, notes: str = "", request_id: str = ""
) -> Hearing:
    """A hearing in the proceedings: held, or listed for a later date."""
    _open_proceedings(proceedings)
    if kind not in HearingKind.values:
        raise ValidationFailed({"kind": ["Select the kind of hearing"]})
    if heard_on < proceedings.issued_on:
        raise ValidationFailed({"heard_on": ["A hearing cannot be before the application was issued"]})
    hearing = Hearing(proceedings=proceedings, kind=kind, heard_on=heard_on, notes=notes)
    return create_audited(
        hearing, actor=actor, action="proceedings.hearing", child_id=proceedings.child_id, request_id=request_id
    )


@service
def extension_record(
    *,
    actor: Any,
    proceedings: Proceedings,
    granted_on: dt.date,
    extended_to: dt.date,
    reason: str,
    request_id: str = "",
) -> Extension:
    """The court extended the timetable (CA89 s.32(5)): to no more than 8 weeks after its current end, granted
    before that end. The deadline moves to the new date."""
    _open_proceedings(proceedings)
    current_end = timetable_end(proceedings)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Enter why the court found the extension necessary"]
    if granted_on > clock.today():
        errors["granted_on"] = ["The date the extension was granted cannot be in the future"]
    elif granted_on < proceedings.issued_on:
        errors["granted_on"] = ["An extension cannot be granted before the application was issued"]
    elif granted_on > current_end:
        errors["granted_on"] = [f"The timetable had already ended on {current_end:%-d %B %Y}"]
    if extended_to <= current_end:
        errors["extended_to"] = [f"The extension must end after the current timetable ends ({current_end:%-d %B %Y})"]
    elif extended_to > current_end + MAX_EXTENSION:
        errors["extended_to"] = [
            f"An extension can be for no more than 8 weeks: to {current_end + MAX_EXTENSION:%-d %B %Y} at the latest"
        ]
    if errors:
        raise ValidationFailed(errors)
    extension = Extension(
        proceedings=proceedings, granted_on=granted_on, extended_to=extended_to, reason=reason.strip()
    )
    create_audited(
        extension, actor=actor, action="proceedings.extended", child_id=proceedings.child_id, request_id=request_id
    )
    _refresh(proceedings.child_id)
    return extension


@service
def proceedings_conclude(
    *,
    actor: Any,
    proceedings: Proceedings,
    expected_version: int,
    concluded_on: dt.date,
    outcome: str,
    request_id: str = "",
) -> Proceedings:
    """The final order was made (or the application withdrawn): the 26-week clock is met."""
    _open_proceedings(proceedings)
    if outcome not in ProceedingsOutcome.values:
        raise ValidationFailed({"outcome": ["Select the outcome"]})
    _not_future(concluded_on, "concluded_on", "The date the proceedings concluded")
    if concluded_on < proceedings.issued_on:
        raise ValidationFailed({"concluded_on": ["Proceedings cannot conclude before the application was issued"]})
    update_audited(
        proceedings,
        actor=actor,
        action="proceedings.concluded",
        child_id=proceedings.child_id,
        changes={"concluded_on": concluded_on, "outcome": outcome},
        expected_version=expected_version,
        request_id=request_id,
    )
    _refresh(proceedings.child_id)
    return proceedings
