"""Timescales engine benchmark.

Point it at an already-populated database (for example one made by
``python manage.py generate_borough --child-population N --seed S``) and it measures:

* the full refresh (``deadlines_refresh_all``: every child's deadlines recomputed and rewritten),
  ``--refreshes`` times (default 2: the machine may be shared, so one figure is not enough);
* the LA-wide worklists as a service-wide user (a director) sees them, p50/p95 over ``--runs``
  warm runs each:

  - ``overdue_page``: the deadlines page, overdue view (``/deadlines/?view=overdue``), rendered
    by its view: the total count in the caption, the first page of 100 rows with child, worker
    and team names, and the team and worker filter menus;
  - ``overdue_full_list``: every overdue deadline, the same queryset fully materialised as model
    instances (no page consumes it whole; it bounds an export or a very long page);
  - ``drift_page``: the drift view (``/deadlines/?view=drift``), rendered: the drift list worked
    out for every child in the LA (the count in the caption), the first page of 100 children shown;
  - ``drift_list``: the ``drift`` selector alone, one row per drifting child in the LA (what the
    team pages and the API build on);
* the number of open deadlines, children, overdue deadlines and drifting children, and the load
  average before and after (``os.getloadavg``: figures taken on a busy machine say so).

Usage::

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/bench_timescales.py [--runs 20] [--json]

With ``--populate N`` it first migrates the database and adds N children with varied journeys
through the real services (slow, a few hundred children is plenty), for when no generated
borough is at hand. It refuses to populate a database that already holds children.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from safehold.accounts.models import User  # noqa: E402
from safehold.accounts.roles import Role  # noqa: E402
from safehold.core import clock  # noqa: E402
from safehold.people.models import Person  # noqa: E402
from safehold.timescales import selectors  # noqa: E402
from safehold.timescales.models import Deadline  # noqa: E402
from safehold.timescales.services import deadlines_refresh_all  # noqa: E402
from safehold.timescales.views import worklist  # noqa: E402


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _measure(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()  # warm
    times = [_timed(fn)[0] for _ in range(runs)]
    return {
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(_percentile(times, 95) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def populate(n: int, seed: int) -> None:
    """Add ``n`` children with varied journeys through the real services (dates before today)."""
    from safehold.casework import services as cw
    from safehold.core.testing import make_child, make_staff
    from safehold.looked_after import services as la
    from safehold.workforce.choices import ServiceArea
    from safehold.workforce.services import allocation_set, team_create

    if Person.objects.filter(is_child_record=True).exists():
        raise SystemExit("--populate needs a database with no children in it")
    rng = random.Random(seed)
    today = clock.today()
    teams = [team_create(actor=None, name=f"Bench team {i}", service_area=ServiceArea.CHILD_IN_NEED) for i in range(4)]
    workers = [make_staff(team=teams[i % 4]) for i in range(16)]

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    for i in range(n):
        child = make_child(date_of_birth=ago(rng.randint(400, 6000)), la_child_id=f"B{seed:02d}{i:06d}")
        worker = rng.choice(workers)
        assert worker.team is not None
        allocation_set(actor=None, child=child, team=worker.team, worker=worker, start_date=ago(400))
        kind = rng.random()
        referral = ago(rng.randint(30, 300))
        episode = cw.referral_create(actor=None, child=child, referral_date=referral, source="2A", primary_need="N1")
        if kind < 0.35:  # assessment, sometimes late or open
            a = cw.assessment_start(actor=None, episode=episode, start_date=referral + dt.timedelta(days=1))
            done = referral + dt.timedelta(days=rng.randint(20, 90))
            if done < today and rng.random() < 0.7:
                cw.assessment_complete(
                    actor=None,
                    assessment=a,
                    expected_version=a.version,
                    completed_date=done,
                    factors=["3B"],
                    child_seen=True,
                    outcome="cin_plan",
                )
        elif kind < 0.6:  # CIN plan with some visits
            plan_start = referral + dt.timedelta(days=3)
            cw.cin_plan_start(actor=None, episode=episode, start_date=plan_start)
            day = plan_start
            while True:
                day += dt.timedelta(days=rng.randint(10, 40))
                if day >= today:
                    break
                cw.visit_record(actor=None, child=child, visit_type="cin", visited_on=day, seen=True)
        elif kind < 0.8:  # s.47, ICPC, CP plan with visits and core groups
            sd = cw.strategy_discussion_record(actor=None, episode=episode, held_on=referral, start_section47=True)
            icpc = referral + dt.timedelta(days=rng.randint(10, 30))
            if icpc < today and sd.section47 is not None:
                plan = cw.icpc_record(
                    actor=None, section47=sd.section47, held_on=icpc, plan=True, initial_category="NEG"
                ).plan
                assert plan is not None
                day = icpc
                while True:
                    day += dt.timedelta(days=rng.randint(7, 25))
                    if day >= today:
                        break
                    cw.visit_record(actor=None, child=child, visit_type="cp", visited_on=day, seen=True)
                    if rng.random() < 0.3:
                        cw.core_group_record(actor=None, plan=plan, held_on=day)
        else:  # looked after, with reviews and visits
            start = referral + dt.timedelta(days=5)
            la.period_of_care_start(
                actor=None,
                child=child,
                start_date=start,
                legal_status="C2",
                category_of_need="N1",
                placement_type=rng.choice(["U4", "U6", "K2"]),
                placement_provider="PR1",
            )
            day = start
            while True:
                day += dt.timedelta(days=rng.randint(20, 50))
                if day >= today:
                    break
                cw.visit_record(actor=None, child=child, visit_type="cla", visited_on=day, seen=True)
            review = start + dt.timedelta(days=rng.randint(20, 40))
            if review < today:
                la.lac_review_record(actor=None, child=child, held_on=review, participation="PN1")
        if (i + 1) % 100 == 0:
            print(f"  populated {i + 1}/{n}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--refreshes", type=int, default=2, help="full refreshes to time (default 2)")
    parser.add_argument("--populate", type=int, default=0, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    if args.populate:
        call_command("migrate", verbosity=0)
        t, _ = _timed(lambda: populate(args.populate, args.seed))
        print(f"populated {args.populate} children through the services in {t:.1f}s", file=sys.stderr)

    load_before = os.getloadavg()
    children = Person.objects.filter(is_child_record=True, merged_into__isnull=True).count()
    refreshes = [_timed(lambda: deadlines_refresh_all(actor="bench")) for _ in range(max(1, args.refreshes))]
    counts = refreshes[-1][1]
    open_deadlines = Deadline.objects.filter(met_on__isnull=True, stopped_on__isnull=True).count()

    director = User(username="bench-director", role=Role.DIRECTOR, is_active=True)  # never saved
    factory = RequestFactory()

    def page(view: str) -> int:
        request = factory.get("/deadlines/", {"view": view})
        request.user = director
        response = worklist(request)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def overdue_page() -> int:
        return page("overdue")

    def overdue_all() -> int:
        return len(list(selectors.overdue_now(user=director)))

    def drift_page() -> int:
        return page("drift")

    def drift() -> int:
        return len(selectors.drift(user=director))

    result: dict[str, Any] = {
        "database": connection.vendor,
        "children": children,
        "deadlines_written": counts["deadlines"],
        "open_deadlines": open_deadlines,
        "overdue_now": selectors.overdue_now(user=director).count(),
        "drifting_children": drift(),
        "refresh_all_s": [round(t, 2) for t, _ in refreshes],
        "overdue_page": _measure(overdue_page, args.runs),
        "overdue_full_list": _measure(overdue_all, args.runs),
        "drift_page": _measure(drift_page, args.runs),
        "drift_list": _measure(drift, args.runs),
        "runs": args.runs,
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"database            {result['database']}")
    print(f"children            {children}")
    print(f"deadlines written   {counts['deadlines']}")
    print(f"open deadlines      {open_deadlines}")
    print(f"overdue now         {result['overdue_now']}")
    print(f"drifting children   {result['drifting_children']}")
    print(f"full refresh        {', '.join(f'{t:.2f} s' for t in result['refresh_all_s'])}")
    for key in ("overdue_page", "overdue_full_list", "drift_page", "drift_list"):
        m = result[key]
        print(f"{key:<19} p50 {m['p50_ms']} ms  p95 {m['p95_ms']} ms  max {m['max_ms']} ms  ({args.runs} warm runs)")
    load = result["load_average"]
    print(f"load average        before {load['before']}  after {load['after']}  ({result['cpus']} CPUs)")


if __name__ == "__main__":
    main()
