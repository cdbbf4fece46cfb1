"""Materialising deadlines: recalculated in the same transaction as any write that moves a clock, and
by the nightly ``timescales refresh`` so a newly announced bank holiday or closure moves the dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone

from safehold.audit.services import audit_record
from safehold.core import clock
from safehold.core.services import service
from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.deadlines import ClockContext, child_deadlines, state
from safehold.timescales.domain.rules import RULES, When, with_local_amounts
from safehold.timescales.events import events_for
from safehold.timescales.models import ClosureDay, Deadline, LocalStandard

#: Met or lapsed deadlines are kept this long (for timeliness reporting); open ones always.
HISTORY_DAYS = 400


def calendar() -> WorkingDayCalendar:
    closures = frozenset(ClosureDay.objects.filter(kind=ClosureDay.Kind.LA_CLOSURE).values_list("date", flat=True))
    extra = frozenset(ClosureDay.objects.filter(kind=ClosureDay.Kind.BANK_HOLIDAY).values_list("date", flat=True))
    return WorkingDayCalendar(closures=closures, extra_bank_holidays=extra)


def context(cal: WorkingDayCalendar | None = None) -> ClockContext:
    overrides = dict(LocalStandard.objects.values_list("rule_code", "amount"))
    rules = with_local_amounts(overrides) if overrides else RULES
    return ClockContext(
        calendar=cal or calendar(),
        rules=rules,
        start_counts_as_day_one=settings.SAFEHOLD_WD_START_IS_DAY_ONE,
    )


def due_date(rule_code: str, start: When, ctx: ClockContext | None = None) -> Any:
    ctx = ctx or context()
    return ctx.due(rule_code, start)


def _as_date(value: When) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _rows(child_ids: list[int], ctx: ClockContext, today: dt.date, now: dt.datetime) -> Iterator[Deadline]:
    from safehold.workforce.models import Allocation

    owners = {
        cid: (worker_id, team_id)
        for cid, worker_id, team_id in Allocation.objects.filter(
            child_id__in=child_ids, end_date__isnull=True
        ).values_list("child_id", "worker_id", "team_id")
    }
    horizon = today - dt.timedelta(days=HISTORY_DAYS)
    events = events_for(child_ids)
    for cid, child_events in events.items():
        worker_id, team_id = owners.get(cid, (None, None))
        seen: set[tuple[str, str]] = set()
        for d in child_deadlines(child_events, ctx):
            is_hours = isinstance(d.due, dt.datetime)
            st = state(d, now if is_hours else today)
            closed = d.met_on is not None or d.stopped_on is not None
            if closed and _as_date(d.due) < horizon:
                continue
            start_ref = f"{d.ref}@{_as_date(d.start).isoformat()}"
            if (d.rule_code, start_ref) in seen:
                continue
            seen.add((d.rule_code, start_ref))
            yield Deadline(
                child_id=cid,
                rule_code=d.rule_code,
                start_ref=start_ref[:80],
                start_date=_as_date(d.start),
                start_at=d.start if isinstance(d.start, dt.datetime) else None,
                due_date=_as_date(d.due),
                due_at=d.due if is_hours else None,
                met_on=_as_date(d.met_on) if d.met_on is not None else None,
                stopped_on=_as_date(d.stopped_on) if d.stopped_on is not None else None,
                state=st,
                worker_id=worker_id,
                team_id=team_id,
            )


@service
def deadlines_refresh_child(*, child_id: int) -> int:
    """Recalculate one child's deadlines (called inside the service that changed the record)."""
    ctx = context()
    Deadline.objects.filter(child_id=child_id).delete()
    rows = list(_rows([child_id], ctx, clock.today(), clock.now()))
    Deadline.objects.bulk_create(rows)
    return len(rows)


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


@service
def deadlines_refresh_all(*, actor: Any = None, chunk: int = 2000) -> dict[str, int]:
    """Recalculate every child's deadlines. Idempotent: the same record and calendar give the same rows."""
    from safehold.people.models import Person

    cal = calendar()
    today = clock.today()
    cal.precompute(today.year - 8, today.year + 3)
    ctx = context(cal)
    now = clock.now()
    ids = list(Person.objects.filter(is_child_record=True, merged_into__isnull=True).values_list("pk", flat=True))
    # DELETE, not TRUNCATE: TRUNCATE would lock the table against every page that reads deadlines
    # for the whole refresh; DELETE lets readers see the old rows until this transaction commits.
    Deadline.objects.all().delete()
    total = 0
    for part in _chunks(ids, chunk):
        rows = list(_rows(part, ctx, today, now))
        Deadline.objects.bulk_create(rows, batch_size=5000)
        total += len(rows)
    counts = {"children": len(ids), "deadlines": total, "calendar": int(cal.fingerprint[:8], 16)}
    audit_record(actor=actor, action="deadlines.refreshed", object_type="timescales", after=counts)
    return counts


@service
def deadlines_update_states(*, today: dt.date | None = None) -> int:
    """Move open deadlines whose due date has passed from 'due' to 'overdue' (cheap, no recalculation)."""
    today = today or clock.today()
    now = timezone.now()
    n = Deadline.objects.filter(state="due", due_at__isnull=True, due_date__lt=today).update(state="overdue")
    n += Deadline.objects.filter(state="due", due_at__isnull=False, due_at__lt=now).update(state="overdue")
    return n
