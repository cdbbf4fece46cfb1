"""The nightly refresh: a closure day or a newly proclaimed bank holiday moves due dates; the
refresh is idempotent; the calendar administration services are audited."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from safehold.audit.models import AuditEvent
from safehold.casework import services as cw
from safehold.core.exceptions import DirectWriteForbidden, ValidationFailed
from safehold.core.testing import allocate, make_child
from safehold.timescales.models import ClosureDay, Deadline
from safehold.timescales.services import deadlines_refresh_all, deadlines_update_states
from safehold.timescales.services_admin import closure_day_add, closure_day_remove, local_standard_set

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2025, 10, 2, 12, tzinfo=dt.UTC), tick=False):
        yield


def _snapshot() -> list[tuple]:
    fields = (
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
    return sorted(Deadline.objects.values_list(*fields))


def _icpc_child(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    episode = cw.referral_create(actor=None, child=child, referral_date=D(2025, 9, 29), source="2A", primary_need="N1")
    cw.strategy_discussion_record(actor=None, episode=episode, held_on=D(2025, 10, 1), start_section47=True)
    return child


def test_a_new_bank_holiday_and_a_closure_move_the_due_date_after_refresh(personas, frozen):
    child = _icpc_child(personas)
    icpc = Deadline.objects.get(child=child, rule_code="icpc")
    # 15 WD after Wed 1 Oct 2025: 2-3 Oct (2), 6-10 (7), 13-17 (12), 20 (13), 21 (14), Wed 22 Oct (15).
    assert icpc.due_date == D(2025, 10, 22)

    closure_day_add(actor=None, date=D(2025, 10, 10), kind="bank_holiday", reason="Proclaimed bank holiday")
    # Nothing moves until the refresh runs.
    assert Deadline.objects.get(child=child, rule_code="icpc").due_date == D(2025, 10, 22)
    out = StringIO()
    call_command("timescales", "refresh", stdout=out)
    assert out.getvalue().startswith("children=")
    # Fri 10 Oct is no longer a working day: 2-3 (2), 6-9 (6), 13-17 (11), 20-22 (14), Thu 23 Oct (15).
    assert Deadline.objects.get(child=child, rule_code="icpc").due_date == D(2025, 10, 23)

    closure_day_add(actor=None, date=D(2025, 10, 20), reason="Council closure (IT migration)")
    call_command("timescales", "refresh", stdout=StringIO())
    # Mon 20 Oct closed too: 13-17 (11), 21-23 (14), Fri 24 Oct (15).
    assert Deadline.objects.get(child=child, rule_code="icpc").due_date == D(2025, 10, 24)
    # The referral decision (Tue 30 Sep) is unaffected.
    assert Deadline.objects.get(child=child, rule_code="referral_decision").due_date == D(2025, 9, 30)

    first = _snapshot()
    call_command("timescales", "refresh", stdout=StringIO())
    assert _snapshot() == first  # idempotent: the same rows again
    assert AuditEvent.objects.filter(action="closure_day.added").count() == 2
    assert AuditEvent.objects.filter(action="deadlines.refreshed").count() == 3

    closure = ClosureDay.objects.get(date=D(2025, 10, 20))
    closure_day_remove(actor=None, closure=closure, reason="Entered in error")
    deadlines_refresh_all()
    assert Deadline.objects.get(child=child, rule_code="icpc").due_date == D(2025, 10, 23)
    assert AuditEvent.objects.filter(action="closure_day.removed").count() == 1


def test_refresh_all_matches_the_per_write_refresh(personas, frozen):
    _icpc_child(personas)
    other = make_child()
    allocate(other, personas.other_worker)
    cw.referral_create(actor=None, child=other, referral_date=D(2025, 10, 1), source="6", primary_need="N1")
    per_write = _snapshot()
    counts = deadlines_refresh_all()
    assert counts["deadlines"] == len(per_write) == Deadline.objects.count()
    assert _snapshot() == per_write


def test_refresh_all_in_steps_writes_the_same_rows_hour_rules_included(personas, frozen):
    from safehold.looked_after import services as la

    _icpc_child(personas)
    runaway = make_child()
    allocate(runaway, personas.other_worker)
    episode = la.missing_episode_record(
        actor=None, child=runaway, kind="M", started_at=dt.datetime(2025, 9, 27, 18, 0, tzinfo=dt.UTC)
    )
    la.missing_return_record(
        actor=None, episode=episode, returned_at=dt.datetime(2025, 9, 28, 9, 30, 15, 250000, tzinfo=dt.UTC)
    )
    unallocated = make_child()
    cw.referral_create(actor=None, child=unallocated, referral_date=D(2025, 9, 1), source="6", primary_need="N1")
    per_write = _snapshot()
    rhi = Deadline.objects.get(child=runaway, rule_code="rhi")
    assert rhi.due_at == dt.datetime(2025, 10, 1, 9, 30, 15, 250000, tzinfo=dt.UTC)
    assert rhi.start_at == dt.datetime(2025, 9, 28, 9, 30, 15, 250000, tzinfo=dt.UTC)

    assert deadlines_refresh_all(chunk=1)["deadlines"] == len(per_write)
    assert _snapshot() == per_write
    deadlines_refresh_all()
    assert _snapshot() == per_write
    assert Deadline.objects.get(child=unallocated, rule_code="referral_decision").worker_id is None


def test_the_deadline_writer_refuses_to_run_outside_a_service(frozen):
    from safehold.timescales.services import _write

    with pytest.raises(DirectWriteForbidden):
        _write([], dt.datetime(2025, 10, 2, tzinfo=dt.UTC))


def test_update_states_marks_passed_deadlines_overdue(personas, frozen):
    child = _icpc_child(personas)
    assert Deadline.objects.get(child=child, rule_code="icpc").state == "due"
    with time_machine.travel(dt.datetime(2025, 10, 23, 12, tzinfo=dt.UTC), tick=False):
        assert deadlines_update_states() == 1  # only the ICPC was still "due"
    assert Deadline.objects.get(child=child, rule_code="icpc").state == "overdue"


def test_closure_days_are_validated_and_only_written_by_services(frozen):
    with pytest.raises(ValidationFailed):
        closure_day_add(actor=None, date=D(2025, 12, 29), reason=" ")
    closure_day_add(actor=None, date=D(2025, 12, 29), reason="Council closure")
    with pytest.raises(ValidationFailed, match="already"):
        closure_day_add(actor=None, date=D(2025, 12, 29), reason="Again")
    with pytest.raises(DirectWriteForbidden):
        ClosureDay.objects.create(date=D(2025, 12, 30), reason="Direct write")


def test_local_standards_refuse_statutory_rules(frozen):
    with pytest.raises(ValidationFailed, match="statutory"):
        local_standard_set(actor=None, rule_code="icpc", amount=20)
    with pytest.raises(ValidationFailed):
        local_standard_set(actor=None, rule_code="no_such_rule", amount=5)
    first = local_standard_set(actor=None, rule_code="cp_visit", amount=15)
    again = local_standard_set(actor=None, rule_code="cp_visit", amount=20)
    assert first.pk == again.pk and again.amount == 20
