"""Benchmark the synthetic borough generator: load time, row counts and the rates against national figures.

    python benchmarks/bench_generate.py --child-population 300000 --database sqlite
    DATABASE_URL=postgres://... python benchmarks/bench_generate.py --database postgres

Writes a whole borough through the real loader (one service, replacing whatever borough the database holds),
then generates the same borough again in memory (same seed, so identical) to print the rate table: each
calibrated rate, its national target, the generated value and whether it is within +-10%.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child-population", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench_generate.sqlite3"))
    parser.add_argument("--bulk-create", action="store_true", help="Write with bulk_create instead of executemany")
    parser.add_argument("--no-load", action="store_true", help="Only generate in memory and print the rates")
    args = parser.parse_args()

    if args.database == "postgres":
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            parser.error("--database postgres reads a postgres:// DATABASE_URL from the environment")
    else:
        path = Path(args.sqlite_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not args.no_load:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("SAFEHOLD_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    from safehold.synthetic.generator import generate_borough
    from safehold.synthetic.loader import borough_generate
    from safehold.synthetic.measure import rate_table

    population, seed = args.child_population, args.seed
    print(f"Synthetic borough: population {population:,}, seed {seed}, database {args.database}")
    counts: dict[str, int] = {}
    if not args.no_load:
        call_command("migrate", verbosity=0)
        t = time.monotonic()
        result = borough_generate(population=population, seed=seed, flush=True, orm=args.bulk_create)
        load_seconds = time.monotonic() - t
        counts = result.counts
        print(f"generate + write: {load_seconds:.1f}s ({sum(counts.values()) / load_seconds:,.0f} rows/s)")

    t = time.monotonic()
    borough = generate_borough(population, seed)
    gen_seconds = time.monotonic() - t
    print(f"generate in memory only: {gen_seconds:.1f}s")
    if not counts:
        counts = borough.counts()
    elif counts != borough.counts():
        print("WARNING: the loaded borough and the in-memory borough differ in row counts")

    table = rate_table(borough.rows, population, borough.as_of)
    print()
    print(f"{'rate':<34}{'target':>10}{'generated':>12}  within +-10%")
    for key, _label, target, value, ok in table:
        print(f"{key:<34}{target:>10}{value:>12}  {'yes' if ok else 'NO'}")
    print(f"{sum(1 for *_, ok in table if ok)} of {len(table)} rates within +-10%")
    print("(rates per 10,000 children, percentages or ratios as in safehold/synthetic/rates.py)")

    print()
    print(f"{'model':<36}{'rows':>12}")
    for label, n in counts.items():
        print(f"{label:<36}{n:>12,}")
    print(f"{'total':<36}{sum(counts.values()):>12,}")
    print(f"planted duplicate pairs: {len(borough.planted_duplicates):,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
