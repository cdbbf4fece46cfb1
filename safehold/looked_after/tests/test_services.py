"""Looked-after services: validation, 903 episode bookkeeping and audit events."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.audit.models import AuditEvent
from safehold.core.exceptions import DirectWriteForbidden, ValidationFailed
from safehold.core.testing import make_child
from safehold.looked_after import services as la
from safehold.looked_after.models import CareEpisode, HealthCheck, PeriodOfCare, PrivateFostering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

D = dt.date
UTC = dt.UTC


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
        yield


def start(child, day=D(2026, 1, 12), **extra):
    fields = {"legal_status": "V2", "category_of_need": "N1", "placement_type": "U6", "placement_provider": "PR1"}
    fields.update(extra)
    return la.period_of_care_start(actor=None, child=child, start_date=day, **fields)


def episodes(child) -> list[tuple]:
    return list(
        CareEpisode.objects.filter(child=child)
        .order_by("start_date", "pk")
        .values_list(
            "start_date",
            "reason_new_episode",
            "legal_status",
            "placement_type",
            "end_date",
            "reason_ceased",
            "reason_place_change",
        )
    )


def test_period_of_care_start_writes_the_period_the_first_episode_and_audit_events():
    child = make_child()
    period = start(child)
    assert episodes(child) == [(D(2026, 1, 12), "S", "V2", "U6", None, "", "")]
    actions = list(AuditEvent.objects.filter(child_id=child.pk).values_list("action", flat=True))
    assert "period_of_care.started" in actions and "care_episode.started" in actions
    assert period.end_date is None


@pytest.mark.parametrize(
    "day, extra, message",
    [
        (D(2026, 3, 3), {}, "future"),
        (D(2015, 3, 13), {}, "before the child was born"),
        (D(2026, 1, 12), {"placement_provider": ""}, "provider"),
        (D(2026, 1, 12), {"placement_type": "T1"}, "no provider"),
        (D(2026, 1, 12), {"legal_status": "Q9"}, "not a valid choice"),
    ],
)
def test_period_of_care_start_is_validated(day, extra, message):
    child = make_child()  # born 14 Mar 2015
    with pytest.raises(ValidationFailed, match=message):
        start(child, day, **extra)
    assert not PeriodOfCare.objects.filter(child=child).exists()


def test_one_open_period_and_no_overlap_with_the_last():
    child = make_child()
    start(child)
    with pytest.raises(ValidationFailed, match="already looked after"):
        start(child, D(2026, 2, 1))
    la.period_of_care_end(actor=None, child=child, end_date=D(2026, 2, 2), reason_ceased="E4A")
    with pytest.raises(ValidationFailed, match="before the last one ended"):
        start(child, D(2026, 2, 1))
    start(child, D(2026, 2, 20))
    assert PeriodOfCare.objects.filter(child=child).count() == 2


def test_placement_changes_and_legal_status_changes_make_903_episodes():
    child = make_child()
    start(child)
    la.placement_change(
        actor=None,
        child=child,
        change_date=D(2026, 1, 20),
        placement_type="U4",
        placement_provider="PR1",
        reason_place_change="CARPL",
        same_carer=True,
    )
    la.legal_status_change(actor=None, child=child, change_date=D(2026, 1, 27), legal_status="C1")
    la.placement_change(
        actor=None,
        child=child,
        change_date=D(2026, 2, 3),
        placement_type="K2",
        placement_provider="PR4",
        reason_place_change="CREQB",
    )
    la.placement_change(
        actor=None,
        child=child,
        change_date=D(2026, 2, 10),
        placement_type="U6",
        placement_provider="PR1",
        reason_place_change="CHILD",
        legal_status="C2",
    )
    la.placement_change(
        actor=None,
        child=child,
        change_date=D(2026, 2, 17),
        placement_type="U4",
        placement_provider="PR1",
        reason_place_change="PLACE",
        legal_status="E1",
        same_carer=True,
    )
    la.period_of_care_end(actor=None, child=child, end_date=D(2026, 2, 24), reason_ceased="E11")
    assert episodes(child) == [
        (D(2026, 1, 12), "S", "V2", "U6", D(2026, 1, 20), "X1", "CARPL"),
        (D(2026, 1, 20), "T", "V2", "U4", D(2026, 1, 27), "X1", ""),  # legal status only: no place-change reason
        (D(2026, 1, 27), "L", "C1", "U4", D(2026, 2, 3), "X1", "CREQB"),
        (D(2026, 2, 3), "P", "C1", "K2", D(2026, 2, 10), "X1", "CHILD"),
        (D(2026, 2, 10), "B", "C2", "U6", D(2026, 2, 17), "X1", "PLACE"),
        (D(2026, 2, 17), "U", "E1", "U4", D(2026, 2, 24), "E11", ""),
    ]
    assert PeriodOfCare.objects.get(child=child).end_date == D(2026, 2, 24)


def test_changes_are_validated():
    child = make_child()
    with pytest.raises(ValidationFailed, match="not looked after"):
        la.legal_status_change(actor=None, child=child, change_date=D(2026, 1, 27), legal_status="C1")
    start(child)
    with pytest.raises(ValidationFailed, match="already the child's legal status"):
        la.legal_status_change(actor=None, child=child, change_date=D(2026, 1, 27), legal_status="V2")
    with pytest.raises(ValidationFailed, match="reason for the change"):
        la.placement_change(
            actor=None,
            child=child,
            change_date=D(2026, 1, 20),
            placement_type="U4",
            placement_provider="PR1",
            reason_place_change="",
        )
    with pytest.raises(ValidationFailed, match="after the current episode started"):
        la.placement_change(
            actor=None,
            child=child,
            change_date=D(2026, 1, 12),
            placement_type="U4",
            placement_provider="PR1",
            reason_place_change="CARPL",
        )
    with pytest.raises(ValidationFailed, match="reason the child ceased"):
        la.period_of_care_end(actor=None, child=child, end_date=D(2026, 2, 1), reason_ceased="X1")
    with pytest.raises(ValidationFailed, match="future"):
        la.period_of_care_end(actor=None, child=child, end_date=D(2026, 3, 3), reason_ceased="E8")
    assert len(episodes(child)) == 1


def test_reviews_health_and_plans_need_the_child_to_be_looked_after():
    child = make_child()
    with pytest.raises(ValidationFailed, match="not looked after"):
        la.lac_review_record(actor=None, child=child, held_on=D(2026, 2, 1), participation="PN1")
    with pytest.raises(ValidationFailed, match="not looked after"):
        la.health_check_record(actor=None, child=child, kind="initial_health", done_on=D(2026, 2, 1))
    # A dental check is not tied to a period of care.
    la.health_check_record(actor=None, child=child, kind="dental", done_on=D(2026, 2, 1))
    start(child)
    with pytest.raises(ValidationFailed, match="initial health assessment before"):
        la.health_check_record(actor=None, child=child, kind="review_health", done_on=D(2026, 2, 1))
    la.health_check_record(actor=None, child=child, kind="initial_health", done_on=D(2026, 2, 1))
    with pytest.raises(ValidationFailed, match="already recorded"):
        la.health_check_record(actor=None, child=child, kind="initial_health", done_on=D(2026, 2, 2))
    la.lac_review_record(actor=None, child=child, held_on=D(2026, 2, 6), participation="PN1")
    with pytest.raises(ValidationFailed, match="already recorded"):
        la.lac_review_record(actor=None, child=child, held_on=D(2026, 2, 6), participation="PN1")
    la.care_plan_record(actor=None, child=child, plan_date=D(2026, 1, 9))  # before the placement is fine
    with pytest.raises(ValidationFailed, match="already recorded"):
        la.care_plan_record(actor=None, child=child, plan_date=D(2026, 1, 20))
    assert HealthCheck.objects.filter(child=child).count() == 2


def test_private_fostering_assessment_needs_the_safeguarding_answers_m7():
    child = make_child(date_of_birth=D(2012, 5, 5))
    carer = make_child(date_of_birth=D(1980, 1, 1))
    pf = la.private_fostering_notify(actor=None, child=child, carer=carer, notified_on=D(2026, 2, 2))
    with pytest.raises(ValidationFailed) as excinfo:
        la.private_fostering_assessment_complete(
            actor=None,
            arrangement=pf,
            expected_version=pf.version,
            completed_on=D(2026, 2, 20),
            decision="suitable",
            trafficking_concern="no",
        )
    assert set(excinfo.value.errors) == {"abandonment_concern", "parents_contacted", "household_checks_done",
                                         "child_views"}
    pf.refresh_from_db()
    assert pf.assessment_completed_on is None
    la.private_fostering_assessment_complete(
        actor=None,
        arrangement=pf,
        expected_version=pf.version,
        completed_on=D(2026, 2, 20),
        decision="suitable",
        trafficking_considered="yes",
        trafficking_concern="no",
        abandonment_concern="no",
        parents_contacted="yes",
        household_checks_done="yes",
        child_views="Happy living with her aunt's friend",
    )
    pf.refresh_from_db()
    assert (pf.assessment_completed_on, pf.decision, pf.parents_contacted) == (D(2026, 2, 20), "suitable", "yes")
    assert AuditEvent.objects.filter(child_id=child.pk, action="private_fostering.assessed").exists()
    with pytest.raises(ValidationFailed, match="open private fostering"):
        la.private_fostering_notify(actor=None, child=child, carer=carer, notified_on=D(2026, 2, 3))
    assert PrivateFostering.objects.filter(child=child).count() == 1


def test_missing_episodes_are_validated():
    child = make_child()
    ep = la.missing_episode_record(
        actor=None, child=child, kind="M", started_at=dt.datetime(2026, 2, 20, 18, tzinfo=UTC)
    )
    with pytest.raises(ValidationFailed, match="already recorded as missing"):
        la.missing_episode_record(actor=None, child=child, kind="A", started_at=dt.datetime(2026, 2, 21, tzinfo=UTC))
    with pytest.raises(ValidationFailed, match="before the return"):
        la.return_interview_record(actor=None, episode=ep, offered_at=dt.datetime(2026, 2, 21, 9, tzinfo=UTC))
    with pytest.raises(ValidationFailed, match="before the child went missing"):
        la.missing_return_record(actor=None, episode=ep, returned_at=dt.datetime(2026, 2, 20, 17, tzinfo=UTC))
    with pytest.raises(ValidationFailed, match="future"):
        la.missing_return_record(actor=None, episode=ep, returned_at=dt.datetime(2026, 3, 2, 13, tzinfo=UTC))
    la.missing_return_record(actor=None, episode=ep, returned_at=dt.datetime(2026, 2, 21, 9, tzinfo=UTC))
    with pytest.raises(ValidationFailed, match="before the child returned"):
        la.return_interview_record(actor=None, episode=ep, offered_at=dt.datetime(2026, 2, 21, 8, tzinfo=UTC))


def test_pathway_plan_needs_a_care_history():
    child = make_child(date_of_birth=D(2008, 1, 1))
    with pytest.raises(ValidationFailed, match="looked after"):
        la.pathway_plan_review_record(actor=None, child=child, held_on=D(2026, 2, 1))


def test_looked_after_records_cannot_be_written_directly():
    child = make_child()
    with pytest.raises(DirectWriteForbidden):
        PeriodOfCare.objects.create(child=child, start_date=D(2026, 1, 12))
