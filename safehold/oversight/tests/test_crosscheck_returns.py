"""The dashboard's DfE-published indicators against an independent computation from the exported return files.

A clean synthetic borough is generated, its deadlines worked out, and the CIN census (collection years 2025 and
2026) and the SSDA903 return (2026) exported to files with the ``returns export`` commands. The test then
computes each indicator from those FILES alone — parsed here with the standard library's XML and CSV readers,
working days counted with the ``holidays`` package's England bank holidays (not the timescales engine's
calendar) — and asserts it equals the dashboard's figure (``indicators.DASHBOARD[code].compute``) for the same
period, 1 April 2025 to 31 March 2026.

Definitions, compared like with like (where Safehold's differs from the DfE's publication, it is said so):

* **Assessments within 45 working days** — Safehold's clock (timescales rule ``assessment``) runs from the
  referral for the first assessment started on or after the referral, and from its own start for any later
  assessment in the same episode; it stops when the assessment is *completed*. The census carries the completion
  as ``AssessmentInternalReviewDate`` and the manager's sign-off as ``AssessmentAuthorisationDate``; the DfE
  publication measures to authorisation. So the file figure compared is: assessments whose completion date falls
  in the year, on time when the working days after the clock's start up to and including the completion are at
  most 45. The authorisation-based figure is computed too and must not exceed it (authorisation is never before
  completion); the difference is the sign-off delay, a known, documented definitional gap.
* **ICPCs within 15 working days** — ``Section47`` items whose ``DateOfInitialCPC`` falls in the year, on time
  when it is at most 15 working days after ``S47ActualStartDate`` (the strategy discussion that began the
  enquiry: the DfE definition). Episode-level ``DateOfInitialCPC`` with no section 47 (transfer-in conferences)
  has no clock in Safehold and is not counted by either side.
* **Re-referrals within 12 months** — referrals (``CINreferralDate``) in the year where the same ``LAchildID``
  has an earlier referral on or after the same day 12 months before (31 August → 28/29 February), looking in the
  2026 and 2025 census files (a referral 12 months before any referral in 2025/26 was made on or after
  1 April 2024, so is in one of the two files).
* **Second or subsequent CP plans** — plans starting in the year with ``NumberOfPreviousCPP`` above 0.
* **CP plans ending that lasted 2 years or more** — plans with ``CPPendDate`` in the year and on or after the
  second anniversary of ``CPPstartDate``.
* **Care leavers in touch / in suitable accommodation / in education, employment or training** — the OC3 table
  (one row per care leaver: the latest contact in the year, young people not in care during it): ``IN_TOUCH`` is
  YES; the second character of ``ACCOM`` is 1 (suitable); ``ACTIV`` is F1, F2, F4, F5, P1, P2, P4 or P5 — each
  over all OC3 rows, as the DfE publishes them (percentages of all care leavers in the cohort).

CLA reviews and visits are not cross-checked here: the SSDA903 REVIEWS table holds the reviews held in the year
but not the earlier reviews and care starts their due dates run from, so "on time" cannot be worked out from the
return alone; they are covered by the timescales engine's own tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 - parses a file this test has just written
from collections import defaultdict
from pathlib import Path

import holidays
import pytest
import time_machine

from safehold.oversight import indicators
from safehold.oversight.selectors import LA
from safehold.returns.cin import cli as cin_cli
from safehold.returns.ssda903 import cli as ssda903_cli
from safehold.synthetic.loader import borough_generate
from safehold.timescales.services import deadlines_refresh_all

pytestmark = pytest.mark.django_db

FIRST, LAST = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
POPULATION, SEED = 20_000, 5
BANK_HOLIDAYS = set(holidays.country_holidays("GB", subdiv="ENG", years=range(2022, 2028)))
EET = {"F1", "F2", "F4", "F5", "P1", "P2", "P4", "P5"}


def working_days_after(start: dt.date, end: dt.date) -> int:
    """Working days (Monday to Friday, not an England bank holiday) after ``start`` up to and including ``end``."""
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
            n += 1
    return n


def twelve_months_before(day: dt.date) -> dt.date:
    year = day.year - 1
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return dt.date(year, 2, 28)


def in_year(day: dt.date | None) -> bool:
    return day is not None and FIRST <= day <= LAST


def _date(el: ET.Element, tag: str) -> dt.date | None:
    text = el.findtext(tag)
    return dt.date.fromisoformat(text) if text else None


def _children(path: Path) -> list[ET.Element]:
    root = ET.parse(path).getroot()  # noqa: S314 - our own export
    return root.findall("./Children/Child")


def from_cin(census_2026: Path, census_2025: Path) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) of each CIN indicator, from the census files alone."""
    assess_on_time = assess_all = assess_auth_on_time = assess_auth_all = 0
    icpc_on_time = icpc_all = 0
    second = started = 0
    long_plans = ended = 0
    referrals: dict[str, set[dt.date]] = defaultdict(set)
    in_year_referrals: list[tuple[str, dt.date]] = []
    for path in (census_2025, census_2026):
        for child in _children(path):
            child_id = child.findtext("./ChildIdentifiers/LAchildID") or ""
            for ep in child.findall("CINdetails"):
                referral = _date(ep, "CINreferralDate")
                assert referral is not None
                referrals[child_id].add(referral)
                if path is census_2026 and in_year(referral):
                    in_year_referrals.append((child_id, referral))
    seen_referral: set[tuple[str, dt.date]] = set()
    for child in _children(census_2026):
        child_id = child.findtext("./ChildIdentifiers/LAchildID") or ""
        for ep in child.findall("CINdetails"):
            referral = _date(ep, "CINreferralDate")
            assert referral is not None
            if (child_id, referral) in seen_referral:
                continue
            seen_referral.add((child_id, referral))
            assessments = sorted(
                (_date(a, "AssessmentActualStartDate"), _date(a, "AssessmentInternalReviewDate"),
                 _date(a, "AssessmentAuthorisationDate"))
                for a in ep.findall("Assessments")
            )  # fmt: skip
            referral_used = False
            for start, completed, authorised in assessments:
                assert start is not None
                if not referral_used and referral <= start:
                    clock_start, referral_used = referral, True
                else:
                    clock_start = start
                if in_year(completed):
                    assert completed is not None
                    assess_all += 1
                    assess_on_time += working_days_after(clock_start, completed) <= 45
                if in_year(authorised):
                    assert authorised is not None
                    assess_auth_all += 1
                    assess_auth_on_time += working_days_after(clock_start, authorised) <= 45
            for s47 in ep.findall("Section47"):
                s47_start, icpc = _date(s47, "S47ActualStartDate"), _date(s47, "DateOfInitialCPC")
                if in_year(icpc):
                    assert s47_start is not None and icpc is not None
                    icpc_all += 1
                    icpc_on_time += working_days_after(s47_start, icpc) <= 15
            for plan in ep.findall("ChildProtectionPlans"):
                plan_start, plan_end = _date(plan, "CPPstartDate"), _date(plan, "CPPendDate")
                assert plan_start is not None
                if in_year(plan_start):
                    started += 1
                    second += int(plan.findtext("NumberOfPreviousCPP") or "0") > 0
                if in_year(plan_end):
                    assert plan_end is not None
                    ended += 1
                    try:
                        anniversary = plan_start.replace(year=plan_start.year + 2)
                    except ValueError:
                        anniversary = dt.date(plan_start.year + 2, 2, 28)
                    long_plans += plan_end >= anniversary
    rereferred = sum(
        1
        for child_id, date in set(in_year_referrals)
        if any(twelve_months_before(date) <= d < date for d in referrals[child_id])
    )
    return {
        "assessments_45wd": (assess_on_time, assess_all),
        "assessments_45wd_authorised": (assess_auth_on_time, assess_auth_all),
        "icpc_15wd": (icpc_on_time, icpc_all),
        "rereferrals_12m": (rereferred, len(set(in_year_referrals))),
        "cp_plans_second": (second, started),
        "cp_plans_2yrs": (long_plans, ended),
    }


