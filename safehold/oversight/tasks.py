"""Background tasks for oversight (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from safehold.core.jobs import QUEUE


@task(queue_name=QUEUE)
def refresh_snapshots() -> dict[str, object]:
    """Recompute the dashboard's indicator snapshots (nightly; also ``manage.py oversight snapshots``)."""
    from safehold.oversight.snapshots import snapshot_refresh

    refresh = snapshot_refresh(actor="oversight.refresh_snapshots")
    return {"refresh": refresh.pk, "rows": refresh.rows, "seconds": refresh.seconds}


@task(queue_name=QUEUE)
def build_scrutiny_pack(pack_id: int) -> dict[str, object]:
    """Build the scrutiny pack a request asks for; the pack records its progress and outcome."""
    from safehold.oversight.models import ScrutinyPack
    from safehold.oversight.packs import scrutiny_pack_run

    pack = scrutiny_pack_run(pack=ScrutinyPack.objects.get(pk=pack_id))
    return {"pack": pack.pk, "status": pack.status}
