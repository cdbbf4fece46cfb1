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

import datetime as dt
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Visibility:
    """What :func:`person_visibility_q` decides for one user: which rule applies (``scope``, which fixes the
    predicate's shape) and the values the predicate compares. A prepared query (``safehold.core.prepared``) takes
    ``scope`` as its shape and :meth:`values` as its parameters, and builds the predicate with :func:`visibility_q`,
    so it applies the same rule as ``visible_to(user)``."""

    scope: str  # "nothing", "grants", "service_wide" or "casework"
    user_id: int | None = None
    staff_id: int | None = None
    team_ids: tuple[int, ...] | None = None
    now: dt.datetime | None = None

    def values(self) -> dict[str, Any]:
        return {"vis_user_id": self.user_id, "vis_staff_id": self.staff_id, "vis_team_ids": self.team_ids,
                "vis_now": self.now}

    @property
    def shape(self) -> tuple[str, str]:
        return ("vis_scope", self.scope)


#: The parameters of a prepared query that applies :func:`visibility_q`, with their kinds.
VISIBILITY_PARAMS: dict[str, type] = {
    "vis_user_id": int, "vis_staff_id": int, "vis_team_ids": tuple, "vis_now": dt.datetime,
}


def visibility_for(user: Any) -> Visibility:
    """Which visibility rule applies to the user, and its values (see the module's docstring)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Visibility("nothing")
    if user.role in NO_CHILD_RECORD_ROLES:
        return Visibility("nothing")
    now = clock.now()
    if user.role in SERVICE_WIDE_ROLES:
        return Visibility("service_wide", user_id=user.pk, now=now)
    if user.role in CASEWORK_ROLES:
        staff = getattr(user, "staff", None)
        if staff is not None:
            return Visibility("casework", user.pk, staff.pk, tuple(sorted(_team_ids_for(user))), now)
    # Inspectors (case samples), system administrators, other roles, and casework users with no staff record:
    # explicit grants only.
    return Visibility("grants", user_id=user.pk, now=now)


def visibility_q(
    *,
    vis_scope: str,
    vis_user_id: int | None,
    vis_staff_id: int | None,
    vis_team_ids: tuple[int, ...] | None,
    vis_now: dt.datetime | None,
) -> Q:
    """The people a user may see, as a filter, from :class:`Visibility`'s scope and values (or placeholders)."""
    from safehold.people.models import AccessGrant
    from safehold.workforce.models import Allocation

    if vis_scope == "nothing":
        return NOTHING
    if vis_user_id is None:
        raise ValueError("a visibility scope other than 'nothing' needs the user's id")
    grants = AccessGrant.objects.filter(user_id=vis_user_id, expires_at__gt=vis_now, child__isnull=False)
    granted = Q(pk__in=grants.values("child_id"))
    if vis_scope == "service_wide":
        return Q(restricted=False) | granted
    if vis_scope == "casework":
        if vis_staff_id is None or vis_team_ids is None:  # None would compile to "no worker", not "this worker"
            raise ValueError("the casework visibility scope needs the staff member and their teams")
        allocated = Allocation.objects.filter(end_date__isnull=True).filter(
            Q(worker_id=vis_staff_id) | Q(team_id__in=vis_team_ids)
        )
        # IN-subqueries rather than correlated EXISTS: both databases then start from the (indexed) allocations
        # and grants instead of testing every person; SQLite cannot turn a correlated EXISTS into a lookup.
        return Q(pk__in=allocated.values("child_id"), restricted=False) | granted
    if vis_scope == "grants":
        return granted
    raise ValueError(f"unknown visibility scope {vis_scope!r}")


def person_visibility_q(user: Any) -> Q:
    v = visibility_for(user)
    return visibility_q(vis_scope=v.scope, **v.values())


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
