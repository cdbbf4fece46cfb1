"""Workforce pages: who may see them, caseload distribution and ASYE protected caseloads (hand-worked), training
expiry, leavers' reasons, and every form's bad input (re-rendered with errors, nothing written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings

from safehold.accounts.roles import Role
from safehold.audit.models import AuditEvent
from safehold.core.testing import allocate, make_child, make_staff, make_user
from safehold.frontend.tests.journey import build, date_fields
from safehold.workforce import selectors, services
from safehold.workforce.choices import StaffRole
from safehold.workforce.models import Post, StaffMember, TrainingRecord

pytestmark = [pytest.mark.django_db, pytest.mark.urls("safehold.oversight.tests.urls")]
TODAY = dt.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 6, 30, 11, tzinfo=dt.UTC), tick=False):
        yield


def _writes() -> tuple[int, int, int, int]:
    return (
        Post.objects.count(),
        TrainingRecord.objects.count(),
        AuditEvent.objects.count(),
        StaffMember.objects.exclude(leave_reason="").count(),
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("team_manager", 200), ("head_of_service", 200), ("director", 200), ("social_worker", 404),
     ("analyst", 404), ("councillor", 404), ("iro", 404)],
)  # fmt: skip
def test_who_may_open_the_workforce_pages(client, personas, who, status) -> None:  # type: ignore[no-untyped-def]
    client.force_login(getattr(personas, who))
    for path in (
        "/workforce/",
        "/workforce/posts/",
        "/workforce/starters-and-leavers/",
        "/workforce/caseloads/",
        "/workforce/asye/",
        "/workforce/training/",
        "/workforce/posts/new/",
        "/workforce/training/new/",
    ):
        assert client.get(path).status_code == status, path


def test_a_team_manager_sees_only_their_teams(client, personas) -> None:  # type: ignore[no-untyped-def]
    """The team manager manages team A only: team B is not offered and ?team=B is 404; a team manager who manages
    no team gets 404; a head of service sees every team."""
    client.force_login(personas.team_manager)
    assert client.get(f"/workforce/?team={personas.other_team.pk}").status_code == 404
    assert client.get("/workforce/?team=x").status_code == 404
    body = client.get("/workforce/caseloads/").content.decode()
    assert personas.social_worker.staff.full_name in body and personas.other_worker.staff.full_name not in body
    lonely = make_user(role=Role.TEAM_MANAGER)
    make_staff(team=personas.other_team, role=StaffRole.TEAM_MANAGER, user=lonely)
    client.force_login(lonely)
    assert client.get("/workforce/").status_code == 404
    client.force_login(personas.head_of_service)
    body = client.get("/workforce/caseloads/").content.decode()
    assert personas.other_worker.staff.full_name in body


def test_caseload_distribution_by_hand(client, personas) -> None:  # type: ignore[no-untyped-def]
    """Team A's case-holding workers: the social worker holds a child on a CP plan (weight 1.5) and 4 others
    (weight 1 each): 5 children, weighted 5.5; the colleague holds none. By number of children both are in
    "5 or fewer"; by weight the social worker (5.5) is in "more than 5, up to 10". 5 children ÷ 2.0 FTE = 2.5."""
    build("cp_plan", personas.social_worker)
    for _ in range(4):
        allocate(make_child(), personas.social_worker)
    dist = selectors.caseload_distribution(team_ids={personas.team.pk})
    assert (dist.children, dist.weighted, dist.fte, dist.per_fte) == (5, Decimal("5.5"), Decimal(2), Decimal("2.5"))
    assert dist.bands[0] == ("5 or fewer", 2, 1)
    assert dist.bands[1] == ("More than 5, up to 10", 0, 1)
    assert sum(b[1] for b in dist.bands) == sum(b[2] for b in dist.bands) == 2
    client.force_login(personas.team_manager)
    response = client.get("/workforce/caseloads/")
    assert response.context["dist"].children == 5
    csv = client.get("/workforce/caseloads/?format=csv").content.decode()
    assert f"{personas.social_worker.staff.full_name},Social worker" in csv and ",5,5.5," in csv


def test_asye_protected_caseload_is_flagged_above_the_setting(client, personas) -> None:  # type: ignore[no-untyped-def]
    """Two newly qualified workers in team A. With the protected limit at 3: one with 4 children (weighted 4,
    over 3) is flagged; one with 3 (weighted 3: not more than the limit) is not. With the limit at 4, neither."""
    over = make_staff(team=personas.team, role=StaffRole.ASYE)
    within = make_staff(team=personas.team, role=StaffRole.ASYE)
    for staff, n in ((over, 4), (within, 3)):
        for _ in range(n):
            allocate(make_child(), staff)
    with override_settings(SAFEHOLD_ASYE_CASELOAD_LIMIT=3):
        rows = {r.load.staff_id: r for r in selectors.asye_workers(team_ids={personas.team.pk})}
        assert rows[over.pk].over_protected_limit and not rows[within.pk].over_protected_limit
        assert rows[over.pk].asye_ends == dt.date(2021, 1, 5)  # started 6 Jan 2020 (make_staff)
        client.force_login(personas.team_manager)
        response = client.get("/workforce/asye/")
        assert response.context["over"] == 1 and b"Over 3" in response.content
    with override_settings(SAFEHOLD_ASYE_CASELOAD_LIMIT=4):
        assert not any(r.over_protected_limit for r in selectors.asye_workers(team_ids={personas.team.pk}))
    assert personas.social_worker.staff.pk not in rows  # not in ASYE


def test_training_status_by_hand(client, personas) -> None:  # type: ignore[no-untyped-def]
    """On 30 Jun 2025: expiring 30 Jun 2025 → expired (on its expiry date); 28 Sep 2025 (90 days on) → expiring;
    29 Sep 2025 → current; no expiry → no_expiry. A leaver's training is not listed."""
    staff = personas.social_worker.staff
    for course, expires in (
        ("Expired", dt.date(2025, 6, 30)),
        ("Soon", dt.date(2025, 9, 28)),
        ("Current", dt.date(2025, 9, 29)),
        ("Forever", None),
    ):
        services.training_record_add(
            actor=None, staff=staff, course=course, completed_on=dt.date(2024, 1, 1), expires_on=expires
        )
    gone = services.staff_create(
        actor=None,
        sw_id="GONE",
        given_name="Gone",
        family_name="Away",
        role=StaffRole.SOCIAL_WORKER,
        team=personas.team,
        start_date=dt.date(2020, 1, 1),
        leave_date=dt.date(2025, 1, 1),
    )
    services.training_record_add(actor=None, staff=gone, course="Old", completed_on=dt.date(2024, 1, 1))
    rows = selectors.training_records(team_ids={personas.team.pk}, as_of=TODAY)
    assert [(r.course, st) for r, st in rows] == [
        ("Expired", "expired"),
        ("Soon", "expiring"),
        ("Current", "current"),
        ("Forever", "no_expiry"),
    ]
    client.force_login(personas.team_manager)
    assert len(client.get("/workforce/training/?status=expired").context["rows"]) == 1


