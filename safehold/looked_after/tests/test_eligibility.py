"""Care leaver eligibility, worked by hand (CA89 Sch 2 para 19B, s.23A, s.23C, s.24; CPPCR reg 40).

The young person in every case was born on 1 January 2008: 14 on 1 January 2022, 16 on 1 January 2024,
18 on 1 January 2026, 21 on 1 January 2029.
"""

from __future__ import annotations

import datetime as dt

import pytest

from safehold.looked_after.eligibility import THIRTEEN_WEEKS, CareSpan, care_leaver_eligibility

D = dt.date
DOB = D(2008, 1, 1)


def cat(spans: list[CareSpan], on: dt.date, **kw: bool) -> str | None:
    return care_leaver_eligibility(date_of_birth=DOB, spans=spans, on=on, **kw).category


def test_thirteen_weeks_is_91_days() -> None:
    assert THIRTEEN_WEEKS == 91


@pytest.mark.parametrize(
    "spans, on, expected, why",
    [
        # In care from 15 (1 Jan 2023), still looked after at 16½: 1 year+ since 14 -> eligible.
        ([CareSpan(D(2023, 1, 1))], D(2024, 7, 1), "eligible", "13 weeks since 14, still looked after at 16"),
        # Came into care on the 16th birthday; on 1 Apr 2024 that is 91 days (1 Jan..31 Mar) -> eligible.
        ([CareSpan(D(2024, 1, 1))], D(2024, 3, 31), "eligible", "day 91 counted, open span includes today"),
        # One day short: 1 Jan..30 Mar is 90 days -> not yet eligible (still looked after, no category).
        ([CareSpan(D(2024, 1, 1))], D(2024, 3, 30), None, "90 days is not 13 weeks"),
        # Two spans since 14 add up: 60 days at 14 (1 Mar..30 Apr 2022) + 40 days from 16 -> 100 days: eligible.
        ([CareSpan(D(2022, 3, 1), D(2022, 4, 30)), CareSpan(D(2024, 2, 1))], D(2024, 3, 11), "eligible",
         "total periods count"),
        # Care before 14 does not count: 1 year at 12-13 and 30 days at 16 -> not eligible yet.
        ([CareSpan(D(2020, 1, 1), D(2021, 1, 1)), CareSpan(D(2024, 2, 1))], D(2024, 3, 1), None,
         "time before the 14th birthday is not counted"),
        # Short breaks (V3) are excluded: 200 days of short breaks since 14 then 10 days of V2 -> not eligible.
        ([CareSpan(D(2023, 1, 1), D(2023, 7, 20), "V3"), CareSpan(D(2024, 2, 1))], D(2024, 2, 11), None,
         "pre-planned short breaks"),
        # Left care at 17 (1 Jan 2025) after 2 years in care from 15 -> relevant at 17½.
        ([CareSpan(D(2023, 1, 1), D(2025, 1, 1))], D(2025, 7, 1), "relevant", "eligible, then left care at 17"),
        # Left care at 15½ after a year (never looked after at 16+) -> no category at 17.
        ([CareSpan(D(2022, 6, 1), D(2023, 6, 1))], D(2025, 1, 1), None, "ending after 16 is required"),
        # Looked after only 3 weeks at 16, then left: looked after after 16 but never eligible -> qualifying.
        ([CareSpan(D(2024, 3, 1), D(2024, 3, 22))], D(2024, 9, 1), "qualifying", "s.24: after 16, not eligible"),
        # Eligible, left at 17, now 19 -> former relevant.
        ([CareSpan(D(2023, 1, 1), D(2025, 1, 1))], D(2027, 1, 1), "former_relevant", "s.23C"),
        # Still in care on the 18th birthday (care ended E17 at 18) -> former relevant at 18½.
        ([CareSpan(D(2022, 1, 1), D(2026, 1, 1))], D(2026, 7, 1), "former_relevant", "looked after until 18"),
        # Qualifying at 19 (3 weeks in care at 16).
        ([CareSpan(D(2024, 3, 1), D(2024, 3, 22))], D(2027, 3, 1), "qualifying", "s.24 to 21"),
        # Former relevant ends at 21 unless support is extended on request (to 25).
        ([CareSpan(D(2023, 1, 1), D(2025, 1, 1))], D(2029, 2, 1), None, "support ends at 21"),
        # Under 16: no category yet, whatever the care history.
        ([CareSpan(D(2022, 1, 1))], D(2023, 12, 31), None, "duties start at 16"),
    ],
)
def test_eligibility_hand_worked(spans: list[CareSpan], on: dt.date, expected: str | None, why: str) -> None:
    assert cat(spans, on) == expected, why


def test_former_relevant_extended_to_25_on_request() -> None:
    spans = [CareSpan(D(2023, 1, 1), D(2025, 1, 1))]
    assert cat(spans, D(2030, 1, 1), extended_support=True) == "former_relevant"
    assert cat(spans, D(2033, 1, 1), extended_support=True) is None


def test_relevant_stops_after_six_months_at_home_with_a_parent() -> None:
    spans = [CareSpan(D(2023, 1, 1), D(2025, 1, 1))]
    assert cat(spans, D(2025, 8, 1), home_with_parent_six_months=True) is None


def test_reasons_explain_the_category() -> None:
    result = care_leaver_eligibility(date_of_birth=DOB, spans=[CareSpan(D(2023, 1, 1))], on=D(2024, 7, 1))
    assert result.source.startswith("CA89 Sch 2 para 19B")
    assert "Aged 16 and still looked after" in result.reasons
    assert any("since their 14th birthday" in r for r in result.reasons)
    assert result.weeks_since_14 == 78
    excluded = care_leaver_eligibility(
        date_of_birth=DOB, spans=[CareSpan(D(2023, 1, 1), D(2023, 2, 1), "V4")], on=D(2024, 7, 1)
    )
    assert "Pre-planned short breaks (V3/V4) are not counted" in excluded.reasons


def test_leap_day_birthday() -> None:
    result = care_leaver_eligibility(
        date_of_birth=D(2008, 2, 29), spans=[CareSpan(D(2023, 1, 1))], on=D(2024, 2, 28)
    )
    assert result.category is None  # 15 until 29 Feb 2024
    assert care_leaver_eligibility(
        date_of_birth=D(2008, 2, 29), spans=[CareSpan(D(2023, 1, 1))], on=D(2024, 2, 29)
    ).category == "eligible"
