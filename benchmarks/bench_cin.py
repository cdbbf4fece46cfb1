#!/usr/bin/env python3
"""CIN census: Safehold's export + validate against the sector's validator on the same file.

    benchmarks/bench_cin.py [--population 130000] [--seed 1] [--db var/bench/cin.sqlite3] [--reuse]

Generates a borough whose census holds about 10,000 children (a child population of ~130,000 gives that),
exports the 2025/26 census, validates it with Safehold's rules, then runs csc-validator-be-cin
(.venv-oracles, via the shared run_cin.py) on the same file. Prints each stage's time and the ratios: end to
end (Safehold export + read + rules against the oracle's whole run) and rules only (Safehold's rule stage
against the oracle's "rules+report" stage).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--population", type=int, default=int(os.environ.get("BENCH_CIN_POPULATION", "130000")))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--db", type=Path, default=ROOT / "var" / "bench" / "cin.sqlite3")
    ap.add_argument("--reuse", action="store_true", help="use the database as it is (skip generation)")
    ap.add_argument("--oracles", type=Path, default=Path(os.environ.get("SAFEHOLD_ORACLES", ROOT / ".venv-oracles")))
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("SAFEHOLD_SHARED", ROOT.parent / "shared")))
    a = ap.parse_args()

    os.environ.setdefault("DATABASE_URL", f"sqlite:///{a.db}")
    os.environ.setdefault("SAFEHOLD_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    a.db.parent.mkdir(parents=True, exist_ok=True)
    if not a.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{a.db}{suffix}").unlink(missing_ok=True)
        env = dict(os.environ)
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "generate_borough", "--child-population", str(a.population), "--seed",
             str(a.seed), "--no-faults"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )
        print(f"generate borough (population {a.population}): {time.perf_counter() - t:.1f}s", flush=True)

    import django

    django.setup()
    from safehold.returns.cin.domain.rules import validate
    from safehold.returns.cin.domain.xml_io import read_census, write_census
    from safehold.returns.cin.selectors import cin_census

    out = a.db.with_suffix(".cin.xml")
    t0 = time.perf_counter()
    census = cin_census(2026)
    t1 = time.perf_counter()
    out.write_text(write_census(census), encoding="utf-8")
    t2 = time.perf_counter()
    read = read_census(out.read_bytes())
    t3 = time.perf_counter()
    failures = validate(read)
    t4 = time.perf_counter()
    ours_total = t4 - t0
    episodes = sum(len(c.episodes) for c in census.children)
    print(f"census: {len(census.children)} children, {episodes} episodes, {out.stat().st_size / 1e6:.1f} MB; "
          f"Safehold failures: {len(failures)}")
    print(f"Safehold: select {t1 - t0:.2f}s, write {t2 - t1:.2f}s, read {t3 - t2:.2f}s, rules {t4 - t3:.2f}s, "
          f"end to end {ours_total:.2f}s")

    python = a.oracles / "bin" / "python"
    if not python.exists():
        print(f"oracle environment missing at {a.oracles}: skipping the comparison")
        return 0
    t5 = time.perf_counter()
    result = subprocess.run(
        [str(python), str(a.shared / "oracles" / "run_cin.py"), str(out), "--ruleset", "cin2025_26", "--quiet"],
        capture_output=True, text=True, check=False,
    )
    oracle_total = time.perf_counter() - t5
    if result.returncode != 0:
        print(result.stderr[-2000:])
        return 1
    timing = next((line for line in result.stdout.splitlines() if line.startswith("timing:")), "")
    print(f"oracle: {timing} (wall {oracle_total:.1f}s)")
    stage = re.search(r"rules\+report ([0-9.]+)s", timing)
    oracle_rules = float(stage.group(1)) if stage else float("nan")
    print(f"ratio end to end (oracle wall / Safehold export+validate): {oracle_total / ours_total:.0f}x")
    print(f"ratio rules only (oracle rules+report / Safehold rules): {oracle_rules / (t4 - t3):.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
