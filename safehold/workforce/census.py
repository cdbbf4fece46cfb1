"""Workforce measures as the DfE children's social work workforce census (CSWW) defines them. Pure: fed rows.

Source: DfE, "Children's social work workforce" (explore-education-statistics), data set "1. Indicators (in
post, starters, leavers, agency workers, vacancies, caseload and absence)"; the England figures Safehold
compares with are shipped in ``safehold/oversight/data/national_indicators.csv`` (codes
``sw_agency_worker_rate_fte_pct``, ``sw_turnover_rate_fte_pct``, ``sw_vacancy_rate_fte_pct``; descriptions there
give each formula). Checked against the published England row for 2023: in post 33,119.1 FTE, leavers 5,254.6,
agency 7,173.5, vacancies 7,722.7 → turnover 5,254.6 ÷ 33,119.1 = 15.9%, agency 7,173.5 ÷ (7,173.5 + 33,119.1)
= 17.8%, vacancy 7,722.7 ÷ (7,722.7 + 33,119.1) = 18.9%, the published rates.

Definitions (all full-time equivalent, FTE; the census counts children and family social workers — the
registered social work roles — so the caller passes only those rows):

* **In post** on a date: LA-employed (permanent or fixed-term; agency workers are *not* in post), started on
  or before the date and not yet left (``leave`` is the first day no longer in post).
* **Agency rate** = agency FTE ÷ (agency FTE + in-post FTE), on the date.
* **Turnover rate** = FTE of LA-employed leavers in the 12 months to the date ÷ in-post FTE on the date.
* **Vacancy rate** = vacancy FTE ÷ (vacancy FTE + in-post FTE), where a vacancy is a post in the
  establishment with no LA-employed holder in post: an empty post *and a post covered by an agency worker*
  (the census counts both as vacancies).
* **Starters**: LA-employed staff whose start falls in the 12 months to the date.

The census measures the year to 30 September; here the 12 months run to any date (so at 30 September the
figures are the census year's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

AGENCY = "agency"
ZERO = Decimal(0)


@dataclass(frozen=True)
class StaffRow:
    employment: str  # "permanent" | "fixed_term" | "agency"
    fte: Decimal
    start: dt.date
    leave: dt.date | None = None


@dataclass(frozen=True)
class PostRow:
    fte: Decimal
    opened: dt.date
    closed: dt.date | None = None
    holder: StaffRow | None = None


@dataclass(frozen=True)
class Rate:
    numerator: Decimal
    denominator: Decimal

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(float(100 * self.numerator / self.denominator), 1)


def year_start(as_of: dt.date) -> dt.date:
    """The first day of the 12 months ending on ``as_of`` (the day after the same date a year earlier)."""
    try:
        before = as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        before = as_of.replace(year=as_of.year - 1, day=28)
    return before + dt.timedelta(days=1)


def in_post_on(row: StaffRow, day: dt.date) -> bool:
    return row.start <= day and (row.leave is None or row.leave > day)


def _sum(rows: Iterable[StaffRow | PostRow]) -> Decimal:
    return sum((r.fte for r in rows), ZERO)


def in_post_fte(staff: Iterable[StaffRow], as_of: dt.date) -> Decimal:
    return _sum(s for s in staff if s.employment != AGENCY and in_post_on(s, as_of))


def agency_fte(staff: Iterable[StaffRow], as_of: dt.date) -> Decimal:
    return _sum(s for s in staff if s.employment == AGENCY and in_post_on(s, as_of))


def leavers(staff: Iterable[StaffRow], as_of: dt.date) -> list[StaffRow]:
    first = year_start(as_of)
    return [s for s in staff if s.employment != AGENCY and s.leave is not None and first <= s.leave <= as_of]


def starters(staff: Iterable[StaffRow], as_of: dt.date) -> list[StaffRow]:
    first = year_start(as_of)
    return [s for s in staff if s.employment != AGENCY and first <= s.start <= as_of]


def post_open_on(post: PostRow, day: dt.date) -> bool:
    return post.opened <= day and (post.closed is None or post.closed > day)


def post_status(post: PostRow, day: dt.date) -> str:
    """ "permanent" (an LA-employed holder in post), "agency" (an agency holder in post) or "vacant"."""
    holder = post.holder
    if holder is None or not in_post_on(holder, day):
        return "vacant"
    return "agency" if holder.employment == AGENCY else "permanent"


def vacancy_fte(posts: Iterable[PostRow], as_of: dt.date) -> Decimal:
    """Posts open on the date with no LA-employed holder in post (vacant, or covered by an agency worker)."""
    return _sum(p for p in posts if post_open_on(p, as_of) and post_status(p, as_of) != "permanent")


def agency_rate(staff: list[StaffRow], as_of: dt.date) -> Rate:
    agency = agency_fte(staff, as_of)
    return Rate(agency, agency + in_post_fte(staff, as_of))


def turnover_rate(staff: list[StaffRow], as_of: dt.date) -> Rate:
    return Rate(_sum(leavers(staff, as_of)), in_post_fte(staff, as_of))


def vacancy_rate(posts: list[PostRow], staff: list[StaffRow], as_of: dt.date) -> Rate:
    vacant = vacancy_fte(posts, as_of)
    return Rate(vacant, vacant + in_post_fte(staff, as_of))
