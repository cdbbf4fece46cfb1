"""Retention test builders: closed case histories written through the real services.

Records are built with the clock frozen on ``BUILD`` (dates in the past, as the services require); the tests
then travel to the day a record falls due. Two kinds of record have no service of their own yet (addresses and
adoption journeys arrive through the 903 import and the synthetic loader), so two tiny ``@service`` builders
write them with an audit event, as those loaders do.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import time_machine

from safehold.casework import services as cw
from safehold.core.auditing import create_audited
from safehold.core.services import service
from safehold.core.testing import make_child
from safehold.documents.services import document_upload
from safehold.early_help import services as eh
from safehold.looked_after import services as la
from safehold.looked_after.models import AdoptionJourney
from safehold.people.models import Address, HouseholdMember, Person
from safehold.people.services import person_create, relationship_create
from safehold.retention import services

D = dt.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
BUILD = dt.datetime(2026, 6, 15, 10, 0, tzinfo=LONDON)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@contextmanager
def on(day: dt.date, hour: int = 10) -> Iterator[None]:
    """The clock frozen at ``hour`` o'clock (London) on ``day``."""
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False):
        yield


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@service
def address_add(*, actor: Any, person: Person, line1: str, postcode: str) -> Address:
    return create_audited(
        Address(person=person, line1=line1, town="Testtown", postcode=postcode, start_date=D(2020, 1, 1)),
        actor=actor, action="address.added", child_id=person.pk if person.is_child_record else None,
    )  # fmt: skip


@service
def household_join(*, actor: Any, household: Any, person: Person) -> HouseholdMember:
    return create_audited(
        HouseholdMember(household=household, person=person, start_date=D(2020, 1, 1)),
        actor=actor, action="household.member_added", child_id=None,
    )  # fmt: skip


@service
def _household(*, actor: Any, child: Person) -> Any:
    return eh.household_for(actor=actor, child=child)


@service
def adoption_order(*, actor: Any, child: Person, decided: dt.date, order: dt.date) -> AdoptionJourney:
    return create_audited(
        AdoptionJourney(child=child, decision_date=decided, placed_date=decided, adoption_order_date=order),
        actor=actor, action="adoption.recorded", child_id=child.pk,
    )  # fmt: skip


def contact(child: Person, when: dt.date, *, outcome: str = "nfa", summary: str = "Neighbour heard shouting") -> Any:
    c = cw.contact_record(
        actor=None, child=child, received_at=at(when), source="2A", summary=summary, referrer_name="Pat Neighbour"
    )
    cw.contact_decide(
        actor=None, contact=c, expected_version=c.version, outcome=outcome, threshold_level="3",
        reason=f"Decided for {child.given_name}", decided_at=at(when, 15),
    )  # fmt: skip
    return c


def cin_history(child: Person, referral: dt.date, closure: dt.date, *, cp: bool = False) -> Any:
    """A contact, a referral, optionally a section 47 enquiry (child protection), then closure."""
    c = contact(child, referral, outcome="referral")
    episode = cw.referral_create(actor=None, child=child, referral_date=referral, source="2A", contact=c)
    if cp:
        cw.strategy_discussion_record(
            actor=None, episode=episode, held_on=referral, start_section47=True, decision=f"S47 for {child.given_name}"
        )
        s47 = episode.section47s.get()
        cw.section47_complete(
            actor=None, section47=s47, expected_version=s47.version, completed_date=referral + dt.timedelta(days=10),
            outcome="not_substantiated",
        )  # fmt: skip
    episode.refresh_from_db()
    cw.episode_close(actor=None, episode=episode, expected_version=episode.version, closure_date=closure, reason="RC7")
    return episode


def looked_after_history(child: Person, start: dt.date, end: dt.date, *, carer: Person | None = None) -> Any:
    la.period_of_care_start(
        actor=None, child=child, start_date=start, legal_status="C2", category_of_need="N1", placement_type="U4",
        placement_provider="PR1", home_postcode="TT1 1AA", placement_postcode="TT2 2BB", urn="SC123456",
        carer=carer,
    )  # fmt: skip
    return la.period_of_care_end(actor=None, child=child, end_date=end, reason_ceased="E4A")


def early_help_history(
    child: Person, opened: dt.date, closed: dt.date, *, worker: Any, siblings: tuple[Person, ...] = ()
) -> Any:
    """Early help for the child's family (siblings join the household first, so the episode is for them too)."""
    household = _household(actor=worker, child=child)
    for sibling in siblings:
        household_join(actor=None, household=household, person=sibling)
    c = contact(child, opened, outcome="early_help")
    episode = eh.early_help_open_from_contact(actor=worker, contact=c, opened_on=opened)
    eh.consent_record(
        actor=worker, episode=episode, given_by="Jo Parent (mother)", given_on=opened, scopes=["lead", "team"]
    )
    eh.goal_add(actor=worker, episode=episode, text=f"{child.given_name} goes to school every day")
    eh.taf_member_add(actor=worker, episode=episode, name="Ms Head", agency="Oak Primary School")
    episode.refresh_from_db()
    return eh.episode_close(
        actor=worker, episode=episode, expected_version=episode.version, closed_on=closed, outcome="needs_met"
    )


def parent_of(child: Person, *, given_name: str = "Jo", family_name: str = "Parent") -> Person:
    parent = person_create(actor=None, given_name=given_name, family_name=family_name, date_of_birth=D(1980, 1, 1))
    relationship_create(actor=None, person=parent, other=child, kind="parent", has_parental_responsibility=True)
    address_add(actor=None, person=parent, line1="1 Parent Street", postcode="TT9 9ZZ")
    return parent


def full_record(*, worker: Any, dob: dt.date = D(2005, 3, 1), **child_fields: Any) -> Person:
    """A child with a bit of everything: CIN and CP history, care, notes, a document, an address, a parent."""
    child = make_child(date_of_birth=dob, nhs_number="9434765919", **child_fields)
    address_add(actor=None, person=child, line1="22 Secret Road", postcode="TT3 3CC")
    cin_history(child, D(2015, 5, 4), D(2016, 1, 29), cp=True)
    looked_after_history(child, D(2016, 2, 1), D(2018, 7, 31))
    cw.case_note_add(actor=worker, child=child, subject="Home visit", body=f"{child.given_name} told me about home")
    cw.visit_record(
        actor=worker, child=child, visit_type="cla", visited_on=D(2017, 3, 3), seen=True, notes="Seen in her room"
    )
    document_upload(actor=worker, child=child, title="Court report", original_name="report.pdf", data=PDF)
    parent_of(child)
    return child


def list_and_approve(dpo: Any, child: Person, *, reason: str = "Retention period ended; nothing outstanding") -> Any:
    services.review_run(actor=None)
    item = child.retention_items.get(status="proposed")
    return services.review_decide(actor=dpo, item=item, decision="approve", reason=reason)
