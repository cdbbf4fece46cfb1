"""Disposal redacts the append-only trails (docs/adr/0005), on SQLite and PostgreSQL, with the clock frozen.

After disposal no field-history row and no audit event about the disposed child (or the parent disposed of with
them) holds their name, identifiers, date of birth, NHS number, address or free text; the rows stay, with who did
what, to which record, when. The way through the append-only triggers is narrow: a permit per row, in the
disposal's transaction, for UPDATE only and never of the proof columns; an ordinary UPDATE or DELETE of a history
row or an audit event is still refused.
"""

# ruff: noqa: S608 - the SQL names tables from model metadata, never from input
from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from safehold.audit.history import history_model, tracked_models
from safehold.audit.models import AppendOnlyError, AuditEvent
from safehold.casework.models import CaseNote
from safehold.people.models import Person
from safehold.people.services import person_update
from safehold.retention import redaction
from safehold.retention.models import DisposalLogEntry, RedactionPermit
from safehold.retention.tests.builders import BUILD, D, at, full_record, list_and_approve, on

pytestmark = pytest.mark.django_db
DUE = D(2080, 3, 1)  # the 75th birthday of a child born 1 March 2005 (looked after)

#: Everything the record below holds that must not survive in any trail.
PERSONAL = [
    "Ottilie", "Quenby", "Q7733991", "9434765919", "2005-03-01",  # the child: names, LA id, NHS number, birth
    "Jo", "Parent", "1980-01-01",  # the parent, disposed of with her
    "Secret Road", "TT3 3CC", "Parent Street", "TT9 9ZZ", "TT1 1AA", "TT2 2BB",  # addresses and postcodes
    "told me about home", "Seen in her room", "Neighbour heard shouting", "Pat Neighbour", "Decided for",
    "S47 for", "Court report", "report.pdf", "Known as Tilly",  # free text
]  # fmt: skip


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.SAFEHOLD_DOCUMENTS_DIR = tmp_path / "documents"


@pytest.fixture
def record(personas) -> Person:
    with on(BUILD.date()):
        child = full_record(
            worker=personas.social_worker, given_name="Ottilie", family_name="Quenby", la_child_id="Q7733991"
        )
        child = person_update(actor=None, person=child, expected_version=child.version, other_names="Known as Tilly")
    return child


def _history_rows() -> list[tuple[str, dict[str, Any]]]:
    rows = []
    for model in tracked_models():
        historical = history_model(model)
        for row in historical.objects.values():
            rows.append((historical._meta.label, row))
    return rows


def _audit_rows() -> list[dict[str, Any]]:
    return [dict(e) for e in AuditEvent.objects.values()]


