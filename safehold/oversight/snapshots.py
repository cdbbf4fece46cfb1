"""Monthly indicator snapshots for the leadership dashboard.

Computing every indicator live over a large borough takes seconds (each is a scan of contacts, referrals or the
timescales engine's clocks, and the 13-month trend repeats it for every month). A *refresh* computes, with the
very same formulas (:mod:`safehold.oversight.indicators`), each indicator's figure for the 12-month period to the
refresh date and for each of the trend's calendar months (the current month up to the refresh date), for the
whole LA and each service area (``levels``), and stores them as :class:`IndicatorSnapshot` rows. The dashboard,
the trend pages and the scrutiny pack read the latest finished refresh when it is recent
(``SAFEHOLD_DASHBOARD_SNAPSHOT_MAX_AGE_DAYS``, default 1: a nightly refresh) and say when it was computed;
otherwise, and for scopes a refresh does not cover (teams, workers), they compute live. Past months and the
current month come from the same refresh, so the figures on one page are consistent with one another.

The refresh runs nightly (``manage.py oversight snapshots``, from cron) or as a background task
(:func:`safehold.oversight.tasks.refresh_snapshots`); computing happens outside any transaction and the rows are
written in one short service transaction that also removes older refreshes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from safehold.audit.services import audit_record
from safehold.core import clock
from safehold.core.jobs import Progress
from safehold.core.services import service
from safehold.inspection.annex_a.domain import months_before
from safehold.oversight import indicators
from safehold.oversight.indicators import DASHBOARD, DashboardIndicator, Figure
from safehold.oversight.models import IndicatorSnapshot, SnapshotRefresh
from safehold.oversight.selectors import LA, Scope

TREND_MONTHS = 13
DEFAULT_LEVELS: tuple[str, ...] = ("la", "service")


def max_age_days() -> int:
    return int(getattr(settings, "SAFEHOLD_DASHBOARD_SNAPSHOT_MAX_AGE_DAYS", 1))


def scopes_for(levels: Iterable[str]) -> list[Scope]:
    out: list[Scope] = []
    wanted = set(levels)
    if "la" in wanted:
        out.append(LA)
    if "service" in wanted:
        out.extend(LA.children_scopes())
    if "team" in wanted:
        for service_scope in LA.children_scopes():
            out.extend(service_scope.children_scopes())
    return out


def month_periods(as_of: dt.date, months: int = TREND_MONTHS) -> list[tuple[dt.date, dt.date]]:
    """The ``months`` calendar months up to the one containing ``as_of``, oldest first (the last cut at it)."""
    return [
        (month, min(indicators.month_end(month), as_of))
        for month in (months_before(as_of.replace(day=1), months - 1 - i) for i in range(months))
    ]


@dataclass(frozen=True)
class Computed:
    scope: Scope
    code: str
    first: dt.date
    last: dt.date
    figure: Figure


def compute_scope(scope: Scope, as_of: dt.date, months: int = TREND_MONTHS) -> list[Computed]:
    """Every indicator's period figure and (for trend indicators) each month's figure, computed live."""
    first, last = indicators.period(as_of)
    out = []
    for ind in DASHBOARD.values():
        out.append(Computed(scope, ind.code, first, last, ind.compute(scope, first, last)))
        if ind.trend:
            periods = month_periods(as_of, months)
            for (m_first, m_last), figure in zip(periods, ind.figures(scope, periods), strict=True):
                out.append(Computed(scope, ind.code, m_first, m_last, figure))
    return out


@service
def snapshot_refresh_store(
    *,
    actor: Any,
    as_of: dt.date,
    levels: Sequence[str],
    months: int,
    started_at: dt.datetime,
    computed: list[Computed],
    requested_by: Any = None,
) -> SnapshotRefresh:
    """Store one refresh's figures and remove the older refreshes (their rows go with them)."""
    now = clock.now()
    refresh = SnapshotRefresh(
        as_of=as_of,
        levels=",".join(levels),
        months=months,
        requested_by=requested_by,
        started_at=started_at,
        finished_at=now,
        seconds=round((now - started_at).total_seconds(), 2),
        rows=len(computed),
    )
    refresh.save()
    IndicatorSnapshot.objects.bulk_create(
        [
            IndicatorSnapshot(
                refresh=refresh,
                code=c.code,
                level=c.scope.level,
                key=c.scope.key,
                first=c.first,
                last=c.last,
                numerator=Decimal(c.figure.numerator),
                denominator=Decimal(c.figure.denominator),
                unit=c.figure.unit,
            )
            for c in computed
        ],
        batch_size=500,
    )
    SnapshotRefresh.objects.exclude(pk=refresh.pk).filter(started_at__lte=started_at).delete()
    audit_record(
        actor=actor,
        action="oversight.snapshots_refreshed",
        instance=refresh,
        after={"as_of": as_of.isoformat(), "levels": list(levels), "rows": len(computed)},
    )
    return refresh


