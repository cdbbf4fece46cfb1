"""Field history (django-simple-history): what a child's record said at any moment.

Each model registered with :func:`child_history` gets a ``Historical<Model>`` table in its own app. A
service write of the record adds one history row with the record's values, the acting user and the time,
from the record's own ``post_save``/``post_delete`` signal — so in the service's transaction: when the
service rolls back, so does the history row. The audit trail stays the record of who did what and why
(action, reason, request id); field history answers "what did it say on date X" without replaying it.

History rows are append-only like audit events: the model layer refuses to update or delete them, and on
PostgreSQL a row trigger refuses UPDATE and DELETE from the application's connection (see
:func:`append_only_tables` and each app's history migration).

Bulk loads (the synthetic borough, a CIN census import) insert rows without signals, so they write no
history: a bulk-loaded record's history starts at its first service write, which first stores a
*baseline* row — the values as loaded, dated at the record's last write (``updated_at``) — so the "as at"
page can still answer for the days between the load and the change. Before that date Safehold holds no
field history for the record, and the page says so.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.db.models.signals import pre_delete, pre_save
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

from safehold.audit.models import AppendOnlyError
from safehold.core import clock
from safehold.core.services import NO_ACTOR, current_actor, require_service

BASELINE_REASON = "Values as loaded in bulk (no field history before)"


class AppendOnlyHistoricalQuerySet(HistoricalQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} is append-only")


class AppendOnlyHistoricalRecord(models.Model):
    """Base of every historical model: rows are added by a service write and never changed."""

    objects = AppendOnlyHistoricalQuerySet.as_manager()  # type: ignore[django-manager-missing]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} is append-only")
        require_service(self._meta.verbose_name)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} is append-only")


def _is_user(value: object) -> bool:
    return isinstance(value, models.Model) and value._meta.label == settings.AUTH_USER_MODEL


def history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> Any:
    """The acting user of the write: the running service's ``actor`` (a user; None for the system or a
    label), else the signed-in user of the request (simple-history's middleware), else nobody."""
    actor = current_actor()
    if actor is not NO_ACTOR:
        return actor if _is_user(actor) else None
    user = getattr(request, "user", None)
    return user if _is_user(user) else None


def child_history(**kwargs: Any) -> HistoricalRecords:
    """``HistoricalRecords`` for a child-record model: append-only rows, the acting user kept as a plain id
    (like the audit trail, history must survive the removal of a user account)."""
    return HistoricalRecords(
        bases=[AppendOnlyHistoricalRecord],
        historical_queryset=AppendOnlyHistoricalQuerySet,
        history_id_field=models.BigAutoField(primary_key=True),
        history_user_id_field=models.BigIntegerField(null=True, blank=True, db_index=True),
        get_user=history_user,
        **kwargs,
    )


def tracked_models() -> list[type[models.Model]]:
    """Every model whose history is kept through :func:`child_history`."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        name = getattr(model._meta, "simple_history_manager_attribute", None)
        if name and issubclass(getattr(model, name).model, AppendOnlyHistoricalRecord):
            found.append(model)
    return found


def history_model(model: type[models.Model]) -> Any:
    return getattr(model, model._meta.simple_history_manager_attribute).model  # type: ignore[attr-defined]


def _baseline(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """Before the first service write of a record that has no history (it was loaded in bulk), store the
    values it was loaded with, dated at its last write, so its history has a start."""
    if kwargs.get("raw") or instance.pk is None or instance._state.adding:
        return
    historical = history_model(sender)
    pk_attname = sender._meta.pk.attname
    if historical.objects.filter(**{pk_attname: instance.pk}).exists():
        return
    current = sender._base_manager.filter(pk=instance.pk).first()
    if current is None:
        return
    values = {f.attname: getattr(current, f.attname) for f in historical.tracked_fields}
    historical(
        history_date=getattr(current, "updated_at", None) or clock.now(),
        history_type="+",
        history_change_reason=BASELINE_REASON,
        **values,
    ).save()


def connect_baselines() -> None:
    """Called from the audit app's ``ready()``: give every tracked model the baseline hook."""
    for model in tracked_models():
        pre_save.connect(_baseline, sender=model, dispatch_uid=f"history-baseline-save-{model._meta.label}")
        pre_delete.connect(_baseline, sender=model, dispatch_uid=f"history-baseline-delete-{model._meta.label}")


# --- Database-level protection, used by the history migrations ------------------------------------------

_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION safehold_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = 'append-only table ' || TG_TABLE_NAME || ': ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""


def append_only_tables(*tables: str) -> migrations.RunPython:
    """A migration operation making ``tables`` append-only in the database, as ``audit.0002`` does for the
    audit trail: on PostgreSQL a row trigger refuses UPDATE and DELETE (TRUNCATE stays possible for the test
    flush; production revokes it, docs/deployment.md); on SQLite UPDATE is refused."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(_POSTGRES_FUNCTION)
            for table in tables:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION safehold_append_only();"
                )
        elif vendor == "sqlite":
            for table in tables:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: UPDATE refused'); END;"
                )

    def backwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for table in tables:
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            elif vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")

    return migrations.RunPython(forwards, backwards)
