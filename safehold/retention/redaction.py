"""Redacting a disposed record's personal data from the append-only trails (docs/adr/0005-redaction-on-disposal.md).

Audit events (``audit.AuditEvent``: ``before``/``after`` snapshots, the reason) and field history (the
``Historical…`` tables of ``safehold.audit.history``) hold copies of the values disposal removes. Both are
append-only in the application (their querysets refuse ``update``) and in the database (a row trigger refuses
UPDATE; on PostgreSQL also DELETE). This module is the one way through, and it is narrow:

* **Only disposal uses it**, from inside ``services.disposal_execute`` (one ``@service`` transaction), after the
  record's own rows have been treated.
* **Row by row, by permit.** For each row to redact, the disposal inserts a :class:`RedactionPermit` (table, row
  id, disposal reference) in the same transaction. The trigger lets an UPDATE through only when a permit names
  that table and row, and deletes the permits before the transaction ends; a permit is never committed (on
  PostgreSQL a deferred constraint trigger refuses a commit that would leave one). Another connection cannot see
  an uncommitted permit, so the window is this transaction and these rows only.
* **UPDATE only, and never of the proof.** DELETE stays refused. Even with a permit, the trigger refuses a
  change to the columns that prove who did what when: an audit event's time, actor, action, object type and id,
  child id and request id; a history row's id, the record's id, its date, user and type.
* **Logged.** The disposal log entry and the disposal's audit event count the rows redacted per table, and each
  redacted audit event's reason and history row's change reason name the disposal reference.

What is removed: in an audit snapshot, every value that is not an id, a number, a yes/no, a date (other than a
person's dates of birth and death) or a code (a field with fixed choices, or a field the disposal map keeps with a
reason) — names, identifiers, addresses, free text, JSON; a non-empty reason. In a history row, the same fields
the disposal empties on the live row (the map's ``blank`` and ``null`` fields; every text field of a model whose
rows are deleted), and for a person the identifying fields (set to the disposal marker, as on the live row) and
the dates of birth and death (the live row keeps those for the returns; the history needs none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.db.models import Q

from safehold.retention.disposal import PERSON_IDENTIFYING, TREATMENTS, Treatment, model_for

REDACTED = "[removed on disposal]"
REDACTED_CHANGED = "[removed on disposal: changed]"
#: A person's own dates: removed from the trails (the live record keeps them for the returns).
PERSONAL_DATES = frozenset({"date_of_birth", "expected_date_of_birth", "date_of_death"})

PERMIT_TABLE = "retention_redactionpermit"
AUDIT_TABLE = "audit_auditevent"
#: Columns a redaction may never change: they prove who did what, to which record, when.
AUDIT_PROOF = ("id", "occurred_at", "actor_id", "actor_label", "action", "object_type", "object_id", "child_id",
               "request_id")  # fmt: skip
HISTORY_PROOF = ("history_id", "id", "history_date", "history_user_id", "history_type")


def reason_marker(reference: str) -> str:
    return f"[removed on disposal {reference}]"


# --- The database triggers ---------------------------------------------------------------------------------

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION safehold_append_only_redactable() RETURNS trigger AS $$
DECLARE
  old_row jsonb;
  new_row jsonb;
  i integer;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    IF EXISTS (
      SELECT 1 FROM retention_redactionpermit p
      WHERE p.table_name = TG_TABLE_NAME AND p.row_id = (old_row ->> TG_ARGV[0])::bigint
    ) THEN
      FOR i IN 1 .. TG_NARGS - 1 LOOP
        IF (old_row -> TG_ARGV[i]) IS DISTINCT FROM (new_row -> TG_ARGV[i]) THEN
          RAISE EXCEPTION USING MESSAGE = 'append-only table ' || TG_TABLE_NAME || ': a redaction may not change '
            || TG_ARGV[i];
        END IF;
      END LOOP;
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'append-only table ' || TG_TABLE_NAME || ': ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""

PG_PERMIT_GUARD = (
    """
