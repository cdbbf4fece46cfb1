"""Live indicators from the record: one definition each, used by the improvement plan (and the oversight
dashboard). A timeliness indicator is the share of the timescales engine's clocks met on time, among those
met in the period (``Deadline`` rows in state met_on_time or met_late, by the date they were met).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth

from safehold.inspection.annex_a.domain import months_before
from safehold.timescales.models import Deadline, DeadlineState


@dataclass(frozen=True)
class Reading:
    """An indicator's value over a period: ``met`` of ``total`` (percentage, or None with nothing to count)."""

    met: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.met / self.total, 1) if self.total else None


def rate(on_time: int, late: int) -> Reading:
    return Reading(met=on_time, total=on_time + late)


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    description: str
    rule_codes: tuple[str, ...]
    default_target: float
    higher_is_better: bool = True

    def _counts(self, first: dt.date, last: dt.date) -> dict[tuple[dt.date, str], int]:
        rows = (
            Deadline.objects.filter(
                rule_code__in=self.rule_codes,
                met_on__gte=first,
                met_on__lte=last,
                state__in=(DeadlineState.MET_ON_TIME, DeadlineState.MET_LATE),
            )
            .annotate(month=TruncMonth("met_on"))
            .values("month", "state")
            .annotate(n=Count("id"))
            .values_list("month", "state", "n")
        )
        counts: dict[tuple[dt.date, str], int] = defaultdict(int)
        for month, state, n in rows:
            day = month.date() if isinstance(month, dt.datetime) else month
            counts[(day, state)] += n
        return counts

    def reading(self, *, as_of: dt.date) -> Reading:
        """The last 12 months up to and including ``as_of``."""
        counts = self._counts(months_before(as_of, 12) + dt.timedelta(days=1), as_of)
        on_time = sum(n for (_, state), n in counts.items() if state == DeadlineState.MET_ON_TIME)
        late = sum(n for (_, state), n in counts.items() if state == DeadlineState.MET_LATE)
        return rate(on_time, late)

    def trend(self, *, as_of: dt.date, months: int = 6) -> list[tuple[dt.date, Reading]]:
        """Month by month (oldest first) for the last ``months`` calendar months including the current one."""
        first_month = months_before(as_of.replace(day=1), months - 1)
        counts = self._counts(first_month, as_of)
        out = []
        for i in range(months):
            month = months_before(as_of.replace(day=1), months - 1 - i)
            out.append(
                (
                    month,
                    rate(
                        counts.get((month, DeadlineState.MET_ON_TIME), 0),
                        counts.get((month, DeadlineState.MET_LATE), 0),
                    ),
                )
            )
        return out


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            code="assessments_45wd",
            title="Assessments completed within 45 working days",
            description="Assessments completed in the last 12 months that were completed within 45 working days "
            "of the referral (Working Together 2023).",
            rule_codes=("assessment",),
            default_target=85.0,
        ),
        Indicator(
            code="icpc_15wd",
            title="Initial child protection conferences within 15 working days",
            description="ICPCs held in the last 12 months within 15 working days of the strategy discussion "
            "that started the section 47 enquiry.",
            rule_codes=("icpc",),
            default_target=80.0,
        ),
        Indicator(
            code="cla_reviews_on_time",
            title="Reviews of children in care held on time",
            description="Looked-after child reviews held in the last 12 months by their due date (20 working "
            "days, then 3 months, then 6-monthly).",
            rule_codes=("cla_review_first", "cla_review_second", "cla_review_next"),
            default_target=90.0,
        ),
    )
}


def indicator_choices() -> list[tuple[str, str]]:
    return [(code, i.title) for code, i in INDICATORS.items()]
