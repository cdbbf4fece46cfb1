"""Case audits: the programme's reproducible samples, graded audits, moderation (and the guard against moderating
your own audit), actions back to the worker and manager, re-audits, trends worked by hand, who may see what,
and bad input on every form."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
import time_machine

from safehold.audit.models import AccessEvent, AuditEvent
from safehold.casework import services as cw
from safehold.core.exceptions import ValidationFailed
from safehold.core.testing import allocate, make_child
from safehold.frontend.tests.journey import date_fields
from safehold.inspection.models import SampleTheme
from safehold.oversight import indicators, selectors
from safehold.oversight.case_audits import selectors as audits
from safehold.oversight.case_audits import services
from safehold.oversight.case_audits.domains import domains
from safehold.oversight.models import (
    AuditAction,
    AuditDomainGrade,
    AuditMonth,
    AuditProgramme,
    AuditSampleChild,
    CaseAudit,
)
from safehold.oversight.selectors import LA, Scope
from safehold.workforce.services import allocation_set

pytestmark = [pytest.mark.django_db, pytest.mark.urls("safehold.oversight.tests.urls")]
TODAY = dt.date(2025, 6, 16)
CODES = ["assessment", "childs_voice", "management_oversight", "planning_review", "impact"]


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 6, 16, 12, tzinfo=dt.UTC), tick=False):
        yield


def _grades(grade: str = "good") -> dict[str, str]:
    return dict.fromkeys(CODES, grade)


def _audit(personas: Any, child: Any, *, by: Any = None, grade: str = "good", on: dt.date = TODAY, **kw: Any) -> Any:
    by = by or personas.team_manager
    return services.case_audit_record(
        actor=by,
        auditor=by.staff,
        child=child,
        audited_on=on,
        grades=_grades(grade),
        findings="Findings",
        grade=grade,
        **kw,
    )


def _writes() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (AuditProgramme, AuditMonth, AuditSampleChild, CaseAudit, AuditDomainGrade, AuditAction, AuditEvent)
    ) + (
        CaseAudit.objects.filter(moderated_on__isnull=False).count(),
        AuditAction.objects.filter(completed_on__isnull=False).count(),
    )


def test_domains_are_data_with_sources() -> None:
    assert [d.code for d in domains()] == CODES
    assert all(d.title and d.prompt and d.source for d in domains())


# --- Programme and reproducible samples -------------------------------------------------------------------------


def _open_case(child: Any) -> None:
    cw.referral_create(actor=None, child=child, referral_date=dt.date(2025, 5, 1), source="2A")


def test_random_sample_is_reproducible(personas) -> None:  # type: ignore[no-untyped-def]
    """Four children with an open case (ids a < b < c < d). Seed 42, size 2: Python's ``random.Random(42).sample``
    of the four in id order picks positions [0, 3], so the sample is a then d, in that order; the population is 4.
    Drawing again (same theme, date, seed) gives the same; a month is drawn once."""
    assert random.Random(42).sample([0, 1, 2, 3], 2) == [0, 3]  # the hand-worked pick
    kids = sorted((make_child() for _ in range(4)), key=lambda c: c.pk)
    for c in kids:
        _open_case(c)
        allocate(c, personas.social_worker)
    hos = personas.head_of_service
    programme = services.audit_programme_create(actor=hos, title="2025 to 2026")
    month = services.audit_month_add(
        actor=hos,
        programme=programme,
        month=dt.date(2025, 6, 9),
        theme=SampleTheme.RANDOM_OPEN,
        sample_size=2,
        seed=42,
    )
    assert month.month == dt.date(2025, 6, 1)
    services.audit_month_draw(actor=hos, month=month)
    month.refresh_from_db()
    drawn = list(month.sample.order_by("position").values_list("child_id", flat=True))
    assert drawn == [kids[0].pk, kids[3].pk]
    assert (month.population, month.drawn_on, month.drawn_by_id) == (4, TODAY, hos.pk)
    assert audits.redraw(month=month) == drawn
    with pytest.raises(ValidationFailed):
        services.audit_month_draw(actor=hos, month=month)


def test_themed_sample_unallocated(personas) -> None:  # type: ignore[no-untyped-def]
    """Three children with open cases: two allocated to a worker, one to the team only. The "no allocated worker"
    theme's population is 1: that child, whatever the seed."""
    a, b, c = make_child(), make_child(), make_child()
    for ch in (a, b, c):
        _open_case(ch)
    allocate(a, personas.social_worker)
    allocate(b, personas.social_worker)
    allocation_set(actor=None, child=c, team=personas.team, worker=None, start_date=dt.date(2025, 5, 1))
    hos = personas.head_of_service
    programme = services.audit_programme_create(actor=hos, title="Themes")
    month = services.audit_month_add(
        actor=hos, programme=programme, month=TODAY, theme=SampleTheme.UNALLOCATED, sample_size=5
    )
    services.audit_month_draw(actor=hos, month=month)
    month.refresh_from_db()
    assert month.population == 1
    assert list(month.sample.values_list("child_id", flat=True)) == [c.pk]


