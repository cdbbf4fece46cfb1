"""Background jobs: how a job's task is run and how its progress is reported.

A job (a statutory return, Annex A) is a row of its own context's model, written by services, with a status
(queued, running, ready, failed) and a progress (``done`` of ``total`` steps and a label such as "List 6 of 11").
Its work is a django-tasks ``@task`` enqueued in the same transaction as the row, so a job is never recorded
without its task (nor a task without its job). ``manage.py db_worker`` (django-tasks-db) runs the tasks; the
task records its own progress and outcome on the job through services, each in its own transaction, so the
job's page sees it move.

:func:`run_queued_tasks` runs what is queued in this process, exactly as the worker runs each task (claim, call,
record success or failure), without the worker's loop and connection housekeeping — for the test suite and the
browser journeys, which must run real tasks inside their own database transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Reports progress: ``(done, total, label)``.
Progress = Callable[[int, int, str], None]

#: The queue every Safehold job uses (the worker's default).
QUEUE = "default"


def task_failed(task_id: str) -> bool:
    """Whether the worker recorded the task as failed (e.g. it stopped before the job could record it)."""
    if not task_id:
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.FAILED).exists()


def run_queued_tasks(*, worker_id: str = "in-process", limit: int | None = None) -> int:
    """Run every ready task once, oldest first, as ``db_worker --batch`` would; return how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=[QUEUE],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=limit,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while limit is None or ran < limit:
        result: Any = DBTaskResult.objects.ready().filter(backend_name="default", queue_name=QUEUE).first()
        if result is None:
            break
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


#: How often a job's page reloads itself while the job is queued or running (seconds).
REFRESH_SECONDS = 3


def wants_refresh(request: Any) -> bool:
    """Whether the user has left automatic refreshing on (``?refresh=off`` turns it off: WCAG 2.2.1)."""
    return request.GET.get("refresh", "") != "off"


def refresh_while_running(response: Any, request: Any, *, finished: bool) -> Any:
    """Ask the browser to reload a job's page every few seconds until the job has finished.

    An HTTP ``Refresh`` header does what ``<meta http-equiv="refresh">`` does, with no markup and no script (the
    pages' CSP forbids inline script); the page says so and offers a link that turns it off.
    """
    if not finished and wants_refresh(request):
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
