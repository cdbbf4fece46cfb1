#!/usr/bin/env python3
"""`make bench`: figures for the performance goals, in order.

1. bench_generate.py   — generate the large synthetic borough (child population 300,000): time, rows, rates
2. bench_timescales.py — full deadline refresh and LA-wide overdue + drift lists (p95 of 20 warm runs)
3. bench_annex_a.py    — Annex A (eleven lists, workbook and CSVs) for that borough
   bench_dashboard.py  — the director's dashboard (all indicators, 13-month trends): live, snapshot refresh,
                          p50/p95 of 20 warm runs from the snapshots
4. bench_pages.py      — caseload, child record and team pages beside a baseline page: gunicorn + locust,
                          20 users signed in with two-factor, p50/p95 against the target (PostgreSQL only)
5. bench_cin.py, bench_903.py — our validators against the sector's (needs .venv-oracles: `make test-oracles`)

Each runs on SQLite (a file under var/bench/) and then on a throwaway PostgreSQL cluster.
Set BENCH_POPULATION to change the size and BENCH_DATABASES=sqlite (or postgres) to run one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
POPULATION = os.environ.get("BENCH_POPULATION", "300000")
SEED = os.environ.get("BENCH_SEED", "1")
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(",")


def _run(cmd: list[str], env: dict[str, str]) -> int:
    print("$", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode


def _suite(env: dict[str, str]) -> int:
    kind = env["BENCH_DATABASE"]
    generate = ["benchmarks/bench_generate.py", "--child-population", POPULATION, "--seed", SEED, "--database", kind]
    if kind == "sqlite":
        generate += ["--sqlite-path", env["DATABASE_URL"].removeprefix("sqlite:///")]
    rc = _run([PY, *generate], env)
    # The rest measure the borough just generated (same DATABASE_URL).
    for script in ("benchmarks/bench_timescales.py", "benchmarks/bench_annex_a.py", "benchmarks/bench_dashboard.py"):
        rc |= _run([PY, script], env)
    if kind == "postgres":  # pages served by gunicorn, driven by locust: measured on PostgreSQL only
        rc |= _run([PY, "benchmarks/bench_pages.py"], env)
    return rc


def _validators(env: dict[str, str]) -> int:
    """CIN census and SSDA903 validation against the sector's validators (they build their own data)."""
    rc = 0
    if (ROOT / ".venv-oracles" / "bin" / "python").exists():
        rc |= _run(
            [PY, "benchmarks/bench_cin.py", "--population", os.environ.get("BENCH_CIN_POPULATION", "130000")], env
        )
        rc |= _run([PY, "benchmarks/bench_903.py", "--episodes", "20000"], env)
    else:
        print("oracle environment missing: run `make test-oracles` first to compare with the sector's validators")
    return rc


def main() -> int:
    env = dict(os.environ, SAFEHOLD_DEBUG="1")
    rc = 0
    if "sqlite" in DATABASES:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        db = bench_dir / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        print(f"\n##### SQLite ({db}) #####", flush=True)
        rc |= _suite(dict(env, DATABASE_URL=f"sqlite:///{db}", BENCH_DATABASE="sqlite"))
    if "postgres" in DATABASES:
        print("\n##### PostgreSQL (throwaway cluster) #####", flush=True)
        inner = [PY, str(Path(__file__).resolve()), "--inside-postgres"]
        rc |= _run([PY, "tools/pg_run.py", "--", *inner], env)
    print("\n##### Validators: Safehold vs the sector's tools #####", flush=True)
    rc |= _validators(env)
    return rc


if __name__ == "__main__":
    if "--inside-postgres" in sys.argv:
        sys.exit(_suite(dict(os.environ, SAFEHOLD_DEBUG="1", BENCH_DATABASE="postgres")))
    sys.exit(main())
