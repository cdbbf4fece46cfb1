"""``manage.py generate_borough``: write a synthetic borough (see safehold/synthetic)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehold.core.exceptions import ValidationFailed
from safehold.synthetic.generator import DEFAULT_AS_OF
from safehold.synthetic.loader import borough_generate


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of must be a date like 2026-03-31, not {value!r}") from exc


class Command(BaseCommand):
    help = "Generate a synthetic borough calibrated on national rates per 10,000 children (reproducible by seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--child-population", type=int, required=True, help="Children aged under 18")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--as-of", type=_date, default=DEFAULT_AS_OF, help="YYYY-MM-DD (default 2026-03-31)")
        parser.add_argument("--no-faults", action="store_true", help="Every record complete and valid")
        parser.add_argument("--flush", action="store_true", help="Delete existing people, casework and staff first")
        parser.add_argument("--demo-users", action="store_true", help="Create one demo login per role")
        parser.add_argument("--password", default=None, help="Password for the demo logins (default: random)")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--bulk-create",
            action="store_true",
            help="Write with Model.objects.bulk_create (slower) instead of prepared executemany",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        population = options["child_population"]
        if population < 100:
            raise CommandError("--child-population must be at least 100")
        started = time.monotonic()
        try:
            result = borough_generate(
                population=population,
                seed=options["seed"],
                as_of=options["as_of"],
                faults=not options["no_faults"],
                flush=options["flush"],
                demo_users=options["demo_users"],
                password=options["password"],
                batch_size=options["batch_size"],
                orm=options["bulk_create"],
                progress=lambda msg: self.stderr.write(msg),
            )
        except ValidationFailed as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started  # including the commit (deferred foreign key checks)
        total = sum(result.counts.values())
        self.stdout.write(
            f"Generated borough: population {population:,}, seed {options['seed']}, "
            f"as of {options['as_of']:%Y-%m-%d}, {total:,} rows in {seconds:.1f}s"
        )
        for label, n in result.counts.items():
            self.stdout.write(f"  {label:<36}{n:>12,}")
        if options["no_faults"]:
            self.stdout.write("  no data-quality faults")
        else:
            self.stdout.write(f"  planted duplicate pairs: {len(result.planted_duplicates):,}")
        if result.logins:
            from safehold.accounts.models import User
            from safehold.accounts.services import two_factor_demo_enrol

            self.stdout.write("\nDemo logins (synthetic data only; two-factor is pre-enrolled):")
            self.stdout.write(f"  {'username':<16}{'role':<34}{'password':<20}staff record")
            second_factors = []
            for username, role, password, staff in result.logins:
                self.stdout.write(f"  {username:<16}{role:<34}{password:<20}{staff}")
                key, codes = two_factor_demo_enrol(user=User.objects.get(username=username))
                second_factors.append((username, key, codes))
            self.stdout.write(
                "\nSecond factor: add the key to an authenticator app, or use a backup code (each works once):"
            )
            for username, key, codes in second_factors:
                self.stdout.write(f"  {username:<16}key {key}   backup codes {' '.join(codes[:5])}")
