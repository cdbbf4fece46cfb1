"""The default retention schedule, and the disposal log made append-only in the database.

The schedule rows are inserted from ``safehold.retention.domain.DEFAULT_RULES`` (the statutory rules with their
sources, and local-policy defaults an administrator then edits). Only record types without a row are added, so
running this on a database that already has a schedule changes nothing.

The disposal log is append-only like the audit trail (audit.0002): on PostgreSQL a row trigger refuses UPDATE and
DELETE; on SQLite UPDATE is refused (the test flush needs DELETE; the model layer refuses it).
"""

from django.db import migrations

TABLE = "retention_disposallogentry"

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION safehold_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = 'append-only table ' || TG_TABLE_NAME || ': ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""


def seed_schedule(apps, schema_editor):
    from safehold.retention.domain import DEFAULT_RULES

    RetentionRule = apps.get_model("retention", "RetentionRule")
    have = set(RetentionRule.objects.values_list("record_type", flat=True))
    RetentionRule.objects.bulk_create(
        RetentionRule(
            record_type=spec.record_type.value,
            basis=spec.basis.value,
            years=spec.years,
            death_years=spec.death_years,
            statutory=spec.statutory,
            minimum_years=spec.minimum_years,
            minimum_death_years=spec.minimum_death_years,
            source=spec.source,
        )
        for spec in DEFAULT_RULES
        if spec.record_type.value not in have
    )


def append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION safehold_append_only();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only table {TABLE}: UPDATE refused'); END;"
        )


def drop_append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update;")


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial"), ("audit", "0002_append_only_triggers")]
    operations = [
        migrations.RunPython(seed_schedule, migrations.RunPython.noop),
        migrations.RunPython(append_only, drop_append_only),
    ]