def test_leavers_with_reasons(client, personas) -> None:  # type: ignore[no-untyped-def]
    """Two leavers in team A in the 12 months to 30 Jun 2025 and one starter; recording a reason moves the leaver
    from "Not recorded" to the reason."""
    left = [
        services.staff_create(
            actor=None,
            sw_id=f"L{n}",
            given_name="Leaver",
            family_name=str(n),
            role=StaffRole.SOCIAL_WORKER,
            team=personas.team,
            start_date=dt.date(2020, 1, 1),
            leave_date=dt.date(2025, 3, n + 1),
        )
        for n in range(2)
    ]
    services.staff_create(
        actor=None,
        sw_id="S1",
        given_name="New",
        family_name="Starter",
        role=StaffRole.SOCIAL_WORKER,
        team=personas.team,
        start_date=dt.date(2025, 5, 1),
    )
    client.force_login(personas.team_manager)
    response = client.get("/workforce/starters-and-leavers/")
    assert len(response.context["left"]) == 2 and len(response.context["started"]) == 1
    assert response.context["reasons"] == [("Not recorded", 2, Decimal(2))]
    response = client.post(f"/workforce/staff/{left[0].pk}/leaving-reason/", {"reason": "retired"})
    assert response.status_code == 302
    reasons = client.get("/workforce/starters-and-leavers/").context["reasons"]
    assert reasons == [("Retired", 1, Decimal(1)), ("Not recorded", 1, Decimal(1))]
    # Someone who has not left has no leaving reason page.
    assert client.get(f"/workforce/staff/{personas.social_worker.staff.pk}/leaving-reason/").status_code == 404


# --- Bad input: every form re-renders with the error summary and writes nothing -------------------------------


def _post_form(team_pk: int, **over: str) -> dict[str, str]:
    data = {"team": str(team_pk), "role": "social_worker", "fte": "1", "holder": "", **date_fields("opened_on", TODAY)}
    data.update(over)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"team": "", "role": "", "fte": "", "opened_on_day": "", "opened_on_month": "", "opened_on_year": ""},
            "team",
            "Select the team",
        ),
        ({"fte": "abc"}, "fte", "Enter the full-time equivalent as a number"),
        ({"fte": "1.5"}, "fte", "no more than 1"),
        ({"fte": "0"}, "fte", "more than 0"),
        ({"opened_on_day": "31", "opened_on_month": "2"}, "opened_on", "must be a real date"),
        ({"opened_on_year": "2026"}, "opened_on", "today or in the past"),
        ({"role": "wizard"}, "role", "Select a valid choice"),
        ({"team": "OTHER"}, "team", "Select a valid choice"),
        ({"holder": "OTHERWORKER"}, "holder", "Select a valid choice"),
    ],
)
def test_post_form_bad_input(client, personas, changes, field, message) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personas.team_manager)
    changes = {
        k: (
            str(personas.other_team.pk)
            if v == "OTHER"
            else str(personas.other_worker.staff.pk)
            if v == "OTHERWORKER"
            else v
        )
        for k, v in changes.items()
    }
    before = _writes()
    response = client.post("/workforce/posts/new/", _post_form(personas.team.pk, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors.get(field, [])), response.context["form"].errors
    assert b"govuk-error-summary" in response.content
    assert _writes() == before


def test_post_form_and_holder_form(client, personas) -> None:  # type: ignore[no-untyped-def]
    """A valid post is added (vacant); its holder is set, then refused for a second post, then cleared."""
    client.force_login(personas.team_manager)
    response = client.post("/workforce/posts/new/", _post_form(personas.team.pk, fte="0.8"))
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.fte, post.holder_id) == (Decimal("0.80"), None)
    worker = personas.social_worker.staff.pk
    assert client.post(f"/workforce/posts/{post.pk}/holder/", {"holder": str(worker)}).status_code == 302
    response = client.post("/workforce/posts/new/", _post_form(personas.team.pk, holder=str(worker)))
    assert response.status_code == 200 and "already holds a post" in str(response.context["form"].errors)
    before = _writes()
    response = client.post(f"/workforce/posts/{post.pk}/holder/", {"holder": "999999"})
    assert response.status_code == 200 and "holder" in response.context["form"].errors
    assert _writes() == before
    assert client.post(f"/workforce/posts/{post.pk}/holder/", {"holder": ""}).status_code == 302
    post.refresh_from_db()
    assert post.holder_id is None
    assert client.get(f"/workforce/posts/{post.pk}/holder/?team={personas.other_team.pk}").status_code == 404


