"""The rates a synthetic borough is calibrated on, each with its source.

Rates are per 10,000 children aged under 18 (flows per year, stocks at the as-of date) or percentages.
National figures come from ``reference/national_indicators.csv`` (DfE children in need, children looked
after and children's social work workforce statistics); the indicator code and year are named beside each
value. Where the CSV gives only a count, the rate uses the England child population implied by the CIN
count and rate for the same year (CIN count / CIN rate x 10,000). Where no national figure exists here the
value is a stated LOCAL ASSUMPTION: a plausible figure for an inner-London borough, to be replaced by the
borough's own data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["ENGLAND_CHILDREN_2024", "ENGLAND_CHILDREN_2025", "RATES", "Rate", "rate"]

#: England children aged under 18, implied by cin_at_31_march_number / cin_at_31_march_rate_per_10000.
ENGLAND_CHILDREN_2024: Final = 399_460 / 331.2 * 10_000  # about 12.06 million
ENGLAND_CHILDREN_2025: Final = 402_400 / 330.3 * 10_000  # about 12.18 million

_CSV = "reference/national_indicators.csv"


@dataclass(frozen=True, slots=True)
class Rate:
    """One calibration target.

    ``unit`` is ``per_10k_year`` (a flow in the year before the as-of date), ``per_10k`` (a stock at the
    as-of date), ``percent`` or ``ratio``. ``indicator`` is the CSV indicator code, empty for a local
    assumption. ``checked`` marks the rates the benchmark compares with the generated borough.
    """

    key: str
    label: str
    value: float
    unit: str
    source: str
    indicator: str = ""
    year_ending: str = ""
    checked: bool = True


def _national(key: str, label: str, value: float, unit: str, indicator: str, year: str, note: str = "") -> Rate:
    source = f"{_CSV}: {indicator} ({year})" + (f"; {note}" if note else "")
    return Rate(key, label, value, unit, source, indicator, year)


def _local(key: str, label: str, value: float, unit: str, note: str, checked: bool = True) -> Rate:
    return Rate(key, label, value, unit, f"LOCAL ASSUMPTION: {note}", checked=checked)


RATES: Final[tuple[Rate, ...]] = (
    # Front door and the statutory journey (CIN census, year ending 31 March 2025).
    _national("referrals", "Referrals in the year", 519.4, "per_10k_year", "referrals_rate_per_10000", "2025-03-31"),
    _national(
        "rereferrals_pct",
        "Re-referrals within 12 months (% of referrals)",
        22.6,
        "percent",
        "rereferrals_within_12m_pct",
        "2025-03-31",
    ),
    _national(
        "section47",
        "Section 47 enquiries started in the year",
        round(230_590 / ENGLAND_CHILDREN_2025 * 10_000, 1),
        "per_10k_year",
        "section47_enquiries_number",
        "2025-03-31",
        "count / England children 2025",
    ),
    _national(
        "icpc",
        "Initial child protection conferences in the year",
        round(72_100 / ENGLAND_CHILDREN_2025 * 10_000, 1),
        "per_10k_year",
        "icpc_number",
        "2025-03-31",
        "count / England children 2025",
    ),
    _national(
        "assessments_45wd_pct",
        "Assessments completed within 45 working days (%)",
        85.7,
        "percent",
        "assessments_within_45_working_days_pct",
        "2025-03-31",
    ),
    _national(
        "icpc_15wd_pct",
        "ICPCs within 15 working days of the s47 start (%)",
        81.4,
        "percent",
        "icpc_within_15_working_days_pct",
        "2025-03-31",
    ),
    _national(
        "cin_at_as_of",
        "Children in need at the as-of date",
        330.3,
        "per_10k",
        "cin_at_31_march_rate_per_10000",
        "2025-03-31",
    ),
    _national(
        "cpp_at_as_of",
        "Children on a child protection plan at the as-of date",
        40.6,
        "per_10k",
        "cpp_at_31_march_rate_per_10000",
        "2025-03-31",
    ),
    _national(
        "cpp_second_pct",
        "CP plans starting in the year that were a second or subsequent plan (%)",
        24.5,
        "percent",
        "cpp_second_or_subsequent_pct",
        "2025-03-31",
    ),
    _national(
        "cla_at_as_of",
        "Children looked after at the as-of date",
        67.0,
        "per_10k",
        "cla_at_31_march_rate_per_10000",
        "2025-03-31",
    ),
    _national(
        "uasc_at_as_of",
        "UASC looked after at the as-of date",
        round(6_540 / ENGLAND_CHILDREN_2025 * 10_000, 1),
        "per_10k",
        "uasc_looked_after_at_31_march_number",
        "2025-03-31",
        "count / England children 2025",
    ),
    _national(
        "cla_3plus_placements_pct",
        "Looked after at the as-of date with 3+ placements in the year (%)",
        10.0,
        "percent",
        "cla_3plus_placements_in_year_pct",
        "2025-03-31",
    ),
    _national(
        "care_leavers_not_in_touch_pct",
        "Care leavers 19-21: LA not in touch (%)",
        4.0,
        "percent",
        "care_leavers_19_21_la_not_in_touch_pct",
        "2025-03-31",
    ),
    _national(
        "care_leavers_suitable_pct",
        "Care leavers 19-21 in suitable accommodation (%)",
        89.0,
        "percent",
        "care_leavers_19_21_suitable_accommodation_pct",
        "2025-03-31",
    ),
    _national(
        "care_leavers_eet_pct",
        "Care leavers 19-21 in education, employment or training (%)",
        54.0,
        "percent",
        "care_leavers_19_21_eet_pct",
        "2025-03-31",
    ),
    # Workforce (children's social work workforce, 30 September 2024: the agency rate of the 2024 census
    # sits in the 15-20% band the product brief asks for; 2025 figures are 13.0% / 15.2 / 11.8%).
    _national(
        "agency_pct",
        "Agency social workers (% of social workers in post)",
        16.2,
        "percent",
        "sw_agency_worker_rate_fte_pct",
        "2024-09-30",
        "headcount of full-time posts stands in for FTE",
    ),
    _national(
        "caseload",
        "Average caseload per case-holding social worker",
        15.4,
        "ratio",
        "sw_average_caseload_fte",
        "2024-09-30",
    ),
    _national(
        "turnover_pct",
        "Social worker turnover in the year (leavers / in post, %)",
        13.9,
        "percent",
        "sw_turnover_rate_fte_pct",
        "2024-09-30",
    ),
    # Local assumptions (no national figure in the reference CSV).
    _local(
        "contacts_per_referral",
        "Contacts per referral",
        2.5,
        "ratio",
        "typical MASH conversion rate: about 40% of contacts become referrals",
    ),
    _local(
        "referral_nfa_pct",
        "Referrals with no further action (%)",
        7.0,
        "percent",
        "close to the DfE 'referrals resulting in NFA' share in recent years; not in the reference CSV",
    ),
    _local(
        "assessments_per_referral",
        "Assessments started per referral",
        0.92,
        "ratio",
        "every referral that is not NFA is assessed; a few are re-assessed",
    ),
    _local(
        "care_leavers_at_as_of",
        "Care leavers (16-21, left care) open at the as-of date",
        40.0,
        "per_10k",
        "national care leaver cohort aged 17-21 is about 4-5 per 1,000 children",
        checked=False,
    ),
    _local(
        "private_fostering",
        "Private fostering arrangements notified in the year",
        1.2,
        "per_10k_year",
        "about 1,500 notifications a year in England",
        checked=False,
    ),
    _local(
        "unallocated_pct",
        "Open cases without a named worker (%)",
        3.0,
        "percent",
        "within the 2-4% band the product brief asks for",
    ),
    _local(
        "duplicates_pct",
        "Children planted as a duplicate person record (%)",
        1.5,
        "percent",
        "data-quality fault for duplicate detection tests",
        checked=False,
    ),
)

_BY_KEY: Final = {r.key: r for r in RATES}


def rate(key: str) -> Rate:
    """The rate with ``key`` (KeyError if unknown)."""
    return _BY_KEY[key]
