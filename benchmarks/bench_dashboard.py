"""Leadership dashboard benchmark: the director's dashboard on a large borough.

Point it at an already-populated database (a generated borough, as ``benchmarks/run.py`` leaves it) and it
measures, as a director (a service-wide user), with the views themselves (RequestFactory, no HTTP):

* ``live``: the whole-LA dashboard page and the month-by-month page (every trend indicator, 13 months)
  computed live (``?live=1``, no snapshot), once each — what the pages cost without snapshots;
* ``refresh``: one snapshot refresh (``snapshots.snapshot_refresh``: every indicator's 12-month figure and 13
  monthly figures for the whole LA and each service area) — the nightly task;
* warm, p50/p95 over ``--runs`` runs each, reading the snapshots:

  - ``dashboard_page``: the whole-LA dashboard (all indicators, England figures, the by-service breakdown);
  - ``trends_page``: every trend indicator month by month (13 months, a chart and a table each);
  - ``trend_page_max``: the slowest single indicator's trend page;
  - ``director_dashboard``: the dashboard page then the month-by-month page (all indicators, 13 months of
    trend: the figure the target, p95 ≤ 500 ms, is set for);

* the load average before and after (``os.getloadavg``: figures taken on a busy machine say so).

Usage::

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/bench_dashboard.py [--runs 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from safehold.accounts.models import User  # noqa: E402
from safehold.accounts.roles import Role  # noqa: E402
from safehold.oversight import indicators, snapshots, views  # noqa: E402
from safehold.people.models import Person  # noqa: E402
from safehold.timescales.models import Deadline  # noqa: E402
from safehold.timescales.services import deadlines_refresh_all  # noqa: E402

TARGET_MS = 500.0


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _stats(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(_percentile(times, 95) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-live", action="store_true", help="skip the (slow) live measurement")
    parser.add_argument("--no-refresh", action="store_true", help="reuse a recent snapshot refresh if there is one")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    if not Deadline.objects.exists():  # a borough just generated: its clocks (bench_timescales.py does this too)
        seconds, _ = _timed(lambda: deadlines_refresh_all(actor="bench"))
        print(f"deadlines refreshed in {seconds:.1f} s", file=sys.stderr)
    load_before = os.getloadavg()
    director = User(username="bench-director", role=Role.DIRECTOR, is_active=True)  # never saved
    factory = RequestFactory()
    codes = [code for code, ind in indicators.DASHBOARD.items() if ind.trend]

    def dashboard(live: bool = False) -> int:
        request = factory.get("/oversight/", {"live": "1"} if live else {})
        request.user = director
        response = views.dashboard(request)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def trends(live: bool = False) -> int:
        request = factory.get("/oversight/trends/", {"live": "1"} if live else {})
        request.user = director
        response = views.trends(request)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def trend_page(code: str, live: bool = False) -> int:
        request = factory.get(f"/oversight/indicators/{code}/", {"live": "1"} if live else {})
        request.user = director
        response = views.indicator_detail(request, code=code)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    result: dict[str, Any] = {
        "database": connection.vendor,
        "children": Person.objects.filter(is_child_record=True, merged_into__isnull=True).count(),
        "indicators": len(indicators.DASHBOARD),
        "trend_indicators": len(codes),
        "trend_months": snapshots.TREND_MONTHS,
        "runs": args.runs,
    }
    if not args.no_live:
        page_s, _ = _timed(lambda: dashboard(live=True))
        trends_s, _ = _timed(lambda: trends(live=True))
        result["live"] = {"dashboard_page_s": round(page_s, 2), "trends_page_s": round(trends_s, 2)}

    if args.no_refresh and (latest := snapshots.latest_refresh("service")) is not None:
        refresh, refresh_s = latest, latest.seconds or 0.0
    else:
        refresh_s, refresh = _timed(lambda: snapshots.snapshot_refresh(actor="bench"))
    result["refresh"] = {"seconds": round(refresh_s, 1), "rows": refresh.rows, "levels": refresh.levels}

    dashboard()  # warm
    trends()
    for code in codes:
        trend_page(code)
    # Each run: the dashboard page, then the month-by-month page straight after (the director's dashboard is the
    # two together), so the pair's time is measured under the same load as its parts.
    page_times, trends_times, whole = [], [], []
    for _ in range(args.runs):
        page_s = _timed(dashboard)[0]
        trends_s = _timed(trends)[0]
        page_times.append(page_s)
        trends_times.append(trends_s)
        whole.append(page_s + trends_s)
    per_trend: dict[str, list[float]] = {c: [] for c in codes}
    for _ in range(args.runs):
        for code in codes:
            per_trend[code].append(_timed(lambda code=code: trend_page(code))[0])  # type: ignore[misc]
    slowest = max(codes, key=lambda c: _percentile(per_trend[c], 95))
    result["dashboard_page"] = _stats(page_times)
    result["trends_page"] = _stats(trends_times)
    result["trend_page_max"] = {"indicator": slowest, **_stats(per_trend[slowest])}
    result["director_dashboard"] = _stats(whole)
    result["target_p95_ms"] = TARGET_MS
    result["within_target"] = result["director_dashboard"]["p95_ms"] <= TARGET_MS
    result["load_average"] = {
        "before": [round(x, 2) for x in load_before],
        "after": [round(x, 2) for x in os.getloadavg()],
    }
    result["cpus"] = os.cpu_count()
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"database            {result['database']}")
    print(f"children            {result['children']}")
    print(f"indicators          {result['indicators']} ({len(codes)} with a {snapshots.TREND_MONTHS}-month trend)")
    if "live" in result:
        live = result["live"]
        print(
            f"live (no snapshot)  dashboard {live['dashboard_page_s']} s, month-by-month page {live['trends_page_s']} s"
        )
    print(f"snapshot refresh    {result['refresh']['seconds']} s ({refresh.rows} rows, levels {refresh.levels})")
    for key in ("dashboard_page", "trends_page", "trend_page_max", "director_dashboard"):
        m = result[key]
        extra = f" [{m['indicator']}]" if "indicator" in m else ""
        print(f"{key:<19} p50 {m['p50_ms']} ms  p95 {m['p95_ms']} ms  max {m['max_ms']} ms{extra}  ({args.runs} runs)")
    print(
        f"target              director_dashboard p95 <= {TARGET_MS:.0f} ms: "
        + ("met" if result["within_target"] else "NOT met")
    )
    load = result["load_average"]
    print(f"load average        before {load['before']}  after {load['after']}  ({result['cpus']} CPUs)")


if __name__ == "__main__":
    main()
