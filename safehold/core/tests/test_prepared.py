"""Prepared queries: compiled once per connection and shape, then the same rows as the queryset, in one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from safehold.core.prepared import MAX_PREPARED_IDS, OutOfRange, Prepared, PreparedQueryError
from safehold.core.testing import make_child, make_staff
from safehold.people.models import Person
from safehold.workforce.choices import ServiceArea
from safehold.workforce.models import Allocation, StaffMember, Team
from safehold.workforce.services import allocation_set, team_create

pytestmark = pytest.mark.django_db


def _allocations(child_id: int) -> QuerySet[Any]:
    return (
        Allocation.objects.filter(child_id=child_id)
        .select_related("worker", "team")
        .only("start_date", "end_date", "child_id", "worker__family_name", "team__name")
        .order_by("pk")
    )


def _fields(allocation: Allocation) -> tuple[Any, ...]:
    worker = allocation.worker.family_name if allocation.worker is not None else None
    return allocation.pk, allocation.child_id, allocation.start_date, allocation.end_date, worker, allocation.team.name


@pytest.fixture
def borough() -> dict[str, Any]:
    """Two teams, three workers, and three children with 2, 1 and 0 allocations (one of them unnamed)."""
    teams = [team_create(actor=None, name=f"Team {n}", service_area=ServiceArea.ASSESSMENT) for n in "AB"]
    workers = [make_staff(team=teams[0]), make_staff(team=teams[0]), make_staff(team=teams[1])]
    children = [make_child(), make_child(), make_child()]
    allocation_set(actor=None, child=children[0], team=teams[0], worker=workers[0], start_date=dt.date(2025, 1, 6))
    allocation_set(actor=None, child=children[0], team=teams[1], worker=workers[2], start_date=dt.date(2025, 3, 3))
    allocation_set(actor=None, child=children[1], team=teams[0], worker=None, start_date=dt.date(2025, 2, 3))
    return {"teams": teams, "workers": workers, "children": children}


def test_the_rows_are_the_querysets_rows_for_each_value(borough, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    """Model rows with their select_related rows: each child's allocations as the queryset gives them, one query
    per call; the first child's two allocations name two different workers and teams."""
    prepared = Prepared(_allocations, child_id=int)
    for child in borough["children"]:
        with django_assert_num_queries(1):
            got = prepared(child_id=child.pk)
        assert [_fields(a) for a in got] == [_fields(a) for a in _allocations(child.pk)]
    first = prepared(child_id=borough["children"][0].pk)
    assert [(a.worker.family_name, a.team.name) for a in first] == [
        (borough["workers"][0].family_name, "Team A"),
        (borough["workers"][2].family_name, "Team B"),
    ]
    assert [a.worker for a in prepared(child_id=borough["children"][1].pk)] == [None]
    assert prepared(child_id=borough["children"][2].pk) == []


def test_a_parameter_used_twice_and_values_list(borough) -> None:  # type: ignore[no-untyped-def]
    """The same parameter in two places of the SQL (either side of an OR) is replaced in both."""

    def build(staff_id: int) -> QuerySet[Any]:
        return StaffMember.objects.filter(Q(pk=staff_id) | Q(manager_id=staff_id)).order_by("pk").values_list(
            "pk", "team__name"
        )

    prepared = Prepared(build, staff_id=int)
    for worker in borough["workers"]:
        assert prepared(staff_id=worker.pk) == list(build(worker.pk))
    assert prepared(staff_id=borough["workers"][1].pk) == [(borough["workers"][1].pk, "Team A")]