@pytest.mark.parametrize("reason", ["", "bored"])
def test_leave_reason_form_bad_input(client, personas, reason) -> None:  # type: ignore[no-untyped-def]
    gone = services.staff_create(
        actor=None,
        sw_id="G1",
        given_name="Gone",
        family_name="Away",
        role=StaffRole.SOCIAL_WORKER,
        team=personas.team,
        start_date=dt.date(2020, 1, 1),
        leave_date=dt.date(2025, 3, 1),
    )
    client.force_login(personas.team_manager)
    before = _writes()
    response = client.post(f"/workforce/staff/{gone.pk}/leaving-reason/", {"reason": reason})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert _writes() == before


def _training(staff_pk: int, **over: str) -> dict[str, str]:
    data = {
        "staff": str(staff_pk),
        "course": "Signs of Safety",
        "provider": "",
        **date_fields("completed_on", dt.date(2025, 1, 10)),
        **date_fields("expires_on", None),
    }
    data.update(over)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"staff": "", "course": ""}, "staff", "Select the member of staff"),
        ({"course": "   "}, "course", "Enter the name of the course"),
        ({"completed_on_year": "2026"}, "completed_on", "today or in the past"),
        ({"completed_on_month": ""}, "completed_on", "must include a month"),
        ({**date_fields("expires_on", dt.date(2025, 1, 10))}, "expires_on", "after the date completed"),
        ({"staff": "OTHERWORKER"}, "staff", "Select a valid choice"),
    ],
)
def test_training_form_bad_input(client, personas, changes, field, message) -> None:  # type: ignore[no-untyped-def]
    changes = {k: (str(personas.other_worker.staff.pk) if v == "OTHERWORKER" else v) for k, v in changes.items()}
    client.force_login(personas.team_manager)
    before = _writes()
    response = client.post("/workforce/training/new/", _training(personas.social_worker.staff.pk, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors.get(field, [])), response.context["form"].errors
    assert _writes() == before


def test_training_form_records(client, personas) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personas.team_manager)
    response = client.post(
        "/workforce/training/new/",
        _training(personas.social_worker.staff.pk, **date_fields("expires_on", dt.date(2028, 1, 10))),
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    assert (record.course, record.expires_on) == ("Signs of Safety", dt.date(2028, 1, 10))
    assert AuditEvent.objects.filter(action="training.recorded").count() == 1


def test_overview_shows_census_rates_and_csv(client, personas) -> None:  # type: ignore[no-untyped-def]
    """Team A today: the team manager, two social workers (all LA-employed, 1.0 FTE, social work roles) plus a new
    agency worker: agency 1.0 ÷ (1.0 + 3.0) = 25.0%; no leavers → turnover 0.0%; one vacant post 1.0 → vacancy
    1.0 ÷ (1.0 + 3.0) = 25.0%."""
    services.staff_create(
        actor=None,
        sw_id="AG1",
        given_name="Agency",
        family_name="Worker",
        employment="agency",
        role=StaffRole.SOCIAL_WORKER,
        team=personas.team,
        start_date=dt.date(2025, 1, 1),
    )
    services.post_create(
        actor=None, team=personas.team, role=StaffRole.SOCIAL_WORKER, fte="1", opened_on=dt.date(2024, 1, 1)
    )
    client.force_login(personas.team_manager)
    response = client.get("/workforce/")
    measures = response.context["measures"]
    assert (measures.agency_rate.percent, measures.turnover_rate.percent, measures.vacancy_rate.percent) == (
        25.0,
        0.0,
        25.0,
    )
    assert b"25.0%" in response.content
    csv = client.get("/workforce/?format=csv").content.decode()
    assert csv.splitlines()[1].startswith(f"{personas.team.name},1,1.00,0,0,1")
