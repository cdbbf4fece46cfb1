"""Child records can be written only through services; every service writes its audit event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.db import IntegrityError, connection, transaction

from safehold.audit.models import AccessEvent, AppendOnlyError, AuditEvent
from safehold.audit.services import audit_record
from safehold.casework.models import CINEpisode, Contact
from safehold.core.exceptions import ConcurrentEditError, DirectWriteForbidden, ValidationFailed
from safehold.core.services import service
from safehold.core.testing import make_child
from safehold.people.models import Person
from safehold.people.services import person_update

pytestmark = pytest.mark.django_db


def test_direct_save_of_a_child_record_is_refused():
    with pytest.raises(DirectWriteForbidden):
        Person(given_name="A", family_name="B", is_child_record=True, date_of_birth=dt.date(2015, 1, 1)).save()
    assert Person.objects.count() == 0


def test_bulk_and_queryset_writes_are_refused_outside_a_service():
    child = make_child()
    with pytest.raises(DirectWriteForbidden):
        Person.objects.filter(pk=child.pk).update(given_name="Changed")
    with pytest.raises(DirectWriteForbidden):
        Person.objects.bulk_create([Person(given_name="X", family_name="Y")])
    with pytest.raises(DirectWriteForbidden):
        Person.objects.filter(pk=child.pk).delete()
    with pytest.raises(DirectWriteForbidden):
        child.delete()
    child.refresh_from_db()
    assert child.given_name == "Test"


def test_no_child_record_model_is_registered_in_the_admin():
    from django.apps import apps

    registered = {m._meta.label for m in admin.site._registry}
    for app in ("people", "casework", "looked_after", "workforce"):
        for model in apps.get_app_config(app).get_models():
            assert model._meta.label not in registered, f"{model._meta.label} is editable in the admin"


def test_admin_cannot_add_a_child(client, personas):
    client.force_login(personas.admin)
    response = client.get("/admin/people/person/add/")
    assert response.status_code == 404
    response = client.post("/admin/people/person/add/", {"given_name": "A", "family_name": "B"})
    assert response.status_code == 404
    assert not Person.objects.filter(given_name="A", family_name="B").exists()


def test_creating_a_child_writes_an_audit_event_in_the_same_transaction():
    child = make_child(given_name="Audited")
    event = AuditEvent.objects.get(action="child.created", object_id=str(child.pk))
    assert event.after["given_name"] == "Audited"
    assert event.actor_label == "system"


def test_a_failed_service_leaves_neither_the_record_nor_its_audit_event():
    @service
    def create_then_fail() -> None:
        make_child(given_name="Rollback")
        raise ValidationFailed("deliberate")

    with pytest.raises(ValidationFailed):
        create_then_fail()
    assert not Person.objects.filter(given_name="Rollback").exists()
    assert not AuditEvent.objects.filter(after__given_name="Rollback").exists()


def test_stale_concurrent_save_is_refused_and_the_first_save_survives():
    child = make_child(given_name="Original")
    first_reader = Person.objects.get(pk=child.pk)
    second_reader = Person.objects.get(pk=child.pk)
    person_update(actor=None, person=first_reader, expected_version=first_reader.version, given_name="First")
    with pytest.raises(ConcurrentEditError) as excinfo:
        person_update(actor=None, person=second_reader, expected_version=second_reader.version, given_name="Second")
    assert "changed by someone else" in str(excinfo.value)
    child.refresh_from_db()
    assert child.given_name == "First"
    assert child.version == 2
    assert AuditEvent.objects.filter(action="person.updated").count() == 1


def test_audit_events_cannot_be_changed_or_deleted():
    event = audit_record(actor=None, action="test.event", object_type="x")
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()


def test_the_database_itself_refuses_to_rewrite_audit_history():
    event = audit_record(actor=None, action="test.event", object_type="x")
    with pytest.raises(Exception) as excinfo:  # noqa: B017 - IntegrityError on SQLite, InternalError on PostgreSQL
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET action = 'tampered' WHERE id = %s", [event.pk])
    assert "append-only" in str(excinfo.value)
    event.refresh_from_db()
    assert event.action == "test.event"
    if connection.vendor == "postgresql":
        with pytest.raises(Exception) as excinfo:  # noqa: B017
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
        assert "append-only" in str(excinfo.value)
        assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_database_constraint_backs_the_one_open_episode_rule():
    child = make_child()

    @service
    def two_open_episodes() -> None:
        CINEpisode(child=child, referral_date=dt.date(2024, 1, 1), referral_source="6").save()
        CINEpisode(child=child, referral_date=dt.date(2024, 2, 1), referral_source="6").save()

    with pytest.raises(IntegrityError):
        two_open_episodes()
    assert CINEpisode.objects.count() == 0
    assert Contact.objects.count() == 0