def _leaks(rows: list[Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in rows:
        text = json.dumps(row, default=str)
        for value in PERSONAL:
            if value in text:
                found.setdefault(value, []).append(text[:160])
    return found


def _proof(event: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(event[c] for c in redaction.AUDIT_PROOF)


def test_disposal_leaves_no_personal_data_in_field_history_or_audit_events(record, personas) -> None:
    before_history, before_audit = _history_rows(), _audit_rows()
    # The trails did hold it all (so this test can fail): names and free text in both, the rest in one or other.
    assert set(_leaks([r for _, r in before_history] + before_audit)) == set(PERSONAL)
    with on(DUE):
        item = list_and_approve(personas.dpo, record)
    entry = item.disposal
    after_history, after_audit = _history_rows(), _audit_rows()
    assert _leaks([r for _, r in after_history]) == {}
    assert _leaks(after_audit) == {}
    # The rows stay, with who did what to which record when; history gained only the disposal's own rows.
    audit_after = {e["id"]: e for e in after_audit}
    for event in before_audit:
        assert _proof(audit_after[event["id"]]) == _proof(event)
    kept = {(label, r["history_id"]): r for label, r in after_history}
    for label, row in before_history:
        new = kept[(label, row["history_id"])]
        assert tuple(new[c] for c in redaction.HISTORY_PROOF) == tuple(row[c] for c in redaction.HISTORY_PROOF)
    # Codes, dates and ids are kept in the snapshots; the fact of the disposal is on each redacted row.
    created = AuditEvent.objects.filter(object_type="people.Person", object_id=str(record.pk)).earliest("id")
    snapshot: dict[str, Any] = created.after or {}
    assert snapshot["sex"] == "F" and snapshot["ethnicity"] == "WBRI"
    assert snapshot["given_name"] == redaction.REDACTED and snapshot["date_of_birth"] == redaction.REDACTED
    renamed = AuditEvent.objects.filter(object_type="people.Person", object_id=str(record.pk)).exclude(
        before__isnull=True
    )
    assert any((e.after or {}).get("other_names") == redaction.REDACTED_CHANGED for e in renamed)
    note_history = history_model(CaseNote).objects.filter(id=CaseNote.objects.get(child=record).pk)
    assert {(h.subject, h.body) for h in note_history} == {("", "")}
    assert all(h.history_change_reason == f"[removed on disposal {entry.reference}]" for h in note_history)
    person_history = history_model(Person).objects.filter(id=record.pk)
    assert {(h.given_name, h.family_name, h.date_of_birth) for h in person_history} == {
        ("Disposed", f"record {entry.reference}", None)
    }
    # The live record keeps what the returns need.
    record.refresh_from_db()
    assert record.date_of_birth == D(2005, 3, 1)
    # Logged: the log entry counts the rows redacted per trail; no permit outlives the disposal.
    assert entry.rows["audit.AuditEvent (redacted)"] > 0
    assert entry.rows["history people.HistoricalPerson (redacted)"] > len(person_history)  # and the parent's
    assert entry.rows["history casework.HistoricalCaseNote (redacted)"] == len(note_history)
    disposed = AuditEvent.objects.get(action="retention.disposed")
    assert (disposed.after or {})["rows"] == entry.rows
    assert not RedactionPermit.objects.exists()
    assert DisposalLogEntry.objects.count() == 1


def test_retentions_own_events_are_not_redacted(record, personas) -> None:
    with on(DUE):
        list_and_approve(personas.dpo, record, reason="Period ended; checked by the officer")
    decision = AuditEvent.objects.get(action="retention.approve")
    assert decision.reason == "Period ended; checked by the officer"
    assert decision.actor_id == personas.dpo.pk


# --- the way through the triggers is narrow ------------------------------------------------------------------


def _history_table() -> tuple[str, int]:
    historical = history_model(Person)
    row = historical.objects.order_by("history_id").first()
    return historical._meta.db_table, row.history_id


def _refused(sql: str, params: list[Any]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def _permit(table: str, row_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO retention_redactionpermit (created_at, updated_at, table_name, row_id, reference) "
            "VALUES (%s, %s, %s, %s, %s)",
            [BUILD, BUILD, table, row_id, "DSPTEST"],
        )


def _drop_permits() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM retention_redactionpermit")


def test_an_ordinary_update_or_delete_of_a_history_row_or_audit_event_is_still_refused(record, personas) -> None:
    with on(DUE):
        list_and_approve(personas.dpo, record)  # after a disposal, too: no permit is left open
    table, history_id = _history_table()
    assert _refused(f"UPDATE {table} SET given_name = 'Rewritten' WHERE history_id = %s", [history_id])
    event = AuditEvent.objects.earliest("id")
    assert _refused("UPDATE audit_auditevent SET reason = 'Rewritten' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":  # SQLite refuses DELETE in the model layer only (ADR 0004)
        assert _refused(f"DELETE FROM {table} WHERE history_id = %s", [history_id])
        assert _refused("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    historical = history_model(Person)
    with pytest.raises(AppendOnlyError):
        historical.objects.filter(history_id=history_id).update(given_name="Rewritten")
    with pytest.raises(AppendOnlyError):
        historical.objects.get(history_id=history_id).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="Rewritten")
    assert historical.objects.filter(given_name="Rewritten").count() == 0


def test_a_permit_opens_only_its_own_row_and_never_the_proof_columns(record) -> None:
    table, history_id = _history_table()
    other = history_model(Person).objects.exclude(history_id=history_id).order_by("history_id").first().history_id
    _permit(table, history_id)
    assert _refused(f"UPDATE {table} SET given_name = 'X' WHERE history_id = %s", [other])
    assert _refused(f"UPDATE {table} SET history_date = %s WHERE history_id = %s", [at(D(2027, 1, 1)), history_id])
    assert _refused(f"UPDATE {table} SET history_user_id = 999 WHERE history_id = %s", [history_id])
    assert not _refused(f"UPDATE {table} SET given_name = 'Redacted' WHERE history_id = %s", [history_id])
    if connection.vendor == "postgresql":
        assert _refused(f"DELETE FROM {table} WHERE history_id = %s", [history_id])  # UPDATE only
    event = AuditEvent.objects.earliest("id")
    _permit("audit_auditevent", event.pk)
    assert _refused("UPDATE audit_auditevent SET actor_label = 'Someone else' WHERE id = %s", [event.pk])
    assert _refused("UPDATE audit_auditevent SET action = 'other' WHERE id = %s", [event.pk])
    assert not _refused("UPDATE audit_auditevent SET reason = 'Redacted' WHERE id = %s", [event.pk])
    _drop_permits()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deferred constraint triggers are PostgreSQL's")
def test_postgresql_refuses_to_commit_a_permit(record) -> None:
    table, history_id = _history_table()
    _permit(table, history_id)
    with pytest.raises(DatabaseError, match="redaction permit"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _drop_permits()  # as the disposal does: with the permit gone, the transaction may commit
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_every_history_table_and_the_audit_trail_have_the_permit_aware_trigger() -> None:
    tables = redaction.redactable_tables()
    assert ("audit_auditevent", "id", redaction.AUDIT_PROOF) in tables
    assert len(tables) == len(tracked_models()) + 1
    with connection.cursor() as cursor:
        missing = [t for t, _, _ in tables if not redaction._installed(cursor, connection.vendor, t)]
    assert missing == []
    assert redaction.ensure_triggers(connection) == []  # idempotent: nothing left to convert


# --- what a snapshot keeps ----------------------------------------------------------------------------------


def test_a_snapshot_keeps_ids_codes_and_dates_and_loses_names_and_free_text() -> None:
    before = {
        "id": 7, "given_name": "Ann", "sex": "F", "date_of_birth": "2005-03-01", "nhs_number": "9434765919",
        "la_child_id": "Q1", "restricted": False, "updated_at": "2026-06-15T10:00:00+01:00", "merged_into_id": None,
    }  # fmt: skip
    after = {**before, "given_name": "Anne"}
    b, a = redaction.redact_snapshots("people.Person", before, after)
    assert b == {**before, "given_name": redaction.REDACTED, "date_of_birth": redaction.REDACTED,
                 "nhs_number": redaction.REDACTED, "la_child_id": redaction.REDACTED}  # fmt: skip
    assert a["given_name"] == redaction.REDACTED_CHANGED and a["sex"] == "F"
    b, a = redaction.redact_snapshots("casework.CaseNote", None, {"id": 1, "child_id": 2, "body": "Text"})
    assert b is None and a == {"id": 1, "child_id": 2, "body": redaction.REDACTED}
    _, a = redaction.redact_snapshots("people.Address", None, {"id": 1, "person_id": 2, "start_date": "2020-01-01"})
    assert a == {"id": 1, "person_id": 2, "start_date": redaction.REDACTED}  # a deleted record keeps only ids
    _, a = redaction.redact_snapshots("gone.Model", None, {"id": 1, "text": "Who", "flag": True})
    assert a == {"id": 1, "text": redaction.REDACTED, "flag": True}


def test_a_history_table_added_later_with_the_plain_trigger_is_converted_after_migrate() -> None:
    """A later app's history migration installs the plain append-only trigger; ``migrate`` converts it."""
    from django.core.management import call_command

    table = history_model(CaseNote)._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION safehold_append_only()"
            )
        else:
            cursor.execute(f"DROP TRIGGER {table}_no_update")
            cursor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: UPDATE refused'); END"
            )
        assert not redaction._installed(cursor, connection.vendor, table)
    call_command("migrate", verbosity=0)  # nothing to migrate; post_migrate runs
    with connection.cursor() as cursor:
        assert redaction._installed(cursor, connection.vendor, table)