def test_each_shape_is_compiled_once_per_connection(borough) -> None:  # type: ignore[no-untyped-def]
    """``build`` runs for each shape when it is first used, and never again for new values: the SQL is reused."""
    calls: list[tuple[int, bool]] = []

    def build(team_id: int, named_only: bool) -> QuerySet[Any]:
        calls.append((team_id, named_only))
        qs = Allocation.objects.filter(team_id=team_id)
        if named_only:
            qs = qs.filter(worker__isnull=False)
        return qs.order_by("pk").values_list("child_id", flat=True)

    prepared = Prepared(build, team_id=int)
    team_a, team_b = borough["teams"]
    children = borough["children"]
    everyone = prepared(team_id=team_a.pk, shape=(("named_only", False),))
    named = prepared(team_id=team_a.pk, shape=(("named_only", True),))
    assert everyone == [children[0].pk, children[1].pk]
    assert named == [children[0].pk]
    assert prepared(team_id=team_b.pk, shape=(("named_only", False),)) == [children[0].pk]
    assert prepared(team_id=team_b.pk, shape=(("named_only", True),)) == [children[0].pk]
    # Two builds per shape (one per set of placeholders, negative and positive), never with a team's own id.
    assert sorted(calls) == sorted([(-1_700_000_001, False), (1_700_000_001, False),
                                    (-1_700_000_001, True), (1_700_000_001, True)])
    assert connections["default"].__dict__["safehold_prepared"]  # kept on this thread's connection


def test_a_value_must_be_an_int_and_every_parameter_given(borough) -> None:  # type: ignore[no-untyped-def]
    prepared = Prepared(_allocations, child_id=int)
    child = borough["children"][0]
    with pytest.raises(TypeError, match="must be an int"):
        prepared(child_id=child)  # a model, not its id
    with pytest.raises(TypeError, match="must be an int"):
        prepared(child_id=True)
    with pytest.raises(TypeError, match="takes the parameters"):
        prepared()
    with pytest.raises(TypeError, match="takes the parameters"):
        prepared(child_id=child.pk, team_id=1)


def test_a_build_that_does_not_pass_a_parameter_to_the_sql_is_refused(borough) -> None:  # type: ignore[no-untyped-def]
    """A parameter that never reaches the compiled parameters (ignored, or written into the SQL text) would make
    every call return the first call's rows: compiling fails instead."""
    ignored = Prepared(lambda child_id: Allocation.objects.all(), child_id=int)
    with pytest.raises(PreparedQueryError, match="did not reach the SQL"):
        ignored(child_id=borough["children"][0].pk)
    inlined = Prepared(
        lambda child_id: Allocation.objects.filter(pk__in=RawSQL(f"SELECT {child_id}", ()))  # noqa: S611
        .filter(child_id=child_id),
        child_id=int,
    )
    with pytest.raises(PreparedQueryError, match="written into the SQL text"):
        inlined(child_id=borough["children"][0].pk)
    prefetching = Prepared(lambda team_id: Team.objects.filter(pk=team_id).prefetch_related("members"), team_id=int)
    with pytest.raises(PreparedQueryError, match="cannot prefetch"):
        prefetching(team_id=borough["teams"][0].pk)


