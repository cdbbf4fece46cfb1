"""The nightly review with the clock frozen: a record is listed exactly on its due date, never under a legal hold,
never twice; deferral, withdrawal and the schedule's edits behave."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from safehold.audit.models import AuditEvent
from safehold.core.exceptions import AccessDenied, ValidationFailed
from safehold.core.testing import make_child
from safehold.retention import services
from safehold.retention.models import DisposalLogEntry, LegalHold, RetentionRule, ReviewItem
from safehold.retention.tests.builders import BUILD, D, cin_history, contact, looked_after_history, on

pytestmark = pytest.mark.django_db


def _listed() -> set[int]:
    return set(ReviewItem.objects.filter(status="proposed").values_list("person_id", flat=True))


@pytest.fixture
def looked_after(personas):  # type: ignore[no-untyped-def]
    """Looked after 2015-2020, born 1 March 2008: due on the 75th birthday, 1 March 2083."""
    with on(BUILD.date()):
        child = make_child(date_of_birth=D(2008, 3, 1))
        looked_after_history(child, D(2015, 4, 1), D(2020, 9, 30))
    return child


def test_a_looked_after_record_is_due_on_the_75th_birthday_not_the_day_before(looked_after) -> None:
    with on(D(2083, 2, 28)):
        result = services.review_run(actor=None)
    assert looked_after.pk not in _listed()
    assert result.added == 0 and result.open_records == 0
    with on(D(2083, 3, 1)):
        result = services.review_run(actor=None)
    item = ReviewItem.objects.get(person=looked_after)
    assert (item.status, item.due_on, item.record_type, item.proposed_on) == (
        "proposed",
        D(2083, 3, 1),
        "looked_after",
        D(2083, 3, 1),
    )
    assert item.rule_summary.startswith("Until the 75th birthday")
    assert result.added == 1


def test_a_child_who_died_before_18_is_due_15_years_from_death(personas) -> None:
    with on(BUILD.date()):
        child = make_child(date_of_birth=D(2008, 3, 1), date_of_death=D(2019, 5, 5))
        looked_after_history(child, D(2015, 4, 1), D(2019, 5, 5))
    with on(D(2034, 5, 4)):
        services.review_run(actor=None)
    assert child.pk not in _listed()
    with on(D(2034, 5, 5)):
        services.review_run(actor=None)
    assert child.pk in _listed()


def test_child_in_need_uses_the_local_rule_and_the_longest_rule_governs(personas) -> None:
    # Contacts alone would be due 6 years after the 2012 decision (2018); the CIN rule (30th birthday) governs.
    with on(BUILD.date()):
        child = make_child(date_of_birth=D(2000, 7, 10))
        cin_history(child, D(2012, 1, 9), D(2012, 6, 29))
    with on(D(2030, 7, 9)):
        services.review_run(actor=None)
    assert child.pk not in _listed()
    with on(D(2030, 7, 10)):
        services.review_run(actor=None)
    assert ReviewItem.objects.get(person=child).record_type == "child_in_need"


def test_open_records_and_undatable_records_are_never_listed(personas) -> None:
    with on(BUILD.date()):
        still_open = make_child(date_of_birth=D(1990, 1, 1))
        cin_history(still_open, D(2001, 1, 8), D(2001, 3, 30))
        from safehold.casework.services import contact_record

        contact_record(actor=None, child=still_open, received_at=BUILD, source="2A")  # undecided: still open
    with on(D(2070, 1, 1)):
        result = services.review_run(actor=None)
    assert still_open.pk not in _listed()
    assert result.open_records >= 1


def test_the_review_is_idempotent(looked_after) -> None:
    with on(D(2083, 3, 1)):
        services.review_run(actor=None)
        items, events = ReviewItem.objects.count(), AuditEvent.objects.count()
        second = services.review_run(actor=None)
        call_command("retention", "review")
    assert (ReviewItem.objects.count(), AuditEvent.objects.count()) == (items, events)
    assert (second.added, second.already_listed) == (0, 1)


def test_a_held_record_is_not_listed_and_a_hold_withdraws_a_listing(looked_after, personas) -> None:
    dpo = personas.dpo
    with on(D(2083, 3, 1)):
        services.hold_place(actor=dpo, person=looked_after, reason="Civil claim 2083/17 against the council")
        result = services.review_run(actor=None)
        assert looked_after.pk not in _listed() and result.held == 1
        hold = LegalHold.objects.get(person=looked_after)
        services.hold_release(actor=dpo, hold=hold, reason="Claim settled", expected_version=hold.version)
        services.review_run(actor=None)
        item = ReviewItem.objects.get(person=looked_after, status="proposed")
        services.hold_place(actor=dpo, person=looked_after, reason="Subject access request SAR-2083-4")
    item.refresh_from_db()
    assert (item.status, item.withdrawn_reason) == ("withdrawn", "A legal hold was placed")
    with on(D(2083, 3, 1)), pytest.raises(ValidationFailed, match="no longer awaiting a decision"):
        services.review_decide(actor=dpo, item=item, decision="approve", reason="Period ended")
    assert DisposalLogEntry.objects.count() == 0
    looked_after.refresh_from_db()
    assert looked_after.given_name == "Test"


def test_holds_need_a_reason_the_officer_and_a_child_record(looked_after, personas) -> None:
    with on(D(2083, 3, 1)):
        with pytest.raises(ValidationFailed) as exc:
            services.hold_place(actor=personas.dpo, person=looked_after, reason="   ")
        assert exc.value.errors == {"reason": ["Enter the reason for the legal hold"]}
        with pytest.raises(AccessDenied):
            services.hold_place(actor=personas.head_of_service, person=looked_after, reason="Claim")
        hold = services.hold_place(actor=personas.dpo, person=looked_after, reason="Claim 1")
        with pytest.raises(ValidationFailed):
            services.hold_release(actor=personas.dpo, hold=hold, reason="", expected_version=hold.version)
    assert LegalHold.objects.filter(released_at__isnull=True).count() == 1
    event = AuditEvent.objects.get(action="retention.hold_placed")
    assert (event.child_id, event.actor_id, event.reason) == (looked_after.pk, personas.dpo.pk, "Claim 1")


def test_deferral_returns_the_record_on_its_date_and_a_longer_schedule_withdraws_it(looked_after, personas) -> None:
    with on(D(2083, 3, 1)):
        services.review_run(actor=None)
        item = ReviewItem.objects.get(person=looked_after)
        with pytest.raises(ValidationFailed) as exc:
            services.review_decide(actor=personas.dpo, item=item, decision="defer", reason="Ask archivist")
        assert "defer_until" in exc.value.errors
        services.review_decide(
            actor=personas.dpo, item=item, decision="defer", reason="Ask the archivist", defer_until=D(2083, 6, 1)
        )
    with on(D(2083, 5, 31)):
        services.review_run(actor=None)
    item.refresh_from_db()
    assert item.status == "deferred"
    with on(D(2083, 6, 1)):
        result = services.review_run(actor=None)
    item.refresh_from_db()
    assert (item.status, result.reproposed) == ("proposed", 1)
    rule = RetentionRule.objects.get(record_type="looked_after")
    with on(D(2083, 6, 1)):
        services.rule_update(
            actor=personas.admin, rule=rule, expected_version=rule.version, basis="birthday", years=80,
            death_years=15, source=rule.source, reason="County archive asks for 80 years",
        )  # fmt: skip
        result = services.review_run(actor=None)
    item.refresh_from_db()
    assert (item.status, result.withdrawn) == ("withdrawn", 1)


def test_statutory_rules_cannot_be_shortened_and_only_an_administrator_edits(personas) -> None:
    rule = RetentionRule.objects.get(record_type="looked_after")
    kw: dict[str, Any] = {
        "rule": rule,
        "expected_version": rule.version,
        "basis": "birthday",
        "death_years": 15,
        "source": "x",
    }
    with pytest.raises(ValidationFailed) as exc:
        services.rule_update(actor=personas.admin, years=74, reason="Shorter", **kw)
    assert exc.value.errors["years"] == ["The statutory period is 75 years; it cannot be shortened"]
    with pytest.raises(ValidationFailed) as exc:
        services.rule_update(actor=personas.admin, years=75, reason="No death rule", **{**kw, "death_years": None})
    assert "death_years" in exc.value.errors
    with pytest.raises(AccessDenied):
        services.rule_update(actor=personas.dpo, years=80, reason="Longer", **kw)
    rule.refresh_from_db()
    assert (rule.years, rule.version) == (75, 1)
    local = RetentionRule.objects.get(record_type="contact")
    services.rule_update(
        actor=personas.admin, rule=local, expected_version=local.version, basis="last_activity", years=2,
        death_years=None, source="Local policy: contacts 2 years", reason="Board decision 12/2026",
    )  # fmt: skip
    local.refresh_from_db()
    assert (local.years, local.version) == (2, 2)
    event = AuditEvent.objects.get(action="retention.rule_changed")
    assert event.before is not None and event.after is not None
    assert event.before["years"] == 6 and event.after["years"] == 2 and event.reason == "Board decision 12/2026"


def test_a_contact_only_record_is_due_six_years_after_the_decision(personas) -> None:
    with on(BUILD.date()):
        child = make_child(date_of_birth=D(2012, 2, 2))
        contact(child, D(2019, 11, 4))
    with on(D(2025, 11, 3)):
        services.review_run(actor=None)
    assert child.pk not in _listed()
    with on(D(2025, 11, 4)):
        services.review_run(actor=None)
    assert ReviewItem.objects.get(person=child).record_type == "contact"
