"""Generating again with ``--flush`` replaces the borough, field history included: history tables are
append-only (on PostgreSQL a row trigger refuses DELETE), so the flush empties them with TRUNCATE there.
Run on PostgreSQL with ``tools/pg_run.py``; on SQLite the same test checks the DELETE path."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from safehold.audit.history import history_model, tracked_models
from safehold.people.models import Person
from safehold.people.services import person_update
from safehold.synthetic.loader import _flush_targets, _history_tables, borough_generate

pytestmark = pytest.mark.django_db

HistoricalPerson = history_model(Person)


def test_generating_twice_with_flush_clears_field_history(personas) -> None:
    borough_generate(population=300, seed=4, flush=True)  # the personas' staff are not a borough
    child = Person.objects.filter(date_of_birth__isnull=False).order_by("pk").first()
    assert child is not None
    person_update(actor=personas.social_worker, person=child, expected_version=child.version, given_name="Edited")
    assert HistoricalPerson.objects.filter(id=child.pk).exists()  # a baseline row and the edit
    if connection.vendor == "postgresql":
        # The reason for TRUNCATE: the append-only trigger refuses a DELETE of history rows.
        with pytest.raises(Exception, match="append-only"):  # noqa: B017 - InternalError from the trigger
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {HistoricalPerson._meta.db_table}")  # noqa: S608

    call_command("generate_borough", "--child-population", "300", "--seed", "4", "--flush", "--no-faults")
    assert not HistoricalPerson.objects.exists()
    assert Person.objects.exists()
    call_command("generate_borough", "--child-population", "300", "--seed", "5", "--flush")
    assert not HistoricalPerson.objects.exists()


def test_every_tracked_generated_model_has_its_history_flushed() -> None:
    targets = _flush_targets()
    tables = set(_history_tables(targets))
    for model in tracked_models():
        if model in targets:
            assert history_model(model)._meta.db_table in tables, model