def from_903(folder: Path) -> dict[str, tuple[int, int]]:
    with (folder / "oc3.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {
        "care_leavers_in_touch": (sum(r["IN_TOUCH"] == "YES" for r in rows), len(rows)),
        "care_leavers_suitable": (sum(len(r["ACCOM"]) == 2 and r["ACCOM"][1] == "1" for r in rows), len(rows)),
        "care_leavers_eet": (sum(r["ACTIV"] in EET for r in rows), len(rows)),
    }


@time_machine.travel(dt.datetime(2026, 4, 2, 12, tzinfo=dt.UTC), tick=False)
def test_dfe_indicators_equal_an_independent_computation_from_the_return_files(tmp_path: Path) -> None:
    """Just after the year end, as a return is made (the deadlines engine keeps met clocks for 400 days, so the
    whole year is there)."""
    borough_generate(population=POPULATION, seed=SEED, faults=False)
    deadlines_refresh_all(actor="test")
    cin_cli.export(2026, tmp_path / "cin-2026.xml")
    cin_cli.export(2025, tmp_path / "cin-2025.xml")
    ssda903_cli.export(2026, tmp_path / "ssda903")

    files = {**from_cin(tmp_path / "cin-2026.xml", tmp_path / "cin-2025.xml"), **from_903(tmp_path / "ssda903")}
    dashboard = {}
    for code in (
        "assessments_45wd",
        "icpc_15wd",
        "rereferrals_12m",
        "cp_plans_second",
        "cp_plans_2yrs",
        "care_leavers_in_touch",
        "care_leavers_suitable",
        "care_leavers_eet",
    ):
        figure = indicators.DASHBOARD[code].compute(LA, FIRST, LAST)
        dashboard[code] = (int(figure.numerator), int(figure.denominator))

    # Enough of each to be a real comparison (a test that cannot fail proves nothing).
    for code, (_, denominator) in dashboard.items():
        assert denominator >= 10, f"{code}: only {denominator} in the borough's year"
    assert {code: files[code] for code in dashboard} == dashboard
    # Authorisation comes on or after completion, so the DfE's sign-off-based rate is never the higher one.
    auth_on_time, auth_all = files["assessments_45wd_authorised"]
    on_time, total = files["assessments_45wd"]
    assert auth_on_time / auth_all <= on_time / total + 1e-9
