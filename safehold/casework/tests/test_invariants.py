"""Model invariants enforced by the services (and, where possible, the database)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.audit.models import AuditEvent
from safehold.casework import services as cw
from safehold.casework.models import CINEpisode, Conference, Section47
from safehold.core.exceptions import ValidationFailed
from safehold.core.testing import make_child

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

D = dt.date


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def _episode(child=None, referral=D(2025, 1, 6)) -> CINEpisode:
    return cw.referral_create(
        actor=None, child=child or make_child(), referral_date=referral, source="2A", primary_need="N1"
    )


def test_one_open_episode_per_child():
    child = make_child()
    _episode(child)
    with pytest.raises(ValidationFailed, match="already has an open"):
        _episode(child, D(2025, 2, 1))
    assert CINEpisode.objects.filter(child=child).count() == 1


def test_no_closure_before_referral():
    episode = _episode()
    with pytest.raises(ValidationFailed) as excinfo:
        cw.episode_close(
            actor=None, episode=episode, expected_version=episode.version, closure_date=D(2025, 1, 3), reason="RC7"
        )
    assert "before the referral" in str(excinfo.value)
    episode.refresh_from_db()
    assert episode.closure_date is None


def test_closed_after_assessment_needs_an_assessment():
    episode = _episode()
    with pytest.raises(ValidationFailed, match="needs an assessment"):
        cw.episode_close(
            actor=None, episode=episode, expected_version=episode.version, closure_date=D(2025, 2, 3), reason="RC8"
        )


def test_no_referral_in_the_future():
    with pytest.raises(ValidationFailed, match="future"):
        _episode(referral=D(2025, 7, 1))


def test_assessment_cannot_start_before_referral():
    episode = _episode()
    with pytest.raises(ValidationFailed, match="before the referral"):
        cw.assessment_start(actor=None, episode=episode, start_date=D(2025, 1, 5))


def test_no_factors_cannot_be_combined():
    episode = _episode()
    a = cw.assessment_start(actor=None, episode=episode, start_date=D(2025, 1, 7))
    with pytest.raises(ValidationFailed, match="cannot be combined"):
        cw.assessment_complete(
            actor=None,
            assessment=a,
            expected_version=a.version,
            completed_date=D(2025, 2, 1),
            factors=["21", "3A"],
            child_seen=True,
            outcome="nfa",
        )


def test_icpc_not_before_the_strategy_discussion():
    episode = _episode()
    sd = cw.strategy_discussion_record(actor=None, episode=episode, held_on=D(2025, 1, 8), start_section47=True)
    s47 = sd.section47
    assert s47.icpc_target_date == D(2025, 1, 29)  # 15 working days after Wed 8 Jan 2025, hand-counted
    with pytest.raises(ValidationFailed, match="before the strategy discussion"):
        cw.icpc_record(actor=None, section47=s47, held_on=D(2025, 1, 7), plan=True, initial_category="NEG")
    assert not Conference.objects.exists()


def test_a_further_strategy_discussion_joins_the_open_enquiry():
    episode = _episode()
    first = cw.strategy_discussion_record(actor=None, episode=episode, held_on=D(2025, 1, 8), start_section47=True)
    second = cw.strategy_discussion_record(actor=None, episode=episode, held_on=D(2025, 1, 15), start_section47=True)
    assert second.section47_id == first.section47_id
    s47 = Section47.objects.get()
    assert s47.start_date == D(2025, 1, 8)


def test_cp_plan_starts_on_the_icpc_and_cannot_end_the_same_day():
    episode = _episode()
    s47 = cw.strategy_discussion_record(
        actor=None, episode=episode, held_on=D(2025, 1, 8), start_section47=True
    ).section47
    conf = cw.icpc_record(actor=None, section47=s47, held_on=D(2025, 1, 27), plan=True, initial_category="EMO")
    plan = conf.plan
    assert plan.start_date == D(2025, 1, 27)
    with pytest.raises(ValidationFailed):
        cw.cp_review_record(actor=None, plan=plan, held_on=D(2025, 1, 27), continue_plan=False)


def test_cin_plan_cannot_run_alongside_a_cp_plan():
    episode = _episode()
    s47 = cw.strategy_discussion_record(
        actor=None, episode=episode, held_on=D(2025, 1, 8), start_section47=True
    ).section47
    cw.icpc_record(actor=None, section47=s47, held_on=D(2025, 1, 27), plan=True, initial_category="EMO")
    with pytest.raises(ValidationFailed, match="alongside"):
        cw.cin_plan_start(actor=None, episode=episode, start_date=D(2025, 2, 1))


def test_cannot_close_while_a_plan_is_open():
    episode = _episode()
    cw.cin_plan_start(actor=None, episode=episode, start_date=D(2025, 2, 1))
    with pytest.raises(ValidationFailed, match="End the child's current plan"):
        cw.episode_close(
            actor=None, episode=episode, expected_version=episode.version, closure_date=D(2025, 3, 3), reason="RC7"
        )


def test_seen_alone_implies_seen():
    child = make_child()
    with pytest.raises(ValidationFailed):
        cw.visit_record(
            actor=None, child=child, visit_type="cin", visited_on=D(2025, 2, 1), seen=False, seen_alone=True
        )


@pytest.mark.parametrize(
    "action, call",
    [
        ("referral.created", lambda c: _episode(c)),
        (
            "visit.recorded",
            lambda c: cw.visit_record(actor=None, child=c, visit_type="cin", visited_on=D(2025, 2, 1), seen=True),
        ),
        ("case_note.added", lambda c: cw.case_note_add(actor=None, child=c, subject="Call", body="Spoke to school")),
        (
            "contact.recorded",
            lambda c: cw.contact_record(
                actor=None, child=c, received_at=dt.datetime(2025, 2, 3, 9, tzinfo=dt.UTC), source="6"
            ),
        ),
    ],
)
def test_each_service_writes_its_audit_event_for_the_child(action, call):
    child = make_child()
    call(child)
    assert AuditEvent.objects.filter(action=action, child_id=child.pk).count() == 1


def test_a_cp_plan_at_the_icpc_ends_the_cin_plan_with_an_audit_event():
    episode = _episode()
    cin_plan = cw.cin_plan_start(actor=None, episode=episode, start_date=D(2025, 1, 10))
    s47 = cw.strategy_discussion_record(
        actor=None, episode=episode, held_on=D(2025, 2, 3), start_section47=True
    ).section47
    cw.icpc_record(actor=None, section47=s47, held_on=D(2025, 2, 20), plan=True, initial_category="NEG")
    cin_plan.refresh_from_db()
    assert cin_plan.end_date == D(2025, 2, 20)
    event = AuditEvent.objects.get(action="cin_plan.ended", object_id=str(cin_plan.pk))
    assert event.before["end_date"] is None and event.after["end_date"] == "2025-02-20"
