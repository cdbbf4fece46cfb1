"""Redaction permits: the one narrow way a disposal redacts the append-only trails (docs/adr/0005).

Creates ``retention_redactionpermit`` and replaces the plain append-only trigger on the audit trail and on every
field-history table with one that lets an UPDATE through only for a row named by a permit in the same
transaction, and never of the columns that prove who did what when (``safehold.retention.redaction``). DELETE
stays refused on PostgreSQL. A history table created by a later migration is converted after ``migrate``
(``RetentionConfig.ready``). On PostgreSQL a deferred constraint trigger refuses to commit a permit.
"""

from django.db import migrations, models

import safehold.core.clock


def forwards(apps, schema_editor):
    from safehold.retention.redaction import PG_PERMIT_GUARD, ensure_triggers

    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_PERMIT_GUARD:
            schema_editor.execute(statement)
    ensure_triggers(schema_editor.connection)


def backwards(apps, schema_editor):
    """Back to the plain append-only triggers (audit.0002 and the history migrations)."""
    from safehold.retention.redaction import redactable_tables

    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    for table, _pk, _proof in redactable_tables():
        if table not in existing:
            continue
        if connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION safehold_append_only();"
            )
        elif connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: UPDATE refused'); END;"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0002_default_schedule_and_append_only_log"),
        ("audit", "0002_append_only_triggers"),
        ("people", "0002_historicalperson"),
        ("casework", "0004_field_history"),
        ("looked_after", "0004_field_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="RedactionPermit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=safehold.core.clock.now, editable=False)),
                ("updated_at", models.DateTimeField(default=safehold.core.clock.now, editable=False)),
                ("table_name", models.CharField(max_length=100)),
                ("row_id", models.BigIntegerField()),
                ("reference", models.CharField(help_text="The disposal reference", max_length=12)),
            ],
            options={
                "indexes": [models.Index(fields=["table_name", "row_id"], name="redaction_permit_row")],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
