"""With the clock frozen: a record with open work of any kind is never due for disposal.

Open episodes of the record types themselves (CIN, care, private fostering, early help, an undecided contact) keep
a record open; so does open work that is not a record type of its own: pre-proceedings or care proceedings not
concluded, exploitation risk management still running or an open panel referral, and a subject access request
not yet released. Each case: the record is not listed, and the disposal service refuses it even when it was
listed before the work was opened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from safehold.core.exceptions import ValidationFailed
from safehold.core.testing import make_child
from safehold.early_help import services as eh
from safehold.exploitation import services as ex
from safehold.people.models import Person
from safehold.proceedings import services as pr
from safehold.retention import selectors, services
from safehold.retention.models import DisposalLogEntry, ReviewItem
from safehold.retention.tests.builders import BUILD, D, cin_history, contact, on
from safehold.subject_access import services as sar

pytestmark = pytest.mark.django_db
DUE = D(2032, 1, 1)  # after the 30th birthday of a child born 1 January 2001 (child in need rule)


@pytest.fixture
def child() -> Person:
    with on(BUILD.date()):
        c = make_child(date_of_birth=D(2001, 1, 1))
        cin_history(c, D(2011, 5, 2), D(2011, 9, 30))
    return c


def _due(child: Person, day: dt.date = DUE) -> bool:
    return child.pk in selectors.scan(today=day).due


def _proceedings(child: Person) -> Any:
    return pr.proceedings_issue(
        actor=None, child=child, application_type="care", issued_on=D(2020, 3, 2), court="Testtown Family Court"
    )


def _pre_proceedings(child: Person) -> Any:
    return pr.pre_proceedings_start(actor=None, child=child, started_on=D(2020, 1, 6))


def _screening(child: Person) -> Any:
    return ex.screening_record(
        actor=None, child=child, screened_on=D(2020, 2, 3), indicators=[], information_from="social_worker",
        risk_level="low", summary="Low concern after a missing episode",
    )  # fmt: skip


def _panel(child: Person) -> Any:
    _screening(child)
    return ex.panel_refer(actor=None, child=child, referred_on=D(2020, 2, 4), reason="Seen with older youths")


def _sar(child: Person) -> Any:
    return sar.sar_open(actor=None, person=child, requester="The subject, now an adult", received_on=D(2026, 6, 1))


def _early_help(child: Person, worker: Any) -> Any:
    c = contact(child, D(2026, 6, 1), outcome="early_help")
    return eh.early_help_open_from_contact(actor=worker, contact=c, opened_on=D(2026, 6, 1))


OPENERS: dict[str, Callable[[Person], Any]] = {
    "care proceedings": _proceedings,
    "pre-proceedings": _pre_proceedings,
    "exploitation risk management": _screening,
    "exploitation panel referral": _panel,
    "subject access request": _sar,
}


def test_the_closed_record_alone_is_due(child) -> None:
    assert not _due(child, D(2030, 12, 31)) and _due(child)


@pytest.mark.parametrize("kind", sorted(OPENERS))
def test_open_work_keeps_the_record_from_being_listed(child, kind) -> None:
    with on(BUILD.date()):
        OPENERS[kind](child)
    with on(DUE):
        found = selectors.scan()
        result = services.review_run(actor=None)
    assert child.pk not in found.due and result.open_records >= 1
    assert not ReviewItem.objects.filter(person=child).exists()
    assert any(kind in what for what in selectors.open_work([child.pk])[child.pk])


def test_an_open_early_help_episode_keeps_the_record_open(child, personas) -> None:
    with on(BUILD.date()):
        _early_help(child, personas.social_worker)
    with on(DUE):
        assert not _due(child)


@pytest.mark.parametrize("kind", sorted(OPENERS))
def test_work_opened_after_the_listing_stops_the_disposal(child, personas, kind) -> None:
    with on(DUE):
        services.review_run(actor=None)
        item = ReviewItem.objects.get(person=child, status="proposed")
    with on(BUILD.date()):  # opened (back-dated) by another transaction before the officer decides
        OPENERS[kind](child)
    with on(DUE):
        with pytest.raises(ValidationFailed, match="no longer due"):
            services.review_decide(actor=personas.dpo, item=item, decision="approve", reason="Period ended")
        assert services.review_run(actor=None).withdrawn == 1
    assert not DisposalLogEntry.objects.exists()


def test_concluded_proceedings_no_longer_hold_the_record_open(child) -> None:
    with on(BUILD.date()):
        p = _proceedings(child)
        pr.proceedings_conclude(
            actor=None, proceedings=p, expected_version=p.version, concluded_on=D(2020, 8, 3), outcome="care_order"
        )
    with on(DUE):
        assert _due(child)


def test_ended_risk_management_and_a_closed_referral_no_longer_hold_the_record_open(child) -> None:
    with on(BUILD.date()):
        referral = _panel(child)
        ex.panel_decide(
            actor=None, referral=referral, heard_on=D(2020, 3, 2), outcome="close", actions="None",
            next_review_on=None,
        )  # fmt: skip
        ex.risk_end(actor=None, child=child, ended_on=D(2020, 3, 3), reason="Risk reduced")
    with on(DUE):
        assert selectors.open_work([child.pk]) == {}
        assert _due(child)


def test_closed_exploitation_work_is_disposed_of_with_the_record(child, personas) -> None:
    from safehold.audit.models import AuditEvent
    from safehold.exploitation.choices import ChildLinkNature
    from safehold.exploitation.models import ChildLink, PanelDecision, PanelReferral, RiskEnd, Screening

    with on(BUILD.date()):
        friend = make_child(date_of_birth=D(2002, 5, 5))
        referral = _panel(child)
        ex.panel_decide(
            actor=None, referral=referral, heard_on=D(2020, 3, 2), outcome="close", actions="Mentor from Oak Youth",
            next_review_on=None,
        )  # fmt: skip
        ex.risk_end(actor=None, child=child, ended_on=D(2020, 3, 3), reason="Moved away from Riverside Flats")
        ex.child_link_record(
            actor=None, child=child, other=friend, noted_on=D(2020, 2, 5), nature=list(ChildLinkNature)[0].value,
            notes="Seen together at Riverside Flats",
        )  # fmt: skip
    with on(DUE):
        services.review_run(actor=None)
        item = ReviewItem.objects.get(person=child, status="proposed")
        services.review_decide(actor=personas.dpo, item=item, decision="approve", reason="Period ended")
    assert list(Screening.objects.filter(child=child).values_list("summary", "risk_level")) == [("", "low")]
    assert list(PanelReferral.objects.filter(child=child).values_list("reason", "closed_on")) == [("", D(2020, 3, 2))]
    assert list(PanelDecision.objects.filter(referral__child=child).values_list("actions", flat=True)) == [""]
    assert list(RiskEnd.objects.filter(child=child).values_list("reason", flat=True)) == [""]
    assert not ChildLink.objects.filter(child=child).exists()
    text = str(list(AuditEvent.objects.filter(child_id=child.pk).values("before", "after", "reason")))
    assert "Riverside" not in text and "Oak Youth" not in text and "Seen with older youths" not in text
