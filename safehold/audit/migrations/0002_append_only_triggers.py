"""Database-level append-only guarantee for the audit trail and access log.

The application refuses updates and deletes in Python. On PostgreSQL these row triggers make the
database refuse UPDATE and DELETE too, so not even raw SQL from the application's connection can
rewrite history (TRUNCATE stays possible for the test flush; production revokes it, see
docs/deployment.md). On SQLite, UPDATE is refused.
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_accessevent")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION safehold_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = 'append-only table ' || TG_TABLE_NAME || ': ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION safehold_append_only();"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            # SQLite has no TRUNCATE and Django's test flush deletes rows, so only UPDATE is refused
            # here; DELETE is refused by the model layer (docs/adr/0004).
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: UPDATE refused'); END;"
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
