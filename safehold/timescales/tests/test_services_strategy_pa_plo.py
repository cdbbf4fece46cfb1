"""Clock semantics through the real services for the clocks fed last: ``strategy_discussion`` (local standard),
``pa_visit_first`` / ``pa_visit`` (CLR reg 8) and ``plo_proceedings`` (CA89 s.32). Each test drives the start,
stop, restart and supersession events and asserts the stored deadline's due date, state and responsible worker.

Every expected date is counted by hand in the comment beside it. England and Wales bank holidays used: 2026:
3 Apr (Good Friday), 6 Apr (Easter Monday), 4 May, 25 May, 31 Aug.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
import time_machine
from django.test import override_settings

from safehold.audit.models import AuditEvent
from safehold.casework import services as cw
from safehold.core.exceptions import ValidationFailed
from safehold.core.testing import allocate, make_child
from safehold.looked_after import services as la
from safehold.proceedings import services as pr
from safehold.proceedings.models import PreProceedings, Proceedings
from safehold.timescales.models import Deadline
from safehold.timescales.services import deadlines_refresh_child

pytestmark = pytest.mark.django_db

D = dt.date
UTC = dt.UTC


@contextmanager
def on(day: dt.date, hour: int = 12):
    """Freeze 'now' at midday UTC on ``day`` (the same date in Europe/London)."""
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC), tick=False):
        yield


def rows(child, rule: str) -> list[Deadline]:
    return list(Deadline.objects.filter(child=child, rule_code=rule).order_by("start_date", "pk"))


def one(child, rule: str) -> Deadline:
    found = rows(child, rule)
    assert len(found) == 1, [(d.start_date, d.due_date) for d in found]
    return found[0]


def summary(child, rule: str) -> list[tuple[dt.date, dt.date, dt.date | None, str]]:
    return [(d.start_date, d.due_date, d.met_on, d.state) for d in rows(child, rule)]


# --- strategy_discussion: from the decision to hold one (local standard, 3 working days) ----------------------


def test_strategy_discussion_runs_from_each_decision_and_does_not_touch_the_icpc_clock(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    staff = personas.social_worker.staff
    with on(D(2026, 4, 2)):
        episode = cw.referral_create(actor=None, child=child, referral_date=D(2026, 3, 30), source="2A")
        cw.strategy_decision_record(actor=None, episode=episode, decided_on=D(2026, 4, 2), reason="Injury")
    # 3 WD after Thu 2 Apr 2026: Fri 3 and Mon 6 Apr are bank holidays; Tue 7 (1), Wed 8 (2), Thu 9 Apr (3).
    decision = one(child, "strategy_discussion")
    assert (decision.start_date, decision.due_date, decision.state) == (D(2026, 4, 2), D(2026, 4, 9), "due")
    assert (decision.worker_id, decision.team_id) == (staff.pk, personas.team.pk)
    assert rows(child, "icpc") == []  # a decision alone starts no s.47 and no ICPC clock

    with on(D(2026, 4, 8)):
        # A second decision while the first is outstanding is refused, and writes nothing.
        audits = AuditEvent.objects.count()
        with pytest.raises(ValidationFailed, match="already decided"):
            cw.strategy_decision_record(actor=None, episode=episode, decided_on=D(2026, 4, 8), reason="Again")
        assert AuditEvent.objects.count() == audits
        cw.strategy_discussion_record(actor=None, episode=episode, held_on=D(2026, 4, 7), start_section47=True)
    assert summary(child, "strategy_discussion") == [(D(2026, 4, 2), D(2026, 4, 9), D(2026, 4, 7), "met_on_time")]
    # The discussion that started the s.47 starts the ICPC clock: 15 WD after Tue 7 Apr: 8-10 (3), 13-17 (8),
    # 20-24 (13), Mon 27 (14), Tue 28 Apr (15).
    assert summary(child, "icpc") == [(D(2026, 4, 7), D(2026, 4, 28), None, "due")]

    with on(D(2026, 4, 22)):
        # Each decision has its own clock: Wed 15 Apr + 3 WD = Thu 16 (1), Fri 17 (2), Mon 20 Apr (3).
        cw.strategy_decision_record(actor=None, episode=episode, decided_on=D(2026, 4, 15), reason="New injury")
        assert summary(child, "strategy_discussion")[1] == (D(2026, 4, 15), D(2026, 4, 20), None, "overdue")
    with on(D(2026, 4, 23)):
        cw.strategy_discussion_record(actor=None, episode=episode, held_on=D(2026, 4, 23), start_section47=True)
    assert summary(child, "strategy_discussion") == [
        (D(2026, 4, 2), D(2026, 4, 9), D(2026, 4, 7), "met_on_time"),
        (D(2026, 4, 15), D(2026, 4, 20), D(2026, 4, 23), "met_late"),
    ]
    # The further discussion on the open s.47 does not restart the ICPC clock.
    assert summary(child, "icpc") == [(D(2026, 4, 7), D(2026, 4, 28), None, "due")]


def test_an_assessment_concluding_a_strategy_discussion_is_needed_starts_the_clock(personas):
    child = make_child()
    allocate(child, personas.colleague)
    with on(D(2026, 3, 13)):
        episode = cw.referral_create(actor=None, child=child, referral_date=D(2026, 3, 2), source="2A")
        assessment = cw.assessment_start(actor=None, episode=episode, start_date=D(2026, 3, 3))
        cw.assessment_complete(
            actor=None,
            assessment=assessment,
            expected_version=assessment.version,
            completed_date=D(2026, 3, 11),
            factors=["21"],
            child_seen=True,
            outcome="strategy",
        )
    # Wed 11 Mar + 3 WD = Thu 12 (1), Fri 13 (2), Mon 16 Mar (3).
    d = one(child, "strategy_discussion")
    assert (d.start_date, d.due_date, d.state, d.worker_id) == (
        D(2026, 3, 11),
        D(2026, 3, 16),
        "due",
        personas.colleague.staff.pk,
    )


def test_closing_the_case_stops_an_outstanding_decision_and_keeps_a_missed_one(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    with on(D(2026, 3, 20)):
        episode = cw.referral_create(actor=None, child=child, referral_date=D(2026, 3, 2), source="2A")
        cw.strategy_decision_record(actor=None, episode=episode, decided_on=D(2026, 3, 10), reason="Bruise")
        # Tue 10 Mar + 3 WD = Fri 13 Mar: missed by 20 Mar.
        assert summary(child, "strategy_discussion") == [(D(2026, 3, 10), D(2026, 3, 13), None, "overdue")]
        cw.episode_close(
            actor=None,
            episode=episode,
            expected_version=episode.version,
            closure_date=D(2026, 3, 20),
            reason="RC7",
            nfa=False,
        )
    missed = one(child, "strategy_discussion")
    assert (missed.state, missed.stopped_on, missed.met_on) == ("overdue", D(2026, 3, 20), None)


# --- personal adviser visits while the council provides accommodation (CLR reg 8) ----------------------------


def care_leaver(worker) -> object:
    child = make_child(date_of_birth=D(2009, 5, 10))  # 16 on 10 May 2025
    allocate(child, worker)
    with on(D(2025, 9, 1)):
        la.period_of_care_start(
            actor=None,
            child=child,
            start_date=D(2024, 1, 8),
            legal_status="C2",
            category_of_need="N1",
            placement_type="U6",
            placement_provider="PR1",
        )
        la.period_of_care_end(actor=None, child=child, end_date=D(2025, 8, 29), reason_ceased="E13")
        la.care_leaver_record(actor=None, child=child)
    return child


def pa_visit(child, day: dt.date, seen: bool = True) -> None:
    la.pa_visit_record(actor=None, child=child, visited_on=day, seen=seen)


def pa_chain(child) -> list[tuple[str, dt.date, dt.date, dt.date | None, str]]:
    found = Deadline.objects.filter(child=child, rule_code__startswith="pa_visit").order_by("start_date", "pk")
    return [(d.rule_code, d.start_date, d.due_date, d.met_on, d.state) for d in found]


def test_pa_visits_run_from_the_last_visit_while_accommodation_is_provided(personas):
    child = care_leaver(personas.social_worker)
    staff = personas.social_worker.staff
    with on(D(2026, 1, 14)):
        assert pa_chain(child) == []  # no accommodation provided: reg 8 does not apply
        spell = la.leaving_care_accommodation_start(
            actor=None, child=child, provided_from=D(2026, 1, 5), basis="s23B8", description="Supported lodgings"
        )
    # First visit within 7 days of Mon 5 Jan: Mon 12 Jan. Not made by Wed 14 Jan.
    first = one(child, "pa_visit_first")
    assert (first.start_date, first.due_date, first.state) == (D(2026, 1, 5), D(2026, 1, 12), "overdue")
    assert (first.worker_id, first.team_id) == (staff.pk, personas.team.pk)

    with on(D(2026, 1, 16)):
        pa_visit(child, D(2026, 1, 15))
    # Met late; the next visit runs from the actual visit: 15 Jan + 2 months = 15 Mar.
    assert pa_chain(child) == [
        ("pa_visit_first", D(2026, 1, 5), D(2026, 1, 12), D(2026, 1, 15), "met_late"),
        ("pa_visit", D(2026, 1, 15), D(2026, 3, 15), None, "due"),
    ]

    with on(D(2026, 3, 2)):
        pa_visit(child, D(2026, 2, 27))  # an early visit resets the next: 27 Feb + 2 months = 27 Apr
        pa_visit(child, D(2026, 3, 2), seen=False)  # not seen: not a visit for reg 8
    assert pa_chain(child)[1:] == [
        ("pa_visit", D(2026, 1, 15), D(2026, 3, 15), D(2026, 2, 27), "met_on_time"),
        ("pa_visit", D(2026, 2, 27), D(2026, 4, 27), None, "due"),
    ]

    with on(D(2026, 5, 1)):
        # The visit due 27 Apr was missed; the accommodation ends on 30 Apr: the miss stays visible, stopped.
        la.leaving_care_accommodation_end(
            actor=None, accommodation=spell, expected_version=spell.version, provided_until=D(2026, 4, 30)
        )
        missed = pa_chain(child)[-1]
        assert missed == ("pa_visit", D(2026, 2, 27), D(2026, 4, 27), None, "overdue")
        assert rows(child, "pa_visit")[-1].stopped_on == D(2026, 4, 30)
        pa_visit(child, D(2026, 5, 1))  # after the accommodation ended: no clock to meet or start
        assert len(pa_chain(child)) == 3

    with on(D(2026, 7, 1)):
        # New accommodation (vacation accommodation in higher education) restarts the 7-day visit:
        # Mon 29 Jun + 7 days = Mon 6 Jul.
        la.leaving_care_accommodation_start(
            actor=None, child=child, provided_from=D(2026, 6, 29), basis="s24B5", description="Vacation flat"
        )
    assert pa_chain(child)[-1] == ("pa_visit_first", D(2026, 6, 29), D(2026, 7, 6), None, "due")

    with on(D(2026, 8, 3)):
        pa_visit(child, D(2026, 7, 3))
        pa_visit(child, D(2026, 7, 31))
    # 31 Jul + 2 months has no 31 September: the last day of that month, 30 Sep.
    assert pa_chain(child)[-3:] == [
        ("pa_visit_first", D(2026, 6, 29), D(2026, 7, 6), D(2026, 7, 3), "met_on_time"),
        ("pa_visit", D(2026, 7, 3), D(2026, 9, 3), D(2026, 7, 31), "met_on_time"),
        ("pa_visit", D(2026, 7, 31), D(2026, 9, 30), None, "due"),
    ]

    with on(D(2026, 10, 1)):
        deadlines_refresh_child(child_id=child.pk)  # the nightly refresh finds it overdue
    assert pa_chain(child)[-1][-1] == "overdue"


def test_pa_visits_and_accommodation_need_a_care_leaver_record(personas):
    child = make_child(date_of_birth=D(2009, 5, 10))
    with on(D(2026, 1, 14)):
        audits = AuditEvent.objects.count()
        with pytest.raises(ValidationFailed, match="leaving-care status first"):
            la.leaving_care_accommodation_start(
                actor=None, child=child, provided_from=D(2026, 1, 5), basis="s23B8", description="Flat"
            )
        with pytest.raises(ValidationFailed, match="leaving-care status first"):
            pa_visit(child, D(2026, 1, 14))
        assert AuditEvent.objects.count() == audits
    assert pa_chain(child) == []


# --- plo_proceedings: 26 weeks beginning with the day of issue (CA89 s.32) -----------------------------------


@override_settings(SAFEHOLD_FGDM_DUTY_FROM=D(2027, 1, 1))  # the FGDM duty has tests of its own below
def test_plo_timetable_runs_26_weeks_from_issue_moves_with_extensions_and_is_met_by_the_final_order(personas):
    child = make_child()
    allocate(child, personas.social_worker)
    staff = personas.social_worker.staff
    with on(D(2026, 1, 6)):
        pp = pr.pre_proceedings_start(actor=None, child=child, started_on=D(2025, 11, 3))
        assert rows(child, "plo_proceedings") == []  # pre-proceedings start no court clock
        proceedings = pr.proceedings_issue(
            actor=None, child=child, application_type="care", issued_on=D(2026, 1, 5), court="Family Court at Leeds"
        )
    # 26 weeks beginning with Mon 5 Jan 2026 end on Sun 5 Jul 2026 (5 Jan + 181 days).
    d = one(child, "plo_proceedings")
    assert (d.start_date, d.due_date, d.state) == (D(2026, 1, 5), D(2026, 7, 5), "due")
    assert (d.worker_id, d.team_id) == (staff.pk, personas.team.pk)
    pp.refresh_from_db()
    assert (pp.decision, pp.decided_on) == ("issue", D(2026, 1, 5))  # the application ends pre-proceedings

    with on(D(2026, 3, 2)):
        pr.hearing_record(actor=None, proceedings=proceedings, kind="cmh", heard_on=D(2026, 1, 20))
    assert summary(child, "plo_proceedings") == [(D(2026, 1, 5), D(2026, 7, 5), None, "due")]  # hearings move nothing

    with on(D(2026, 7, 1)):
        with pytest.raises(ValidationFailed) as refused:  # more than 8 weeks past 5 Jul (30 Aug at the latest)
            pr.extension_record(
                actor=None,
                proceedings=proceedings,
                granted_on=D(2026, 7, 1),
                extended_to=D(2026, 8, 31),
                reason="Expert report",
            )
        assert "no more than 8 weeks" in str(refused.value.errors["extended_to"])
        pr.extension_record(
            actor=None,
            proceedings=proceedings,
            granted_on=D(2026, 7, 1),
            extended_to=D(2026, 8, 30),
            reason="Expert report awaited",
        )
    assert summary(child, "plo_proceedings") == [(D(2026, 1, 5), D(2026, 8, 30), None, "due")]

    with on(D(2026, 8, 28)):
        # A further extension runs from the end of the last one: 30 Aug + 8 weeks = 25 Oct at the latest.
        pr.extension_record(
            actor=None,
            proceedings=proceedings,
            granted_on=D(2026, 8, 28),
            extended_to=D(2026, 10, 23),
            reason="Parenting assessment",
        )
    assert one(child, "plo_proceedings").due_date == D(2026, 10, 23)

    with on(D(2026, 10, 26)):
        deadlines_refresh_child(child_id=child.pk)
        assert one(child, "plo_proceedings").state == "overdue"
        proceedings.refresh_from_db()
        pr.proceedings_conclude(
            actor=None,
            proceedings=proceedings,
            expected_version=proceedings.version,
            concluded_on=D(2026, 10, 26),
            outcome="care_order",
        )
    assert summary(child, "plo_proceedings") == [(D(2026, 1, 5), D(2026, 10, 23), D(2026, 10, 26), "met_late")]

    with on(D(2026, 11, 16)):
        # A later application has its own clock; the concluded one stays as it was (nothing restarts it).
        pr.proceedings_issue(
            actor=None,
            child=child,
            application_type="supervision",
            issued_on=D(2026, 11, 16),
            court="Family Court at Leeds",
        )
    # Mon 16 Nov 2026 + 181 days = Sun 16 May 2027 (14 to 30 Nov, +31 Dec = 45, +31 Jan = 76, +28 Feb = 104,
    # +31 Mar = 135, +30 Apr = 165, +16 May = 181).
    assert summary(child, "plo_proceedings") == [
        (D(2026, 1, 5), D(2026, 10, 23), D(2026, 10, 26), "met_late"),
        (D(2026, 11, 16), D(2027, 5, 16), None, "due"),
    ]


@override_settings(SAFEHOLD_FGDM_DUTY_FROM=D(2026, 6, 1))
def test_after_commencement_an_application_is_refused_until_the_fgdm_meeting_is_offered(personas):
    child = make_child()
    allocate(child, personas.social_worker)

    def issue(day: dt.date) -> Proceedings:
        return pr.proceedings_issue(
            actor=None, child=child, application_type="care", issued_on=day, court="Family Court at Leeds"
        )

    with on(D(2026, 6, 22)):
        audits = AuditEvent.objects.count()
        with pytest.raises(ValidationFailed, match="must offer the family a family group decision-making meeting"):
            issue(D(2026, 6, 15))  # no pre-proceedings at all
        pp = pr.pre_proceedings_start(actor=None, child=child, started_on=D(2026, 6, 1))
        pp = pr.letter_before_proceedings_record(
            actor=None, pre_proceedings=pp, expected_version=pp.version, sent_on=D(2026, 6, 2)
        )
        audits = AuditEvent.objects.count()
        with pytest.raises(ValidationFailed, match="Record the offer in pre-proceedings first"):
            issue(D(2026, 6, 15))  # letter sent, but no offer recorded
        pp = pr.fgdm_offer_record(
            actor=None, pre_proceedings=pp, expected_version=pp.version, offered_on=D(2026, 6, 16), response="declined"
        )
        with pytest.raises(ValidationFailed, match="must offer the family"):
            issue(D(2026, 6, 15))  # offered only after the application was issued
        pp = pr.fgdm_offer_record(
            actor=None, pre_proceedings=pp, expected_version=pp.version, offered_on=D(2026, 6, 2), response="accepted"
        )
        with pytest.raises(ValidationFailed, match="must be held before the application"):
            issue(D(2026, 6, 15))  # accepted but not held, and no best-interests reason
        assert Proceedings.objects.count() == 0
        assert rows(child, "plo_proceedings") == []
        assert AuditEvent.objects.filter(action__startswith="proceedings").count() == 0
        pp = pr.fgdm_offer_record(
            actor=None,
            pre_proceedings=pp,
            expected_version=pp.version,
            offered_on=D(2026, 6, 2),
            response="accepted",
            held_on=D(2026, 6, 12),
        )
        assert AuditEvent.objects.count() > audits
        issue(D(2026, 6, 15))
    # Mon 15 Jun 2026 + 181 days = Sun 13 Dec 2026.
    assert summary(child, "plo_proceedings") == [(D(2026, 6, 15), D(2026, 12, 13), None, "due")]
    assert PreProceedings.objects.get(child=child).decision == "issue"


@override_settings(SAFEHOLD_FGDM_DUTY_FROM=D(2026, 6, 1))
def test_before_commencement_or_with_a_best_interests_reason_the_application_is_accepted(personas):
    child = make_child()
    other = make_child()
    with on(D(2026, 7, 1)):
        # Issued before the duty applied: no offer needed.
        pr.proceedings_issue(
            actor=None, child=child, application_type="care", issued_on=D(2026, 5, 29), court="Family Court at Leeds"
        )
        pp = pr.pre_proceedings_start(actor=None, child=other, started_on=D(2026, 6, 1))
        pp = pr.fgdm_offer_record(
            actor=None,
            pre_proceedings=pp,
            expected_version=pp.version,
            offered_on=D(2026, 6, 2),
            response="accepted",
            not_held_reason="Risk of serious harm if the application waits for the meeting",
        )
        pr.proceedings_issue(
            actor=None,
            child=other,
            application_type="supervision",
            issued_on=D(2026, 6, 5),
            court="Family Court at Leeds",
        )
    assert one(child, "plo_proceedings").due_date == D(2026, 11, 26)  # Fri 29 May + 181 days
    assert one(other, "plo_proceedings").due_date == D(2026, 12, 3)  # Fri 5 Jun + 181 days
