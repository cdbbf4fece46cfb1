"""The loader: one service writes a valid borough (model validation, database constraints, audit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from safehold.accounts.models import User
from safehold.accounts.roles import Role
from safehold.audit.models import AuditEvent
from safehold.core.exceptions import DirectWriteForbidden, ValidationFailed
from safehold.core.services import service
from safehold.people.models import Person
from safehold.synthetic import borough as B
from safehold.synthetic.generator import generate_borough
from safehold.synthetic.loader import _insert_many, borough_generate
from safehold.workforce.models import Allocation, StaffMember

pytestmark = pytest.mark.django_db


def test_loaded_borough_passes_model_validation_and_database_constraints() -> None:
    result = borough_generate(population=1200, seed=3)
    expected = generate_borough(1200, 3)
    assert result.counts == expected.counts()
    for label in B.MODEL_ORDER:
        model = apps.get_model(label)
        assert model.objects.count() == expected.counts()[label], label
        relations = [f.name for f in model._meta.fields if f.is_relation]  # checked by check_constraints()
        for i, obj in enumerate(model.objects.all().iterator()):
            # Field choices, lengths, identifiers and the models' own clean(); unique and check constraints
            # were enforced by the database on insert, and are re-checked in Python on a sample.
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=i < 15)
    connection.check_constraints()  # foreign keys (deferred inside the test transaction)
    event = AuditEvent.objects.get(action="borough.generated")
    assert event.after is not None
    assert event.after["seed"] == 3 and event.after["population"] == 1200
    assert event.after["counts"][B.PERSON] == expected.counts()[B.PERSON]


def test_the_database_holds_the_generated_ids_and_values() -> None:
    borough_generate(population=600, seed=8)
    expected = generate_borough(600, 8)
    by_id = {p["id"]: p for p in expected.rows[B.PERSON]}
    for p in Person.objects.all():
        row = by_id[p.pk]
        assert (p.given_name, p.family_name, p.date_of_birth, p.nhs_number, p.upn) == (
            row["given_name"],
            row["family_name"],
            row["date_of_birth"],
            row["nhs_number"],
            row["upn"],
        )
    assert set(Allocation.objects.values_list("id", flat=True)) == {a["id"] for a in expected.rows[B.ALLOCATION]}


def test_new_records_after_a_load_get_fresh_ids() -> None:
    borough_generate(population=300, seed=1)
    top = Person.objects.order_by("-id").values_list("id", flat=True).first()
    assert top is not None

    @service
    def add() -> Person:
        p = Person(given_name="New", family_name="Child", sex="F", date_of_birth=dt.date(2020, 1, 1))
        p.save()
        return p

    assert add().pk > top


def test_a_second_borough_needs_flush() -> None:
    borough_generate(population=300, seed=1)
    with pytest.raises(ValidationFailed):
        borough_generate(population=300, seed=2)
    result = borough_generate(population=300, seed=2, flush=True)
    assert Person.objects.count() == result.counts[B.PERSON]
    assert AuditEvent.objects.filter(action="borough.generated").count() == 2


def test_rows_cannot_be_written_outside_a_service() -> None:
    with pytest.raises(DirectWriteForbidden):
        _insert_many(Person, [{"id": 1}], B.at(dt.date(2026, 3, 31)), 100)


def test_the_orm_path_writes_the_same_borough() -> None:
    result = borough_generate(population=300, seed=4, orm=True)
    assert result.counts == generate_borough(300, 4).counts()
    connection.check_constraints()


def test_demo_users_one_per_role_linked_to_staff() -> None:
    result = borough_generate(population=3000, seed=1, demo_users=True, password="a-demo-password-123")
    assert {u for u, *_ in result.logins} >= {"sw.demo", "tm.demo", "iro.demo", "hos.demo", "dcs.demo"}
    assert User.objects.filter(username__endswith=".demo").count() == len(Role)
    for username, role in (
        ("sw.demo", Role.SOCIAL_WORKER),
        ("tm.demo", Role.TEAM_MANAGER),
        ("iro.demo", Role.CP_CHAIR_IRO),
        ("hos.demo", Role.HEAD_OF_SERVICE),
        ("dcs.demo", Role.DIRECTOR),
    ):
        user = User.objects.get(username=username)
        assert user.role == role and user.check_password("a-demo-password-123")
        assert (
            StaffMember.objects.get(user=user).role
            == {
                "sw.demo": "social_worker",
                "tm.demo": "team_manager",
                "iro.demo": "cp_chair_iro",
                "hos.demo": "head_of_service",
                "dcs.demo": "director",
            }[username]
        )
    sw = StaffMember.objects.get(user__username="sw.demo")
    assert Allocation.objects.filter(worker=sw, end_date__isnull=True).count() >= 5
    tm = StaffMember.objects.get(user__username="tm.demo")
    assert sw.team is not None and sw.team.manager == tm


def test_command_prints_counts_and_logins(capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "generate_borough",
        "--child-population",
        "300",
        "--seed",
        "2",
        "--demo-users",
        "--password",
        "another-demo-password",
    )
    out = capsys.readouterr().out
    assert "people.Person" in out and "Demo logins" in out and "sw.demo" in out
    with pytest.raises(CommandError):
        call_command("generate_borough", "--child-population", "300", "--seed", "2")
    call_command("generate_borough", "--child-population", "300", "--seed", "2", "--flush", "--no-faults")
    assert "no data-quality faults" in capsys.readouterr().out
