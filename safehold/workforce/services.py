"""Writes about teams, staff and allocation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.people.models import Person
from safehold.workforce.choices import CASE_HOLDING_ROLES, ChangeReason
from safehold.workforce.models import Allocation, StaffMember, Team


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
