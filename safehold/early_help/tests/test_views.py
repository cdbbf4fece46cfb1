"""Every early help form: invalid input re-renders with the GOV.UK error summary and writes nothing; a service
refusal does the same; valid input writes. Partners see only the episode they lead; pages log access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client

from safehold.audit.models import AccessEvent
from safehold.early_help.models import EarlyHelpEpisode
from safehold.early_help.tests.builders import (
    OPENED,
    assessed,
    early_help_contact,
    fingerprint,
    open_episode,
    organisation,
    partner_lead,
)
from safehold.frontend.tests.journey import NOW, TODAY, build, date_fields

pytestmark = pytest.mark.django_db
FUTURE = TODAY + dt.timedelta(days=3)


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class FormCase:
    name: str
    setup: Callable[[Any], dict[str, Any]]
    url: Callable[[dict[str, Any]], str]
    invalid: Callable[[dict[str, Any]], dict[str, Any]]
    refused: Callable[[dict[str, Any]], dict[str, Any]] | None
    refused_message: str
    valid: Callable[[dict[str, Any]], dict[str, Any]]


def _contact(sw: Any) -> dict[str, Any]:
    return {"contact": early_help_contact(sw)["contact"]}


def _opened(sw: Any) -> dict[str, Any]:
    case, ep = open_episode(sw)
    return {"ep": ep, "child": case.child, "org": organisation()}


def _started(sw: Any) -> dict[str, Any]:
    from safehold.early_help import services

    d = _opened(sw)
    d["a"] = services.assessment_start(actor=sw, episode=d["ep"], start_date=OPENED, organisation=d["org"])
    return d


def _assessed(sw: Any) -> dict[str, Any]:
    case, ep = assessed(sw)
    return {"ep": ep, "child": case.child, "goal": ep.goals.get()}


def _closed_cin(sw: Any) -> dict[str, Any]:
    from safehold.casework import services as casework

    case = build("completed", sw)
    cin = case["episode"]
    casework.episode_close(actor=sw, episode=cin, expected_version=cin.version, closure_date=dt.date(2025, 6, 24),
                           reason="RC9")
    return {"child": case.child}


def _ep(d: dict[str, Any], tail: str) -> str:
    return f"/early-help/episodes/{d['ep'].pk}/{tail}"


FORMS = [
    FormCase("open", _contact, lambda d: f"/early-help/contacts/{d['contact'].pk}/open/",
             lambda d: {**date_fields("opened_on", None), "lead": ""},
             lambda d: {**date_fields("opened_on", FUTURE), "lead": "none"}, "cannot be in the future",
             lambda d: {**date_fields("opened_on", OPENED), "lead": "none"}),
    FormCase("step down", _closed_cin, lambda d: f"/early-help/children/{d['child'].pk}/step-down/",
             lambda d: {**date_fields("opened_on", None), "lead": "none", "summary": ""},
             lambda d: {**date_fields("opened_on", dt.date(2025, 6, 23)), "lead": "none", "summary": "x"},
             "before the social-care episode closed",
             lambda d: {**date_fields("opened_on", TODAY), "lead": "none", "summary": "Worry: routines"}),
    FormCase("consent", _opened, lambda d: _ep(d, "consent/"),
             lambda d: {"given_by": "", **date_fields("given_on", None)},
             lambda d: {"given_by": "Jo", **date_fields("given_on", dt.date(2025, 6, 1)), "scopes": ["lead"]},
             "before early help started",
             lambda d: {"given_by": "Jo", **date_fields("given_on", TODAY), "scopes": ["lead", "team"]}),
    FormCase("consent withdrawal", _opened, lambda d: _ep(d, f"consent/{d['ep'].consents.get().pk}/withdraw/"),
             lambda d: {"withdrawn_by": "", **date_fields("withdrawn_on", None)},
             lambda d: {"withdrawn_by": "Jo Parent", **date_fields("withdrawn_on", dt.date(2025, 6, 2)),
                        "scopes": ["lead"]}, "before it was given",
             lambda d: {"withdrawn_by": "Jo Parent (mother)", **date_fields("withdrawn_on", TODAY),
                        "scopes": ["team"]}),
    FormCase("assessment start", _opened, lambda d: _ep(d, "assessment/"),
             lambda d: {**date_fields("start_date", None), "organisation": ""},
             lambda d: {**date_fields("start_date", dt.date(2025, 6, 1)), "organisation": d["org"].pk},
             "before early help started",
             lambda d: {**date_fields("start_date", TODAY), "organisation": d["org"].pk}),
    FormCase("assessment complete", _started, lambda d: _ep(d, f"assessment/{d['a'].pk}/complete/"),
             lambda d: {"version": d["a"].version, **date_fields("completed_date", None), "needs": ""},
             lambda d: {"version": d["a"].version, **date_fields("completed_date", dt.date(2025, 6, 2)),
                        "needs": "x"}, "before it started",
             lambda d: {"version": d["a"].version, **date_fields("completed_date", TODAY), "needs": "Routines"}),
    FormCase("goal", _opened, lambda d: _ep(d, "goals/new/"), lambda d: {"text": ""}, None, "",
             lambda d: {"text": "Mornings without shouting"}),
    FormCase("team member", _opened, lambda d: _ep(d, "team/new/"), lambda d: {"name": "", "agency": ""}, None,
             "", lambda d: {"name": "Dr Lee", "agency": "GP surgery"}),
    FormCase("review", _assessed, lambda d: _ep(d, "reviews/new/"),
             lambda d: {**date_fields("held_on", None), f"goal_{d['goal'].pk}": ""},
             lambda d: {**date_fields("held_on", dt.date(2025, 6, 10)), f"goal_{d['goal'].pk}": "5"},
             "before the assessment was completed",
             lambda d: {**date_fields("held_on", TODAY), f"goal_{d['goal'].pk}": "7"}),
    FormCase("close", _opened, lambda d: _ep(d, "close/"),
             lambda d: {"version": d["ep"].version, **date_fields("closed_on", None)},
             lambda d: {"version": d["ep"].version, **date_fields("closed_on", dt.date(2025, 6, 1)),
                        "outcome": "disengaged"}, "before it started",
             lambda d: {"version": d["ep"].version, **date_fields("closed_on", TODAY), "outcome": "moved_away"}),
    FormCase("step up", _assessed, lambda d: _ep(d, "step-up/"), lambda d: {"child": "", "reason": ""}, None, "",
             lambda d: {"child": d["child"].pk, "reason": "Disclosure at school"}),
]


@pytest.mark.parametrize("case", FORMS, ids=[c.name for c in FORMS])
def test_form_invalid_refused_valid(case: FormCase, personas: Any, client: Client) -> None:
    sw = personas.social_worker
    data = case.setup(sw)
    client.force_login(sw)
    url = case.url(data)
    page = client.get(url)
    assert page.status_code == 200 and b"govuk-error-summary" not in page.content
    before = fingerprint()
    bad = client.post(url, case.invalid(data))
    assert bad.status_code == 200
    assert b"govuk-error-summary" in bad.content and b"There is a problem" in bad.content
    assert fingerprint() == before
    if case.refused:
        refused = client.post(url, case.refused(data))
        assert refused.status_code == 200 and b"govuk-error-summary" in refused.content
        assert case.refused_message in refused.content.decode()
        assert fingerprint() == before
    ok = client.post(url, case.valid(data))
    assert ok.status_code == 302, ok.content.decode()[:2000]
    assert fingerprint() != before


def test_partner_sees_only_the_episode_they_lead_and_no_social_care(personas: Any, client: Client) -> None:
    sw = personas.social_worker
    lead = partner_lead()
    case, mine = open_episode(sw, lead_user=lead, consent=False)
    _, other = open_episode(sw)
    client.force_login(lead)
    page = client.get(f"/early-help/episodes/{mine.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="limited"' in html and "Level 2" not in html  # no consent: the front door's reasons withheld
    assert AccessEvent.objects.filter(actor_id=lead.pk, child_id=case.child.pk).exists()
    assert client.get(f"/early-help/episodes/{other.pk}/").status_code == 404
    assert client.get(f"/early-help/families/{other.household_id}/").status_code == 404
    assert client.get(f"/early-help/episodes/{other.pk}/consent/").status_code == 404
    assert client.get(f"/children/{case.child.pk}/").status_code == 404
    assert client.get(f"/early-help/episodes/{mine.pk}/step-up/").status_code == 403
    family = client.get(f"/early-help/families/{mine.household_id}/").content.decode()
    assert "social care" not in family.lower().replace("children&#x27;s social care", "")
    client.post(f"/early-help/episodes/{mine.pk}/consent/",
                {"given_by": "Jo", **date_fields("given_on", TODAY), "scopes": ["lead"]})
    assert 'id="limited"' not in client.get(f"/early-help/episodes/{mine.pk}/").content.decode()


def test_partner_sees_step_down_summary_only(personas: Any, client: Client) -> None:
    from safehold.early_help import services

    sw = personas.social_worker
    data = _closed_cin(sw)
    lead = partner_lead()
    cin = data["child"].cin_episodes.get()
    ep = services.early_help_step_down(actor=sw, cin_episode=cin, summary="Shared: routines", opened_on=TODAY,
                                       lead_user=lead)
    services.consent_record(actor=lead, episode=ep, given_by="Jo", given_on=TODAY, scopes=["lead"])
    client.force_login(lead)
    html = client.get(f"/early-help/episodes/{ep.pk}/").content.decode()
    assert "Shared: routines" in html and "School reports bruising" not in html


def test_family_page_and_worklist_for_staff(personas: Any, client: Client) -> None:
    sw = personas.social_worker
    case, ep = assessed(sw)
    client.force_login(sw)
    html = client.get(f"/early-help/families/{ep.household_id}/").content.decode()
    assert case.child.full_name in html and "Team around the family review" in html
    assert AccessEvent.objects.filter(actor_id=sw.pk, child_id=case.child.pk,
                                      path=f"/early-help/families/{ep.household_id}/").exists()
    work = client.get("/early-help/").content.decode()
    assert "Team around the family review" in work and 'id="measure"' in work
    client.force_login(personas.other_worker)
    assert client.get(f"/early-help/families/{ep.household_id}/").status_code == 404
    assert client.get(f"/early-help/episodes/{ep.pk}/").status_code == 404
    assert not EarlyHelpEpisode.objects.visible_to(personas.other_worker).exists()


def test_withdrawn_consent_limits_the_partner_again_and_is_shown(personas: Any, client: Client) -> None:
    from safehold.early_help import services

    sw = personas.social_worker
    lead = partner_lead()
    case, ep = assessed(sw, lead_user=lead)
    consent = ep.consents.get()
    url = f"/early-help/episodes/{ep.pk}/"
    withdraw = f"/early-help/episodes/{ep.pk}/consent/{consent.pk}/withdraw/"
    client.force_login(lead)
    assert "Attendance; parenting support" in client.get(url).content.decode()  # consent: the assessment shows
    # Another partner, a worker with no link to the family and a councillor cannot reach the page at all.
    for outsider in (partner_lead("Elm Family Hub"), personas.other_worker, personas.councillor):
        client.force_login(outsider)
        assert client.get(withdraw).status_code in (403, 404)
        assert client.post(withdraw, {"withdrawn_by": "X", **date_fields("withdrawn_on", TODAY),
                                      "scopes": ["lead"]}).status_code in (403, 404)
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    # A scope the consent does not cover is refused, nothing written.
    client.force_login(lead)
    before = fingerprint()
    bad = client.post(withdraw, {"withdrawn_by": "Jo", **date_fields("withdrawn_on", TODAY), "scopes": ["agencies"]})
    assert bad.status_code == 200 and b"govuk-error-summary" in bad.content and fingerprint() == before
    # The lead practitioner records that the mother withdrew consent to share with them.
    ok = client.post(withdraw, {"withdrawn_by": "Jo Parent (mother)", **date_fields("withdrawn_on", TODAY),
                                "scopes": ["lead"]})
    assert ok.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by, consent.withdrawn_scopes) == (
        TODAY, "Jo Parent (mother)", ["lead"])
    assert services.current_scopes(ep) == {"team"}
    html = client.get(url).content.decode()
    assert 'id="limited"' in html and "withdrawn consent" in html
    assert "Attendance; parenting support" not in html and "Sam goes to school every day" not in html
    # The social worker sees the withdrawal and what it means.
    client.force_login(sw)
    html = client.get(url).content.decode()
    assert 'id="withdrawn"' in html and "sharing with the lead practitioner" in html
    assert "Withdrawn" in html and "Jo Parent (mother)" in html and "Attendance; parenting support" in html
    # The rest may be withdrawn later; then nothing is left to withdraw.
    assert client.post(withdraw, {"withdrawn_by": "Jo Parent (mother)", **date_fields("withdrawn_on", TODAY),
                                  "scopes": ["team"]}).status_code == 302
    assert services.current_scopes(ep) == set()
    page = client.get(withdraw).content.decode()
    assert "already been withdrawn" in page
