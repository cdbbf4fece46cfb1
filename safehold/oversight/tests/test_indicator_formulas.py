"""Each leadership dashboard indicator's formula on a hand-built fixture, expected values worked out by hand.

Records are written through the real services (casework, looked-after, workforce), so the timescales engine
writes the ``Deadline`` rows the timeliness indicators read: the tests prove that the rule codes an indicator
counts are the ones the engine writes. Every fixture includes rows that must not count (met outside the
period, still open, another rule's clock, another team's child), and checks a team or worker scope as well as
the whole LA. Where an indicator has a one-query monthly form (``compute_many``) it is checked against
``compute`` for each period.

The clock is frozen at Tuesday 1 April 2025, 12:00 UTC. The periods are February 2025, March 2025 and
1 April 2025 alone. No bank holidays fall in February or March 2025, so working days there are Monday to
Friday; working days are counted with the start as day 0 (the default): 1 working day after Monday 3 February
is Tuesday 4 February. In the fixtures SW is the social worker and COL the colleague (both team T), OTH the
worker in the other team.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from safehold.casework import services as cw
from safehold.core.testing import allocate, make_child
from safehold.looked_after import services as la
from safehold.oversight import indicators
from safehold.oversight.indicators import DASHBOARD, Figure
from safehold.oversight.selectors import LA, Scope
from safehold.timescales.models import Deadline
from safehold.workforce import services as wf
from safehold.workforce.choices import ServiceArea, StaffRole

pytestmark = [pytest.mark.django_db]

D = dt.date
UTC = dt.UTC
TODAY = D(2025, 4, 1)
FEB = (D(2025, 2, 1), D(2025, 2, 28))
MAR = (D(2025, 3, 1), D(2025, 3, 31))
APR1 = (D(2025, 4, 1), D(2025, 4, 1))
PERIODS = [FEB, MAR, APR1]

Expected = tuple[Any, Any, float | None]


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 4, 1, 12, tzinfo=UTC), tick=False):
        yield


# --- Helpers -----------------------------------------------------------------------------------------------


def _triple(fig: Figure) -> Expected:
    return (fig.numerator, fig.denominator, fig.value)


def _scopes(personas) -> tuple[Scope, Scope, Scope]:  # type: ignore[no-untyped-def]
    """(team T, worker SW, worker COL)."""
    return (
        Scope("team", str(personas.team.pk)),
        Scope("worker", str(personas.social_worker.staff.pk)),
        Scope("worker", str(personas.colleague.staff.pk)),
    )


def _check(code: str, scope: Scope, expected: list[Expected]) -> None:
    """``compute`` for each of PERIODS gives ``expected``; where the indicator has a monthly form, so does it."""
    ind = DASHBOARD[code]
    singles = [_triple(ind.compute(scope, first, last)) for first, last in PERIODS]
    assert singles == expected, (code, scope)
    if ind.compute_many is not None:
        assert [_triple(f) for f in ind.compute_many(scope, PERIODS)] == expected, (code, scope, "compute_many")


def _child(worker) -> Any:  # type: ignore[no-untyped-def]
    child = make_child()
    allocate(child, worker, start=D(2022, 1, 3))
    return child


def _referral(child, day: dt.date):  # type: ignore[no-untyped-def]
    return cw.referral_create(actor=None, child=child, referral_date=day, source="2A", primary_need="N1")


def _assessment(episode, start: dt.date, completed: dt.date | None = None):  # type: ignore[no-untyped-def]
    assessment = cw.assessment_start(actor=None, episode=episode, start_date=start)
    if completed is not None:
        cw.assessment_complete(
            actor=None,
            assessment=assessment,
            expected_version=assessment.version,
            completed_date=completed,
            factors=["21"],
            child_seen=True,
            outcome="nfa",
        )
    return assessment


def _s47(episode, strategy: dt.date):  # type: ignore[no-untyped-def]
    return cw.strategy_discussion_record(actor=None, episode=episode, held_on=strategy, start_section47=True).section47


def _cp_plan(episode, strategy: dt.date, icpc: dt.date, end: dt.date | None = None):  # type: ignore[no-untyped-def]
    """A strategy discussion starting an s47, an ICPC on ``icpc`` starting a plan, ended by a review on ``end``."""
    plan = cw.icpc_record(
        actor=None, section47=_s47(episode, strategy), held_on=icpc, plan=True, initial_category="NEG"
    ).plan
    assert plan is not None
    if end is not None:
        cw.cp_review_record(actor=None, plan=plan, held_on=end, continue_plan=False)
    return plan


def _visit(child, kind: str, day: dt.date, *, seen: bool = True) -> None:  # type: ignore[no-untyped-def]
    cw.visit_record(actor=None, child=child, visit_type=kind, visited_on=day, seen=seen)


def _looked_after(child, start: dt.date, placement_type: str = "U6") -> None:  # type: ignore[no-untyped-def]
    la.period_of_care_start(
        actor=None, child=child, start_date=start, legal_status="C2", category_of_need="N1",
        placement_type=placement_type, placement_provider="PR1",
    )  # fmt: skip


def _review(child, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    la.lac_review_record(actor=None, child=child, held_on=day, participation="PN1")


def _met(rule_codes: tuple[str, ...]) -> list[tuple[str, dt.date | None, str]]:
    """The met clocks of the rules, as (rule, met on, state), in date order: to show the engine wrote them."""
    return list(
        Deadline.objects.filter(rule_code__in=rule_codes, met_on__isnull=False)
        .order_by("met_on", "rule_code")
        .values_list("rule_code", "met_on", "state")
    )


# --- Front door: referral decisions and assessments ---------------------------------------------------------


@pytest.fixture
def front_door(personas):  # type: ignore[no-untyped-def]
    """Referrals, their next-step decisions and assessments (referral → decision → assessment completed).

    ====  ====  ==========  ===============================  ==================
    who   team  referral    decision (how)                   assessment done
    ====  ====  ==========  ===============================  ==================
    A     SW    Mon  3 Feb  assessment starts Tue 4 Feb       Mon  3 Mar
    B     SW    Thu  6 Feb  assessment starts Mon 10 Feb      (open)
    C     COL   Thu 13 Feb  closed NFA Fri 14 Feb             —
    D     OTH   Mon 17 Feb  assessment starts Thu 20 Feb      Fri 21 Mar
    E     SW    Mon  3 Mar  strategy discussion Tue 4 Mar     —
    F     COL   Mon 10 Mar  assessment starts Thu 13 Mar      Mon 31 Mar
    G     OTH   Mon 17 Mar  assessment starts Tue 18 Mar      (open)
    H     SW    Thu 27 Mar  (none yet)                        —
    I     SW    Thu 30 Jan  assessment starts Fri 31 Jan      Thu 27 Feb
    J     SW    Fri 28 Mar  assessment starts Tue 1 Apr       (open)
    P     SW    Mon 24 Feb  assessment starts Tue 25 Feb      (open)
    K     SW    4 Nov 2024  5 Nov 2024                        Wed 12 Feb
    L     COL   2 Dec 2024  3 Dec 2024                        Mon 24 Feb
    M     OTH   2 Dec 2024  3 Dec 2024                        Wed  5 Feb
    N     SW    16 Dec 2024 17 Dec 2024                       Mon 10 Mar
    O     SW    1 Oct 2024  2 Oct 2024                        Wed 15 Jan
    ====  ====  ==========  ===============================  ==================

    A's referral came from a contact decided on the day it arrived (a ``contact_decision`` clock met on
    3 Feb: another rule, never counted here).
    """
    sw, col, oth = personas.social_worker, personas.colleague, personas.other_worker
    a = _child(sw)
    contact = cw.contact_record(
        actor=None, child=a, received_at=dt.datetime(2025, 2, 3, 9, tzinfo=UTC), source="2A", summary="School"
    )
    cw.contact_decide(
        actor=None, contact=contact, expected_version=contact.version, outcome="referral", threshold_level="3",
        reason="Level 3 needs", decided_at=dt.datetime(2025, 2, 3, 11, tzinfo=UTC),
    )  # fmt: skip
    ep = cw.referral_create(
        actor=None, child=a, referral_date=D(2025, 2, 3), source="2A", primary_need="N1", contact=contact
    )
    _assessment(ep, D(2025, 2, 4), D(2025, 3, 3))
    _assessment(_referral(_child(sw), D(2025, 2, 6)), D(2025, 2, 10))  # B
    ep = _referral(_child(col), D(2025, 2, 13))  # C
    cw.episode_close(
        actor=None, episode=ep, expected_version=ep.version, closure_date=D(2025, 2, 14), reason="RC7", nfa=True
    )
    _assessment(_referral(_child(oth), D(2025, 2, 17)), D(2025, 2, 20), D(2025, 3, 21))  # D
    ep = _referral(_child(sw), D(2025, 3, 3))  # E
    cw.strategy_discussion_record(actor=None, episode=ep, held_on=D(2025, 3, 4), start_section47=False)
    _assessment(_referral(_child(col), D(2025, 3, 10)), D(2025, 3, 13), D(2025, 3, 31))  # F
    _assessment(_referral(_child(oth), D(2025, 3, 17)), D(2025, 3, 18))  # G
    _referral(_child(sw), D(2025, 3, 27))  # H
    _assessment(_referral(_child(sw), D(2025, 1, 30)), D(2025, 1, 31), D(2025, 2, 27))  # I
    _assessment(_referral(_child(sw), D(2025, 3, 28)), D(2025, 4, 1))  # J
    _assessment(_referral(_child(sw), D(2025, 2, 24)), D(2025, 2, 25))  # P
    _assessment(_referral(_child(sw), D(2024, 11, 4)), D(2024, 11, 5), D(2025, 2, 12))  # K
    _assessment(_referral(_child(col), D(2024, 12, 2)), D(2024, 12, 3), D(2025, 2, 24))  # L
    _assessment(_referral(_child(oth), D(2024, 12, 2)), D(2024, 12, 3), D(2025, 2, 5))  # M
    _assessment(_referral(_child(sw), D(2024, 12, 16)), D(2024, 12, 17), D(2025, 3, 10))  # N
    _assessment(_referral(_child(sw), D(2024, 10, 1)), D(2024, 10, 2), D(2025, 1, 15))  # O
    return personas


def test_decisions_within_1_working_day(front_door) -> None:  # type: ignore[no-untyped-def]
    """``referral_decision`` clocks met on time ÷ met, by the day met (due 1 working day after the referral):

    * February: A 4 Feb (due 4 Feb) on time, B 10 Feb (due Fri 7 Feb) late, C 14 Feb (due 14 Feb) on time,
      D 20 Feb (due 18 Feb) late, P 25 Feb (due 25 Feb) on time → LA 3 ÷ 5 = 60.0%;
      team T (not D) 3 ÷ 4 = 75.0%; SW (A, B, P) 2 ÷ 3 = 66.7%; COL (C) 1 ÷ 1 = 100.0%.
    * March: E 4 Mar on time, F 13 Mar (due 11 Mar) late, G 18 Mar on time → LA 2 ÷ 3 = 66.7%;
      team (E, F) 1 ÷ 2 = 50.0%; SW (E) 1 ÷ 1 = 100.0%; COL (F) 0 ÷ 1 = 0.0%.
    * 1 April: J decided 1 Apr (due Mon 31 Mar) late → 0 ÷ 1 = 0.0% (LA, team, SW); COL none → no data.

    Not counted: H (still open, overdue), I (met 31 Jan) and K–O (met Oct–Dec 2024); the ``contact_decision``
    clock met 3 Feb and the ``assessment`` clocks met in February and March (other rules).
    """
    team, sw, col = _scopes(front_door)
    _check("decisions_1wd", LA, [(3, 5, 60.0), (2, 3, 66.7), (0, 1, 0.0)])
    _check("decisions_1wd", team, [(3, 4, 75.0), (1, 2, 50.0), (0, 1, 0.0)])
    _check("decisions_1wd", sw, [(2, 3, 66.7), (1, 1, 100.0), (0, 1, 0.0)])
    _check("decisions_1wd", col, [(1, 1, 100.0), (0, 1, 0.0), (0, 0, None)])
    whole = indicators.DASHBOARD["decisions_1wd"].compute(LA, FEB[0], TODAY)
    assert _triple(whole) == (5, 9, 55.6)  # 3 + 2 + 0 on time of 5 + 3 + 1


def test_assessments_within_45_working_days(front_door) -> None:  # type: ignore[no-untyped-def]
    """``assessment`` clocks (45 working days from the referral) met on time ÷ met, by the day completed.

    Due dates: K (referral 4 Nov 2024) 9 Jan; L and M (2 Dec 2024) 6 Feb; N (16 Dec 2024) 20 Feb — counted
    past 25 and 26 December and 1 January, bank holidays. I (30 Jan) 3 Apr; A (3 Feb) 7 Apr; D (17 Feb)
    23 Apr; F (10 Mar) 15 May.

    * February: M 5 Feb on time (OTH), K 12 Feb late (SW), L 24 Feb late (COL), I 27 Feb on time (SW)
      → LA 2 ÷ 4 = 50.0%; team (K, L, I) 1 ÷ 3 = 33.3%; SW (K, I) 1 ÷ 2 = 50.0%; COL (L) 0 ÷ 1 = 0.0%.
    * March: A 3 Mar on time (SW), N 10 Mar late (SW), D 21 Mar on time (OTH), F 31 Mar on time (COL)
      → LA 3 ÷ 4 = 75.0%; team (A, N, F) 2 ÷ 3 = 66.7%; SW (A, N) 1 ÷ 2 = 50.0%; COL (F) 1 ÷ 1 = 100.0%.
    * 1 April: nothing completed → 0 ÷ 0, no data.

    Not counted: O (completed 15 Jan); B, G, J, P (assessments still open); the ``referral_decision`` clocks
    met in the same months (another rule).
    """
    team, sw, col = _scopes(front_door)
    _check("assessments_45wd", LA, [(2, 4, 50.0), (3, 4, 75.0), (0, 0, None)])
    _check("assessments_45wd", team, [(1, 3, 33.3), (2, 3, 66.7), (0, 0, None)])
    _check("assessments_45wd", sw, [(1, 2, 50.0), (1, 2, 50.0), (0, 0, None)])
    _check("assessments_45wd", col, [(0, 1, 0.0), (1, 1, 100.0), (0, 0, None)])
    # The inspection indicator (same rule codes, whole LA) over the 12 months to 31 March: February's 2 of 4 and
    # March's 3 of 4, plus O (completed late on 15 Jan) = 5 on time of 9.
    reading = indicators.INSPECTION_INDICATORS["assessments_45wd"].reading(as_of=D(2025, 3, 31))
    assert (reading.met, reading.total) == (5, 9)


# --- Contacts → referrals -----------------------------------------------------------------------------------


def _contact(child, received: dt.datetime, decided: dt.datetime | None, outcome: str) -> None:  # type: ignore[no-untyped-def]
    contact = cw.contact_record(actor=None, child=child, received_at=received, source="3A", summary="Concern")
    if decided is not None:
        cw.contact_decide(
            actor=None, contact=contact, expected_version=contact.version, outcome=outcome, threshold_level="2",
            reason="Against the threshold document", decided_at=decided,
        )  # fmt: skip


def test_contact_conversion(personas) -> None:  # type: ignore[no-untyped-def]
    """Contacts decided in the period (by the local date of the decision) with outcome "referral" ÷ contacts
    decided in the period. Children A, B, C are SW's, F is COL's, D is OTH's (other team) and E is not allocated.

    ===  =====  =====================================  ==============  ==========
    no.  child  decided (UTC)                          local date      outcome
    ===  =====  =====================================  ==============  ==========
    1    A      10 Feb 10:00                           10 Feb          referral
    2    B      20 Feb 10:00                           20 Feb          nfa
    3    C      28 Feb 23:30 (GMT, no offset)          28 Feb          advice
    4    D      14 Feb 10:00                           14 Feb          nfa
    5    A       5 Mar 10:00                            5 Mar          referral
    6    D      10 Mar 10:00                           10 Mar          referral
    7    F      12 Mar 10:00                           12 Mar          early_help
    8    E      15 Mar 10:00                           15 Mar          nfa
    9    B      25 Mar 10:00                           25 Mar          nfa
    10   B      31 Mar 23:30 (BST from 30 Mar)          1 Apr 00:30    referral
    11   A      31 Jan 23:30                           31 Jan          referral
    12   C      received 20 Mar, not decided            —              —
    ===  =====  =====================================  ==============  ==========

    * February (1–4): LA 1 ÷ 4 = 25.0%; team T (1–3) 1 ÷ 3 = 33.3%; SW (1–3) 1 ÷ 3 = 33.3%; COL none.
    * March (5–9): LA 2 ÷ 5 = 40.0%; team (5, 7, 9) 1 ÷ 3 = 33.3%; SW (5, 9) 1 ÷ 2 = 50.0%; COL (7) 0 ÷ 1 = 0.0%.
    * 1 April (10, decided 23:30 UTC on 31 March, which is 00:30 on 1 April in London): 1 ÷ 1 = 100.0% for
      LA, team and SW — and so not in March.

    Not counted: 11 (January), 12 (no decision yet).
    """
    sw, col, oth = personas.social_worker, personas.colleague, personas.other_worker
    a, b, c, f, d = _child(sw), _child(sw), _child(sw), _child(col), _child(oth)
    e = make_child()

    def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
        return dt.datetime(2025, month, day, hour, minute, tzinfo=UTC)

    for child, decided, outcome in (
        (a, at(2, 10), "referral"),
        (b, at(2, 20), "nfa"),
        (c, at(2, 28, 23, 30), "advice"),
        (d, at(2, 14), "nfa"),
        (a, at(3, 5), "referral"),
        (d, at(3, 10), "referral"),
        (f, at(3, 12), "early_help"),
        (e, at(3, 15), "nfa"),
        (b, at(3, 25), "nfa"),
        (b, at(3, 31, 23, 30), "referral"),
        (a, at(1, 31, 23, 30), "referral"),
    ):
        _contact(child, decided - dt.timedelta(hours=3), decided, outcome)
    _contact(c, at(3, 20), None, "")
    team, sw_scope, col_scope = _scopes(personas)
    _check("contact_conversion", LA, [(1, 4, 25.0), (2, 5, 40.0), (1, 1, 100.0)])
    _check("contact_conversion", team, [(1, 3, 33.3), (1, 3, 33.3), (1, 1, 100.0)])
    _check("contact_conversion", sw_scope, [(1, 3, 33.3), (1, 2, 50.0), (1, 1, 100.0)])
    _check("contact_conversion", col_scope, [(0, 0, None), (0, 1, 0.0), (0, 0, None)])
    other = Scope("team", str(personas.other_team.pk))
    _check("contact_conversion", other, [(0, 1, 0.0), (1, 1, 100.0), (0, 0, None)])


# --- Child protection: ICPCs, visits and plans --------------------------------------------------------------


def test_icpc_within_15_working_days(personas) -> None:  # type: ignore[no-untyped-def]
    """``icpc`` clocks (15 working days from the strategy discussion that started the s47) met on time ÷ met,
    by the day of the conference. Each child is referred on the day of the strategy discussion.

    ====  ====  ==================  ==========  =============  ==============
    who   team  strategy            due         ICPC           counts
    ====  ====  ==================  ==========  =============  ==============
    S1    SW    Mon 27 Jan          Mon 17 Feb  Tue 11 Feb     Feb, on time
    S2    SW    Mon 20 Jan          Mon 10 Feb  Tue 18 Feb     Feb, late
    S3    COL   Mon  3 Feb          Mon 24 Feb  Mon 24 Feb     Feb, on time
    S4    OTH   Mon  3 Feb          Mon 24 Feb  Wed 26 Feb     Feb, late
    S5    SW    Mon 17 Feb          Mon 10 Mar  Tue 11 Mar     Mar, late
    S6    COL   Mon 24 Feb          Mon 17 Mar  Fri 14 Mar     Mar, on time
    S7    OTH   Mon  3 Mar          Mon 24 Mar  Thu 20 Mar     Mar, on time
    S8    SW    Mon 10 Mar          Mon 31 Mar  (none yet)     no (open)
    S9    SW    Mon  3 Mar          Mon 24 Mar  (s47 ended 14 Mar, no conference)  no
    S10   SW    Mon 2 Dec 2024      Mon 23 Dec  Mon 6 Jan      no (January)
    S11   SW    Mon 17 Mar          Mon  7 Apr  Tue 1 Apr      1 Apr, on time
    ====  ====  ==================  ==========  =============  ==============

    * February: LA 2 ÷ 4 = 50.0%; team T (S1–S3) 2 ÷ 3 = 66.7%; SW (S1, S2) 1 ÷ 2 = 50.0%; COL (S3) 1 ÷ 1.
    * March: LA 2 ÷ 3 = 66.7%; team (S5, S6) 1 ÷ 2 = 50.0%; SW (S5) 0 ÷ 1 = 0.0%; COL (S6) 1 ÷ 1 = 100.0%.
    * 1 April: S11 1 ÷ 1 = 100.0% (LA, team, SW).

    The referral decisions met by the strategy discussions, and the CP plans' clocks started at S1's and
    S3's conferences, are other rules.
    """
    sw, col, oth = personas.social_worker, personas.colleague, personas.other_worker
    for worker, strategy, icpc, plan in (
        (sw, D(2025, 1, 27), D(2025, 2, 11), True),
        (sw, D(2025, 1, 20), D(2025, 2, 18), False),
        (col, D(2025, 2, 3), D(2025, 2, 24), True),
        (oth, D(2025, 2, 3), D(2025, 2, 26), False),
        (sw, D(2025, 2, 17), D(2025, 3, 11), False),
        (col, D(2025, 2, 24), D(2025, 3, 14), False),
        (oth, D(2025, 3, 3), D(2025, 3, 20), False),
        (sw, D(2025, 3, 10), None, False),
        (sw, D(2024, 12, 2), D(2025, 1, 6), False),
        (sw, D(2025, 3, 17), D(2025, 4, 1), False),
    ):
        s47 = _s47(_referral(_child(worker), strategy), strategy)
        if icpc is not None:
            cw.icpc_record(actor=None, section47=s47, held_on=icpc, plan=plan, initial_category="NEG" if plan else "")
    s47 = _s47(_referral(_child(sw), D(2025, 3, 3)), D(2025, 3, 3))  # S9
    cw.section47_complete(
        actor=None, section47=s47, expected_version=s47.version, completed_date=D(2025, 3, 14),
        outcome="not_substantiated",
    )  # fmt: skip
    team, sw_scope, col_scope = _scopes(personas)
    _check("icpc_15wd", LA, [(2, 4, 50.0), (2, 3, 66.7), (1, 1, 100.0)])
    _check("icpc_15wd", team, [(2, 3, 66.7), (1, 2, 50.0), (1, 1, 100.0)])
    _check("icpc_15wd", sw_scope, [(1, 2, 50.0), (0, 1, 0.0), (1, 1, 100.0)])
    _check("icpc_15wd", col_scope, [(1, 1, 100.0), (1, 1, 100.0), (0, 0, None)])


def test_cp_visits_on_time(personas) -> None:  # type: ignore[no-untyped-def]
    """``cp_visit`` clocks (local standard: 10 working days from the plan's start, then from the last visit the
    child was seen) met on time ÷ met, by the visit date. Visits are recorded through ``visit_record``.

    * V1 (SW): plan from Mon 3 Feb; core group Wed 12 Feb; visits Thu 13 Feb (due 17 Feb: on time), an unseen
      visit Tue 25 Feb (does not meet the clock), Mon 3 Mar (due Thu 27 Feb: late), Fri 14 Mar (due Mon 17 Mar:
      on time), Tue 1 Apr (due Fri 28 Mar: late).
    * V2 (COL): plan from Mon 6 Jan; visits Fri 17 Jan (due 20 Jan: on time, January), Fri 7 Feb (due Fri
      31 Jan: late), Fri 21 Feb (due Fri 21 Feb: on time); the plan ends at a review on Wed 5 Mar (before the
      next visit was due), so a visit on Wed 12 Mar is after the plan and meets nothing.
    * V3 (OTH): plan from Mon 10 Feb; visits Thu 20 Feb (due Mon 24 Feb: on time), Wed 12 Mar (due Thu 6 Mar:
      late); the next one (due 26 Mar) is overdue, not met.
    * V4 (SW): a child in need plan from Mon 13 Jan with child in need visits on 3 Feb and 10 Mar (``cin_visit``
      clocks: another rule).

    * February: V1 13 Feb on time, V2 7 Feb late and 21 Feb on time, V3 20 Feb on time → LA 3 ÷ 4 = 75.0%;
      team T (V1, V2) 2 ÷ 3 = 66.7%; SW (V1) 1 ÷ 1 = 100.0%; COL (V2) 1 ÷ 2 = 50.0%.
    * March: V1 3 Mar late and 14 Mar on time, V3 12 Mar late → LA 1 ÷ 3 = 33.3%; team (V1) 1 ÷ 2 = 50.0%;
      SW 1 ÷ 2 = 50.0%; COL none.
    * 1 April: V1 late → 0 ÷ 1 = 0.0% (LA, team, SW).

    Also met in the period and not counted: the ICPC clocks, V1's first core group (12 Feb), V2's first review
    (5 Mar) and V4's ``cin_visit`` clocks.
    """
    sw, col, oth = personas.social_worker, personas.colleague, personas.other_worker
    v1, v2, v3, v4 = _child(sw), _child(col), _child(oth), _child(sw)
    plan1 = _cp_plan(_referral(v1, D(2025, 1, 20)), D(2025, 1, 20), D(2025, 2, 3))
    cw.core_group_record(actor=None, plan=plan1, held_on=D(2025, 2, 12))
    for day, seen in (((2, 13), True), ((2, 25), False), ((3, 3), True), ((3, 14), True), ((4, 1), True)):
        _visit(v1, "cp", D(2025, *day), seen=seen)
    plan2 = _cp_plan(_referral(v2, D(2024, 12, 16)), D(2024, 12, 16), D(2025, 1, 6))
    for day in ((1, 17), (2, 7), (2, 21)):
        _visit(v2, "cp", D(2025, *day))
    cw.cp_review_record(actor=None, plan=plan2, held_on=D(2025, 3, 5), continue_plan=False)
    _visit(v2, "cp", D(2025, 3, 12))
    _cp_plan(_referral(v3, D(2025, 1, 27)), D(2025, 1, 27), D(2025, 2, 10))
    for day in ((2, 20), (3, 12)):
        _visit(v3, "cp", D(2025, *day))
    cw.cin_plan_start(actor=None, episode=_referral(v4, D(2025, 1, 6)), start_date=D(2025, 1, 13))
    for day in ((2, 3), (3, 10)):
        _visit(v4, "cin", D(2025, *day))
    # The engine wrote the clocks under the rule code the indicator counts.
    assert _met(("cp_visit",)) == [
        ("cp_visit", D(2025, 1, 17), "met_on_time"),
        ("cp_visit", D(2025, 2, 7), "met_late"),
        ("cp_visit", D(2025, 2, 13), "met_on_time"),
        ("cp_visit", D(2025, 2, 20), "met_on_time"),
        ("cp_visit", D(2025, 2, 21), "met_on_time"),
        ("cp_visit", D(2025, 3, 3), "met_late"),
        ("cp_visit", D(2025, 3, 12), "met_late"),
        ("cp_visit", D(2025, 3, 14), "met_on_time"),
        ("cp_visit", D(2025, 4, 1), "met_late"),
    ]
    team, sw_scope, col_scope = _scopes(personas)
    _check("cp_visits_on_time", LA, [(3, 4, 75.0), (1, 3, 33.3), (0, 1, 0.0)])
    _check("cp_visits_on_time", team, [(2, 3, 66.7), (1, 2, 50.0), (0, 1, 0.0)])
    _check("cp_visits_on_time", sw_scope, [(1, 1, 100.0), (1, 2, 50.0), (0, 1, 0.0)])
    _check("cp_visits_on_time", col_scope, [(1, 2, 50.0), (0, 0, None), (0, 0, None)])


def test_cp_plans_lasting_two_years_or_more(personas) -> None:  # type: ignore[no-untyped-def]
    """CP plans ended in the period that lasted two years or more (ended on or after the second anniversary of
    the start) ÷ CP plans ended in the period. Plans start at the ICPC and end at a review conference.

    ====  ====  ============  ============  =========================================
    plan  team  start         end           counts
    ====  ====  ============  ============  =========================================
    P1    SW    10 Feb 2023   10 Feb 2025   Feb; 2 years to the day: lasting 2 years
    P2    SW    15 Feb 2023   14 Feb 2025   Feb; one day short of 2 years
    P3    COL    3 Jun 2024   20 Feb 2025   Feb; 9 months
    P4    OTH    1 Mar 2022    5 Mar 2025   Mar; 3 years
    P5    COL   20 Mar 2023   20 Mar 2025   Mar; 2 years
    P6    SW     7 Oct 2024   (open)        no
    P7    SW    10 Jan 2022   31 Jan 2025   no (ended in January)
    P8    SW     3 Mar 2025    1 Apr 2025   1 Apr; 4 weeks
    ====  ====  ============  ============  =========================================

    * February: LA (P1–P3) 1 ÷ 3 = 33.3%; team T the same; SW (P1, P2) 1 ÷ 2 = 50.0%; COL (P3) 0 ÷ 1 = 0.0%.
    * March: LA (P4, P5) 2 ÷ 2 = 100.0%; team (P5) 1 ÷ 1 = 100.0%; SW none; COL (P5) 1 ÷ 1 = 100.0%.
    * 1 April: P8 0 ÷ 1 = 0.0% (LA, team, SW).
    * 1 February – 1 April at once, LA: 3 ÷ 6 = 50.0%.
    """
    sw, col, oth = personas.social_worker, personas.colleague, personas.other_worker
    for worker, start, end in (
        (sw, D(2023, 2, 10), D(2025, 2, 10)),
        (sw, D(2023, 2, 15), D(2025, 2, 14)),
        (col, D(2024, 6, 3), D(2025, 2, 20)),
        (oth, D(2022, 3, 1), D(2025, 3, 5)),
        (col, D(2023, 3, 20), D(2025, 3, 20)),
        (sw, D(2024, 10, 7), None),
        (sw, D(2022, 1, 10), D(2025, 1, 31)),
        (sw, D(2025, 3, 3), D(2025, 4, 1)),
    ):
        strategy = start - dt.timedelta(days=7)
        _cp_plan(_referral(_child(worker), strategy), strategy, start, end)
    team, sw_scope, col_scope = _scopes(personas)
    _check("cp_plans_2yrs", LA, [(1, 3, 33.3), (2, 2, 100.0), (0, 1, 0.0)])
    _check("cp_plans_2yrs", team, [(1, 3, 33.3), (1, 1, 100.0), (0, 1, 0.0)])
    _check("cp_plans_2yrs", sw_scope, [(1, 2, 50.0), (0, 0, None), (0, 1, 0.0)])
    _check("cp_plans_2yrs", col_scope, [(0, 1, 0.0), (1, 1, 100.0), (0, 0, None)])
    assert _triple(indicators.cp_plans_two_years(LA, FEB[0], TODAY)) == (3, 6, 50.0)


def test_second_or_subsequent_cp_plans(personas) -> None:  # type: ignore[no-untyped-def]
    """CP plans started in the period where the same child had a CP plan start earlier (at any time, in any
    episode) ÷ CP plans started in the period.

    * Q1 (SW): a plan 1 May 2023 – 1 May 2024, the case closed 3 Jun 2024; referred again and a new plan from
      10 Feb 2025 → February, second plan.
    * Q2 (SW): first plan from 17 Feb 2025 → February, first plan (Q1's earlier plan is another child's).
    * Q3 (COL): a plan 4 Mar 2024 – 2 Sep 2024; a new s47 in the same, still open, episode and a plan from
      3 Mar 2025 → March, second.
    * Q4 (OTH): a plan 24 Jan – 25 Jul 2022, the case closed 1 Aug 2022; a new plan from 10 Mar 2025 → March,
      second.
    * Q5 (COL): first plan from 17 Mar 2025 → March, first.
    * Q6 (SW): a plan 9 Jan – 10 Jul 2023, then a plan from 13 Jan 2025 → January: not counted.
    * Q7 (SW): first plan from 1 Apr 2025 → 1 April, first.

    * February: LA (Q1, Q2) 1 ÷ 2 = 50.0%; team T the same; SW the same; COL none.
    * March: LA (Q3, Q4, Q5) 2 ÷ 3 = 66.7%; team (Q3, Q5) 1 ÷ 2 = 50.0%; SW none; COL (Q3, Q5) 1 ÷ 2 = 50.0%.
    * 1 April: Q7 0 ÷ 1 = 0.0% (LA, team, SW).
    """
    sw, col, oth = personas.social_worker, personas.colleague, personas.other_worker

    def closed_then_referred(worker, first: tuple[dt.date, dt.date], closed: dt.date, again: dt.date):  # type: ignore[no-untyped-def]
        child = _child(worker)
        ep = _referral(child, first[0] - dt.timedelta(days=7))
        _cp_plan(ep, first[0] - dt.timedelta(days=7), *first)
        cw.episode_close(actor=None, episode=ep, expected_version=ep.version, closure_date=closed, reason="RC7")
        _cp_plan(_referral(child, again - dt.timedelta(days=21)), again - dt.timedelta(days=21), again)

    def twice_in_one_episode(worker, first: tuple[dt.date, dt.date], again: dt.date):  # type: ignore[no-untyped-def]
        ep = _referral(_child(worker), first[0] - dt.timedelta(days=14))
        _cp_plan(ep, first[0] - dt.timedelta(days=14), *first)
        _cp_plan(ep, again - dt.timedelta(days=14), again)

    def first_plan(worker, start: dt.date) -> None:  # type: ignore[no-untyped-def]
        _cp_plan(_referral(_child(worker), start - dt.timedelta(days=14)), start - dt.timedelta(days=14), start)

    closed_then_referred(sw, (D(2023, 5, 1), D(2024, 5, 1)), D(2024, 6, 3), D(2025, 2, 10))  # Q1
    first_plan(sw, D(2025, 2, 17))  # Q2
    twice_in_one_episode(col, (D(2024, 3, 4), D(2024, 9, 2)), D(2025, 3, 3))  # Q3
    closed_then_referred(oth, (D(2022, 1, 24), D(2022, 7, 25)), D(2022, 8, 1), D(2025, 3, 10))  # Q4
    first_plan(col, D(2025, 3, 17))  # Q5
    twice_in_one_episode(sw, (D(2023, 1, 9), D(2023, 7, 10)), D(2025, 1, 13))  # Q6
    first_plan(sw, D(2025, 4, 1))  # Q7
    team, sw_scope, col_scope = _scopes(personas)
    _check("cp_plans_second", LA, [(1, 2, 50.0), (2, 3, 66.7), (0, 1, 0.0)])
    _check("cp_plans_second", team, [(1, 2, 50.0), (1, 2, 50.0), (0, 1, 0.0)])
    _check("cp_plans_second", sw_scope, [(1, 2, 50.0), (0, 0, None), (0, 1, 0.0)])
    _check("cp_plans_second", col_scope, [(0, 0, None), (1, 2, 50.0), (0, 0, None)])


# --- Children in care: statutory visits and reviews --------------------------------------------------------


@pytest.fixture
def in_care(personas):  # type: ignore[no-untyped-def]
    """Children looked after, with their statutory visits (``visit_record``, type "cla") and reviews.

    * C1 (SW): looked after from Mon 6 Jan 2025 (placement U6). Visits Fri 10 Jan, Mon 24 Feb, Mon 31 Mar;
      reviews Fri 31 Jan, Tue 1 Apr.
    * C2 (SW): from Mon 3 Feb. Visits Wed 12 Feb, an unseen visit Wed 5 Mar, Wed 26 Mar; review Tue 4 Mar.
    * C3 (COL): from Mon 10 Feb. Visit Fri 14 Feb; a new placement from Mon 3 Mar, visited Fri 7 Mar;
      review Mon 10 Mar.
    * C4 (OTH): from Mon 3 Feb. Visits Tue 11 Feb, Tue 4 Mar; review Fri 28 Feb.
    * C5 (SW): in a long-term placement intended to last until 18 (U1) from Mon 5 Jun 2023. Visits 9 Jun 2023,
      7 Jun 2024, 20 Dec 2024, Fri 14 Mar 2025; reviews 30 Jun 2023, 29 Sep 2023, 28 Mar 2024, 20 Sep 2024,
      Fri 14 Feb 2025.
    * C6 (COL): from Mon 4 Nov 2024. Visits 8 Nov, 18 Dec 2024, 29 Jan, Thu 13 Mar 2025; reviews 20 Nov 2024,
      Fri 21 Feb 2025.
    """
    sw, col, oth = personas.social_worker, personas.colleague, personas.other_worker
    c1, c2, c3, c4 = _child(sw), _child(sw), _child(col), _child(oth)
    c5, c6 = _child(sw), _child(col)
    _looked_after(c1, D(2025, 1, 6))
    _looked_after(c2, D(2025, 2, 3))
    _looked_after(c3, D(2025, 2, 10))
    _looked_after(c4, D(2025, 2, 3))
    _looked_after(c5, D(2023, 6, 5), placement_type="U1")
    _looked_after(c6, D(2024, 11, 4))
    la.placement_change(
        actor=None, child=c3, change_date=D(2025, 3, 3), placement_type="U6", placement_provider="PR1",
        reason_place_change="CARPL",
    )  # fmt: skip
    visits = {
        c1: [D(2025, 1, 10), D(2025, 2, 24), D(2025, 3, 31)],
        c2: [D(2025, 2, 12), D(2025, 3, 26)],
        c3: [D(2025, 2, 14), D(2025, 3, 7)],
        c4: [D(2025, 2, 11), D(2025, 3, 4)],
        c5: [D(2023, 6, 9), D(2024, 6, 7), D(2024, 12, 20), D(2025, 3, 14)],
        c6: [D(2024, 11, 8), D(2024, 12, 18), D(2025, 1, 29), D(2025, 3, 13)],
    }
    for child, days in visits.items():
        for day in days:
            _visit(child, "cla", day)
    _visit(c2, "cla", D(2025, 3, 5), seen=False)
    reviews = {
        c1: [D(2025, 1, 31), D(2025, 4, 1)],
        c2: [D(2025, 3, 4)],
        c3: [D(2025, 3, 10)],
        c4: [D(2025, 2, 28)],
        c5: [D(2023, 6, 30), D(2023, 9, 29), D(2024, 3, 28), D(2024, 9, 20), D(2025, 2, 14)],
        c6: [D(2024, 11, 20), D(2025, 2, 21)],
    }
    for child, days in reviews.items():
        for day in days:
            _review(child, day)
    return personas


def test_cla_visits_on_time(in_care) -> None:  # type: ignore[no-untyped-def]
    """Statutory visit clocks (``cla_visit_first``: 1 week from the placement's start; ``cla_visit_next_year1``:
    6 weeks from the last visit; ``cla_visit_next_after``: 3 months from the last visit after the first year of a
    placement intended to last until 18) met on time ÷ met, by the visit date.

    * C1: 10 Jan (first, due 13 Jan: January); 24 Feb (6 weeks from 10 Jan = 21 Feb: late); 31 Mar (due 7 Apr:
      on time).
    * C2: 12 Feb (first, due 10 Feb: late); the unseen visit of 5 Mar meets nothing; 26 Mar (6 weeks from 12 Feb =
      26 Mar: on time).
    * C3: 14 Feb (first, due 17 Feb: on time); the new placement of 3 Mar restarts the clock (the old placement's
      next visit, due 28 Mar, lapses) and 7 Mar is its first visit (due 10 Mar: on time).
    * C4 (other team): 11 Feb (first, due 10 Feb: late); 4 Mar (due 25 Mar: on time).
    * C5: the placement's first year ended 5 Jun 2024, so from the visit of 7 Jun 2024 the interval is 3 months:
      20 Dec 2024 (due 7 Sep 2024: late, December); 14 Mar 2025 (due 20 Mar: on time, ``cla_visit_next_after``).
    * C6: 8 Nov, 18 Dec 2024, 29 Jan (all on time, before February); 13 Mar (6 weeks from 29 Jan = 12 Mar: late).

    * February: C1 late, C2 late, C3 on time, C4 late → LA 1 ÷ 4 = 25.0%; team T (C1, C2, C3) 1 ÷ 3 = 33.3%;
      SW (C1, C2) 0 ÷ 2 = 0.0%; COL (C3) 1 ÷ 1 = 100.0%.
    * March: C1, C2, C3, C4, C5 on time, C6 late → LA 5 ÷ 6 = 83.3%; team (all but C4) 4 ÷ 5 = 80.0%;
      SW (C1, C2, C5) 3 ÷ 3 = 100.0%; COL (C3, C6) 1 ÷ 2 = 50.0%.
    * 1 April: no visit → no data.

    The review clocks met in the same months (see the next test) are other rules.
    """
    # The engine wrote all three visit rules the indicator counts: 10 clocks met in February and March.
    met = [code for code, day, _ in _met(indicators.CLA_VISITS) if day is not None and FEB[0] <= day <= MAR[1]]
    assert set(met) == set(indicators.CLA_VISITS) and len(met) == 10
    team, sw, col = _scopes(in_care)
    _check("cla_visits_on_time", LA, [(1, 4, 25.0), (5, 6, 83.3), (0, 0, None)])
    _check("cla_visits_on_time", team, [(1, 3, 33.3), (4, 5, 80.0), (0, 0, None)])
    _check("cla_visits_on_time", sw, [(0, 2, 0.0), (3, 3, 100.0), (0, 0, None)])
    _check("cla_visits_on_time", col, [(1, 1, 100.0), (1, 2, 50.0), (0, 0, None)])


def test_cla_reviews_on_time(in_care) -> None:  # type: ignore[no-untyped-def]
    """Review clocks (``cla_review_first``: 20 working days from becoming looked after; ``cla_review_second``:
    3 months from the first review; ``cla_review_next``: 6 months from the previous one) met on time ÷ met, by
    the review date.

    * C1: first review 31 Jan (due Mon 3 Feb: January); second 1 Apr (3 months from 31 Jan = 30 Apr: on time).
    * C2: first review Tue 4 Mar (20 working days from Mon 3 Feb = Mon 3 Mar: late).
    * C3: first review Mon 10 Mar (20 working days from Mon 10 Feb = 10 Mar: on time).
    * C4 (other team): first review Fri 28 Feb (due 3 Mar: on time).
    * C5: reviews every six months; 14 Feb 2025 (6 months from 20 Sep 2024 = 20 Mar: on time, early).
    * C6: first review 20 Nov 2024; second Fri 21 Feb (3 months from 20 Nov = 20 Feb: late).

    * February: C5 on time, C6 late, C4 on time → LA 2 ÷ 3 = 66.7%; team T (C5, C6) 1 ÷ 2 = 50.0%;
      SW (C5) 1 ÷ 1 = 100.0%; COL (C6) 0 ÷ 1 = 0.0%.
    * March: C2 late, C3 on time → LA 1 ÷ 2 = 50.0%; team the same; SW (C2) 0 ÷ 1 = 0.0%; COL (C3) 1 ÷ 1.
    * 1 April: C1 on time → 1 ÷ 1 = 100.0% (LA, team, SW).

    Not counted: reviews before February; the visit clocks met in the same months (other rules).
    """
    team, sw, col = _scopes(in_care)
    _check("cla_reviews_on_time", LA, [(2, 3, 66.7), (1, 2, 50.0), (1, 1, 100.0)])
    _check("cla_reviews_on_time", team, [(1, 2, 50.0), (1, 2, 50.0), (1, 1, 100.0)])
    _check("cla_reviews_on_time", sw, [(1, 1, 100.0), (0, 1, 0.0), (1, 1, 100.0)])
    _check("cla_reviews_on_time", col, [(0, 1, 0.0), (1, 1, 100.0), (0, 0, None)])


# --- Management oversight ----------------------------------------------------------------------------------


def test_supervision_coverage_without_oversight_and_overdue_actions_by_scope(personas) -> None:  # type: ignore[no-untyped-def]
    """The point-in-time oversight indicators on 1 April 2025 for a worker, a team and the LA (the selectors are
    tested in ``test_oversight.py``; this checks the dashboard's figures and their scoping). Open children:

    * SW's a: discussed in supervision on 22 Mar (within 4 weeks: since 4 Mar), with an action for SW due
      31 Mar (overdue) and one due 5 Apr (not yet);
    * SW's b: a management decision on 1 Mar (within 6 weeks: since 18 Feb), not discussed;
    * SW's c: discussed on 25 Feb (5 weeks ago: outside 4 weeks, inside 6);
    * SW's f: discussed on 10 Feb (7 weeks ago: outside both);
    * COL's e: a contact decided today (a casework sign-off, recorded in the audit trail);
    * OTH's d (other team): nothing.

    * Supervision coverage (discussed in 4 weeks ÷ open): SW (a, b, c, f) 1 ÷ 4 = 25.0%; team T (+ e)
      1 ÷ 5 = 20.0%; LA (+ d) 1 ÷ 6 = 16.7%.
    * Without oversight in 6 weeks ÷ open: SW (f) 1 ÷ 4 = 25.0%; team (f) 1 ÷ 5 = 20.0%; LA (f, d) 2 ÷ 6 = 33.3%.
    * Overdue supervision actions: 1 for SW, team and LA; 0 for COL and for the other team.
    """
    from safehold.oversight import services as oversight

    sw, col, oth, tm = personas.social_worker, personas.colleague, personas.other_worker, personas.team_manager
    a, b, c, f, e = _child(sw), _child(sw), _child(sw), _child(sw), _child(col)
    _child(oth)  # d

    def discuss(child, held_on: dt.date, due: dt.date | None = None) -> None:  # type: ignore[no-untyped-def]
        sup = oversight.supervision_record(actor=tm, manager=tm.staff, worker=sw.staff, held_on=held_on)
        oversight.supervision_discussion_add(
            actor=tm, supervision=sup, child=child, discussion="Progress", decision="Continue",
            impact_analysis="Better", action="Visit" if due else "", action_owner=sw.staff if due else None,
            action_due=due,
        )  # fmt: skip

    discuss(a, D(2025, 3, 22), D(2025, 3, 31))
    discuss(a, D(2025, 3, 22), D(2025, 4, 5))  # a second supervision the same day, another action
    discuss(c, D(2025, 2, 25))
    discuss(f, D(2025, 2, 10))
    oversight.management_decision_record(
        actor=tm, child=b, kind="step_down", decided_on=D(2025, 3, 1), decided_by=tm.staff, decision="Step down",
        rationale="Needs met by early help",
    )  # fmt: skip
    _contact(e, dt.datetime(2025, 4, 1, 9, tzinfo=UTC), dt.datetime(2025, 4, 1, 11, tzinfo=UTC), "nfa")
    team, sw_scope, col_scope = _scopes(personas)
    other = Scope("team", str(personas.other_team.pk))

    def figure(code: str, scope: Scope) -> Expected:
        return _triple(DASHBOARD[code].compute(scope, *indicators.period(TODAY)))

    assert figure("supervision_coverage", sw_scope) == (1, 4, 25.0)
    assert figure("supervision_coverage", team) == (1, 5, 20.0)
    assert figure("supervision_coverage", LA) == (1, 6, 16.7)
    assert figure("without_oversight", sw_scope) == (1, 4, 25.0)
    assert figure("without_oversight", team) == (1, 5, 20.0)
    assert figure("without_oversight", LA) == (2, 6, 33.3)
    assert [figure("overdue_actions", s)[0] for s in (sw_scope, team, LA, col_scope, other)] == [1, 1, 1, 0, 0]


# --- Workforce: turnover and vacancies ------------------------------------------------------------------------


def test_turnover_and_vacancy_rates_for_a_service_and_a_worker() -> None:
    """The census measures through the dashboard indicators for a service area (its teams together), the LA and
    a worker; ``safehold/workforce/tests/test_census.py`` checks team scopes. Staff (all social workers):

    * team T1 (children in need and child protection): A permanent 1.0 since 2020, holds post P1 (1.0);
      B permanent 0.5 from 1 Jun 2024, left 15 Mar 2025; E agency 1.0 since 1 Sep 2024, holds P2 (1.0).
    * team T2 (same service): C fixed-term 1.0 since 2019, holds P3 (1.0); D permanent 0.8 since 2018, left
      1 Feb 2025; P4 (0.6) is vacant.
    * team T3 (children in care): G permanent 1.0 since 2021, holds P5 (1.0); F permanent 1.0 since 2021, left
      31 Dec 2024; P6 (1.0) is vacant.

    Turnover = LA-employed leavers' FTE in the 12 months to the day ÷ LA-employed FTE in post that day;
    vacancy = FTE of posts with no LA-employed holder (vacant or agency-covered) ÷ (that + FTE in post).

    * Service, 28 Feb: in post A 1.0 + B 0.5 + C 1.0 = 2.5 (D left 1 Feb); leavers D 0.8 → 0.8 ÷ 2.5 = 32.0%.
      Vacancies P2 (agency) 1.0 + P4 0.6 = 1.6 → 1.6 ÷ (1.6 + 2.5) = 39.0%.
    * Service, 31 Mar and 1 Apr: in post A + C = 2.0; leavers D 0.8 + B 0.5 = 1.3 → 1.3 ÷ 2.0 = 65.0%.
      Vacancies 1.6 ÷ (1.6 + 2.0) = 44.4%.
    * LA, 31 Mar: in post A + C + G = 3.0; leavers 1.3 + F 1.0 = 2.3 → 76.7%; vacancies 1.6 + P6 1.0 = 2.6 →
      2.6 ÷ (2.6 + 3.0) = 46.4%.
    * Worker A, 31 Mar: no leavers of 1.0 in post → 0.0%; A holds P1 themself → 0 ÷ (0 + 1.0) = 0.0%.
    """
    cin = ServiceArea.CHILD_IN_NEED
    t1 = wf.team_create(actor=None, name="T1", service_area=cin)
    t2 = wf.team_create(actor=None, name="T2", service_area=cin)
    t3 = wf.team_create(actor=None, name="T3", service_area=ServiceArea.CHILDREN_IN_CARE)
    made = {}
    for key, team, employment, fte, start, leave in (
        ("A", t1, "permanent", "1.0", D(2020, 1, 6), None),
        ("B", t1, "permanent", "0.5", D(2024, 6, 1), D(2025, 3, 15)),
        ("E", t1, "agency", "1.0", D(2024, 9, 1), None),
        ("C", t2, "fixed_term", "1.0", D(2019, 1, 7), None),
        ("D", t2, "permanent", "0.8", D(2018, 1, 8), D(2025, 2, 1)),
        ("G", t3, "permanent", "1.0", D(2021, 1, 4), None),
        ("F", t3, "permanent", "1.0", D(2021, 1, 4), D(2024, 12, 31)),
    ):
        made[key] = wf.staff_create(
            actor=None, sw_id=f"W{key}", given_name=key, family_name="Census", role=StaffRole.SOCIAL_WORKER,
            team=team, employment=employment, fte=Decimal(fte), start_date=start, leave_date=leave,
        )  # fmt: skip
    for team, fte, holder in ((t1, "1.0", "A"), (t1, "1.0", "E"), (t2, "1.0", "C"), (t2, "0.6", None)):
        wf.post_create(
            actor=None, team=team, role=StaffRole.SOCIAL_WORKER, fte=fte, opened_on=D(2015, 1, 5),
            holder=made[holder] if holder else None,
        )  # fmt: skip
    for fte, holder in (("1.0", "G"), ("1.0", None)):
        wf.post_create(
            actor=None, team=t3, role=StaffRole.SOCIAL_WORKER, fte=fte, opened_on=D(2015, 1, 5),
            holder=made[holder] if holder else None,
        )  # fmt: skip
    service = Scope("service", cin)
    d = Decimal
    mar = (d("1.3"), d("2.0"), 65.0)
    _check("turnover_rate", service, [(d("0.8"), d("2.5"), 32.0), mar, mar])
    mar = (d("1.6"), d("3.6"), 44.4)
    _check("vacancy_rate", service, [(d("1.6"), d("4.1"), 39.0), mar, mar])
    assert _triple(indicators.turnover_rate(LA, *MAR)) == (d("2.3"), d("3.0"), 76.7)
    assert _triple(indicators.vacancy_rate(LA, *MAR)) == (d("2.6"), d("5.6"), 46.4)
    # One worker's rates would say nothing (an agency worker's vacancy rate is 100%, anyone else's 0%): the
    # dashboard does not measure them below a team.
    for worker in (Scope("worker", str(made["A"].pk)), Scope("worker", str(made["E"].pk))):
        for rate in (indicators.turnover_rate, indicators.vacancy_rate, indicators.agency_rate):
            figure = rate(worker, *MAR)
            assert figure.value is None and figure.display() == "Not measured for one worker", rate