# --- Audit, moderation, actions --------------------------------------------------------------------------------


def test_audit_moderated_with_a_regrade_and_actions_reach_worker_and_child(client, personas) -> None:  # type: ignore[no-untyped-def]
    """The team manager audits the child (good) and gives the social worker an action due in 14 days; the head of
    service regrades to requires improvement with a reason. The final grade is the moderator's; the action shows
    on the child's oversight page and in the worker's action list; each step wrote its audit event."""
    child = make_child()
    allocate(child, personas.social_worker)
    audit = _audit(
        personas,
        child,
        action="Update the plan",
        action_owner=personas.social_worker.staff,
        action_due=TODAY + dt.timedelta(days=14),
    )
    assert (audit.team_id, audit.worker_id, audit.manager_id) == (
        personas.team.pk,
        personas.social_worker.staff.pk,
        personas.team_manager.staff.pk,
    )
    assert audit.theme == "ad_hoc" and audit.domains.count() == 5
    services.case_audit_moderate(
        actor=personas.head_of_service,
        audit=audit,
        moderator=personas.head_of_service.staff,
        outcome="regraded",
        grade="requires_improvement",
        reason="Plan not SMART",
        moderated_on=TODAY,
    )
    audit.refresh_from_db()
    assert (audit.final_grade, audit.moderation, audit.moderation_reason) == (
        "requires_improvement",
        "regraded",
        "Plan not SMART",
    )
    actions = set(AuditEvent.objects.filter(child_id=child.pk).values_list("action", flat=True))
    assert {
        "case_audit.recorded",
        "case_audit.domain_graded",
        "case_audit.action_set",
        "case_audit.moderated_regraded",
    } <= actions
    assert AuditEvent.objects.get(action="case_audit.moderated_regraded").reason == "Plan not SMART"

    client.force_login(personas.social_worker)
    page = client.get(f"/oversight/child/{child.pk}/")
    assert page.status_code == 200 and b"Update the plan" in page.content and b"Requires improvement" in page.content
    mine = client.get("/oversight/actions/")
    assert [a.description for a in mine.context["audit_rows"]] == ["Update the plan"]
    action = AuditAction.objects.get()
    response = client.post(f"/oversight/audits/actions/{action.pk}/complete/", date_fields("completed_on", TODAY))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.completed_on == TODAY
    assert client.get("/oversight/actions/").context["audit_rows"] == []


