"""The visibility predicate and the queryset agree, for every persona, with a hand-written table.

The expected answer is computed here in plain Python from the facts the test recorded while building the
children (who each is allocated to, restricted, who holds a grant) and the table below — never from the
policy code. Then ``Person.objects.visible_to(user)`` and ``can_view_person`` must both agree with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.http import Http404

from safehold.accounts.tests.world import PERSONA_TEAMS, ChildFacts, build_world
from safehold.casework.selectors import child_record_for
from safehold.core import clock
from safehold.people.models import Person
from safehold.people.policies import can_view_person, restricted_matches

pytestmark = pytest.mark.django_db

RELATIONSHIPS = ("allocated", "team", "unrelated", "restricted", "restricted_granted", "granted", "restricted_expired")

# role -> allow for each relationship above, in order. "-" cannot happen for that role in the test borough.
#               allocated team unrelated restricted restricted+granted granted restricted+expired-grant
TABLE = {
    "social_worker": "YYNNYYN",
    "team_manager": "-YNNYYN",
    "business_support": "-YNNYYN",
    "head_of_service": "--YNYYN",
    "director": "--YNYYN",
    "performance_analyst": "--YNYYN",
    "cp_chair_iro": "--YNYYN",
    "dpo": "--YNYYN",
    "partner": "--NNNNN",
    "inspector": "--NNYYN",
    "lead_member": "--NNNNN",
    "sysadmin": "--NNYYN",
}


def relationship(persona: str, facts: ChildFacts) -> str:
    if facts.restricted:
        if persona in facts.granted:
            return "restricted_granted"
        return "restricted_expired" if persona in facts.expired else "restricted"
    if persona in facts.granted:
        return "granted"
    if facts.worker == persona:
        return "allocated"
    if facts.team is not None and facts.team in PERSONA_TEAMS.get(persona, set()):
        return "team"
    return "unrelated"


def expected(persona: str, role: str, facts: ChildFacts) -> bool:
    cell = TABLE[role][RELATIONSHIPS.index(relationship(persona, facts))]
    assert cell != "-", f"{persona} ({role}) has an impossible relationship to a test child"
    return cell == "Y"


def test_predicate_and_queryset_agree_for_every_persona():
    """... and so does the child record's prepared query (compiled once per visibility rule, then run with each
    user's values: a second pass over the same users runs the compiled SQL only)."""
    world = build_world()
    checked = 0
    for _ in range(2):
        for name, user in world.users().items():
            visible = set(Person.objects.children().visible_to(user).values_list("pk", flat=True))
            for key, facts in world.children.items():
                want = expected(name, user.role, facts)
                assert (facts.child.pk in visible) == want, f"{name} / {key}: queryset says {not want}"
                assert can_view_person(user, facts.child) == want, f"{name} / {key}: predicate says {not want}"
                assert _record_opens(user, facts.child.pk) == want, f"{name} / {key}: the record page says {not want}"
                checked += 1
    assert checked == 2 * len(world.users()) * len(world.children)


def _record_opens(user: Any, pk: int) -> bool:
    try:
        child_record_for(user=user, pk=pk)
    except Http404:
        return False
    return True


def test_grants_expire_and_leavers_see_nothing():
    world = build_world()
    sw = world.personas.social_worker
    granted = world.children["g"].child
    assert can_view_person(sw, granted)
    with time_machine.travel(clock.now() + dt.timedelta(days=31), tick=False):
        assert not can_view_person(sw, granted)
        assert not _record_opens(sw, granted.pk)  # the prepared query compares the grant's expiry with now
    assert _record_opens(sw, granted.pk)
    sw.is_active = False
    assert not Person.objects.visible_to(sw).exists()
    assert not _record_opens(sw, world.children["a_sw"].child.pk)  # allocated to them, but they have left


def test_search_shows_break_glass_roles_only_that_a_restricted_record_matches():
    world = build_world()
    restricted = world.children["r_c"].child
    matches = Person.objects.filter(pk__in=[restricted.pk, world.children["c_x"].child.pk])
    for name in ("team_manager", "head_of_service", "director", "iro", "dpo"):
        assert restricted_matches(user=getattr(world.personas, name), matches=matches) == [restricted.pk], name
    for name in ("social_worker", "business_support", "analyst", "partner", "inspector", "councillor", "admin"):
        assert restricted_matches(user=getattr(world.personas, name), matches=matches) == [], name
    # A restricted record the user already may see (on its access list) is a normal result, not a hint.
    granted = world.children["rg"].child
    assert restricted_matches(user=world.personas.dpo, matches=Person.objects.filter(pk=granted.pk)) == []
