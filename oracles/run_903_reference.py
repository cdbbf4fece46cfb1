"""Run the DfE 903 validator (lac_validator) with reference inputs: Ofsted's provider list and a postcode directory.

Run with the oracle environment's Python (it needs pandas, msgpack and brotli from there):

    ORACLE/bin/python oracles/run_903_reference.py DIR --year 2026 --la E09000027 \
        --providers providers.xlsx --postcodes postcodes.csv [--previous DIR] --out issues.csv

The providers file goes in as the DfE tool's combined "CH lookup" list. The postcode directory CSV (columns
``pcd, oseast1m, osnrth1m, laua``, as Safehold reads it) replaces the tool's own copy of the ONS directory: it is
written in the tool's storage format (one brotli-compressed msgpack file per first letter) into a temporary
folder that ``QLACREF_DATA_DIR`` points at before the tool is imported. So both validators see the same data.
Prints "raised exception: N [codes]" like /work/shared/oracles/run_903.py.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import tempfile
from pathlib import Path


def write_directory(postcodes: Path, folder: Path) -> None:
    import brotli
    import msgpack

    by_letter: dict[str, dict[str, list[object]]] = {}
    with postcodes.open(newline="") as f:
        for row in csv.DictReader(f):
            pcd = row["pcd"].strip().upper()
            cols = by_letter.setdefault(pcd[0], {"pcd": [], "oseast1m": [], "osnrth1m": [], "laua": []})
            cols["pcd"].append(pcd)
            cols["oseast1m"].append(float(row["oseast1m"]) if row["oseast1m"] else None)
            cols["osnrth1m"].append(float(row["osnrth1m"]) if row["osnrth1m"] else None)
            cols["laua"].append(row["laua"].strip().upper())
    for letter, cols in by_letter.items():
        packed = msgpack.packb({"columns": list(cols), "data": cols}, use_bin_type=True)
        (folder / f"postcodes_{letter}.msgpack.br").write_bytes(brotli.compress(packed))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", type=Path)
    ap.add_argument("--year", default="2026")
    ap.add_argument("--la", default="E09000027")
    ap.add_argument("--previous", type=Path)
    ap.add_argument("--providers", type=Path)
    ap.add_argument("--postcodes", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="qlacref-"))
    write_directory(a.postcodes, folder)
    os.environ["QLACREF_DATA_DIR"] = str(folder)
    logging.basicConfig(level=logging.WARNING)
    from lac_validator import lac_validator
    from lac_validator.report import Report
    from lac_validator.rules.ruleset_utils import get_year_ruleset
    from lac_validator.utils import process_uploaded_files

    logging.getLogger().setLevel(logging.WARNING)
    files: dict[str, list[str]] = {"This year": [str(f) for f in sorted(a.dir.glob("*.csv"))]}
    if a.previous is not None:
        files["Prev year"] = [str(f) for f in sorted(a.previous.glob("*.csv"))]
    if a.providers is not None:
        files["CH lookup"] = [str(a.providers)]
    registry = get_year_ruleset(a.year)
    v = lac_validator.LacValidator(
        metadata={"collectionYear": a.year, "localAuthority": a.la},
        files=process_uploaded_files(files),
        registry=registry,
        selected_rules=None,
    )
    print(f"raised exception: {len(v.fails)} {sorted(v.fails)}")
    r = Report(v.ds_results, registry)
    lac_validator.create_issue_df(r.report, r.error_report).to_csv(a.out, index=False)


if __name__ == "__main__":
    main()
