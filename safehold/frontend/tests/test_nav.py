"""The service navigation shows each role the pages it may use (hand-written expectations, not policy code),
marks the current one, and the child record offers "Who has viewed this record" to the DPO and managers."""

from __future__ import annotations

import re

import pytest

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.core.testing import allocate, make_child

pytestmark = pytest.mark.django_db

CASELOAD, SEARCH, DEADLINES, TEAM = "My caseload", "Search", "Deadlines", "Team"
INSPECTION, BREAK_GLASS, STAFF, REVIEW = "Inspection", "Break-glass log", "Staff accounts", "Access review"
RETURNS = "Returns"
RETENTION, RETENTION_SCHEDULE = "Retention", "Retention schedule"
SUBJECT_ACCESS = "Subject access"
AUDITS, WORKFORCE = "Case audits", "Workforce"
EXPLOITATION, ADOPTERS = "Exploitation panel", "Adopters"
WORK = [CASELOAD, SEARCH, DEADLINES]

EXPECTED = {
    "social_worker": [*WORK, EXPLOITATION, ADOPTERS, AUDITS, BREAK_GLASS],
    "team_manager": [*WORK, TEAM, EXPLOITATION, ADOPTERS, AUDITS, WORKFORCE, BREAK_GLASS],
    # The head of service manages no team here (see the test below); the workforce pages cover every team.
    "head_of_service": [*WORK, AUDITS, WORKFORCE, INSPECTION, RETURNS, BREAK_GLASS],
    "director": [*WORK, AUDITS, WORKFORCE, INSPECTION, RETURNS, BREAK_GLASS],
    "analyst": [*WORK, INSPECTION, RETURNS, BREAK_GLASS],
    "iro": [*WORK, EXPLOITATION, ADOPTERS, BREAK_GLASS],
    "business_support": [*WORK, BREAK_GLASS],
    "partner": [*WORK, BREAK_GLASS],
    "inspector": [*WORK, BREAK_GLASS],
    "councillor": [CASELOAD],
    "dpo": [*WORK, BREAK_GLASS, REVIEW, RETENTION, SUBJECT_ACCESS],
    "admin": [*WORK, BREAK_GLASS, STAFF, REVIEW, RETENTION_SCHEDULE],
}
HREFS = {
    CASELOAD: "/", SEARCH: "/children/search/", DEADLINES: "/deadlines/", TEAM: "/team/", INSPECTION: "/inspection/",
    RETURNS: "/returns/",
    AUDITS: "/oversight/audits/", WORKFORCE: "/workforce/", EXPLOITATION: "/exploitation/panel/",
    ADOPTERS: "/adoption/adopters/",
    BREAK_GLASS: "/accounts/break-glass/", STAFF: "/accounts/staff/", REVIEW: "/accounts/access-review/",
    RETENTION: "/retention/", RETENTION_SCHEDULE: "/retention/schedule/", SUBJECT_ACCESS: "/subject-access/",
}  # fmt: skip
NAV_LINK = re.compile(r'<a class="govuk-service-navigation__link" href="([^"]+)"( aria-current="page")?>(.*?)</a>')


def _menu(body: str) -> list[tuple[str, str, bool]]:
    return [(re.sub(r"<[^>]+>", "", label), href, bool(cur)) for href, cur, label in NAV_LINK.findall(body)]


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_role_sees_the_links_it_may_use_and_each_link_opens(client, personas, who) -> None:
    client.force_login(getattr(personas, who))
    menu = _menu(client.get("/").content.decode())
    assert [label for label, _, _ in menu] == EXPECTED[who]
    for label, href, _ in menu:
        assert href == HREFS[label]
        response = client.get(href)
        assert response.status_code == 200, (who, href)
        current = [item for item in _menu(response.content.decode()) if item[2]]
        assert current == [(label, href, True)], (who, href, current)


def test_a_head_of_service_who_manages_a_team_gets_the_team_link(client, personas) -> None:
    from safehold.workforce.services import team_set_manager

    team_set_manager(actor=None, team=personas.other_team, manager=personas.head_of_service.staff)
    client.force_login(personas.head_of_service)
    menu = _menu(client.get("/").content.decode())
    assert (TEAM, "/team/", False) in menu
    assert client.get("/team/").status_code == 200


def test_no_menu_when_signed_out(client) -> None:
    body = client.get("/accounts/sign-in/").content.decode()
    assert "govuk-service-navigation__link" not in body


def test_a_page_under_a_section_marks_that_section(client, personas) -> None:
    client.force_login(personas.team_manager)
    current = [item for item in _menu(client.get("/team/unallocated/").content.decode()) if item[2]]
    assert current == [(TEAM, "/team/", True)]


@pytest.mark.parametrize(
    ("who", "shown"),
    [("team_manager", True), ("head_of_service", True), ("director", True), ("dpo", True),
     ("social_worker", False), ("business_support", False), ("analyst", False), ("iro", False)],
)  # fmt: skip
def test_who_has_viewed_link_on_the_child_record(client, personas, who, shown) -> None:
    child = make_child()
    allocate(child, personas.social_worker)
    client.force_login(getattr(personas, who))
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    link = f'href="/audit/children/{child.pk}/access/"'
    assert (link in response.content.decode()) is shown
    if shown:
        assert client.get(f"/audit/children/{child.pk}/access/").status_code == 200
