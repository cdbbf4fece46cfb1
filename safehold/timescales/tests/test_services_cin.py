"""Child in need and child protection clocks driven through the real casework services.

Expected dates are counted by hand in the comments. There is no England and Wales bank holiday
between 26 Aug and 24 Dec 2025; 25 and 26 Dec 2025 and 1 Jan 2026 are.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
import time_machine

from safehold.casework import services as cw
from safehold.core.exceptions import DirectWriteForbidden
from safehold.core.testing import allocate, make_child
from safehold.timescales.models import Deadline
from safehold.timescales.services import deadlines_refresh_child
from safehold.timescales.services_admin import local_standard_set

pytestmark = pytest.mark.django_db

D = dt.date
UTC = dt.UTC


@contextmanager
def on(day: dt.date, hour: int = 12):
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC), tick=False):
        yield


def rows(child, rule: str) -> list[Deadline]:
    return list(Deadline.objects.filter(child=child, rule_code=rule).order_by("start_date", "pk"))


def one(child, rule: str) -> Deadline:
    found = rows(child, rule)
    assert len(found) == 1, [(d.start_date, d.due_date) for d in found]
    return found[0]


def summary(child, rule: str) -> list[tuple[dt.date, dt.date, str]]:
    return [(d.start_date, d.due_date, d.state) for d in rows(child, rule)]


def referral(child, day: dt.date):
    return cw.referral_create(actor=None, child=child, referral_date=day, source="2A", primary_need="N1")


def test_contact_decision_and_referral_decision(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    with on(D(2025, 10, 1)):
        contact = cw.contact_record(
            actor=None, child=child, received_at=dt.datetime(2025, 9, 29, 9, 0, tzinfo=UTC), source="2A"
        )
        # Contact on Mon 29 Sep: decision due the next working day, Tue 30 Sep; not decided by 1 Oct.
        assert summary(child, "contact_decision") == [(D(2025, 9, 29), D(2025, 9, 30), "overdue")]
        cw.contact_decide(
            actor=None,
            contact=contact,
            expected_version=contact.version,
            outcome="referral",
            threshold_level="3",
            reason="Needs assessment",
            decided_at=dt.datetime(2025, 9, 29, 15, 0, tzinfo=UTC),
        )
        assert summary(child, "contact_decision") == [(D(2025, 9, 29), D(2025, 9, 30), "met_on_time")]

        episode = referral(child, D(2025, 9, 29))
        decision = one(child, "referral_decision")
        # Referral Mon 29 Sep: decision due Tue 30 Sep.
        assert (decision.due_date, decision.state) == (D(2025, 9, 30), "overdue")
        assert (decision.worker_id, decision.team_id) == (personas.social_worker.staff.pk, personas.team.pk)
        # Starting the assessment on 1 Oct is the decision: one day late.
        cw.assessment_start(actor=None, episode=episode, start_date=D(2025, 10, 1))
        assert summary(child, "referral_decision") == [(D(2025, 9, 29), D(2025, 9, 30), "met_late")]


def test_assessment_runs_from_the_referral_and_a_second_assessment_has_its_own_clock(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    with on(D(2025, 10, 1)):
        episode = referral(child, D(2025, 9, 29))
        first = cw.assessment_start(actor=None, episode=episode, start_date=D(2025, 10, 1))
    # 45 WD after Mon 29 Sep 2025: 30 Sep-3 Oct (4), then five a week: 6-10 Oct (9), 13-17 (14),
    # 20-24 (19), 27-31 (24), 3-7 Nov (29), 10-14 (34), 17-21 (39), 24-28 (44), Mon 1 Dec (45).
    assert summary(child, "assessment") == [(D(2025, 9, 29), D(2025, 12, 1), "due")]

    with on(D(2025, 12, 3)):
        cw.assessment_complete(
            actor=None,
            assessment=first,
            expected_version=first.version,
            completed_date=D(2025, 11, 28),
            factors=["3B"],
            child_seen=True,
            outcome="cin_plan",
        )
        cw.assessment_start(actor=None, episode=episode, start_date=D(2025, 12, 3))
    # The second assessment in the episode runs from its own start, Wed 3 Dec 2025: 4-5 Dec (2),
    # 8-12 (7), 15-19 (12), 22-24 (15), 25-26 Dec bank holidays, 29-31 (18), 1 Jan bank holiday,
    # Fri 2 Jan (19), 5-9 Jan (24), 12-16 (29), 19-23 (34), 26-30 (39), 2-6 Feb (44), Mon 9 Feb (45).
    assert summary(child, "assessment") == [
        (D(2025, 9, 29), D(2025, 12, 1), "met_on_time"),
        (D(2025, 12, 3), D(2026, 2, 9), "due"),
    ]


def test_icpc_is_not_restarted_by_a_further_strategy_discussion(personas):
    child = make_child()
    allocate(child, personas.colleague)
    with on(D(2025, 10, 15)):
        episode = referral(child, D(2025, 9, 29))
        first = cw.strategy_discussion_record(actor=None, episode=episode, held_on=D(2025, 10, 1), start_section47=True)
        # 15 WD after Wed 1 Oct: 2-3 Oct (2), 6-10 (7), 13-17 (12), Mon 20 (13), Tue 21 (14), Wed 22 Oct (15).
        assert summary(child, "icpc") == [(D(2025, 10, 1), D(2025, 10, 22), "due")]
        cw.strategy_discussion_record(actor=None, episode=episode, held_on=D(2025, 10, 8), start_section47=True)
        assert summary(child, "icpc") == [(D(2025, 10, 1), D(2025, 10, 22), "due")]
        assert one(child, "icpc").worker_id == personas.colleague.staff.pk
    with on(D(2025, 10, 24)):
        deadlines_refresh_child(child_id=child.pk)
        assert one(child, "icpc").state == "overdue"
        cw.icpc_record(
            actor=None, section47=first.section47, held_on=D(2025, 10, 23), plan=True, initial_category="NEG"
        )
        assert summary(child, "icpc") == [(D(2025, 10, 1), D(2025, 10, 22), "met_late")]


def test_an_enquiry_ended_without_a_conference_stops_the_icpc_clock():
    child = make_child()
    with on(D(2025, 10, 15)):
        episode = referral(child, D(2025, 9, 29))
        s47 = cw.strategy_discussion_record(
            actor=None, episode=episode, held_on=D(2025, 10, 1), start_section47=True
        ).section47
        cw.section47_complete(
            actor=None,
            section47=s47,
            expected_version=s47.version,
            completed_date=D(2025, 10, 14),
            outcome="not_substantiated",
        )
        # Ended before the ICPC fell due (22 Oct): nothing is owed.
        assert rows(child, "icpc") == []


def test_cp_plan_core_groups_reviews_and_visits(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    with on(D(2025, 11, 10)):
        episode = referral(child, D(2025, 9, 29))
        s47 = cw.strategy_discussion_record(
            actor=None, episode=episode, held_on=D(2025, 10, 1), start_section47=True
        ).section47
        plan = cw.icpc_record(
            actor=None, section47=s47, held_on=D(2025, 10, 23), plan=True, initial_category="NEG"
        ).plan
        # ICPC Thu 23 Oct. First core group within 10 WD: Fri 24 (1), 27-31 (6), 3-5 Nov (9), Thu 6 Nov (10).
        assert summary(child, "core_group_first") == [(D(2025, 10, 23), D(2025, 11, 6), "overdue")]
        # First review conference within 3 months: 23 Jan 2026.
        assert summary(child, "cp_review_first") == [(D(2025, 10, 23), D(2026, 1, 23), "due")]
        # CP visits, local standard 10 WD: also Thu 6 Nov.
        assert summary(child, "cp_visit") == [(D(2025, 10, 23), D(2025, 11, 6), "overdue")]

        cw.core_group_record(actor=None, plan=plan, held_on=D(2025, 11, 4))
        cw.visit_record(actor=None, child=child, visit_type="cp", visited_on=D(2025, 10, 30), seen=True)
        assert summary(child, "core_group_first") == [(D(2025, 10, 23), D(2025, 11, 6), "met_on_time")]
        # Later core groups: local 6 weeks from the last, 4 Nov + 42 days = 16 Dec.
        assert summary(child, "core_group_next") == [(D(2025, 11, 4), D(2025, 12, 16), "due")]
        # Next visit 10 WD after Thu 30 Oct: Fri 31 (1), 3-7 Nov (6), 10-12 (9), Thu 13 Nov (10).
        assert summary(child, "cp_visit") == [
            (D(2025, 10, 23), D(2025, 11, 6), "met_on_time"),
            (D(2025, 10, 30), D(2025, 11, 13), "due"),
        ]

    with on(D(2026, 1, 21)):
        cw.cp_review_record(actor=None, plan=plan, held_on=D(2026, 1, 20), continue_plan=True)
        assert summary(child, "cp_review_first") == [(D(2025, 10, 23), D(2026, 1, 23), "met_on_time")]
        # Next review within 6 months of the actual (early) review: 20 Jul 2026.
        assert summary(child, "cp_review_next") == [(D(2026, 1, 20), D(2026, 7, 20), "due")]

    with on(D(2026, 3, 3)):
        plan.refresh_from_db()
        cw.cp_review_record(actor=None, plan=plan, held_on=D(2026, 3, 2), continue_plan=False)
        # The plan ended at the review: the review is met, no further review is owed.
        assert summary(child, "cp_review_next") == [(D(2026, 1, 20), D(2026, 7, 20), "met_on_time")]
        # The CP visit due 13 Nov was missed; the clock stopped when the plan ended, the miss stays.
        missed = rows(child, "cp_visit")[-1]
        assert (missed.due_date, missed.state, missed.stopped_on) == (D(2025, 11, 13), "overdue", D(2026, 3, 2))
        # The core group chain also stops: the one due 16 Dec was missed before the plan ended.
        assert [(d.due_date, d.state, d.stopped_on) for d in rows(child, "core_group_next")] == [
            (D(2025, 12, 16), "overdue", D(2026, 3, 2))
        ]


def test_cin_plan_reviews_and_visits_with_a_local_standard(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    with on(D(2025, 10, 8)):
        episode = referral(child, D(2025, 9, 29))
        plan = cw.cin_plan_start(actor=None, episode=episode, start_date=D(2025, 10, 6))
        # CIN visit, default local standard 20 WD after Mon 6 Oct: 7-10 (4), 13-17 (9), 20-24 (14),
        # 27-31 (19), Mon 3 Nov (20).
        assert summary(child, "cin_visit") == [(D(2025, 10, 6), D(2025, 11, 3), "due")]
        # First CIN review, 3 months: 6 Jan 2026.
        assert summary(child, "cin_plan_review_first") == [(D(2025, 10, 6), D(2026, 1, 6), "due")]
        # The LA sets its own visiting standard (15 WD): 7-10 (4), 13-17 (9), 20-24 (14), Mon 27 Oct (15).
        local_standard_set(actor=None, rule_code="cin_visit", amount=15)
        deadlines_refresh_child(child_id=child.pk)
        assert summary(child, "cin_visit") == [(D(2025, 10, 6), D(2025, 10, 27), "due")]

    with on(D(2025, 12, 16)):
        cw.cin_plan_review_record(actor=None, plan=plan, held_on=D(2025, 12, 15))
        assert summary(child, "cin_plan_review_first") == [(D(2025, 10, 6), D(2026, 1, 6), "met_on_time")]
        # Next review 3 months from the actual one: 15 Mar 2026.
        assert summary(child, "cin_plan_review_next") == [(D(2025, 12, 15), D(2026, 3, 15), "due")]

    with on(D(2026, 1, 6)):
        plan.refresh_from_db()
        cw.cin_plan_end(actor=None, plan=plan, expected_version=plan.version, end_date=D(2026, 1, 5))
        # The plan ended before the next review fell due: nothing is owed.
        assert rows(child, "cin_plan_review_next") == []
        # The visit due 27 Oct was never made and stays visible as missed.
        assert [(d.due_date, d.state, d.stopped_on) for d in rows(child, "cin_visit")] == [
            (D(2025, 10, 27), "overdue", D(2026, 1, 5))
        ]


def test_deadlines_are_only_written_by_services():
    child = make_child()
    with pytest.raises(DirectWriteForbidden):
        Deadline(
            child=child, rule_code="icpc", start_ref="x", start_date=D(2025, 1, 1), due_date=D(2025, 1, 2), state="due"
        ).save()
    with pytest.raises(DirectWriteForbidden):
        Deadline.objects.all().delete()


def test_reallocation_moves_the_responsible_worker(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    with on(D(2025, 10, 1)):
        referral(child, D(2025, 9, 29))
        assert one(child, "referral_decision").worker_id == personas.social_worker.staff.pk
        allocate(child, personas.other_worker, start=D(2025, 10, 1))
        d = one(child, "referral_decision")
        assert (d.worker_id, d.team_id) == (personas.other_worker.staff.pk, personas.other_team.pk)