def test_an_auditor_cannot_moderate_their_own_audit(client, personas) -> None:  # type: ignore[no-untyped-def]
    """The service refuses; the page says so and a forced POST writes nothing; a second moderation is refused."""
    child = make_child()
    allocate(child, personas.social_worker)
    audit = _audit(personas, child)
    with pytest.raises(ValidationFailed) as exc:
        services.case_audit_moderate(
            actor=personas.team_manager,
            audit=audit,
            moderator=personas.team_manager.staff,
            outcome="agreed",
            moderated_on=TODAY,
        )
    assert "moderator" in exc.value.errors
    client.force_login(personas.team_manager)
    page = client.get(f"/oversight/audits/{audit.pk}/moderate/")
    assert b"cannot moderate it" in page.content and b"Save the moderation" not in page.content
    assert page.context["own"] is True
    before = _writes()
    response = client.post(
        f"/oversight/audits/{audit.pk}/moderate/", {"outcome": "agreed", **date_fields("moderated_on", TODAY)}
    )
    assert response.status_code == 200 and "cannot moderate your own audit" in response.content.decode()
    assert _writes() == before
    detail = client.get(f"/oversight/audits/{audit.pk}/")
    assert detail.context["may_moderate"] is False
    services.case_audit_moderate(
        actor=personas.director, audit=audit, moderator=personas.director.staff, outcome="agreed", moderated_on=TODAY
    )
    with pytest.raises(ValidationFailed):
        services.case_audit_moderate(
            actor=personas.head_of_service,
            audit=audit,
            moderator=personas.head_of_service.staff,
            outcome="agreed",
            moderated_on=TODAY,
        )


def test_reaudit_is_linked_to_the_first(client, personas) -> None:  # type: ignore[no-untyped-def]
    child = make_child()
    allocate(child, personas.social_worker)
    first = _audit(personas, child, grade="inadequate", on=dt.date(2025, 3, 3))
    again = _audit(personas, child, grade="good", reaudit_of=first)
    assert (again.reaudit_of_id, again.theme) == (first.pk, "reaudit")
    assert audits.audit_history(audit=first) == audits.audit_history(audit=again) == [first, again]
    with pytest.raises(ValidationFailed):
        _audit(personas, child, on=dt.date(2025, 3, 1), reaudit_of=first)
    other = make_child()
    allocate(other, personas.social_worker)
    with pytest.raises(ValidationFailed):
        _audit(personas, other, reaudit_of=first)
    client.force_login(personas.team_manager)
    assert client.get(f"/oversight/audits/child/{other.pk}/new/?reaudit={first.pk}").status_code == 404
    page = client.get(f"/oversight/audits/child/{child.pk}/new/?reaudit={first.pk}")
    assert page.status_code == 200 and b"Re-audit the case" in page.content


def test_sample_audit_only_for_children_in_the_sample(personas) -> None:  # type: ignore[no-untyped-def]
    a, b = make_child(), make_child()
    for ch in (a, b):
        _open_case(ch)
        allocate(ch, personas.social_worker)
    tm = personas.team_manager
    programme = services.audit_programme_create(actor=tm, title="P")
    month = services.audit_month_add(
        actor=tm, programme=programme, month=TODAY, theme="random_open", sample_size=1, seed=1
    )
    services.audit_month_draw(actor=tm, month=month)
    chosen = month.sample.get().child
    left_out = b if chosen.pk == a.pk else a
    _audit(personas, chosen, month=month)
    with pytest.raises(ValidationFailed):
        _audit(personas, chosen, month=month)  # already audited for the month
    with pytest.raises(ValidationFailed):
        _audit(personas, left_out, month=month)  # not in the sample
    assert CaseAudit.objects.get().theme == "random_open"


# --- Trends and the dashboard measure ---------------------------------------------------------------------------