CREATE OR REPLACE FUNCTION safehold_redaction_permit_uncommitted() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM retention_redactionpermit WHERE id = NEW.id) THEN
    RAISE EXCEPTION USING MESSAGE = 'a redaction permit may not outlive the disposal that wrote it';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""",
    "DROP TRIGGER IF EXISTS retention_redactionpermit_uncommitted ON retention_redactionpermit;",
    "CREATE CONSTRAINT TRIGGER retention_redactionpermit_uncommitted AFTER INSERT ON retention_redactionpermit "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION safehold_redaction_permit_uncommitted();",
)


def redactable_tables() -> list[tuple[str, str, tuple[str, ...]]]:
    """(table, primary key column, proof columns) of every append-only table a disposal may redact."""
    from safehold.audit.history import history_model, tracked_models

    tables: list[tuple[str, str, tuple[str, ...]]] = [(AUDIT_TABLE, "id", AUDIT_PROOF)]
    for model in tracked_models():
        tables.append((history_model(model)._meta.db_table, "history_id", HISTORY_PROOF))
    return sorted(set(tables))


def _trigger_name(table: str, vendor: str) -> str:
    return f"{table}_append_only" if vendor == "postgresql" else f"{table}_no_update"


def _sqlite_trigger(table: str, pk: str, proof: Iterable[str]) -> str:
    permitted = f"SELECT 1 FROM {PERMIT_TABLE} p WHERE p.table_name = '{table}' AND p.row_id = OLD.{pk}"  # noqa: S608
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in proof)
    # Table and column names come from model metadata, never from input.
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW "
        f"WHEN NOT EXISTS ({permitted}) OR {changed} "
        f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: UPDATE refused'); END;"
    )


def _pg_trigger(table: str, pk: str, proof: Iterable[str]) -> str:
    args = ", ".join(f"'{c}'" for c in (pk, *proof))
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION safehold_append_only_redactable({args});"
    )


def _installed(cursor: Any, vendor: str, table: str) -> bool:
    name = _trigger_name(table, vendor)
    if vendor == "postgresql":
        cursor.execute(
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE t.tgrelid = %s::regclass AND t.tgname = %s",
            [table, name],
        )
        row = cursor.fetchone()
        return row is not None and "safehold_append_only_redactable" in row[0]
    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
    row = cursor.fetchone()
    return row is not None and PERMIT_TABLE in row[0]


def ensure_triggers(connection: Any) -> list[str]:
    """Give every redactable append-only table that exists the permit-aware trigger (idempotent).

    Called by migration ``retention.0003`` and after every ``migrate`` (``apps.RetentionConfig``), so a history
    table added by a later migration, created with the plain append-only trigger, is converted too. Returns the
    tables changed.
    """
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        return []
    existing = set(connection.introspection.table_names())
    if PERMIT_TABLE not in existing:
        return []
    changed = []
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for table, pk, proof in redactable_tables():
            if table not in existing or _installed(cursor, vendor, table):
                continue
            if vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
                cursor.execute(_pg_trigger(table, pk, proof))
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
                cursor.execute(_sqlite_trigger(table, pk, proof))
            changed.append(table)
    return changed


# --- What a redaction changes --------------------------------------------------------------------------------


def _treatments() -> dict[str, Treatment]:
    return {t.model: t for t in TREATMENTS}


def _keep_value(value: Any, field: models.Field | None, treatment: Treatment | None) -> bool:
    """Whether an audit snapshot value is kept: ids, numbers, yes/no, dates, codes; never names or free text."""
    if value is None or value == "" or isinstance(value, bool | int | float):
        return True
    if field is None:
        return False
    if field.primary_key or field.is_relation:
        return True
    if treatment is not None and treatment.delete:
        return False
    if field.name in PERSONAL_DATES:
        return False
    if isinstance(field, models.DateField):  # and DateTimeField
        return True
    if field.choices:
        return True
    return treatment is not None and field.name in treatment.keep


def redact_snapshots(
    object_type: str, before: Any, after: Any, treatments: Mapping[str, Treatment] | None = None
) -> tuple[Any, Any]:
    """The event's ``before``/``after`` with personal values replaced; a changed value is marked as changed."""
    treatments = _treatments() if treatments is None else treatments
    model = model_for(object_type) if object_type else None
    fields = {f.attname: f for f in model._meta.concrete_fields} if model is not None else {}
    treatment = treatments.get(object_type)
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}

    def one(data: Any, other: dict[str, Any], is_after: bool) -> Any:
        if data is None:
            return None
        if not isinstance(data, dict):
            return REDACTED
        out = {}
        for key, value in data.items():
            if _keep_value(value, fields.get(key), treatment):
                out[key] = value
            elif is_after and key in other and other[key] != value:
                out[key] = REDACTED_CHANGED
            else:
                out[key] = REDACTED
        return out

    return one(before, a, False), one(after, b, True)


