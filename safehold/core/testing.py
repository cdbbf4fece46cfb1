"""Builders for tests: real records written through the real services (no mocks, no direct ORM writes)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from safehold.accounts.models import User
from safehold.accounts.roles import Role
from safehold.core.services import service
from safehold.people.models import Person
from safehold.people.services import child_create
from safehold.workforce.choices import ServiceArea, StaffRole
from safehold.workforce.models import StaffMember, Team
from safehold.workforce.services import allocation_set, staff_create, team_create

_seq = itertools.count(1)
TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test fixture only


@service
def make_user(*, role: str, username: str | None = None, **extra: Any) -> User:
    n = next(_seq)
    user = User(username=username or f"{role}{n}", role=role, first_name=role.title(), last_name=f"Tester{n}", **extra)
    user.set_password(TEST_PASSWORD)
    user.save()
    return user


def make_staff(
    *,
    team: Team | None,
    role: str = StaffRole.SOCIAL_WORKER,
    user: User | None = None,
    manager: StaffMember | None = None,
) -> StaffMember:
    n = next(_seq)
    return staff_create(
        actor=None,
        user=user,
        sw_id=f"SW{n:06d}",
        given_name="Sam",
        family_name=f"Worker{n}",
        role=role,
        team=team,
        manager=manager,
        start_date=dt.date(2020, 1, 6),
        qualified_date=dt.date(2019, 7, 1),
    )


def make_child(*, actor: Any = None, **fields: Any) -> Person:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "given_name": "Test",
        "family_name": f"Child{n}",
        "sex": "F",
        "date_of_birth": dt.date(2015, 3, 14),
        "ethnicity": "WBRI",
        "la_child_id": f"T{n:07d}",
    }
    defaults.update(fields)
    return child_create(actor=actor, **defaults)


@dataclass
class Personas:
    """Named people for access tests: one per role, plus a team structure."""

    team: Team
    other_team: Team
    social_worker: User
    colleague: User
    team_manager: User
    other_worker: User
    head_of_service: User
    director: User
    analyst: User
    iro: User
    business_support: User
    partner: User
    inspector: User
    councillor: User
    dpo: User
    admin: User
    nobody: User

    def all(self) -> dict[str, User]:
        return {k: v for k, v in self.__dict__.items() if isinstance(v, User)}


def make_personas() -> Personas:
    team = team_create(actor=None, name=f"CIN Team {next(_seq)}", service_area=ServiceArea.CHILD_IN_NEED)
    other = team_create(actor=None, name=f"CIN Team {next(_seq)}", service_area=ServiceArea.CHILD_IN_NEED)

    def staffed(role: str, staff_role: str, t: Team | None) -> User:
        user = make_user(role=role)
        make_staff(team=t, role=staff_role, user=user)
        return user

    manager = staffed(Role.TEAM_MANAGER, StaffRole.TEAM_MANAGER, team)
    from safehold.workforce.services import team_set_manager

    team_set_manager(actor=None, team=team, manager=manager.staff)
    p = Personas(
        team=team,
        other_team=other,
        social_worker=staffed(Role.SOCIAL_WORKER, StaffRole.SOCIAL_WORKER, team),
        colleague=staffed(Role.SOCIAL_WORKER, StaffRole.SOCIAL_WORKER, team),
        team_manager=manager,
        other_worker=staffed(Role.SOCIAL_WORKER, StaffRole.SOCIAL_WORKER, other),
        head_of_service=staffed(Role.HEAD_OF_SERVICE, StaffRole.HEAD_OF_SERVICE, None),
        director=staffed(Role.DIRECTOR, StaffRole.DIRECTOR, None),
        analyst=make_user(role=Role.PERFORMANCE_ANALYST),
        iro=staffed(Role.CP_CHAIR_IRO, StaffRole.CP_CHAIR_IRO, None),
        business_support=staffed(Role.BUSINESS_SUPPORT, StaffRole.BUSINESS_SUPPORT, team),
        partner=make_user(role=Role.PARTNER),
        inspector=make_user(role=Role.INSPECTOR),
        councillor=make_user(role=Role.LEAD_MEMBER),
        dpo=make_user(role=Role.DATA_PROTECTION_OFFICER),
        admin=make_user(role=Role.SYSTEM_ADMINISTRATOR, is_staff=True),
        nobody=make_user(role=Role.SOCIAL_WORKER),
    )
    return p


def allocate(child: Person, user_or_staff: Any, *, team: Team | None = None, start: dt.date | None = None) -> None:
    staff = user_or_staff.staff if isinstance(user_or_staff, User) else user_or_staff
    team = team or staff.team
    assert team is not None
    allocation_set(
        actor=None, child=child, team=team, worker=staff, start_date=start or dt.date(2024, 1, 8)
    )