def _trend_fixture(personas: Any) -> None:
    c1, c2, c3 = make_child(), make_child(), make_child()
    allocate(c1, personas.social_worker)
    allocate(c2, personas.social_worker)
    allocate(c3, personas.other_worker)
    hos = personas.head_of_service
    a1 = _audit(personas, c1, grade="good", on=dt.date(2025, 6, 2))
    services.case_audit_moderate(
        actor=hos,
        audit=a1,
        moderator=hos.staff,
        outcome="regraded",
        grade="requires_improvement",
        reason="Drift",
        moderated_on=TODAY,
    )
    a2 = _audit(personas, c2, grade="outstanding", on=dt.date(2025, 6, 10))
    services.case_audit_moderate(actor=hos, audit=a2, moderator=hos.staff, outcome="agreed", moderated_on=TODAY)
    _audit(personas, c3, by=hos, grade="inadequate", on=dt.date(2025, 5, 20))
    _audit(personas, c1, grade="good", on=dt.date(2025, 6, 12), reaudit_of=a1)
    _audit(personas, c2, grade="inadequate", on=dt.date(2024, 5, 31))  # before the 12 months


def test_trends_by_hand(client, personas) -> None:  # type: ignore[no-untyped-def]
    """Audits (final grade): a1 team A 2 Jun 2025 good regraded → requires improvement; a2 team A 10 Jun
    outstanding (agreed); a3 team B 20 May inadequate; a4 team A 12 Jun re-audit of a1, good; a5 31 May 2024,
    outside July 2024 – June 2025.

    * June 2025: RI 1, outstanding 1, good 1 → 3 audits, 2 good or better = 66.7%. May 2025: inadequate 1 → 0.0%.
    * Team A: a1, a2, a4 → 66.7%; team B: a3 → 0.0%.
    * Ad hoc: a1, a2, a3 → 1 of 3 = 33.3%; re-audit: a4 → 100.0%.
    * 4 audits, 2 moderated, 1 regraded.
    """
    _trend_fixture(personas)
    t = audits.trends(as_of=TODAY)
    months = dict(t.by_month)
    june, may = months[dt.date(2025, 6, 1)], months[dt.date(2025, 5, 1)]
    assert june.ordered() == [1, 1, 1, 0] and june.percent_good == 66.7
    assert may.ordered() == [0, 0, 0, 1] and may.percent_good == 0.0
    assert len(t.by_month) == 12 and t.by_month[0][0] == dt.date(2024, 7, 1)
    teams = dict(t.by_team)
    assert teams[personas.team.name].percent_good == 66.7 and teams[personas.other_team.name].percent_good == 0.0
    themes = dict(t.by_theme)
    assert themes["Ad hoc audit"].percent_good == 33.3 and themes["Re-audit"].percent_good == 100.0
    assert (t.total.total, t.moderated, t.regraded) == (4, 2, 1)
    only_a = audits.trends(as_of=TODAY, team_id=personas.team.pk)
    assert only_a.total.total == 3

    client.force_login(personas.director)
    page = client.get("/oversight/audits/trends/")
    assert page.status_code == 200 and page.content.count(b"<svg") == 2 and b'id="by-month"' in page.content
    csv = client.get("/oversight/audits/trends/?format=csv&table=team").content.decode().splitlines()
    assert csv[0].startswith("Group,Outstanding,Good,Requires improvement to be good,Inadequate,Audits")
    assert f"{personas.team.name},1,1,1,0,3,66.7" in csv


def test_dashboard_audit_indicator(personas) -> None:  # type: ignore[no-untyped-def]
    """In the 12 months to 16 Jun 2025 (from 17 Jun 2024): a1 RI, a2 outstanding, a3 inadequate, a4 good → 2 of 4
    = 50.0%; team A: a1, a2, a4 → 2 of 3 = 66.7%; the social worker's work: the same three."""
    _trend_fixture(personas)
    first, last = indicators.period(TODAY)
    fig = indicators.audits_good(LA, first, last)
    assert (fig.numerator, fig.denominator, fig.value) == (2, 4, 50.0)
    assert indicators.audits_good(Scope("team", str(personas.team.pk)), first, last).value == 66.7
    assert indicators.audits_good(Scope("worker", str(personas.social_worker.staff.pk)), first, last).value == 66.7


