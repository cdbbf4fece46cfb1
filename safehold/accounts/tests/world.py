"""A small borough for access tests: the personas, three teams and children in every relationship to them.

Facts about each child (who it is allocated to, which team, restricted, who holds a grant) are recorded
here in plain Python as the children are built, so tests can compute what *should* be visible by hand,
without asking the policy code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from safehold.accounts.models import User
from safehold.accounts.services import access_grant_create
from safehold.core import clock
from safehold.core.services import service
from safehold.core.testing import Personas, make_child, make_personas, make_staff
from safehold.people.models import AccessGrant, Person
from safehold.workforce.choices import ServiceArea
from safehold.workforce.models import Team
from safehold.workforce.services import allocation_set, team_create

#: The teams each persona belongs to or manages (hand-written, mirrors make_personas).
PERSONA_TEAMS = {
    "social_worker": {"A"},
    "colleague": {"A"},
    "team_manager": {"A"},
    "business_support": {"A"},
    "other_worker": {"B"},
}


@dataclass
class ChildFacts:
    child: Person
    team: str | None = None
    worker: str | None = None
    restricted: bool = False
    granted: set[str] = field(default_factory=set)
    expired: set[str] = field(default_factory=set)


@dataclass
class World:
    personas: Personas
    teams: dict[str, Team]
    children: dict[str, ChildFacts]

    def users(self) -> dict[str, User]:
        return self.personas.all()


@service
def _expired_grant(child: Person, user: User) -> None:
    AccessGrant(
        child=child,
        user=user,
        reason="Old case sample",
        granted_by_label="test",
        expires_at=clock.now() - dt.timedelta(days=1),
    ).save()


def build_world() -> World:
    p = make_personas()
    team_c = team_create(actor=None, name=f"Team C {p.team.pk}", service_area=ServiceArea.CHILDREN_IN_CARE)
    worker_c = make_staff(team=team_c)
    teams = {"A": p.team, "B": p.other_team, "C": team_c}
    staff_of = {
        "social_worker": p.social_worker.staff,
        "colleague": p.colleague.staff,
        "other_worker": p.other_worker.staff,
    }
    children: dict[str, ChildFacts] = {}
    start = dt.date(2024, 1, 8)

    def child(key: str, *, team: str | None, worker: str | None = None, restricted: bool = False) -> ChildFacts:
        person = make_child(restricted=restricted)
        if team is not None:
            worker_staff: Any = staff_of.get(worker) if worker else None
            if worker == "worker_c":
                worker_staff = worker_c
            allocation_set(actor=None, child=person, team=teams[team], worker=worker_staff, start_date=start)
        facts = ChildFacts(child=person, team=team, worker=worker, restricted=restricted)
        children[key] = facts
        return facts

    child("a_sw", team="A", worker="social_worker")
    child("a_col", team="A", worker="colleague")
    child("a_team", team="A")
    child("b_other", team="B", worker="other_worker")
    child("b_team", team="B")
    child("c_x", team="C", worker="worker_c")
    child("unallocated", team=None)
    child("r_sw", team="A", worker="social_worker", restricted=True)
    child("r_c", team="C", worker="worker_c", restricted=True)
    later = clock.now() + dt.timedelta(days=30)
    granted = child("rg", team="C", worker="worker_c", restricted=True)
    sample = child("g", team="C", worker="worker_c")
    expired = child("rx", team="C", worker="worker_c", restricted=True)
    for name, user in p.all().items():
        access_grant_create(actor=None, child=granted.child, user=user, reason="Named access list", expires_at=later)
        granted.granted.add(name)
        access_grant_create(actor=None, child=sample.child, user=user, reason="Case sample", expires_at=later)
        sample.granted.add(name)
        _expired_grant(expired.child, user)
        expired.expired.add(name)
    return World(personas=p, teams=teams, children=children)
