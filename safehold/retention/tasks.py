"""Background task for records retention (run by ``manage.py db_worker``).

The nightly review can run from cron as ``python manage.py retention review``, or be enqueued as this task by
whatever schedules the LA's nightly jobs (``retention_review.enqueue()``); both call the same service, which is
idempotent. It only lists records for the data protection officer's decision; it never disposes of anything.
"""

from __future__ import annotations

from django_tasks import task

from safehold.core.jobs import QUEUE


@task(queue_name=QUEUE)
def retention_review() -> dict[str, int]:
    from safehold.retention.services import review_run

    result = review_run(actor=None)
    return {"due": result.due, "added": result.added, "withdrawn": result.withdrawn, "held": result.held}