def test_ids_dates_and_times(borough, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    """A tuple of ids (each length compiled once), a date and an aware datetime, each adapted as the ORM adapts it
    for the database: the rows are the queryset's for every combination tried."""

    def build(team_ids: tuple[int, ...], since: dt.date, made_before: dt.datetime) -> QuerySet[Any]:
        return (
            Allocation.objects.filter(team_id__in=team_ids, start_date__gte=since, created_at__lt=made_before)
            .order_by("pk")
            .values_list("child_id", "team__name")
        )

    prepared = Prepared(build, team_ids=tuple, since=dt.date, made_before=dt.datetime)
    team_a, team_b = (t.pk for t in borough["teams"])
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    cases = [
        ((team_a,), dt.date(2025, 1, 1), later),
        ((team_a, team_b), dt.date(2025, 1, 1), later),
        ((team_b, team_a), dt.date(2025, 2, 1), later),
        ((team_a, team_b), dt.date(2025, 3, 4), later),
        ((team_a, team_b), dt.date(2025, 1, 1), dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
        ((), dt.date(2025, 1, 1), later),
    ]
    for team_ids, since, made_before in cases:
        expected = list(build(team_ids, since, made_before))
        with django_assert_num_queries(1 if team_ids else 0):
            assert prepared(team_ids=team_ids, since=since, made_before=made_before) == expected
    children = borough["children"]
    assert prepared(team_ids=[team_a, team_b], since=dt.date(2025, 2, 1), made_before=later) == [
        (children[0].pk, "Team B"),
        (children[1].pk, "Team A"),
    ]
    with pytest.raises(TypeError, match="must be a date"):
        prepared(team_ids=(team_a,), since=later, made_before=later)  # a datetime is not a date
    with pytest.raises(TypeError, match="aware datetime"):
        prepared(team_ids=(team_a,), since=dt.date(2025, 1, 1), made_before=dt.datetime(2025, 1, 1))  # noqa: DTZ001
    with pytest.raises(TypeError, match="must be ints"):
        prepared(team_ids=("1",), since=dt.date(2025, 1, 1), made_before=later)


def test_a_parameter_given_as_none_is_left_out_of_the_shape(borough) -> None:  # type: ignore[no-untyped-def]
    """None is a parameter this call does not use: ``build`` gets None, and the query is compiled separately from
    the one that uses the parameter (whose placeholder must still reach the SQL)."""

    def build(team_id: int | None, worker_id: int | None) -> QuerySet[Any]:
        qs = Allocation.objects.filter(team_id=team_id) if team_id is not None else Allocation.objects.all()
        if worker_id is not None:
            qs = qs.filter(worker_id=worker_id)
        return qs.order_by("pk").values_list("child_id", flat=True)

    prepared = Prepared(build, team_id=int, worker_id=int)
    team_a = borough["teams"][0].pk
    first, _, third = (w.pk for w in borough["workers"])
    children = borough["children"]
    assert prepared(team_id=team_a, worker_id=None) == [children[0].pk, children[1].pk]
    assert prepared(team_id=team_a, worker_id=first) == [children[0].pk]
    assert prepared(team_id=None, worker_id=third) == [children[0].pk]
    assert prepared(team_id=None, worker_id=None) == list(build(None, None))
    assert prepared(team_id=team_a, worker_id=third) == []


def test_a_value_that_would_change_the_sql_is_refused(borough) -> None:  # type: ignore[no-untyped-def]
    """The ORM answers some comparisons from the value alone: a negative number against a positive-only field
    (``Person.version``) is "no rows" without asking the database, and ``>`` such a number is no condition at
    all. Compiled once, either would give every later call the first value's answer: compiling with a second
    set of placeholders shows the SQL depends on the value, and the query is refused."""
    child = borough["children"][0]
    equal = Prepared(lambda child_id, version: Person.objects.filter(pk=child_id, version=version), child_id=int,
                     version=int)
    # Refused either way: the SQL differs between the two sets of placeholders, or (when the ORM leaves the
    # comparison out for one of them) a placeholder never reaches it.
    with pytest.raises(PreparedQueryError, match="changes the SQL|did not reach the SQL"):
        equal(child_id=child.pk, version=child.version)
    above = Prepared(lambda child_id, version: Person.objects.filter(pk=child_id, version__gt=version),
                     child_id=int, version=int)
    with pytest.raises(PreparedQueryError, match="changes the SQL|did not reach the SQL"):
        above(child_id=child.pk, version=child.version + 5)


def test_ids_beyond_64_bits_and_long_lists(borough, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    """An id beyond 64 bits is refused (no row has it; the caller decides what that means). A list longer than
    MAX_PREPARED_IDS runs as the plain queryset, with the same rows."""
    prepared = Prepared(_allocations, child_id=int)
    with pytest.raises(OutOfRange):
        prepared(child_id=2**63)

    def build(child_ids: tuple[int, ...]) -> QuerySet[Any]:
        return Allocation.objects.filter(child_id__in=child_ids).order_by("pk").values_list("pk", flat=True)

    many = Prepared(build, child_ids=tuple)
    children = [c.pk for c in borough["children"]]
    long_list = children + list(range(10**9, 10**9 + MAX_PREPARED_IDS))
    expected = list(build(tuple(children)))
    assert len(expected) == 3
    with django_assert_num_queries(1):
        assert many(child_ids=long_list) == expected
    assert many(child_ids=children) == list(build(tuple(children)))
    with pytest.raises(OutOfRange):
        many(child_ids=[1, -(2**63) - 1])
