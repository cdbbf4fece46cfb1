"""Who may see which child. One predicate, used both as a queryset filter and per record.

* Service-wide roles (head of service, director, performance analyst, CP chair/IRO, DPO) see every
  child's record that is not restricted.
* Casework roles see the children currently allocated to them or to their team; a team manager also
  sees the children of every team they manage and the teams beneath those.
* A restricted record is seen only by those on its access list (an explicit, unexpired grant).
* Everyone else (partners, inspectors without a shared sample, councillors) sees no named child.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from safehold.accounts.roles import CASEWORK_ROLES, SERVICE_WIDE_ROLES, Role
from safehold.core import clock


def _team_ids_for(user: Any) -> set[int]:
    from safehold.workforce.models import Team

    staff = getattr(user, "staff", None)
    if staff is None:
        return set()
    ids: set[int] = set()
    if staff.team_id:
        ids.add(staff.team_id)
    if user.role in {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}:
        frontier = set(Team.objects.filter(manager=staff).values_list("id", flat=True))
        while frontier:
            ids |= frontier
            frontier = set(Team.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
    return ids


def person_visibility_q(user: Any) -> Q:
    from safehold.people.models import AccessGrant
    from safehold.workforce.models import Allocation

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    granted = Exists(AccessGrant.objects.filter(child=OuterRef("pk"), user_id=user.pk, expires_at__gt=clock.now()))
    if user.role in SERVICE_WIDE_ROLES:
        return Q(restricted=False) | Q(granted)
    if user.role in CASEWORK_ROLES:
        staff = getattr(user, "staff", None)
        if staff is None:
            return Q(granted)
        team_ids = _team_ids_for(user)
        allocated = Exists(
            Allocation.objects.filter(child=OuterRef("pk"), end_date__isnull=True).filter(
                Q(worker=staff) | Q(team_id__in=team_ids)
            )
        )
        return (Q(allocated) & Q(restricted=False)) | Q(granted)
    return Q(granted)


def can_view_person(user: Any, person: Any) -> bool:
    """The per-record form of the same predicate (tests prove the two agree)."""
    from safehold.people.models import Person

    return Person.objects.filter(pk=person.pk).filter(person_visibility_q(user)).exists()
