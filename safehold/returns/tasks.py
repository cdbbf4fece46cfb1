"""Background tasks for the statutory returns (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from safehold.core.jobs import QUEUE


@task(queue_name=QUEUE)
def run_return_job(job_id: int) -> dict[str, object]:
    """Export and validate the return a job asks for; the job records its progress and outcome."""
    from safehold.returns.models import ReturnJob
    from safehold.returns.services import return_job_run

    job = return_job_run(job=ReturnJob.objects.get(pk=job_id))
    return {"job": job.pk, "status": job.status, "errors": job.errors, "queries": job.queries}
