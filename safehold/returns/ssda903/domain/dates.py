"""Dates as the return writes them (dd/mm/yyyy) and the collection year they fall in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@cache
def parse(value: str) -> dt.date | None:
    """The date a ``dd/mm/yyyy`` field holds, or None when it is blank or not a real date."""
    m = _DATE.match(value.strip()) if value else None
    if m is None:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def fmt(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


@lru_cache(maxsize=1 << 16)  # birthdays are asked for many times per child across the rules
def add_years(value: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def age_on(dob: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day``."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


@dataclass(frozen=True)
class CollectionYear:
    """The 903 year: 1 April ``year - 1`` to 31 March ``year``."""

    year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year - 1, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.year - 1}/{str(self.year)[2:]}"
