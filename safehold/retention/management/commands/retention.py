"""``python manage.py retention review|schedule``.

* ``review`` is the nightly job: it lists every child's record whose retention period has ended (and that is not
  under a legal hold) for the data protection officer's decision, withdraws listings no longer due and brings
  back deferred ones whose date has come. It disposes of nothing. Idempotent: a second run on the same day
  changes nothing. ``--date YYYY-MM-DD`` reviews as at another day (testing a schedule change; default today).
* ``schedule`` prints the retention schedule with each rule's source.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehold.retention import selectors, services


class Command(BaseCommand):
    help = "Records retention: the nightly disposal review, and the schedule."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, title="actions")
        review = sub.add_parser("review", help="List records due for disposal for the DPO's decision (idempotent)")
        review.add_argument("--date", help="Review as at this day (YYYY-MM-DD); default today")
        sub.add_parser("schedule", help="Print the retention schedule with each rule's source")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "review":
            self._review(options.get("date"))
        else:
            self._schedule()

    def _review(self, when: str | None) -> None:
        today: dt.date | None = None
        if when:
            try:
                today = dt.date.fromisoformat(when)
            except ValueError as exc:
                raise CommandError(f"--date must be a date like 2031-04-01, not {when!r}") from exc
        started = time.perf_counter()
        result = services.review_run(actor=None, today=today)
        for line in result.lines():
            self.stdout.write(line)
        self.stdout.write(f"Took {time.perf_counter() - started:.2f}s")

    def _schedule(self) -> None:
        services.schedule_ensure(actor=None)
        for rule in selectors.rules():
            kind = "statutory" if rule.statutory else "local policy"
            self.stdout.write(f"{rule.get_record_type_display()} ({kind}): {rule.summary}")
            self.stdout.write(f"  Source: {rule.source}")
