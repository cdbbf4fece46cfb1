"""``manage.py oversight snapshots [--date YYYY-MM-DD] [--levels la,service]``: refresh the dashboard's snapshots.

Run nightly from cron (or enqueue ``safehold.oversight.tasks.refresh_snapshots`` for the worker). The dashboard
shows the latest refresh when it is no older than ``SAFEHOLD_DASHBOARD_SNAPSHOT_MAX_AGE_DAYS`` (default 1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehold.oversight.snapshots import snapshot_refresh

LEVELS = ("la", "service", "team")


class Command(BaseCommand):
    help = "Refresh the leadership dashboard's monthly indicator snapshots."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["snapshots"])
        parser.add_argument("--date", help="work the figures out as at this day (default today)")
        parser.add_argument("--levels", help=f"comma-separated scope levels ({', '.join(LEVELS)}); default la,service")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["date"]:
            try:
                as_of = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date must be a date such as 2026-03-31", returncode=2) from exc
        levels = None
        if options["levels"]:
            levels = [x.strip() for x in options["levels"].split(",") if x.strip()]
            unknown = sorted(set(levels) - set(LEVELS))
            if unknown or not levels:
                raise CommandError(f"Unknown level {', '.join(unknown)}: choose from {', '.join(LEVELS)}", returncode=2)

        def progress(done: int, total: int, label: str) -> None:
            self.stderr.write(f"  {done}/{total} {label}")

        refresh = snapshot_refresh(actor="manage.py oversight snapshots", as_of=as_of, levels=levels, progress=progress)
        self.stdout.write(
            f"Snapshots as at {refresh.as_of}: {refresh.rows} figures for {refresh.levels} in {refresh.seconds} s"
        )
