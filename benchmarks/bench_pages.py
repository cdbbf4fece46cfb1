#!/usr/bin/env python3
"""Page benchmark: the caseload, child record and team pages beside a baseline page, served as in production.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/bench_pages.py [--users 20] [--duration 120]
        [--workers 2] [--threads 4]

Point it at a database holding a generated borough (``bench_generate.py``; ``make bench`` runs this after it
on PostgreSQL). It

1. gives 20 of the borough's staff a login, as the demo logins are made: the case-holding social workers with
   the largest caseloads and the managers of the busiest teams, each with an enrolled authenticator app
   (``two_factor_demo_enrol``; the key goes to the locust users in a file that is deleted afterwards);
2. starts gunicorn on 127.0.0.1 with production settings (``SAFEHOLD_DEBUG=0``, a fresh
   ``SAFEHOLD_SECRET_KEY``, secure cookies; static files are not requested: a proxy serves them) and the worker
   count we would ship on a 2-core server: 2 gthread workers x 4 threads (the Python work of a page holds the
   GIL, its database round trips do not; on the shared 2-core test machine this beat 3 and 5 sync workers);
3. runs locust headless (``benchmarks/locustfile.py``), 20 users: each signs in through the real sign-in and
   two-factor forms; once all have, they request their pages for 120 s, 0.5-1.5 s apart (about 750 child-page
   and 200 team-page requests: enough for a steady p95);
4. prints p50/p95 per page, errors, each page's p95 against the baseline's, and PASS/FAIL against the target:
   p95 <= 3 x the baseline's p95 and <= 300 ms.

The baseline (``/baseline/``) renders the same GOV.UK layout through the same middleware and writes an access
event, as a child's record does, with no case data.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ("caseload", "child", "team")
BASELINE = "baseline"
TARGET_RATIO = 3.0
TARGET_MS = 300.0
SW_SHARE = 0.75  # locustfile.py: SocialWorker weight 3, TeamManager weight 1
CHILDREN_PER_ACCOUNT = 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare_accounts(n_sw: int, n_tm: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Logins for ``n_sw`` social workers and ``n_tm`` team managers of the borough (reused on a second run)."""
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count

    from safehold.accounts.models import User
    from safehold.accounts.roles import Role
    from safehold.accounts.services import two_factor_demo_enrol
    from safehold.core.auditing import update_audited
    from safehold.core.services import service
    from safehold.workforce.choices import StaffRole
    from safehold.workforce.models import Allocation, StaffMember, Team

    password = secrets.token_urlsafe(18)
    encoded = make_password(password)  # the real hasher: signing in costs what it costs in production
    open_allocs = Allocation.objects.filter(end_date__isnull=True, child__restricted=False, child__merged_into=None)

    def free(staff: StaffMember) -> bool:
        return staff.user is None or staff.user.username.startswith("bench.")

    workers = (
        open_allocs.filter(
            worker__role__in=[StaffRole.SOCIAL_WORKER, StaffRole.ADVANCED_PRACTITIONER, StaffRole.ASYE],
            worker__leave_date__isnull=True,
        )
        .values("worker")
        .annotate(n=Count("id"))
        .order_by("-n", "worker")
    )
    chosen_sw: list[tuple[StaffMember, int]] = []
    for row in workers[: n_sw * 3]:
        staff = StaffMember.objects.select_related("user").get(pk=row["worker"])
        if free(staff) and len(chosen_sw) < n_sw:
            chosen_sw.append((staff, row["n"]))
    teams = (
        open_allocs.filter(team__manager__isnull=False, team__manager__leave_date__isnull=True)
        .values("team")
        .annotate(n=Count("id"))
        .order_by("-n", "team")
    )
    chosen_tm: list[tuple[StaffMember, int]] = []
    for team_row in teams[: n_tm * 5]:
        team = Team.objects.select_related("manager__user").get(pk=team_row["team"])
        manager = team.manager
        if manager is not None and free(manager) and all(m.pk != manager.pk for m, _ in chosen_tm):
            if len(chosen_tm) < n_tm:
                chosen_tm.append((manager, team_row["n"]))
    if len(chosen_sw) < n_sw or len(chosen_tm) < n_tm:
        raise SystemExit(f"The borough has too few staff for {n_sw} workers and {n_tm} managers")

    @service
    def link(staff: StaffMember, user: User) -> None:
        if staff.user_id != user.pk:
            update_audited(staff, actor=None, action="bench.login_linked", child_id=None, changes={"user": user})

    accounts: list[dict[str, Any]] = []
    for kind, chosen in (("social_worker", chosen_sw), ("team_manager", chosen_tm)):
        for i, (staff, load) in enumerate(chosen, start=1):
            username = f"bench.{'sw' if kind == 'social_worker' else 'tm'}{i:02d}"
            user = User.objects.filter(username=username).first() or User(username=username)
            user.role = Role.SOCIAL_WORKER if kind == "social_worker" else Role.TEAM_MANAGER
            user.first_name, user.last_name = staff.given_name, staff.family_name
            user.email = f"{username}@example.invalid"
            user.password = encoded
            user.is_active = True
            user.save()
            link(staff, user)
            key, _codes = two_factor_demo_enrol(user=user)
            if kind == "social_worker":
                children = open_allocs.filter(worker=staff)
            else:
                children = open_allocs.filter(team__manager=staff)
            child_ids = list(children.order_by("child_id").values_list("child_id", flat=True)[:CHILDREN_PER_ACCOUNT])
            accounts.append(
                {
                    "username": username,
                    "password": password,
                    "totp_key": key,
                    "role": kind,
                    "child_ids": child_ids,
                    "open_allocations": load,
                }
            )
    sw_loads = sorted(a["open_allocations"] for a in accounts if a["role"] == "social_worker")
    tm_loads = sorted(a["open_allocations"] for a in accounts if a["role"] == "team_manager")
    return accounts, {"worker_caseloads": sw_loads, "team_open_allocations": tm_loads}


