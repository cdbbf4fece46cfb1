"""Field history: written by the service write itself (same transaction, acting user), append-only, and
answering what a record said at a moment — bulk-loaded records included."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from safehold.audit.history import BASELINE_REASON, AppendOnlyHistoricalRecord, history_model, tracked_models
from safehold.audit.models import AppendOnlyError
from safehold.audit.selectors import AS_AT_SECTIONS, history_begins, record_as_at
from safehold.casework.models import CINPlan
from safehold.core.exceptions import DirectWriteForbidden
from safehold.core.services import service
from safehold.core.testing import allocate, make_child
from safehold.people.models import Person
from safehold.people.services import person_update

pytestmark = pytest.mark.django_db

HistoricalPerson = history_model(Person)
CINPlanHistory = history_model(CINPlan)


@pytest.fixture
def child(personas):
    c = make_child(given_name="Before", actor=personas.social_worker)
    allocate(c, personas.social_worker)
    return c


def test_a_service_write_adds_a_history_row_with_the_acting_user(personas, child):
    person_update(actor=personas.team_manager, person=child, expected_version=child.version, given_name="After")
    rows = list(Person.history.filter(id=child.pk).order_by("history_date", "history_id"))  # type: ignore[attr-defined]
    assert [(r.history_type, r.given_name, r.history_user_id) for r in rows] == [
        ("+", "Before", personas.social_worker.pk),
        ("~", "After", personas.team_manager.pk),
    ]


def test_the_system_as_actor_records_no_user(personas):
    c = make_child(actor=None)
    (row,) = Person.history.filter(id=c.pk)  # type: ignore[attr-defined]
    assert row.history_user_id is None


def test_history_rolls_back_with_the_service(personas, child):
    @service
    def update_then_fail(*, actor):
        person_update(actor=actor, person=child, expected_version=child.version, given_name="Never")
        raise RuntimeError("the service fails after the write")

    count = Person.history.filter(id=child.pk).count()  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError):
        update_then_fail(actor=personas.social_worker)
    assert Person.history.filter(id=child.pk).count() == count  # type: ignore[attr-defined]
    assert not Person.history.filter(given_name="Never").exists()  # type: ignore[attr-defined]


def test_history_rows_cannot_be_written_outside_a_service_or_changed(personas, child):
    row = Person.history.filter(id=child.pk).first()  # type: ignore[attr-defined]
    with pytest.raises(DirectWriteForbidden):
        HistoricalPerson(id=child.pk, given_name="Forged", family_name="X", history_date=timezone.now()).save()
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        HistoricalPerson.objects.filter(id=child.pk).update(given_name="Forged")
    with pytest.raises(AppendOnlyError):
        HistoricalPerson.objects.filter(id=child.pk).delete()


def test_the_database_refuses_to_rewrite_history(personas, child):
    """Raw SQL from the application's connection: UPDATE refused on both databases, DELETE on PostgreSQL."""
    row = Person.history.filter(id=child.pk).first()  # type: ignore[attr-defined]
    statements = ["UPDATE people_historicalperson SET given_name = 'Forged' WHERE history_id = %s"]
    if connection.vendor == "postgresql":
        statements.append("DELETE FROM people_historicalperson WHERE history_id = %s")
    for sql in statements:
        with pytest.raises(Exception) as excinfo:  # noqa: B017 - IntegrityError / InternalError from the trigger
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [row.history_id])
        assert "append-only" in str(excinfo.value)
    assert HistoricalPerson.objects.get(history_id=row.history_id).given_name == "Before"


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


def test_every_history_table_is_append_only_in_the_database():
    """A model registered for field history later must get the trigger in its migration too."""
    suffix = "_append_only" if connection.vendor == "postgresql" else "_no_update"
    triggers = _triggers()
    tables = [history_model(m)._meta.db_table for m in tracked_models()]
    assert "people_historicalperson" in tables
    assert [t for t in tables if f"{t}{suffix}" not in triggers] == []


def test_every_model_the_as_at_page_shows_keeps_field_history():
    tracked = {m._meta.label for m in tracked_models()}
    assert [label for label, *_ in AS_AT_SECTIONS if label not in tracked] == []
    for model in tracked_models():
        assert issubclass(history_model(model), AppendOnlyHistoricalRecord)


@service
def _bulk_load(*, when: dt.datetime, **fields) -> Person:
    """What the synthetic loader and the CIN import do: insert rows without save() signals."""
    (person,) = Person.objects.bulk_create(
        [
            Person(
                is_child_record=True,
                family_name="Loaded",
                date_of_birth=dt.date(2016, 1, 1),
                created_at=when,
                updated_at=when,
                **fields,
            )
        ]
    )
    return person


