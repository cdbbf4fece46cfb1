"""The CIN census as plain data (STATUTE.md §6.2): one ``Census`` holds a header and its children.

Values are kept as the return states them: codes are strings (an invalid code is a rule failure, not a
crash) and a date that could not be read is ``None`` with a :class:`Problem` noted by the reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(slots=True)
class Header:
    year: int | None
    reference_date: dt.date | None
    lea: str = ""
    collection: str = "CIN"
    source_level: str = "L"
    software_code: str = "Safehold"
    release: str = "1"
    serial_no: str = "1"
    date_time: str = ""


@dataclass(slots=True)
class Assessment:
    start: dt.date | None
    internal_review: dt.date | None = None
    authorisation: dt.date | None = None
    factors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class CINPlan:
    start: dt.date | None
    end: dt.date | None = None


@dataclass(slots=True)
class Section47:
    start: dt.date | None
    icpc_target: dt.date | None = None
    icpc: dt.date | None = None
    icpc_not_required: bool | None = None


@dataclass(slots=True)
class CPPlan:
    start: dt.date | None
    end: dt.date | None = None
    initial_category: str = ""
    latest_category: str = ""
    previous_plans: int | None = 0
    reviews: list[dt.date | None] = field(default_factory=list)


@dataclass(slots=True)
class Episode:
    """One ``CINdetails`` module."""

    referral_date: dt.date | None
    referral_source: str = ""
    primary_need: str = ""
    closure_date: dt.date | None = None
    closure_reason: str = ""
    icpc: dt.date | None = None
    referral_nfa: bool | None = False
    assessments: list[Assessment] = field(default_factory=list)
    cin_plans: list[CINPlan] = field(default_factory=list)
    section47s: list[Section47] = field(default_factory=list)
    cp_plans: list[CPPlan] = field(default_factory=list)


@dataclass(slots=True)
class Child:
    la_child_id: str
    upn: str = ""
    former_upn: str = ""
    upn_unknown: str = ""
    birth_date: dt.date | None = None
    expected_birth_date: dt.date | None = None
    sex: str = ""
    death_date: dt.date | None = None
    ethnicity: str = ""
    disabilities: list[str] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Problem:
    """A value the reader could not understand (an impossible date, a non-number), or a missing element."""

    la_child_id: str
    field: str
    message: str

    def __str__(self) -> str:
        who = f"Child {self.la_child_id}" if self.la_child_id else "Header"
        return f"{who}: {self.field}: {self.message}"


@dataclass(slots=True)
class Census:
    header: Header
    children: list[Child] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def collection_period(year: int) -> tuple[dt.date, dt.date]:
    """1 April to 31 March for the collection year ending 31 March ``year``."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
