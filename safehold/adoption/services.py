"""Writes about prospective adopters: the enquiry (a household of one or two adopters), each later step in order
(Annex A list 11's columns), and leaving the process with a reason. Each write is audited; none concerns a
child's record, so the audit events carry no child id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from safehold.adoption.models import STEP_LABELS, STEPS, Adopter, AdopterHousehold, LeavingReason
from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service

__all__ = ["AdopterDetails", "adopter_enquiry_record", "adopter_step_record", "adopters_leave"]


@dataclass(frozen=True, slots=True)
class AdopterDetails:
    given_name: str
    family_name: str
    sex: str = "U"
    ethnicity: str = "NOBT"
    disabled: bool = False


def _not_future(value: dt.date, field: str, label: str) -> None:
    if value > clock.today():
        raise ValidationFailed({field: [f"{label} cannot be in the future"]})


def _latest_date(household: AdopterHousehold) -> dt.date:
    dates = [household.enquiry_on, *(getattr(household, f) for f, _ in STEPS if getattr(household, f))]
    return max(dates)


@service
def adopter_enquiry_record(
    *,
    actor: Any,
    enquiry_on: dt.date,
    adopters: list[AdopterDetails],
    fostering_for_adoption: bool = False,
    request_id: str = "",
) -> AdopterHousehold:
    """An enquiry from one prospective adopter or a couple."""
    _not_future(enquiry_on, "enquiry_on", "The date of the enquiry")
    if not 1 <= len(adopters) <= 2:
        raise ValidationFailed("An enquiry is from one prospective adopter or a couple")
    household = AdopterHousehold(enquiry_on=enquiry_on, fostering_for_adoption=fostering_for_adoption)
    create_audited(household, actor=actor, action="adopters.enquiry", child_id=None, request_id=request_id)
    for details in adopters:
        adopter = Adopter(
            household=household,
            given_name=details.given_name.strip(),
            family_name=details.family_name.strip(),
            sex=details.sex,
            ethnicity=details.ethnicity,
            disabled=details.disabled,
        )
        create_audited(adopter, actor=actor, action="adopters.adopter_added", child_id=None, request_id=request_id)
    return household


@service
def adopter_step_record(
    *,
    actor: Any,
    household: AdopterHousehold,
    expected_version: int,
    step: str,
    on: dt.date,
    children_placed: int | None = None,
    request_id: str = "",
) -> AdopterHousehold:
    """Record the next step. Steps are taken in order, each on or after the one before."""
    if household.left_on is not None:
        raise ValidationFailed("This household has left the adoption process")
    nxt = household.next_step
    if nxt is None:
        raise ValidationFailed("Every step is recorded: the adoption order has been made")
    if step not in STEP_LABELS:
        raise ValidationFailed({"step": ["Select the step"]})
    if step != nxt[0]:
        raise ValidationFailed({"step": [f"The next step to record is: {nxt[1]}"]})
    _not_future(on, "on", "The date")
    previous = _latest_date(household)
    if on < previous:
        raise ValidationFailed({"on": [f"The date cannot be before the last step ({previous:%-d %B %Y})"]})
    changes: dict[str, Any] = {step: on}
    if step == "placed_on":
        if not children_placed or children_placed < 1:
            raise ValidationFailed({"children_placed": ["Enter how many children were placed"]})
        changes["children_placed"] = children_placed
    elif children_placed:
        raise ValidationFailed({"children_placed": ["Only enter the number of children when they are placed"]})
    return update_audited(  # type: ignore[no-any-return]
        household,
        actor=actor,
        action=f"adopters.{step}",
        child_id=None,
        changes=changes,
        expected_version=expected_version,
        request_id=request_id,
    )


@service
def adopters_leave(
    *,
    actor: Any,
    household: AdopterHousehold,
    expected_version: int,
    left_on: dt.date,
    reason: str,
    notes: str = "",
    request_id: str = "",
) -> AdopterHousehold:
    """The household leaves the process (withdrew, put on hold or refused)."""
    if household.left_on is not None:
        raise ValidationFailed("This household has already left the adoption process")
    if household.adoption_order_on is not None:
        raise ValidationFailed("The adoption order has been made: the process is complete")
    if reason not in LeavingReason.values:
        raise ValidationFailed({"reason": ["Select the reason for leaving the process"]})
    _not_future(left_on, "left_on", "The date of leaving the process")
    previous = _latest_date(household)
    if left_on < previous:
        raise ValidationFailed({"left_on": [f"The date cannot be before the last step ({previous:%-d %B %Y})"]})
    return update_audited(  # type: ignore[no-any-return]
        household,
        actor=actor,
        action="adopters.left",
        child_id=None,
        changes={"left_on": left_on, "leaving_reason": reason, "leaving_notes": notes.strip()},
        expected_version=expected_version,
        request_id=request_id,
    )
