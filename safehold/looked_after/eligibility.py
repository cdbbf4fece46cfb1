"""Care leaver eligibility, derived from the care history (STATUTE.md §3). Pure Python: no Django.

* **Eligible** (CA89 Sch 2 para 19B, CPPCR reg 40): aged 16 or 17, still looked after, looked after for
  13 weeks in total beginning after the 14th birthday and ending after the 16th. A series of pre-planned
  short breaks (legal status V3/V4) does not count.
* **Relevant** (CA89 s.23A, CLR reg 3): aged 16 or 17, no longer looked after, eligible before leaving
  care; not while living at home with a parent for six months or more.
* **Former relevant** (CA89 s.23C): 18 or over, was eligible or relevant. Support to 21, or to 25 on request.
* **Qualifying** (CA89 s.24): 16 to 21 (25 on request), looked after at some time after the 16th birthday
  while still a child, but no longer looked after and never eligible.

Periods are half-open: a span is looked after from ``start`` up to, not including, ``end`` (the day care
ceased), so a child who started and ended care on 1 and 2 March was looked after for one day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

THIRTEEN_WEEKS = 13 * 7
SHORT_BREAK_STATUSES = frozenset({"V3", "V4"})

SRC_ELIGIBLE = "CA89 Sch 2 para 19B; CPPCR 2010 reg 40"
SRC_RELEVANT = "CA89 s.23A; Care Leavers (England) Regulations 2010 reg 3"
SRC_FORMER = "CA89 s.23C (and s.23CZB: to 25 on request)"
SRC_QUALIFYING = "CA89 s.24"


@dataclass(frozen=True, slots=True)
class CareSpan:
    """A span of being looked after with one legal status (an SSDA903 episode, or a whole period)."""

    start: dt.date
    end: dt.date | None = None
    legal_status: str = ""


@dataclass(frozen=True, slots=True)
class Eligibility:
    category: str | None  # "eligible" | "relevant" | "former_relevant" | "qualifying" | None
    reasons: tuple[str, ...] = field(default_factory=tuple)
    source: str = ""
    days_since_14: int = 0

    @property
    def weeks_since_14(self) -> int:
        return self.days_since_14 // 7


def birthday(dob: dt.date, years: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February
        return dob.replace(year=dob.year + years, day=28)


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _overlap(span: CareSpan, lo: dt.date, hi: dt.date, on: dt.date) -> int:
    """Days of ``span`` inside [lo, hi), counting an open span up to and including ``on``."""
    end = span.end if span.end is not None else on + dt.timedelta(days=1)
    start, stop = max(span.start, lo), min(end, hi)
    return max(0, (stop - start).days)


def care_leaver_eligibility(
    *,
    date_of_birth: dt.date,
    spans: Iterable[CareSpan],
    on: dt.date,
    home_with_parent_six_months: bool = False,
    extended_support: bool = False,
) -> Eligibility:
    """The young person's leaving-care category on ``on``, with the reasons in plain words."""
    given = [s for s in spans if s.start <= on]
    counted = [s for s in given if s.legal_status not in SHORT_BREAK_STATUSES]
    bd14, bd16, bd18 = birthday(date_of_birth, 14), birthday(date_of_birth, 16), birthday(date_of_birth, 18)
    bd21, bd25 = birthday(date_of_birth, 21), birthday(date_of_birth, 25)
    age = age_on(date_of_birth, on)
    days = sum(_overlap(s, bd14, bd18, on) for s in counted)
    after_16 = any(_overlap(s, bd16, bd18, on) > 0 for s in counted)
    looked_after_now = any(s.end is None or s.end > on for s in counted)
    weeks = f"{days // 7} weeks and {days % 7} days" if days % 7 else f"{days // 7} weeks"
    why_time = f"Looked after for {weeks} in total since their 14th birthday (13 weeks are needed)"
    ever_eligible = days >= THIRTEEN_WEEKS and after_16
    notes: tuple[str, ...] = (
        ("Pre-planned short breaks (V3/V4) are not counted",) if len(counted) < len(given) else ()
    )

    def result(category: str | None, source: str, *reasons: str) -> Eligibility:
        return Eligibility(category, (*reasons, *notes), source, days)

    if age < 16:
        return result(None, "", f"Aged {age}: leaving-care duties start at 16", why_time)
    if age < 18:
        if looked_after_now:
            if ever_eligible:
                return result("eligible", SRC_ELIGIBLE, f"Aged {age} and still looked after", why_time)
            return result(None, "", f"Aged {age} and looked after, but not yet eligible", why_time)
        if ever_eligible:
            if home_with_parent_six_months:
                return result(
                    None, SRC_RELEVANT, "Was eligible, but has lived at home with a parent for six months or more"
                )
            return result(
                "relevant", SRC_RELEVANT, f"Aged {age} and no longer looked after",
                "Was an eligible child before leaving care", why_time,
            )
        if after_16:
            return result(
                "qualifying", SRC_QUALIFYING, f"Aged {age}, looked after after their 16th birthday",
                "Not an eligible child", why_time,
            )
        return result(None, "", "Not looked after at any time after their 16th birthday", why_time)
    limit = bd25 if extended_support else bd21
    limit_words = "25 (support extended on request)" if extended_support else "21"
    if on >= limit:
        return result(None, "", f"Aged {age}: leaving-care support ends at {limit_words}")
    if ever_eligible:
        return result(
            "former_relevant", SRC_FORMER, f"Aged {age}", "Was an eligible or relevant child before 18", why_time,
        )
    if after_16:
        return result(
            "qualifying", SRC_QUALIFYING, f"Aged {age}, looked after after their 16th birthday",
            "Never an eligible child", why_time,
        )
    return result(None, "", "Not looked after at any time after their 16th birthday", why_time)