def test_a_bulk_loaded_record_has_history_from_its_load(personas):
    loaded_at = timezone.now() - dt.timedelta(days=30)
    person = _bulk_load(when=loaded_at, given_name="AsLoaded")
    assert not Person.history.filter(id=person.pk).exists()  # type: ignore[attr-defined]
    # Never written since: its live values have held since the load.
    assert record_as_at(Person, object_id=person.pk, at=loaded_at + dt.timedelta(days=1)).given_name == "AsLoaded"
    assert record_as_at(Person, object_id=person.pk, at=loaded_at - dt.timedelta(days=1)) is None
    assert history_begins(Person, object_id=person.pk) == loaded_at

    person = Person.objects.get(pk=person.pk)
    person_update(actor=personas.social_worker, person=person, expected_version=person.version, given_name="Edited")
    rows = list(Person.history.filter(id=person.pk).order_by("history_date"))  # type: ignore[attr-defined]
    assert [(r.history_type, r.given_name, r.history_change_reason) for r in rows] == [
        ("+", "AsLoaded", BASELINE_REASON),
        ("~", "Edited", None),
    ]
    assert rows[0].history_date == loaded_at
    # Between the load and the edit, the record said what it was loaded with.
    assert record_as_at(Person, object_id=person.pk, at=loaded_at + dt.timedelta(days=1)).given_name == "AsLoaded"
    assert record_as_at(Person, object_id=person.pk, at=timezone.now()).given_name == "Edited"
    assert history_begins(Person, object_id=person.pk) == loaded_at
    # A second edit adds no second baseline.
    person_update(actor=personas.social_worker, person=person, expected_version=person.version, given_name="Again")
    assert Person.history.filter(id=person.pk, history_change_reason=BASELINE_REASON).count() == 1  # type: ignore[attr-defined]


def test_the_as_at_page_says_when_a_loaded_records_history_begins(client, personas):
    loaded_at = timezone.now() - dt.timedelta(days=30)
    person = _bulk_load(when=loaded_at, given_name="AsLoaded", la_child_id="L0000001")
    allocate(person, personas.social_worker)
    client.force_login(personas.team_manager)
    before = (loaded_at - dt.timedelta(days=10)).date().isoformat()
    page = client.get(f"/audit/children/{person.pk}/as-at/", {"date": before}).content.decode()
    assert "loaded into Safehold in bulk" in page and "did not exist" not in page
    after = client.get(f"/audit/children/{person.pk}/as-at/", {"date": timezone.localdate().isoformat()})
    assert after.context["rows"][0] == ("First name", "AsLoaded")


def test_history_dates_follow_the_clock(personas, child):
    when = timezone.now() + dt.timedelta(days=5)
    with time_machine.travel(when, tick=False):
        person_update(actor=personas.social_worker, person=child, expected_version=child.version, given_name="Later")
    latest = Person.history.filter(id=child.pk).order_by("-history_date").first()  # type: ignore[attr-defined]
    assert latest.history_date == when


def test_the_as_at_page_shows_the_casework_and_care_records_as_they_were(client, personas):
    """A child in need plan ended later, and a period of care started later: each shown as it stood on the day."""
    from safehold.casework import services as cw
    from safehold.looked_after import services as la

    start = timezone.now() - dt.timedelta(days=20)
    with time_machine.travel(start, tick=False):
        child = make_child(actor=personas.social_worker, date_of_birth=dt.date(2015, 3, 14))
        allocate(child, personas.social_worker, start=start.date())
        episode = cw.referral_create(
            actor=personas.social_worker, child=child, referral_date=start.date(), source="2A", primary_need="N1"
        )
        plan = cw.cin_plan_start(actor=personas.social_worker, episode=episode, start_date=start.date())
    with time_machine.travel(start + dt.timedelta(days=10), tick=False):
        plan.refresh_from_db()
        cw.cin_plan_end(
            actor=personas.social_worker, plan=plan, expected_version=plan.version, end_date=timezone.localdate()
        )
        la.period_of_care_start(
            actor=personas.social_worker, child=child, start_date=timezone.localdate(), legal_status="C2",
            category_of_need="N1", placement_type="U4", placement_provider="PR1",
        )  # fmt: skip
    client.force_login(personas.team_manager)

    def sections(day: dt.date) -> dict[str, list[list]]:
        response = client.get(f"/audit/children/{child.pk}/as-at/", {"date": day.isoformat()})
        return {s.heading: s.rows for s in response.context["sections"]}

    before = sections((start + dt.timedelta(days=5)).date())
    assert before["Child in need plans"] == [[plan.start_date, None]]  # not yet ended
    assert "Periods of care" not in before and "Child in need episodes" in before
    after = sections(timezone.localdate())
    assert after["Child in need plans"] == [[plan.start_date, (start + dt.timedelta(days=10)).date()]]
    assert after["Periods of care"][0][0] == (start + dt.timedelta(days=10)).date()
    assert after["Care episodes"][0][1] == "Full care order"  # the display of the code (C2)
    # Each kind is read from its own field history, rows written by the services that recorded the changes.
    assert CINPlanHistory.objects.filter(id=plan.pk, history_user_id=personas.social_worker.pk).count() >= 2
