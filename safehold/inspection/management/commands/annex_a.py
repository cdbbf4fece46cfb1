"""``python manage.py annex_a --as-of 2026-03-31 --out var/annex_a/`` — write Ofsted Annex A for a date.

``--out`` ending in ``.xlsx`` writes the workbook only; any other path is a directory that gets the workbook
and one CSV per list. Every child in the export is recorded in the access log as an export.
"""

from __future__ import annotations

import datetime as dt
import getpass
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehold.core import clock
from safehold.inspection.annex_a import selectors, writer
from safehold.inspection.services import annex_a_export_logged


class Command(BaseCommand):
    help = "Write Ofsted ILACS Annex A (lists 1-11) for an inspection date as .xlsx and CSVs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", default="", help="Inspection date, YYYY-MM-DD (default: today)")
        parser.add_argument("--out", required=True, help="A .xlsx file, or a directory for the workbook and CSVs")
        parser.add_argument("--actor", default="", help="Username to record in the access log (default: OS user)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else clock.today()
        except ValueError as exc:
            raise CommandError("--as-of must be a date written YYYY-MM-DD") from exc
        actor: Any = f"manage.py annex_a ({getpass.getuser()})"
        if options["actor"]:
            from safehold.accounts.models import User

            try:
                actor = User.objects.get(username=options["actor"])
            except User.DoesNotExist as exc:
                raise CommandError(f"No user {options['actor']!r}") from exc
        started = time.perf_counter()
        annex = selectors.annex_a(as_of=as_of)
        derived = time.perf_counter()
        paths = writer.write(annex, Path(options["out"]))
        written = time.perf_counter()
        annex_a_export_logged(actor=actor, annex=annex, path=f"manage.py annex_a --out {options['out']}")
        for lst in annex.lists:
            self.stdout.write(f"{lst.sheet_name:8} {lst.title:32} {len(lst.rows):>7} rows (from {lst.window_start})")
        self.stdout.write(
            f"Annex A as of {as_of}: derived in {derived - started:.2f}s, written in {written - derived:.2f}s; "
            f"{len(annex.child_ids)} children recorded in the access log."
        )
        for path in paths:
            self.stdout.write(str(path))
