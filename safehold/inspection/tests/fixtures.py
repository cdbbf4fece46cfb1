"""A small hand-built borough for Annex A, written through the real services on Tue 31 Mar 2026.

Records that no service writes yet (care leavers, their contacts, adoption journeys) are written by
``_record`` below, itself a service that audits each row like the real ones will.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from safehold.casework import services as cw
from safehold.core.auditing import create_audited
from safehold.core.services import service
from safehold.core.testing import allocate, make_child
from safehold.looked_after import services as la
from safehold.looked_after.models import AdoptionJourney, CareLeaver, CareLeaverContact
from safehold.people.models import Person

D = dt.date
AS_OF = D(2026, 3, 31)
NOW = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
FIRST6 = D(2025, 9, 30)
BEFORE6 = D(2025, 9, 29)
FIRST12 = D(2025, 3, 31)
BEFORE12 = D(2025, 3, 30)


@service
def _record(instance: Any, *, child: Person) -> Any:
    return create_audited(instance, actor=None, action=f"test.{type(instance).__name__.lower()}", child_id=child.pk)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


@dataclass
class Borough:
    children: dict[str, Person]

    def __getitem__(self, key: str) -> Person:
        return self.children[key]


def _cp_plan(child: Person, *, referral: dt.date, icpc: dt.date, ended: dt.date | None) -> None:
    episode = cw.referral_create(actor=None, child=child, referral_date=referral, source="6", primary_need="N1")
    s47 = cw.strategy_discussion_record(actor=None, episode=episode, held_on=referral, start_section47=True).section47
    assert s47 is not None
    conference = cw.icpc_record(actor=None, section47=s47, held_on=icpc, plan=True, initial_category="NEG")
    if ended is not None:
        assert conference.plan is not None
        cw.cp_review_record(actor=None, plan=conference.plan, held_on=ended, continue_plan=False)


def _looked_after(child: Person, *, start: dt.date, end: dt.date | None) -> None:
    la.period_of_care_start(
        actor=None,
        child=child,
        start_date=start,
        legal_status="C2",
        category_of_need="N1",
        placement_type="U4",
        placement_provider="PR1",
        home_postcode="E3 4AB",
        placement_postcode="E3 5CD",
    )
    if end is not None:
        la.period_of_care_end(actor=None, child=child, end_date=end, reason_ceased="E4A")


def build_borough(worker: Any) -> Borough:
    """Children at each window edge of each list; call it inside ``time_machine.travel(NOW)``."""
    c: dict[str, Person] = {}

    def child(key: str, **kw: Any) -> Person:
        c[key] = make_child(given_name=key.replace("_", " ").title().replace(" ", ""), **kw)
        allocate(c[key], worker, start=D(2024, 1, 1))
        return c[key]

    # List 1: contacts the day before the window, on its first day, on the inspection date.
    for key, day in (("contact_before", BEFORE6), ("contact_first", FIRST6), ("contact_last", AS_OF)):
        cw.contact_record(actor=None, child=child(key, sex="M", ethnicity="NOBT"), received_at=at(day), source="2A")

    # Lists 3, 4, 6: referral with a completed, authorised assessment, a CIN plan and a visit.
    cin = child("cin_open", ethnicity="REFU")
    episode = cw.referral_create(actor=None, child=cin, referral_date=FIRST6, source="3A", primary_need="N3")
    assessment = cw.assessment_start(actor=None, episode=episode, start_date=FIRST6)
    cw.assessment_complete(
        actor=None,
        assessment=assessment,
        expected_version=assessment.version,
        completed_date=D(2025, 11, 10),
        factors=["4B"],
        child_seen=True,
        child_seen_date=D(2025, 10, 6),
        outcome="cin_plan",
    )
    cw.cin_plan_start(actor=None, episode=episode, start_date=D(2025, 11, 12))
    cw.visit_record(actor=None, child=cin, visit_type="cin", visited_on=D(2026, 3, 2), seen=True)

    # A referral that closed the day before the window (not a child in need in it) and one on its first day.
    for key, closed in (("cin_closed_before", BEFORE6), ("cin_closed_first", FIRST6)):
        ep = cw.referral_create(actor=None, child=child(key), referral_date=D(2025, 6, 2), source="1A")
        a = cw.assessment_start(actor=None, episode=ep, start_date=D(2025, 6, 2))
        cw.assessment_complete(
            actor=None, assessment=a, expected_version=a.version, completed_date=D(2025, 7, 1),
            factors=["21"], child_seen=True, outcome="nfa",
        )  # fmt: skip
        ep.refresh_from_db()
        cw.episode_close(actor=None, episode=ep, expected_version=ep.version, closure_date=closed, reason="RC8")

    # List 7: CP plans ending the day before the window, on its first day, and one still open (> 18 months).
    _cp_plan(child("cp_ended_before"), referral=D(2025, 1, 6), icpc=D(2025, 1, 27), ended=BEFORE6)
    _cp_plan(child("cp_ended_first"), referral=D(2025, 1, 6), icpc=D(2025, 1, 27), ended=FIRST6)
    cp_open = child("cp_open")
    _cp_plan(cp_open, referral=D(2024, 8, 5), icpc=D(2024, 8, 26), ended=None)
    cw.visit_record(actor=None, child=cp_open, visit_type="cp", visited_on=D(2026, 3, 20), seen=True, seen_alone=True)

    # List 8: periods of care ending the day before the window, on its first day, and one still open.
    _looked_after(child("la_ceased_before", date_of_birth=D(2012, 2, 2)), start=D(2025, 1, 6), end=BEFORE6)
    _looked_after(child("la_ceased_first", date_of_birth=D(2012, 2, 2)), start=D(2025, 1, 6), end=FIRST6)
    la_open = child("la_open", date_of_birth=D(2012, 2, 2))
    _looked_after(la_open, start=D(2025, 6, 2), end=None)
    cw.visit_record(actor=None, child=la_open, visit_type="cla", visited_on=D(2026, 3, 16), seen=True)

    # List 9: a former relevant care leaver (19) in touch, and one who is 25 on the day (no longer on the list).
    for key, dob in (("leaver", D(2007, 1, 10)), ("leaver_25", D(2001, 3, 31))):
        leaver = child(key, date_of_birth=dob)
        _looked_after(leaver, start=dob.replace(year=dob.year + 14), end=dob.replace(year=dob.year + 18))
        _record(CareLeaver(child=leaver, eligibility="former_relevant"), child=leaver)
        _record(
            CareLeaverContact(
                child=leaver, contacted_on=D(2026, 1, 12), in_touch="YES", activity="F2", accommodation="U1"
            ),
            child=leaver,
        )

    # List 10: adopted the day before the 12-month window, on its first day, and one still waiting.
    for key, order in (("adopted_before", BEFORE12), ("adopted_first", FIRST12), ("adoption_waiting", None)):
        adoptee = child(key, date_of_birth=D(2021, 5, 5))
        _record(AdoptionJourney(child=adoptee, decision_date=D(2024, 9, 2), adoption_order_date=order), child=adoptee)
    return Borough(children=c)
