"""Page-title and accessibility sweep of the service navigation: a social worker, a team manager, a performance
analyst and the DPO each sign in and open every link in their menu. Every page answers 200, has its own title
("<page> – Safehold"), marks its own menu item as current and has no serious or critical axe violations."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.conftest import axe_violations, describe
from safehold.accounts.testing import enrol, totp_now
from safehold.core.testing import TEST_PASSWORD, allocate, make_child, make_personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Hand-written: the menu each role should get (label -> path), in order.
WORK = {"My caseload": "/", "Search": "/children/search/", "Deadlines": "/deadlines/"}
BREAK_GLASS = {"Break-glass log": "/accounts/break-glass/"}
RECORDING = {"Exploitation panel": "/exploitation/panel/", "Adopters": "/adoption/adopters/"}
MENUS = {
    "social_worker": {**WORK, **RECORDING, "Case audits": "/oversight/audits/", **BREAK_GLASS},
    "team_manager": {
        **WORK, "Team": "/team/", **RECORDING, "Case audits": "/oversight/audits/", "Workforce": "/workforce/",
        **BREAK_GLASS,
    },
    "analyst": {**WORK, "Inspection": "/inspection/", "Returns": "/returns/", **BREAK_GLASS},
    "dpo": {
        **WORK, **BREAK_GLASS, "Access review": "/accounts/access-review/", "Retention": "/retention/",
        "Subject access": "/subject-access/",
    },
}


def sign_in(page: Any, user: Any) -> None:
    """Password, then the code from the user's authenticator app (enrolled first, as if they had set it up)."""
    device = enrol(user)
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("#id_token")
    page.fill("#id_token", totp_now(device))
    page.click("button:has-text('Continue')")
    page.wait_for_selector("#navigation")


def _menu(page: Any) -> dict[str, str]:
    links = page.locator("#navigation a.govuk-service-navigation__link")
    return {links.nth(i).inner_text().strip(): links.nth(i).get_attribute("href") for i in range(links.count())}


@pytest.mark.parametrize("who", sorted(MENUS))
def test_every_menu_link_opens_titled_current_and_accessible(page: Any, who: str) -> None:
    personas = make_personas()
    child = make_child(given_name="Nia", family_name="Sweep")
    allocate(child, personas.social_worker)
    sign_in(page, getattr(personas, who))

    page.goto("/")
    menu = _menu(page)
    assert menu == MENUS[who]
    titles: set[str] = set()
    for label, href in menu.items():
        response = page.goto(href)
        assert response is not None and response.status == 200, (who, href)
        title = page.title()
        assert title.endswith(" – Safehold") and title != "Safehold – Safehold", (href, title)
        titles.add(title)
        current = page.locator("#navigation a[aria-current='page']")
        assert current.count() == 1 and current.inner_text().strip() == label, (who, href)
        violations = axe_violations(page)
        assert violations == [], f"{who} {href}: {describe(violations)}"
    assert len(titles) == len(menu), titles  # every page has a title of its own

    # The child record: "Who has viewed this record" for the DPO and managers only.
    page.goto(f"/children/{child.pk}/")
    page.wait_for_selector("h1:has-text('Nia Sweep')")
    who_viewed = page.locator(f"a[href='/audit/children/{child.pk}/access/']")
    assert who_viewed.count() == (1 if who in {"team_manager", "dpo"} else 0)
    if who_viewed.count():
        who_viewed.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/audit/children/{child.pk}/access/")
    violations = axe_violations(page)
    assert violations == [], f"{who} child pages: {describe(violations)}"
