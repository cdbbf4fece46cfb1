"""Adoption timeliness measures, held as data with their source, and computed for one child's journey.

The measures are those of the DfE adoption scorecards, carried on by the Adoption and Special Guardianship
Leadership Board (ASGLB) quarterly data: A1 and A10 run from the date the child entered care, A2 from the
placement order. The thresholds are the last ones the scorecards set (2013-16); a council may hold its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SCORECARD_SOURCE = "DfE adoption scorecards 2013-16 and ASGLB measures (thresholds as last published; UNVERIFIED)"


@dataclass(frozen=True)
class MeasureRule:
    code: str
    title: str
    start: str
    end: str
    threshold_days: int
    source: str = SCORECARD_SOURCE


MEASURES: tuple[MeasureRule, ...] = (
    MeasureRule(
        "A1",
        "Entering care to moving in with the adoptive family",
        "the date the child entered care",
        "the date the child was placed for adoption",
        426,
    ),
    MeasureRule(
        "A2",
        "Placement order to match with an adoptive family",
        "the date of the placement order",
        "the date the child was matched",
        121,
    ),
    MeasureRule(
        "A10",
        "Entering care to moving in with the adoptive family, adjusted for foster carer adoptions",
        "the date the child entered care",
        "the date the child moved in with the family who adopt them (for a foster carer adoption, the date "
        "they moved in with that foster carer)",
        426,
    ),
)


@dataclass(frozen=True)
class Measure:
    rule: MeasureRule
    days: int | None
    why: str

    @property
    def within(self) -> bool | None:
        return None if self.days is None else self.days <= self.rule.threshold_days


def _days(start: dt.date | None, end: dt.date | None) -> int | None:
    return None if start is None or end is None else (end - start).days


def timeliness(
    *,
    entered_care: dt.date | None,
    placement_order: dt.date | None,
    matched: dt.date | None,
    placed: dt.date | None,
    moved_in_with_foster_carer: dt.date | None = None,
) -> list[Measure]:
    """A1, A2 and A10 for one journey; a measure not yet possible has ``days=None`` and says what is missing."""
    out: list[Measure] = []
    for rule in MEASURES:
        if rule.code == "A1":
            days = _days(entered_care, placed)
        elif rule.code == "A2":
            days = _days(placement_order, matched)
        else:
            end = moved_in_with_foster_carer if moved_in_with_foster_carer and placed else placed
            if end is not None and entered_care is not None and end < entered_care:
                end = entered_care
            days = _days(entered_care, end)
        if days is None:
            why = f"Not yet measurable: it runs from {rule.start} to {rule.end}"
        else:
            verdict = "within" if days <= rule.threshold_days else "over"
            why = f"{days} days from {rule.start} to {rule.end}: {verdict} the {rule.threshold_days}-day threshold"
        out.append(Measure(rule, days, why))
    return out
