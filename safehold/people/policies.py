"""Who may see which child. One predicate, used both as a queryset filter and per record.

* Service-wide roles (head of service, director, performance analyst, CP chair/IRO, DPO) see every
  child's record that is not restricted.
* Casework roles (social worker, team manager, business support) see the children currently allocated
  to them or to their team; a team manager (and a head of service who manages teams) also sees the
  children of every team they manage and the teams beneath those.
* Inspectors see only the children in a case sample shared with them: an explicit, time-limited
  :class:`~safehold.people.models.AccessGrant`.
* Partners and lead members / councillors never see a named child, whatever grants exist.
* An explicit, unexpired grant admits anyone else (system administrators included) to that one child.
* A restricted record is seen only by those with a grant: its named access list, or a break-glass grant
  (see :mod:`safehold.accounts.services`). Those whose role may break glass learn from a search only
  *that* a restricted record matches (:func:`restricted_matches`); everyone else learns nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from safehold.accounts.roles import BREAK_GLASS_ROLES, CASEWORK_ROLES, NO_CHILD_RECORD_ROLES, SERVICE_WIDE_ROLES, Role
from safehold.core import clock

NOTHING = Q(pk__in=[])


def _team_ids_for(user: Any) -> set[int]:
    from safehold.workforce.selectors import managed_team_ids

    staff = getattr(user, "staff", None)
    if staff is None:
        return set()
    ids: set[int] = set()
    if staff.team_id:
        ids.add(staff.team_id)
    if user.role in {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}:
        ids |= managed_team_ids(user=user)  # the teams they manage and those beneath
    return ids


def _granted(user: Any) -> Q:
    from safehold.people.models import AccessGrant

    grants = AccessGrant.objects.filter(user_id=user.pk, expires_at__gt=clock.now(), child__isnull=False)
    return Q(pk__in=grants.values("child_id"))


def person_visibility_q(user: Any) -> Q:
    from safehold.workforce.models import Allocation

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.role in NO_CHILD_RECORD_ROLES:
        return NOTHING
    granted = _granted(user)
    if user.role in SERVICE_WIDE_ROLES:
        return Q(restricted=False) | granted
    if user.role in CASEWORK_ROLES:
        staff = getattr(user, "staff", None)
        if staff is None:
            return granted
        team_ids = _team_ids_for(user)
        allocated = Allocation.objects.filter(end_date__isnull=True).filter(Q(worker=staff) | Q(team_id__in=team_ids))
        # IN-subqueries rather than correlated EXISTS: both databases then start from the (indexed) allocations
        # and grants instead of testing every person; SQLite cannot turn a correlated EXISTS into a lookup.
        return Q(pk__in=allocated.values("child_id"), restricted=False) | granted
    # Inspectors (case samples), system administrators and any other role: explicit grants only.
    return granted


def can_view_person(user: Any, person: Any) -> bool:
    """The per-record form of the same predicate (tests prove the two agree)."""
    from safehold.people.models import Person

    return Person.objects.filter(pk=person.pk).filter(person_visibility_q(user)).exists()


def may_break_glass(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in BREAK_GLASS_ROLES)


def restricted_matches(*, user: Any, matches: QuerySet[Any]) -> list[int]:
    """Ids of restricted children among a search's ``matches`` that the user cannot see but may break glass to.

    A search page shows these only as "a restricted record matches" (no name, no details) with a link to
    the break-glass page; for every other user this is empty, so a restricted record leaves no trace.
    """
    if not may_break_glass(user):
        return []
    return list(
        matches.filter(restricted=True, is_child_record=True)
        .exclude(person_visibility_q(user))
        .values_list("pk", flat=True)
        .order_by("pk")
    )
