"""SSDA903 validation speed: Safehold's validator against the DfE tool (lac_validator) on the same files.

    .venv/bin/python benchmarks/bench_903.py [--episodes 20000] [--oracle .venv-oracles/bin/python]

Builds a clean synthetic return with about ``--episodes`` episodes (plus one seeded fault in every 50th
child so both tools have work to report), writes it as CSV, then times: Safehold reading the CSVs and running
every 2025/26 rule; the oracle's ingest + validate as its runner reports it, and the oracle's wall time.
Target: Safehold at least 20 times faster, and well under two seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from safehold.returns.ssda903.domain import read_csv, synthetic, validate, write_csv  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--episodes", type=int, default=20000)
    ap.add_argument("--oracle", type=Path, default=ROOT / ".venv-oracles" / "bin" / "python")
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("SAFEHOLD_SHARED", ROOT.parent / "shared")))
    a = ap.parse_args()

    ret = synthetic.clean_return(a.episodes, seed=20261122)  # four children per four episodes
    for i in range(0, len(ret.episodes), 50):
        ret.episodes[i] = dataclasses.replace(ret.episodes[i], PLACE_PROVIDER="PR9")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in write_csv(ret).items():
            (folder / name).write_text(text)
        files = {p.name: p.read_bytes() for p in folder.glob("*.csv")}

        t0 = time.perf_counter()
        parsed = read_csv(files, year=2026)
        t1 = time.perf_counter()
        failures = validate(parsed)
        t2 = time.perf_counter()
        ours = t2 - t0
        print(
            f"return: {len(parsed.header)} children, {len(parsed.episodes)} episodes, "
            f"{sum(len(parsed.rows(t)) for t in ('Reviews', 'OC2', 'OC3', 'Missing', 'SWEpisodes'))} other rows"
        )
        print(f"safehold: read {t1 - t0:.3f}s + validate {t2 - t1:.3f}s = {ours:.3f}s; {len(failures)} failures")

        if not a.oracle.exists():
            print(f"oracle environment not found at {a.oracle}: run `make test-oracles` once to build it")
            return 0
        t3 = time.perf_counter()
        proc = subprocess.run(
            [str(a.oracle), str(a.shared / "oracles" / "run_903.py"), str(folder), "--year", "2026", "--quiet"],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - t3
        m = re.search(r"ingest\+validate ([\d.]+)s", proc.stdout)
        validate_only = float(m.group(1)) if m else wall
        flagged = re.search(r"total flagged \(row,rule\) pairs: (\d+)", proc.stdout)
        print(
            f"oracle: ingest+validate {validate_only:.1f}s, wall {wall:.1f}s; "
            f"{flagged.group(1) if flagged else '?'} flagged (row, rule) pairs"
        )
        print(
            f"ratio (oracle ingest+validate / safehold read+validate): {validate_only / ours:.0f}x; "
            f"wall-clock ratio {wall / ours:.0f}x (target >= 20x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
