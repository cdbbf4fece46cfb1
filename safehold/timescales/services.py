"""Materialising deadlines: recalculated in the same transaction as any write that moves a clock, and
by the nightly ``timescales refresh`` so a newly announced bank holiday or closure moves the dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from safehold.audit.services import audit_record
from safehold.core import clock
from safehold.core.services import require_service, service
from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.deadlines import ClockContext, child_deadlines, state
from safehold.timescales.domain.rules import RULES, When, with_local_amounts
from safehold.timescales.events import early_help_owners, events_for
from safehold.timescales.models import ClosureDay, Deadline, LocalStandard

#: Met or lapsed deadlines are kept this long (for timeliness reporting); open ones always.
HISTORY_DAYS = 400


#: Calendars by their closure and extra bank-holiday days. A calendar is immutable in what it
#: counts and builds its working-day table once, so every request and service shares one instead of
#: rebuilding the table (tens of milliseconds) each time; a new closure day gives a new key.
_CALENDARS: dict[tuple[frozenset[dt.date], frozenset[dt.date]], WorkingDayCalendar] = {}


def calendar() -> WorkingDayCalendar:
    closures = frozenset(ClosureDay.objects.filter(kind=ClosureDay.Kind.LA_CLOSURE).values_list("date", flat=True))
    extra = frozenset(ClosureDay.objects.filter(kind=ClosureDay.Kind.BANK_HOLIDAY).values_list("date", flat=True))
    key = (closures, extra)
    cal = _CALENDARS.get(key)
    if cal is None:
        if len(_CALENDARS) >= 8:
            _CALENDARS.clear()
        cal = _CALENDARS[key] = WorkingDayCalendar(closures=closures, extra_bank_holidays=extra)
    return cal


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


#: Columns written for each deadline, in the order :func:`_deadline_rows` yields them.
COLUMNS = (
    "child_id",
    "rule_code",
    "start_ref",
    "start_date",
    "start_at",
    "due_date",
    "due_at",
    "met_on",
    "stopped_on",
    "state",
    "worker_id",
    "team_id",
)
Row = tuple[Any, ...]

#: Children per step of a full refresh: one read per table per step (the step's children are a
#: range of ids, passed to every read as a subquery). PostgreSQL answers each read by scanning the
#: table once (a hash join against the step's ids), so fewer, bigger steps cost less; 50,000
#: children keep the process at about 250 MB.
REFRESH_CHUNK = 50_000


def _deadline_rows(children: Any, ctx: ClockContext, today: dt.date, now: dt.datetime) -> Iterator[Row]:
    """Deadline rows (see :data:`COLUMNS`) for ``children``: a list of ids or a queryset of ``pk``."""
    from safehold.workforce.models import Allocation

    owners = {
        cid: (worker_id, team_id)
        for cid, worker_id, team_id in Allocation.objects.filter(
            child_id__in=children, end_date__isnull=True
        ).values_list("child_id", "worker_id", "team_id")
    }
    horizon = today - dt.timedelta(days=HISTORY_DAYS)
    events = events_for(children)
    by_ref = early_help_owners(children)  # early help clocks belong to the council lead practitioner
    datetime = dt.datetime
    for cid, child_events in events.items():
        worker_id, team_id = owners.get(cid, (None, None))
        seen: set[tuple[str, str]] = set()
        for d in child_deadlines(child_events, ctx):
            due, start, met_on, stopped_on = d.due, d.start, d.met_on, d.stopped_on
            if stopped_on is not None and _as_date(stopped_on) > today:
                # A stop still to come (leaving-care duties end at 21): the clock runs until then. The nightly
                # refresh records the stop once the day has passed.
                stopped_on = None
            due_at = due if isinstance(due, datetime) else None
            due_date = due_at.date() if due_at is not None else due
            # A met clock is kept while it was met within the horizon (timeliness counts it in the month it was
            # met, however late); a lapsed one while it fell due within it.
            ended = _as_date(met_on) if met_on is not None else (due_date if stopped_on is not None else None)
            if ended is not None and ended < horizon:
                continue
            start_at = start if isinstance(start, datetime) else None
            start_date = start_at.date() if start_at is not None else start
            key = (d.rule_code, f"{d.ref}@{start_date.isoformat()}")
            if key in seen:
                continue
            seen.add(key)
            yield (
                cid,
                d.rule_code,
                key[1][:80],
                start_date,
                start_at,
                due_date,
                due_at,
                _as_date(met_on) if met_on is not None else None,
                _as_date(stopped_on) if stopped_on is not None else None,
                state(d, now if due_at is not None else today),
                *by_ref.get(d.ref, (worker_id, team_id)),
            )


def _write(rows: list[Row], stamp: dt.datetime) -> None:
    """Insert deadline rows in the current transaction, the cheapest way the database offers.

    PostgreSQL: ``COPY ... FROM STDIN``. SQLite: one prepared ``INSERT`` run for every row. Both
    skip building model instances (a full refresh writes a few hundred thousand rows). The service
    guard is checked here because neither goes through the model's queryset.
    """
    require_service("deadlines")
    if not rows:
        return
    table = connection.ops.quote_name(Deadline._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in (*COLUMNS, "created_at", "updated_at"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, stamp, stamp))
            return
        # Values in the form Django's SQLite backend stores them: dates as ISO text, date-times
        # through the backend's adapter (UTC text). Start and due dates are never null.
        moment = connection.ops.adapt_datetimefield_value
        stamp_db = moment(stamp)
        params = [
            (
                c,
                r,
                ref,
                sd.isoformat(),
                sa if sa is None else moment(sa),
                dd.isoformat(),
                da if da is None else moment(da),
                met if met is None else met.isoformat(),
                stop if stop is None else stop.isoformat(),
                st,
                w,
                t,
                stamp_db,
                stamp_db,
            )
            for c, r, ref, sd, sa, dd, da, met, stop, st, w, t in rows
        ]
        marks = ", ".join(["%s"] * (len(COLUMNS) + 2))
        # Table and column names come from the model, never from input; the values are parameters.
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", params)  # noqa: S608


@service
def deadlines_refresh_child(*, child_id: int) -> int:
    """Recalculate one child's deadlines (called inside the service that changed the record)."""
    ctx = context()
    Deadline.objects.filter(child_id=child_id).delete()
    rows = list(_deadline_rows([child_id], ctx, clock.today(), clock.now()))
    _write(rows, clock.now())
    return len(rows)