# --- Who sees what ----------------------------------------------------------------------------------------------


def test_who_may_read_an_audit(client, personas) -> None:  # type: ignore[no-untyped-def]
    """The child's worker reads it; a colleague (who sees the child through the team, but it is not theirs), another
    team's worker, business support and the councillor do not; auditors who may see the child do. Each read of
    the audit logs an AccessEvent for the child."""
    child = make_child()
    allocate(child, personas.social_worker)
    audit = _audit(personas, child)
    url = f"/oversight/audits/{audit.pk}/"
    for who, status in (
        ("social_worker", 200),
        ("team_manager", 200),
        ("head_of_service", 200),
        ("director", 200),
        ("colleague", 404),
        ("other_worker", 404),
        ("business_support", 404),
        ("iro", 404),
        ("analyst", 404),
        ("councillor", 404),
    ):
        client.force_login(getattr(personas, who))
        before = AccessEvent.objects.filter(child_id=child.pk, path=url).count()
        assert client.get(url).status_code == status, who
        logged = AccessEvent.objects.filter(child_id=child.pk, path=url).count() - before
        assert logged == (1 if status == 200 else 0), who
    client.force_login(personas.social_worker)
    assert [a.pk for a in client.get("/oversight/audits/").context["recent"]] == [audit.pk]
    for path in (
        "/oversight/audits/trends/",
        "/oversight/audits/programmes/new/",
        f"{url}moderate/",
        f"/oversight/audits/child/{child.pk}/new/",
    ):
        assert client.get(path).status_code == 404, path
    # Another team's manager cannot see the child, so cannot audit it.
    client.force_login(personas.team_manager)
    other = make_child()
    allocate(other, personas.other_worker)
    assert client.get(f"/oversight/audits/child/{other.pk}/new/").status_code == 404


def test_child_audit_pages_log_access(client, personas) -> None:  # type: ignore[no-untyped-def]
    child = make_child()
    _open_case(child)
    allocate(child, personas.social_worker)
    tm = personas.team_manager
    programme = services.audit_programme_create(actor=tm, title="P")
    month = services.audit_month_add(actor=tm, programme=programme, month=TODAY, theme="random_open", sample_size=1)
    services.audit_month_draw(actor=tm, month=month)
    audit = _audit(personas, child, month=month)
    client.force_login(personas.head_of_service)
    for path in (
        f"/oversight/audits/months/{month.pk}/",
        f"/oversight/audits/child/{child.pk}/new/",
        f"/oversight/audits/{audit.pk}/moderate/",
        "/oversight/audits/",
    ):
        before = AccessEvent.objects.filter(child_id=child.pk).count()
        assert client.get(path).status_code == 200, path
        assert AccessEvent.objects.filter(child_id=child.pk).count() == before + 1, path


# --- Bad input on every form -------------------------------------------------------------------------------------


def _assert_error(response: Any, field: str, message: str, before: tuple[int, ...]) -> None:
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field, [])), errors
    assert b"govuk-error-summary" in response.content
    assert _writes() == before


