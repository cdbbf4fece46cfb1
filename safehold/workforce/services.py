"""Writes about teams, staff, the establishment of posts, training records and allocation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.people.models import Person
from safehold.workforce.choices import CASE_HOLDING_ROLES, ChangeReason, LeaveReason, StaffRole
from safehold.workforce.models import Allocation, Post, StaffMember, Team, TrainingRecord


@service
def team_create(
    *, actor: Any, name: str, service_area: str, manager: StaffMember | None = None, parent: Team | None = None
) -> Team:
    team = Team(name=name, service_area=service_area, manager=manager, parent=parent)
    return create_audited(team, actor=actor, action="team.created", child_id=None)


@service
def team_set_manager(*, actor: Any, team: Team, manager: StaffMember) -> Team:
    return update_audited(team, actor=actor, action="team.manager_set", child_id=None, changes={"manager": manager})


@service
def staff_create(*, actor: Any, **fields: Any) -> StaffMember:
    staff = StaffMember(**fields)
    return create_audited(staff, actor=actor, action="staff.created", child_id=None)


@service
def allocation_set(
    *,
    actor: Any,
    child: Person,
    team: Team,
    worker: StaffMember | None,
    start_date: dt.date,
    reason: str = ChangeReason.MANAGE,
    request_id: str = "",
) -> Allocation:
    """Allocate a child to a team and (optionally) a named worker, ending any current allocation."""
    if not child.is_child_record:
        raise ValidationFailed("Only a child's record can be allocated")
    if worker is not None:
        if worker.leave_date and worker.leave_date <= start_date:
            raise ValidationFailed({"worker": [f"{worker} has left and cannot be allocated children"]})
        if worker.role not in CASE_HOLDING_ROLES:
            raise ValidationFailed({"worker": [f"{worker} does not hold a caseload"]})
    current = Allocation.objects.select_for_update().filter(child=child, end_date__isnull=True).first()
    if current is not None:
        if start_date < current.start_date:
            raise ValidationFailed({"start_date": ["The new allocation cannot start before the current one"]})
        update_audited(
            current,
            actor=actor,
            action="allocation.ended",
            child_id=child.pk,
            changes={"end_date": start_date, "end_reason": reason},
            request_id=request_id,
        )
    allocation = Allocation(child=child, team=team, worker=worker, start_date=start_date)
    create_audited(allocation, actor=actor, action="allocation.started", child_id=child.pk, request_id=request_id)
    from safehold.timescales.services import deadlines_refresh_child

    deadlines_refresh_child(child_id=child.pk)
    return allocation


# --- Establishment, leavers and training ---------------------------------------------------------------------


def _fte(value: Any, field: str) -> Decimal:
    try:
        fte = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed({field: ["Enter the full-time equivalent as a number, like 0.8"]}) from None
    if not Decimal("0.01") <= fte <= 1:
        raise ValidationFailed({field: ["The full-time equivalent must be more than 0 and no more than 1"]})
    return fte.quantize(Decimal("0.01"))


def _check_holder(post_team: Team, holder: StaffMember, on: dt.date, current: Post | None = None) -> None:
    if holder.team_id != post_team.pk:
        raise ValidationFailed({"holder": [f"{holder} is not in {post_team}"]})
    if holder.leave_date is not None and holder.leave_date <= on:
        raise ValidationFailed({"holder": [f"{holder} has left"]})
    others = Post.objects.filter(holder=holder)
    if current is not None:
        others = others.exclude(pk=current.pk)
    other = others.first()
    if other is not None:
        raise ValidationFailed({"holder": [f"{holder} already holds a post ({other})"]})


@service
def post_create(
    *,
    actor: Any,
    team: Team,
    role: str,
    fte: Any,
    opened_on: dt.date,
    holder: StaffMember | None = None,
    request_id: str = "",
) -> Post:
    """Add a post to a team's establishment (vacant, or with its holder)."""
    if role not in StaffRole.values:
        raise ValidationFailed({"role": ["Select the role of the post"]})
    value = _fte(fte, "fte")
    if opened_on > clock.today():
        raise ValidationFailed({"opened_on": ["The date the post was added must be today or in the past"]})
    if holder is not None:
        _check_holder(team, holder, clock.today())
    post = Post(team=team, role=role, fte=value, opened_on=opened_on, holder=holder)
    return create_audited(post, actor=actor, action="post.created", child_id=None, request_id=request_id)


@service
def post_set_holder(*, actor: Any, post: Post, holder: StaffMember | None, request_id: str = "") -> Post:
    """Fill a post with a member of staff of its team, or (``holder=None``) record it as vacant."""
    if post.closed_on is not None:
        raise ValidationFailed("This post has been deleted from the establishment")
    if holder is not None:
        _check_holder(post.team, holder, clock.today(), current=post)
    action = "post.filled" if holder is not None else "post.vacated"
    return update_audited(
        post, actor=actor, action=action, child_id=None, changes={"holder": holder}, request_id=request_id
    )


@service
def post_close(*, actor: Any, post: Post, closed_on: dt.date, request_id: str = "") -> Post:
    """Delete a post from the establishment from a date (it stops counting as a post or a vacancy)."""
    if post.closed_on is not None:
        raise ValidationFailed("This post has already been deleted from the establishment")
    if closed_on < post.opened_on:
        raise ValidationFailed({"closed_on": ["A post cannot be deleted before it was added"]})
    return update_audited(
        post,
        actor=actor,
        action="post.closed",
        child_id=None,
        changes={"closed_on": closed_on, "holder": None},
        request_id=request_id,
    )


@service
def staff_leave_reason_set(*, actor: Any, staff: StaffMember, reason: str, request_id: str = "") -> StaffMember:
    """Record why a leaver left (the leaving date itself is set when their account is closed)."""
    if staff.leave_date is None:
        raise ValidationFailed(f"{staff} has not left: record their leaving date first")
    if reason not in LeaveReason.values:
        raise ValidationFailed({"reason": ["Select why they left"]})
    return update_audited(
        staff,
        actor=actor,
        action="staff.leave_reason_set",
        child_id=None,
        changes={"leave_reason": reason},
        request_id=request_id,
    )


@service
def training_record_add(
    *,
    actor: Any,
    staff: StaffMember,
    course: str,
    completed_on: dt.date,
    expires_on: dt.date | None = None,
    provider: str = "",
    request_id: str = "",
) -> TrainingRecord:
    errors: dict[str, list[str]] = {}
    if not course.strip():
        errors["course"] = ["Enter the name of the course"]
    if completed_on > clock.today():
        errors["completed_on"] = ["The date completed must be today or in the past"]
    if expires_on is not None and expires_on <= completed_on:
        errors["expires_on"] = ["The expiry date must be after the date completed"]
    if errors:
        raise ValidationFailed(errors)
    record = TrainingRecord(
        staff=staff, course=course.strip(), completed_on=completed_on, expires_on=expires_on, provider=provider.strip()
    )
    return create_audited(record, actor=actor, action="training.recorded", child_id=None, request_id=request_id)
