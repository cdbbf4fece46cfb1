"""Annex A benchmark: the eleven lists for the borough in the current DATABASE_URL, timed.

Point it at a populated database (``python manage.py generate_borough --child-population 300000 --seed 1``)::

    DATABASE_URL=... .venv/bin/python benchmarks/bench_annex_a.py [--as-of 2026-03-31] [--runs 3] [--json]

It measures, over ``--runs`` runs after one warm-up: reading the facts (selectors), deriving the lists (pure
core), writing the workbook and writing the CSVs, and the total (target: 10 s for a child population of
300,000). The inspection date defaults to the day of the latest contact in the record (the borough's
"today").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

from safehold.casework.models import Contact  # noqa: E402
from safehold.core import clock  # noqa: E402
from safehold.inspection.annex_a import domain, selectors, writer  # noqa: E402
from safehold.people.models import Person  # noqa: E402


def _default_as_of() -> dt.date:
    latest = Contact.objects.aggregate(m=Max("received_at"))["m"]
    return timezone.localtime(latest).date() if latest else clock.today()


def run_once(as_of: dt.date) -> dict[str, float]:
    t0 = time.perf_counter()
    facts = selectors.annex_a_facts(as_of=as_of)
    t1 = time.perf_counter()
    annex = domain.derive(facts, as_of, la_name=selectors.la_name())
    t2 = time.perf_counter()
    xlsx = writer.workbook_bytes(annex)
    t3 = time.perf_counter()
    for lst in annex.lists:
        writer.list_csv(lst)
    t4 = time.perf_counter()
    return {
        "read_s": t1 - t0,
        "derive_s": t2 - t1,
        "xlsx_s": t3 - t2,
        "csv_s": t4 - t3,
        "lists_s": t2 - t0,
        "total_s": t4 - t0,
        "rows": sum(len(lst.rows) for lst in annex.lists),
        "children": len(annex.child_ids),
        "xlsx_bytes": len(xlsx),
        **{f"list_{lst.number}": len(lst.rows) for lst in annex.lists},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    as_of = args.as_of or _default_as_of()
    children = Person.objects.filter(is_child_record=True).count()
    run_once(as_of)  # warm
    results = [run_once(as_of) for _ in range(args.runs)]
    keys = ("read_s", "derive_s", "xlsx_s", "csv_s", "lists_s", "total_s")
    summary = {k: round(statistics.median(r[k] for r in results), 2) for k in keys}
    summary["max_total_s"] = round(max(r["total_s"] for r in results), 2)
    counts = {k: v for k, v in results[-1].items() if k not in keys}
    report = {
        "database": connection.vendor,
        "as_of": as_of.isoformat(),
        "child_records": children,
        "runs": args.runs,
        **summary,
        **counts,
        "target_s": 10.0,
        "meets_target": summary["total_s"] <= 10.0,
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"Annex A on {connection.vendor}, as of {as_of} ({children:,} child records), median of {args.runs}:")
        print(
            f"  read {summary['read_s']}s + derive {summary['derive_s']}s = lists {summary['lists_s']}s; "
            f"workbook {summary['xlsx_s']}s; CSVs {summary['csv_s']}s; total {summary['total_s']}s "
            f"(max {summary['max_total_s']}s; target 10 s: {'met' if report['meets_target'] else 'NOT met'})"
        )
        print(f"  {counts['rows']:,} rows, {counts['children']:,} children, workbook {counts['xlsx_bytes']:,} bytes")
        print("  rows per list: " + ", ".join(f"{n}: {counts[f'list_{n}']:,}" for n in range(1, 12)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
