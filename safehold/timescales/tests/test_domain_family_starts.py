"""``child_deadlines`` skips a clock family when the child has none of the events that start its
clocks (``FAMILY_STARTS``). These tests keep that table honest: each listed family gives nothing
when every other kind of event is present, and something once one of its own kinds is added."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.deadlines import (
    FAMILIES,
    FAMILY_STARTS,
    ClockContext,
    ClockEvent,
    EventKind,
    child_deadlines,
)

CTX = ClockContext(WorkingDayCalendar())
LONDON = ZoneInfo("Europe/London")
HOUR_KINDS = {EventKind.MISSING_RETURN, EventKind.RETURN_INTERVIEW}


def _event(kind: EventKind, ref: str = "r1", parent: str = "r1") -> ClockEvent:
    on: date | datetime = datetime(2026, 1, 5, 10, 0, tzinfo=LONDON) if kind in HOUR_KINDS else date(2026, 1, 5)
    if kind is EventKind.BIRTH:
        on = date(2015, 6, 1)
    return ClockEvent(kind, on, ref, parent)


def _every_kind_but(excluded: frozenset[EventKind]) -> list[ClockEvent]:
    # Every other kind, on one shared ref (and as each other's parent), so any cross-kind link fires.
    return [_event(kind) for kind in EventKind if kind not in excluded]


@pytest.mark.parametrize("family", list(FAMILY_STARTS), ids=lambda f: f.__name__)
def test_a_family_gives_nothing_without_the_events_that_start_its_clocks(family):
    starts = FAMILY_STARTS[family]
    assert family(_every_kind_but(starts), CTX) == []
    # ...and something as soon as one of them is there (so the table names the right kinds).
    for kind in starts:
        assert family([*_every_kind_but(starts - {kind}), _event(kind)], CTX) != [], kind


def test_every_listed_family_is_a_family_and_skipping_changes_nothing():
    assert set(FAMILY_STARTS) <= set(FAMILIES)
    events = [_event(kind) for kind in EventKind]
    everything = [d for family in FAMILIES for d in family(events, CTX)]
    assert child_deadlines(events, CTX) == everything
    only_contact = [_event(EventKind.CONTACT, "contact:1")]
    assert child_deadlines(only_contact, CTX) == [d for f in FAMILIES for d in f(only_contact, CTX)] != []