@service
def deadlines_refresh_all(*, actor: Any = None, chunk: int = REFRESH_CHUNK) -> dict[str, int]:
    """Recalculate every child's deadlines. Idempotent: the same record and calendar give the same rows.

    One transaction: readers see the old deadlines until it commits. Children are taken ``chunk`` at
    a time in id order; each step's events are read with the step's id range as a subquery.
    """
    from safehold.people.models import Person

    cal = calendar()
    today = clock.today()
    cal.precompute(today.year - 8, today.year + 3)
    ctx = context(cal)
    now = clock.now()
    children = Person.objects.filter(is_child_record=True, merged_into__isnull=True)
    ids = list(children.order_by("pk").values_list("pk", flat=True))
    # DELETE, not TRUNCATE: TRUNCATE would lock the table against every page that reads deadlines
    # for the whole refresh; DELETE lets readers see the old rows until this transaction commits.
    # For the same reason the indexes are not dropped and rebuilt around the write (DROP INDEX
    # locks the table against readers too).
    Deadline.objects.all().delete()
    total = 0
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        step = children.filter(pk__gte=part[0], pk__lte=part[-1]).values("pk")
        rows = list(_deadline_rows(step, ctx, today, now))
        _write(rows, now)
        total += len(rows)
    if connection.vendor == "postgresql":
        # Every row was just rewritten: fresh planner statistics (in this transaction; ANALYZE
        # does not block readers or writers) so the worklists keep their index plans.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Deadline._meta.db_table)}")
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
