"""Background tasks for inspection readiness (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from safehold.core.jobs import QUEUE


@task(queue_name=QUEUE)
def generate_annex_a(export_id: int) -> dict[str, object]:
    """Generate the Annex A workbook and CSVs an export asks for; the export records its progress and outcome."""
    from safehold.inspection.models import AnnexAExport
    from safehold.inspection.services import annex_a_export_run

    export = annex_a_export_run(export=AnnexAExport.objects.get(pk=export_id))
    return {"export": export.pk, "status": export.status, "rows": export.row_counts}