def test_programme_form_bad_input(client, personas) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personas.team_manager)
    before = _writes()
    _assert_error(client.post("/oversight/audits/programmes/new/", {"title": ""}), "title", "Enter a name", before)
    _assert_error(client.post("/oversight/audits/programmes/new/", {"title": "   "}), "title", "Enter a name", before)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "month", "Select the month"),
        ({"month": "2025-06", "theme": "random_open", "sample_size": "abc"}, "sample_size", "whole number"),
        ({"month": "2025-06", "theme": "random_open", "sample_size": "0"}, "sample_size", "between 1 and 50"),
        ({"month": "2025-06", "theme": "random_open", "sample_size": "51"}, "sample_size", "between 1 and 50"),
        ({"month": "2025-06", "theme": "random_open", "sample_size": "5", "seed": "-1"}, "seed", "from 0 upwards"),
        ({"month": "2025-06", "theme": "astrology", "sample_size": "5"}, "theme", "Select a valid choice"),
        ({"month": "1999-01", "theme": "random_open", "sample_size": "5"}, "month", "Select a valid choice"),
        ({"month": "2025-05", "theme": "random_open", "sample_size": "5"}, "month", "already has a theme"),
    ],
)
def test_month_form_bad_input(client, personas, data, field, message) -> None:  # type: ignore[no-untyped-def]
    programme = services.audit_programme_create(actor=personas.team_manager, title="P")
    services.audit_month_add(
        actor=personas.team_manager, programme=programme, month=dt.date(2025, 5, 1), theme="random_open", sample_size=3
    )
    client.force_login(personas.team_manager)
    before = _writes()
    _assert_error(client.post(f"/oversight/audits/programmes/{programme.pk}/", data), field, message, before)


def _audit_form(**over: str) -> dict[str, str]:
    data = {
        **date_fields("audited_on", TODAY),
        **{f"grade_{c}": "good" for c in CODES},
        "findings": "Solid work",
        "grade": "good",
        "action": "",
        "action_owner": "",
        **date_fields("action_due", None),
    }
    data.update(over)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({f"grade_{c}": "" for c in CODES}, "grade_childs_voice", "Select a grade for the child's voice"),
        ({"grade_impact": "brilliant"}, "grade_impact", "Select a valid choice"),
        ({"findings": ""}, "findings", "Enter the audit's findings"),
        ({"findings": "   "}, "findings", "Enter the audit's findings"),
        ({"grade": ""}, "grade", "Select the overall grade"),
        ({"audited_on_year": "2026"}, "audited_on", "today or in the past"),
        ({"audited_on_day": "32"}, "audited_on", "must be a real date"),
        ({"action": "Do it"}, "action_owner", "Select who the action is for"),
        (
            {"action": "Do it", "action_owner": "SW", **date_fields("action_due", dt.date(2025, 6, 1))},
            "action_due",
            "cannot be due before the audit",
        ),
        (
            {"action": "Do it", "action_owner": "99999", **date_fields("action_due", TODAY)},
            "action_owner",
            "Select a valid choice",
        ),
    ],
)
def test_audit_form_bad_input(client, personas, changes, field, message) -> None:  # type: ignore[no-untyped-def]
    child = make_child()
    allocate(child, personas.social_worker)
    changes = {k: (str(personas.social_worker.staff.pk) if v == "SW" else v) for k, v in changes.items()}
    client.force_login(personas.team_manager)
    before = _writes()
    _assert_error(
        client.post(f"/oversight/audits/child/{child.pk}/new/", _audit_form(**changes)), field, message, before
    )


