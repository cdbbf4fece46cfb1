"""``manage.py returns export|validate|import <kind> ...`` for the statutory returns.

    returns export cin --year 2026 --out census.xml
    returns validate cin census.xml [--previous last_year.xml]
    returns validate 903 DIR [--previous DIR] [--providers FILE] [--postcodes FILE] [--la E09000027]
    returns import cin census.xml [--names names.csv]

The kind picks the module ``safehold.returns.<kind>.cli`` (cin, or 903 for the SSDA903 return), which
provides ``export``, ``validate`` and ``import_``. Every error is a message and exit status 2.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehold.core.exceptions import SafeholdError

KINDS = {"cin": "safehold.returns.cin.cli", "903": "safehold.returns.ssda903.cli"}


def _module(kind: str) -> ModuleType:
    name = KINDS.get(kind.lower())
    if name is None:
        raise CommandError(f"Unknown return '{kind}': choose one of {', '.join(KINDS)}", returncode=2)
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            raise CommandError(
                f"The {kind} return is not available in this installation ({name} is missing)", returncode=2
            ) from exc
        raise


class Command(BaseCommand):
    help = "Export, validate or import a statutory return (cin, 903)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "validate", "import"])
        parser.add_argument("kind", help="cin or 903")
        parser.add_argument("path", nargs="?", type=Path, help="the file (or folder) to validate or import")
        parser.add_argument("--year", type=int, help="collection year: the year 31 March falls in (export)")
        parser.add_argument("--out", type=Path, help="where to write the export")
        parser.add_argument("--previous", type=Path, help="the previous year's return (validate)")
        parser.add_argument("--names", type=Path, help="CSV of LAchildID,given_name,family_name (import)")
        parser.add_argument("--providers", type=Path, help="Ofsted's provider list, .xlsx or .csv (validate 903)")
        parser.add_argument("--postcodes", type=Path, help="ONS postcode directory extract, CSV (validate 903)")
        parser.add_argument("--la", help="the LA's ONS code, e.g. E09000027 (validate 903)")

    def handle(self, *args: Any, **options: Any) -> None:
        action, kind, path = options["action"], options["kind"], options["path"]
        module = _module(kind)
        try:
            if action == "export":
                if options["year"] is None or options["out"] is None:
                    raise CommandError("export needs --year and --out", returncode=2)
                self.stdout.write(module.export(options["year"], options["out"]))
            elif action == "validate":
                if path is None:
                    raise CommandError("validate needs the file to check", returncode=2)
                extra = {k: options[k] for k in ("providers", "postcodes", "la") if options.get(k)}
                if extra and kind.lower() != "903":
                    raise CommandError("--providers, --postcodes and --la are for the 903 return", returncode=2)
                module.validate(path, options["previous"], **extra)
            else:
                if path is None:
                    raise CommandError("import needs the file to load", returncode=2)
                self.stdout.write(module.import_(path, options["names"]))
        except SafeholdError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{type(exc).__name__}: {exc}", returncode=2) from exc
