"""The decision to hold a strategy discussion, through its page: it says what is due and why; invalid input and
service refusals re-render with the GOV.UK error summary and write nothing; a valid decision starts the local
``strategy_discussion`` clock, and recording the discussion stops it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.audit.models import AccessEvent, AuditEvent
from safehold.casework.models import StrategyDecision
from safehold.frontend.tests.journey import NOW, TODAY, build, date_fields, fingerprint
from safehold.timescales.models import Deadline

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def snapshot() -> tuple[object, ...]:
    return (*fingerprint(), StrategyDecision.objects.count(), Deadline.objects.count())


def url(child_pk: int) -> str:
    return f"/children/{child_pk}/strategy-discussions/decision/"


def test_the_page_says_what_is_due_and_logs_the_read(client, personas) -> None:
    case = build("episode", personas.social_worker)
    client.force_login(personas.social_worker)
    body = client.get(url(case.child.pk)).content.decode()
    assert "Record a decision to hold a strategy discussion" in body
    assert "Strategy discussion held (local standard)" in body and "local standard" in body
    assert AccessEvent.objects.filter(child_id=case.child.pk, kind="view", path=url(case.child.pk)).exists()
    record = client.get(f"/children/{case.child.pk}/").content.decode()
    assert f'href="{url(case.child.pk)}"' in record


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**date_fields("decided_on", None), "reason": "Bruising"}, "Enter the date of the decision"),
        ({**date_fields("decided_on", TODAY), "reason": ""}, "Enter why a strategy discussion is needed"),
        ({**date_fields("decided_on", TODAY) | {"decided_on_month": "13"}, "reason": "x"}, "must be a real date"),
    ],
    ids=["no date", "no reason", "bad date"],
)
def test_invalid_input_rerenders_with_error_summary_and_writes_nothing(client, personas, data, message) -> None:
    case = build("episode", personas.social_worker)
    client.force_login(personas.social_worker)
    before = snapshot()
    body = client.post(url(case.child.pk), data).content.decode()
    assert 'class="govuk-error-summary"' in body and "<title>Error: " in body
    assert message in body
    assert snapshot() == before


@pytest.mark.parametrize(
    ("day", "message"),
    [(TODAY + dt.timedelta(days=1), "cannot be in the future"), (D(2025, 6, 1), "cannot be before the referral")],
    ids=["future", "before referral"],
)
def test_service_refusal_rerenders_and_writes_nothing(client, personas, day, message) -> None:
    case = build("episode", personas.social_worker)
    client.force_login(personas.social_worker)
    before = snapshot()
    body = client.post(url(case.child.pk), {**date_fields("decided_on", day), "reason": "Bruising"}).content.decode()
    assert 'class="govuk-error-summary"' in body and message in body
    assert snapshot() == before


def test_a_decision_starts_the_clock_and_a_second_is_refused_until_the_discussion(client, personas) -> None:
    case = build("episode", personas.social_worker)
    client.force_login(personas.social_worker)
    data = {**date_fields("decided_on", D(2025, 6, 26)), "reason": "Disclosure at school"}
    response = client.post(url(case.child.pk), data)
    assert response.status_code == 302
    decision = StrategyDecision.objects.get(episode=case["episode"])
    assert decision.decided_by_id == personas.social_worker.staff.pk
    assert AuditEvent.objects.filter(action="strategy_decision.recorded", child_id=case.child.pk).count() == 1
    # Thu 26 Jun 2025 + 3 working days = Fri 27 (1), Mon 30 (2), Tue 1 Jul (3).
    d = Deadline.objects.get(child=case.child, rule_code="strategy_discussion")
    assert (d.start_date, d.due_date, d.state) == (D(2025, 6, 26), D(2025, 7, 1), "due")

    before = snapshot()
    body = client.post(url(case.child.pk), data).content.decode()
    assert "already decided on 26 June 2025 and has not been held" in body
    assert snapshot() == before

    client.post(
        f"/children/{case.child.pk}/strategy-discussions/new/",
        {**date_fields("held_on", TODAY), "start_section47": "yes", "decision": "Start s47", "agencies": ["police"]},
    )
    decision.refresh_from_db()
    assert decision.discussion is not None and decision.discussion.held_on == TODAY
    d = Deadline.objects.get(child=case.child, rule_code="strategy_discussion")
    assert (d.met_on, d.state) == (TODAY, "met_on_time")