def _borough_summary() -> dict[str, int]:
    from safehold.audit.models import AccessEvent
    from safehold.people.models import Person
    from safehold.timescales.models import Deadline
    from safehold.workforce.models import Allocation

    return {
        "children": Person.objects.filter(is_child_record=True).count(),
        "open allocations": Allocation.objects.filter(end_date__isnull=True).count(),
        "deadlines": Deadline.objects.count(),
        "access events": AccessEvent.objects.count(),
    }


def _wait_for(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server on 127.0.0.1
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f}s")


def _stats(path: Path) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["Name"]] = {
                "requests": float(row["Request Count"]),
                "failures": float(row["Failure Count"]),
                "p50": float(row["50%"] or "nan"),
                "p95": float(row["95%"] or "nan"),
                "p99": float(row["99%"] or "nan"),
                "rps": float(row["Requests/s"] or 0),
            }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--duration", type=int, default=120, help="seconds of page requests once all users signed in")
    ap.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_GUNICORN_WORKERS", "2")))
    ap.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_GUNICORN_THREADS", "4")))
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "pages")
    a = ap.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench_pages: needs a postgres:// DATABASE_URL (make bench runs it on the throwaway cluster)")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SAFEHOLD_DEBUG", "1")  # this process only prepares logins; the server runs with DEBUG off
    import django

    django.setup()
    from django.db import connection

    from safehold.timescales.models import Deadline

    if not Deadline.objects.exists():
        from safehold.timescales.services import deadlines_refresh_all

        t = time.perf_counter()
        deadlines_refresh_all()
        print(f"deadlines refreshed for the borough: {time.perf_counter() - t:.1f}s")
    n_sw = math.ceil(a.users * SW_SHARE) + 2  # a spare or two: locust rounds the class weights
    n_tm = math.ceil(a.users * (1 - SW_SHARE)) + 2
    t = time.perf_counter()
    accounts, loads = _prepare_accounts(n_sw, n_tm)
    summary = _borough_summary()
    connection.close()
    print(f"bench logins: {n_sw} social workers, {n_tm} team managers ({time.perf_counter() - t:.1f}s)")
    print(f"borough: {', '.join(f'{k} {v:,}' for k, v in summary.items())}")
    print(f"caseloads of the workers signed in (open allocations): {loads['worker_caseloads']}")
    print(f"open allocations in the managers' teams: {loads['team_open_allocations']}")

    a.out.mkdir(parents=True, exist_ok=True)
    accounts_file = a.out / "accounts.json"
    accounts_file.touch(mode=0o600)
    accounts_file.write_text(json.dumps(accounts), encoding="utf-8")
    port = _free_port()
    worker_class = "gthread" if a.threads > 1 else "sync"
    gunicorn = [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(a.workers),
        "--worker-class", worker_class,
        "--threads", str(a.threads),
        "--log-level", "warning",
        "--timeout", "60",
    ]  # fmt: skip
    server_env = dict(
        os.environ,
        SAFEHOLD_DEBUG="0",
        SAFEHOLD_SECRET_KEY=secrets.token_urlsafe(50),
        SAFEHOLD_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    print(
        f"server: gunicorn {worker_class}, {a.workers} worker{'s' if a.workers != 1 else ''} x {a.threads} "
        f"thread{'s' if a.threads != 1 else ''}, 127.0.0.1:{port}, DEBUG off, secure cookies, PostgreSQL "
        f"(persistent connections, CONN_MAX_AGE 60); {os.cpu_count()} CPUs on this machine",
        flush=True,
    )
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=server_env, start_new_session=True)  # noqa: S603
    prefix = a.out / "locust"
    try:
        _wait_for(f"http://127.0.0.1:{port}/health/", server)
        locust = [
            str(Path(sys.executable).with_name("locust")),
            "-f", str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless", "-u", str(a.users), "-r", str(a.users), "-t", f"{a.duration + 300}s",
            "--host", f"http://127.0.0.1:{port}",
            "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        print("$ " + " ".join(locust[1:]).replace(str(ROOT) + "/", ""), flush=True)
        env = dict(os.environ, BENCH_PAGES_ACCOUNTS=str(accounts_file), BENCH_PAGES_MEASURE_SECONDS=str(a.duration))
        subprocess.run(locust, cwd=ROOT, env=env, check=False)  # noqa: S603
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        accounts_file.unlink(missing_ok=True)

    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        print("FAIL: locust wrote no statistics")
        return 1
    stats = _stats(stats_file)
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists() and len(failures_file.read_text(encoding="utf-8").splitlines()) > 1:
        shutil.copy(failures_file, a.out / "last_failures.csv")
        print(f"failures listed in {a.out / 'last_failures.csv'}")
    base = stats.get(BASELINE)
    if base is None or not base["requests"]:
        print("FAIL: no baseline requests were measured")
        return 1
    print()
    print(f"{'page':<22}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95/base':>10}  result")
    ok = True
    for name in (*PAGES, BASELINE):
        row = stats.get(name)
        if row is None:
            print(f"{name:<22}{'not measured':>9}")
            ok = False
            continue
        ratio = row["p95"] / base["p95"] if base["p95"] else float("inf")
        if name == BASELINE:
            verdict = ""
        else:
            passed = row["failures"] == 0 and ratio <= TARGET_RATIO and row["p95"] <= TARGET_MS
            ok &= passed
            verdict = "PASS" if passed else "FAIL"
        print(
            f"{name:<22}{row['requests']:>9.0f}{row['failures']:>8.0f}{row['p50']:>9.0f}{row['p95']:>9.0f}"
            f"{row['p99']:>9.0f}{ratio:>10.2f}  {verdict}"
        )
    for name, row in sorted(stats.items()):
        if name.startswith("sign-in"):
            print(f"{name:<22}{row['requests']:>9.0f}{row['failures']:>8.0f}{row['p50']:>9.0f}{row['p95']:>9.0f}")
    errors = int(sum(row["failures"] for name, row in stats.items() if name != "Aggregated"))
    total = stats.get("Aggregated", {})
    print(f"errors: {errors}; throughput {total.get('rps', 0):.1f} requests/s (whole run, sign-in included)")
    verdict = "PASS" if ok and errors == 0 else "FAIL"
    print(f"target: p95 <= {TARGET_RATIO:g} x baseline p95 and <= {TARGET_MS:g} ms, with 0 errors: {verdict}")
    return 0 if ok and errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
