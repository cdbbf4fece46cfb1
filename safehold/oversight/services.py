"""Writes about supervision and management decisions. Each is atomic and writes its audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.oversight.choices import DecisionKind
from safehold.oversight.models import ManagementDecision, Supervision, SupervisionAction, SupervisionDiscussion
from safehold.people.models import Person
from safehold.workforce.models import Allocation, StaffMember


def _not_future(value: dt.date, field: str, label: str) -> None:
    if value > clock.today():
        raise ValidationFailed({field: [f"{label} must be today or in the past"]})


@service
def supervision_record(
    *,
    actor: Any,
    manager: StaffMember,
    worker: StaffMember,
    held_on: dt.date,
    notes: str = "",
    request_id: str = "",
) -> Supervision:
    """A manager records a supervision session with a worker (children are discussed with
    :func:`supervision_discussion_add`)."""
    _not_future(held_on, "held_on", "The date of the supervision")
    if manager.pk == worker.pk:
        raise ValidationFailed({"worker": ["A manager cannot record their own supervision"]})
    supervision = Supervision(manager=manager, worker=worker, held_on=held_on, notes=notes)
    return create_audited(supervision, actor=actor, action="supervision.recorded", child_id=None, request_id=request_id)


@service
def supervision_discussion_add(
    *,
    actor: Any,
    supervision: Supervision,
    child: Person,
    discussion: str,
    decision: str,
    impact_analysis: str,
    action: str = "",
    action_owner: StaffMember | None = None,
    action_due: dt.date | None = None,
    request_id: str = "",
) -> SupervisionDiscussion:
    """Record the structured discussion of one child (allocated to the supervised worker) and its action."""
    errors: dict[str, list[str]] = {}
    for field, value, label in (
        ("discussion", discussion, "what was discussed"),
        ("decision", decision, "the decision"),
        ("impact_analysis", impact_analysis, "your analysis of the impact for the child"),
    ):
        if not value.strip():
            errors[field] = [f"Enter {label}"]
    if action.strip() and (action_owner is None or action_due is None):
        errors.setdefault("action_due", []).append("Give the action an owner and a due date")
    if action_due is not None and action_due < supervision.held_on:
        errors.setdefault("action_due", []).append("The action cannot be due before the supervision")
    if errors:
        raise ValidationFailed(errors)
    if not Allocation.objects.filter(child=child, worker=supervision.worker, end_date__isnull=True).exists():
        raise ValidationFailed({"child": ["Select a child allocated to the worker being supervised"]})
    if SupervisionDiscussion.objects.filter(supervision=supervision, child=child).exists():
        raise ValidationFailed({"child": ["This child has already been discussed in this supervision"]})
    row = SupervisionDiscussion(
        supervision=supervision, child=child, discussion=discussion, decision=decision, impact_analysis=impact_analysis
    )
    create_audited(row, actor=actor, action="supervision.child_discussed", child_id=child.pk, request_id=request_id)
    if action.strip():
        assert action_owner is not None and action_due is not None
        create_audited(
            SupervisionAction(
                discussion=row, child=child, owner=action_owner, description=action.strip(), due_date=action_due
            ),
            actor=actor,
            action="supervision.action_set",
            child_id=child.pk,
            request_id=request_id,
        )
    return row


@service
def supervision_action_complete(
    *, actor: Any, action: SupervisionAction, completed_on: dt.date, request_id: str = ""
) -> SupervisionAction:
    if action.completed_on is not None:
        raise ValidationFailed("This action is already complete")
    _not_future(completed_on, "completed_on", "The date the action was completed")
    if completed_on < action.discussion.supervision.held_on:
        raise ValidationFailed({"completed_on": ["The action cannot be completed before it was set"]})
    return update_audited(
        action,
        actor=actor,
        action="supervision.action_completed",
        child_id=action.child_id,
        changes={"completed_on": completed_on},
        request_id=request_id,
    )


@service
def management_decision_record(
    *,
    actor: Any,
    child: Person,
    kind: str,
    decided_on: dt.date,
    decided_by: StaffMember,
    decision: str,
    rationale: str,
    request_id: str = "",
) -> ManagementDecision:
    """A manager's decision about a child; the rationale is required and kept with the audit event."""
    errors: dict[str, list[str]] = {}
    if kind not in DecisionKind.values:
        errors["kind"] = ["Select the kind of decision"]
    if not decision.strip():
        errors["decision"] = ["Enter the decision"]
    if not rationale.strip():
        errors["rationale"] = ["Enter the rationale for the decision"]
    if errors:
        raise ValidationFailed(errors)
    _not_future(decided_on, "decided_on", "The date of the decision")
    row = ManagementDecision(
        child=child, kind=kind, decided_on=decided_on, decided_by=decided_by, decision=decision, rationale=rationale
    )
    return create_audited(
        row,
        actor=actor,
        action="management_decision.recorded",
        child_id=child.pk,
        reason=rationale,
        request_id=request_id,
    )