def _permit(table: str, row_ids: Iterable[int], reference: str) -> None:
    from safehold.retention.models import RedactionPermit

    RedactionPermit.objects.bulk_create(
        [RedactionPermit(table_name=table, row_id=pk, reference=reference) for pk in row_ids], batch_size=1000
    )


def _history_values(model: type[models.Model], treatment: Treatment | None) -> dict[str, Any]:
    if treatment is None:
        return {}
    if treatment.delete:
        values: dict[str, Any] = {}
        for f in model._meta.concrete_fields:
            if isinstance(f, models.TextField | models.JSONField) or (
                isinstance(f, models.CharField) and not f.choices
            ):
                values[f.name] = None if f.null else ("" if not isinstance(f, models.JSONField) else {})
        return values
    return {**{name: "" for name in treatment.blank}, **{name: None for name in treatment.null}}


def redact_history(*, reference: str, person_ids: set[int], touched: Mapping[str, set[int]]) -> dict[str, int]:
    """Redact the field history of the disposed people and of the rows disposal emptied or deleted."""
    from safehold.audit.history import history_model, tracked_models
    from safehold.people.models import Person

    treatments = _treatments()
    counts: dict[str, int] = {}
    for model in tracked_models():
        label = model._meta.label
        historical = history_model(model)
        # The append-only queryset refuses update(); this is the way.
        base: models.QuerySet[Any] = models.QuerySet(model=historical)
        if model is Person:
            pks = set(person_ids)
        else:
            pks = set(touched.get(label, ()))
        if not pks:
            continue
        rows = list(base.filter(id__in=pks).values_list("history_id", flat=True))
        if not rows:
            continue
        _permit(historical._meta.db_table, rows, reference)
        marker = {"history_change_reason": reason_marker(reference)}
        if model is Person:
            for values in Person.objects.filter(pk__in=pks).values("pk", *PERSON_IDENTIFYING):
                pk = values.pop("pk")
                base.filter(id=pk).update(**values, **{d: None for d in PERSONAL_DATES}, **marker)
        else:
            base.filter(history_id__in=rows).update(**_history_values(model, treatments.get(label)), **marker)
        counts[f"history {historical._meta.label} (redacted)"] = len(rows)
    return counts


def redact_audit(*, reference: str, child_ids: set[int], person_ids: set[int], touched: Mapping[str, set[int]]) -> int:
    """Redact the audit events about the disposed records (not retention's own: the officer's accountability)."""
    from safehold.audit.models import AuditEvent

    treatments = _treatments()
    which = Q(child_id__in=child_ids) | Q(object_type="people.Person", object_id__in=[str(p) for p in person_ids])
    for label, pks in touched.items():
        if pks:
            which |= Q(object_type=label, object_id__in=[str(p) for p in pks])
    events = AuditEvent.objects.filter(which).exclude(action__startswith="retention.")
    changes: dict[int, dict[str, Any]] = {}
    for pk, object_type, before, after, reason in events.values_list("pk", "object_type", "before", "after", "reason"):
        new_before, new_after = redact_snapshots(object_type, before, after, treatments)
        new_reason = reason_marker(reference) if reason else reason
        if (new_before, new_after, new_reason) != (before, after, reason):
            changes[pk] = {"before": new_before, "after": new_after, "reason": new_reason}
    if not changes:
        return 0
    _permit(AUDIT_TABLE, changes, reference)
    # The append-only queryset refuses update(); this is the way.
    base: models.QuerySet[AuditEvent] = models.QuerySet(model=AuditEvent)
    for pk, values in changes.items():
        base.filter(pk=pk).update(**values)
    return len(changes)


def redact(
    *, reference: str, child_ids: set[int], person_ids: set[int], touched: Mapping[str, set[int]]
) -> dict[str, int]:
    """Redact the trails for one disposal (called by ``services.disposal_execute`` inside its transaction)."""
    from safehold.retention.models import RedactionPermit

    counts = redact_history(reference=reference, person_ids=person_ids, touched=touched)
    n = redact_audit(reference=reference, child_ids=child_ids, person_ids=person_ids, touched=touched)
    if n:
        counts["audit.AuditEvent (redacted)"] = n
    # On failure the whole disposal rolls back, permits with it; on success none may be left to commit.
    RedactionPermit.objects.filter(reference=reference).delete()
    return counts
