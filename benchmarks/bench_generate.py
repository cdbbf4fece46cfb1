"""Benchmark the synthetic borough generator: load time, row counts and the rates against national figures.

    python benchmarks/bench_generate.py --child-population 300000 --database sqlite
    DATABASE_URL=postgres://... python benchmarks/bench_generate.py --database postgres

Writes a whole borough through the real loader (one service, replacing whatever borough the database holds),
then generates the same borough again in memory (same seed, so identical) to print the rate table: each
calibrated rate, its national target, the generated value, its deviation and whether it is within +-10%.
``--rate-seeds 1,2,3`` also generates the boroughs of other seeds in memory and checks their rates (the
calibration must hold for any seed, not just the one loaded). For a large borough (300,000 children or more)
the script exits with status 1 when any rate of any of those seeds is off by more than 10%.
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
    parser.add_argument(
        "--rate-seeds",
        default="",
        help="Comma-separated seeds whose in-memory boroughs are also checked against the rates (default: --seed)",
    )
    args = parser.parse_args()
    try:
        rate_seeds = [int(s) for s in args.rate_seeds.split(",") if s.strip()] or [args.seed]
    except ValueError:
        parser.error("--rate-seeds takes comma-separated integers, e.g. 1,2,3")

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
    print(f"{'rate':<34}{'target':>10}{'generated':>12}{'deviation':>11}  within +-10%")
    for key, _label, target, value, ok in table:
        print(f"{key:<34}{target:>10}{value:>12}{(value - target) / target:>+11.1%}  {'yes' if ok else 'NO'}")
    print(f"seed {seed}: {sum(1 for *_, ok in table if ok)} of {len(table)} rates within +-10%")
    print("(rates per 10,000 children, percentages or ratios as in safehold/synthetic/rates.py)")
    misses = {seed: [key for key, *_, ok in table if not ok]}
    for other in (s for s in rate_seeds if s != seed):
        t = time.monotonic()
        other_borough = generate_borough(population, other)
        other_table = rate_table(other_borough.rows, population, other_borough.as_of)
        misses[other] = [key for key, *_, ok in other_table if not ok]
        off = ", ".join(f"{key} {value} (target {target})" for key, _l, target, value, ok in other_table if not ok)
        print(
            f"seed {other}: {len(other_table) - len(misses[other])} of {len(other_table)} rates within +-10%"
            f"{'; off: ' + off if off else ''} ({time.monotonic() - t:.1f}s in memory)"
        )
    failed = population >= 300_000 and any(misses.values())
    if failed:
        print("RATE CHECK FAILED: the large borough misses a calibrated rate by more than 10%")

    print()
    print(f"{'model':<36}{'rows':>12}")
    for label, n in counts.items():
        print(f"{label:<36}{n:>12,}")
    print(f"{'total':<36}{sum(counts.values()):>12,}")
    print(f"planted duplicate pairs: {len(borough.planted_duplicates):,}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