def test_audit_form_records(client, personas) -> None:  # type: ignore[no-untyped-def]
    child = make_child()
    allocate(child, personas.social_worker)
    client.force_login(personas.team_manager)
    response = client.post(
        f"/oversight/audits/child/{child.pk}/new/",
        _audit_form(
            grade_impact="requires_improvement",
            comment_impact="No change yet",
            action="Visit",
            action_owner=str(personas.team_manager.staff.pk),
            **date_fields("action_due", TODAY),
        ),
    )
    assert response.status_code == 302
    audit = CaseAudit.objects.get()
    assert audit.domains.get(domain="impact").comment == "No change yet"
    assert AuditAction.objects.get().owner_id == personas.team_manager.staff.pk


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "outcome", "Select whether you agree"),
        ({"outcome": "regraded"}, "grade", "Select the moderated grade"),
        ({"outcome": "regraded", "grade": "inadequate"}, "reason", "Enter why you regraded"),
        ({"outcome": "regraded", "grade": "good", "reason": "Same"}, "grade", "select a different grade"),
        ({"outcome": "maybe"}, "outcome", "Select a valid choice"),
        ({"outcome": "agreed", "moderated_on_year": "2026"}, "moderated_on", "today or in the past"),
        (
            {"outcome": "agreed", **date_fields("moderated_on", dt.date(2025, 6, 1))},
            "moderated_on",
            "cannot be before the audit",
        ),
    ],
)
def test_moderation_form_bad_input(client, personas, data, field, message) -> None:  # type: ignore[no-untyped-def]
    child = make_child()
    allocate(child, personas.social_worker)
    audit = _audit(personas, child, on=dt.date(2025, 6, 10))
    client.force_login(personas.head_of_service)
    before = _writes()
    post = {**date_fields("moderated_on", TODAY), **data}
    _assert_error(client.post(f"/oversight/audits/{audit.pk}/moderate/", post), field, message, before)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "action", "Enter the action"),
        (
            {"action": "x", "action_owner": "99999", **date_fields("action_due", TODAY)},
            "action_owner",
            "Select a valid choice",
        ),
        ({"action": "x", "action_owner": "SW"}, "action_due", "Enter the date the action is due"),
        (
            {"action": "x", "action_owner": "SW", **date_fields("action_due", dt.date(2025, 6, 1))},
            "action_due",
            "cannot be due before the audit",
        ),
    ],
)
def test_action_form_bad_input(client, personas, data, field, message) -> None:  # type: ignore[no-untyped-def]
    child = make_child()
    allocate(child, personas.social_worker)
    audit = _audit(personas, child, on=dt.date(2025, 6, 10))
    data = {k: (str(personas.social_worker.staff.pk) if v == "SW" else v) for k, v in data.items()}
    client.force_login(personas.team_manager)
    before = _writes()
    _assert_error(client.post(f"/oversight/audits/{audit.pk}/", data), field, message, before)


def test_action_complete_form_bad_input(client, personas) -> None:  # type: ignore[no-untyped-def]
    child = make_child()
    allocate(child, personas.social_worker)
    _audit(
        personas,
        child,
        on=dt.date(2025, 6, 10),
        action="Visit",
        action_owner=personas.social_worker.staff,
        action_due=TODAY,
    )
    action = AuditAction.objects.get()
    client.force_login(personas.social_worker)
    before = _writes()
    url = f"/oversight/audits/actions/{action.pk}/complete/"
    _assert_error(
        client.post(url, date_fields("completed_on", dt.date(2026, 1, 1))),
        "completed_on",
        "today or in the past",
        before,
    )
    _assert_error(
        client.post(url, date_fields("completed_on", dt.date(2025, 6, 1))), "completed_on", "before the audit", before
    )
    _assert_error(client.post(url, date_fields("completed_on", None)), "completed_on", "Enter the date", before)
    client.force_login(personas.colleague)
    assert client.get(url).status_code == 404


def test_draw_needs_a_post_and_reports_a_second_draw(client, personas) -> None:  # type: ignore[no-untyped-def]
    programme = services.audit_programme_create(actor=personas.team_manager, title="P")
    month = services.audit_month_add(
        actor=personas.team_manager, programme=programme, month=TODAY, theme="random_open", sample_size=3
    )
    client.force_login(personas.team_manager)
    assert client.get(f"/oversight/audits/months/{month.pk}/draw/").status_code == 405
    assert client.post(f"/oversight/audits/months/{month.pk}/draw/").status_code == 302
    before = _writes()
    response = client.post(f"/oversight/audits/months/{month.pk}/draw/", follow=True)
    assert b"was drawn on" in response.content
    assert _writes() == before


def test_supervision_coverage_selector_still_keys_by_scope(personas) -> None:  # type: ignore[no-untyped-def]
    """(The coverage selector's column name was renamed: the keys are unchanged.)"""
    allocate(make_child(), personas.social_worker)
    assert str(personas.social_worker.staff.pk) in selectors.supervision_coverage_by(level="worker")