def snapshot_refresh(
    *,
    actor: Any,
    as_of: dt.date | None = None,
    levels: Sequence[str] | None = None,
    months: int = TREND_MONTHS,
    requested_by: Any = None,
    progress: Progress | None = None,
) -> SnapshotRefresh:
    """Compute every indicator for every scope of ``levels`` (reads only, no transaction held), then store them.

    Not itself a service: the computing may take minutes on a large borough; the write is one short service."""
    as_of = as_of or clock.today()
    if not levels:
        levels = tuple(getattr(settings, "SAFEHOLD_DASHBOARD_SNAPSHOT_LEVELS", DEFAULT_LEVELS))
    started_at = clock.now()
    scopes = scopes_for(levels)
    computed: list[Computed] = []
    for n, scope in enumerate(scopes):
        if progress:
            progress(n, len(scopes), f"Computing {scope.label}")
        computed.extend(compute_scope(scope, as_of, months))
    if progress:
        progress(len(scopes), len(scopes), "Storing the figures")
    return snapshot_refresh_store(
        actor=actor,
        as_of=as_of,
        levels=levels,
        months=months,
        started_at=started_at,
        computed=computed,
        requested_by=requested_by,
    )


# --- Reading -------------------------------------------------------------------------------------------------


@dataclass
class Source:
    """Where a page's figures come from: a refresh (with its date and time) or a live computation."""

    as_of: dt.date
    refresh: SnapshotRefresh | None = None

    @property
    def computed_at(self) -> dt.datetime | None:
        return self.refresh.finished_at if self.refresh else None


def latest_refresh(level: str) -> SnapshotRefresh | None:
    """The latest finished refresh covering ``level`` that is recent enough to show."""
    since = clock.today() - dt.timedelta(days=max_age_days())
    for refresh in SnapshotRefresh.objects.filter(finished_at__isnull=False, as_of__gte=since).order_by(
        "-finished_at", "-id"
    )[:3]:
        if level in refresh.levels.split(","):
            return refresh
    return None


def _rows(
    refresh: SnapshotRefresh, scopes: Sequence[Scope], codes: Sequence[str] | None, period_only: bool
) -> dict[tuple[str, str, str, dt.date, dt.date], Figure]:
    wanted = {(s.level, s.key) for s in scopes}
    qs = IndicatorSnapshot.objects.filter(refresh=refresh, level__in={level for level, _ in wanted})
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    if period_only:
        qs = qs.filter(first=indicators.period(refresh.as_of)[0], last=refresh.as_of)
    return {
        (level, key, code, first, last): Figure(_num(num), _num(den), unit)
        for level, key, code, first, last, num, den, unit in qs.values_list(
            "level", "key", "code", "first", "last", "numerator", "denominator", "unit"
        )
        if (level, key) in wanted
    }


def _num(value: Decimal) -> Decimal | int:
    return int(value) if value == value.to_integral_value() else value


class Figures:
    """The dashboard's figures for a set of scopes: from the latest recent refresh where it has them (every
    requested figure), otherwise computed live as of today. ``live=True`` forces a live computation."""

    def __init__(
        self,
        scopes: Sequence[Scope],
        *,
        live: bool = False,
        as_of: dt.date | None = None,
        codes: Sequence[str] | None = None,
        period_only: bool = False,
    ) -> None:
        """``as_of`` (the scrutiny pack's month end) takes from the refresh only the periods it holds for that
        date (complete months), computing the rest. ``codes`` and ``period_only`` (no trend months) limit what is
        read to what the page shows."""
        self.scopes = list(scopes)
        refresh = None if live else _common_refresh(self.scopes)
        self.rows = _rows(refresh, self.scopes, codes, period_only) if refresh else {}
        if as_of is None:
            as_of = refresh.as_of if refresh else clock.today()
        self.source = Source(as_of=as_of, refresh=refresh)

    @property
    def as_of(self) -> dt.date:
        return self.source.as_of

    def _get(self, scope: Scope, ind: DashboardIndicator, first: dt.date, last: dt.date) -> Figure:
        found = self.rows.get((scope.level, scope.key, ind.code, first, last))
        return found if found is not None else ind.compute(scope, first, last)

    def period(self) -> tuple[dt.date, dt.date]:
        return indicators.period(self.as_of)

    def figure(self, scope: Scope, ind: DashboardIndicator) -> Figure:
        return self._get(scope, ind, *self.period())

    def trend(self, scope: Scope, ind: DashboardIndicator, months: int = TREND_MONTHS) -> list[tuple[dt.date, Figure]]:
        return [(first, self._get(scope, ind, first, last)) for first, last in month_periods(self.as_of, months)]


def _common_refresh(scopes: Sequence[Scope]) -> SnapshotRefresh | None:
    levels = {s.level for s in scopes}
    refresh = None
    for level in levels:
        found = latest_refresh(level)
        if found is None or (refresh is not None and found.pk != refresh.pk):
            return None
        refresh = found
    return refresh
