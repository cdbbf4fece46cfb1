"""The search page and restricted records: never listed; a role that may break glass is told only that one
matches (with a link to give a reason); everyone else learns nothing. Plus the refusal to record casework."""

from __future__ import annotations

import datetime as dt

import pytest

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.audit.models import AccessEvent
from safehold.core.testing import allocate, make_child

pytestmark = pytest.mark.django_db

NOTICE = "A restricted record matches"


def _search(client, user, **terms):  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.post("/children/search/", terms)
    assert response.status_code == 200
    return response.content.decode()


def test_a_restricted_match_is_a_notice_with_a_break_glass_link_for_those_who_may_break_glass(
    client, personas
) -> None:
    secret = make_child(given_name="Hester", family_name="Quillon", restricted=True)
    allocate(secret, personas.colleague)
    for who in ("team_manager", "head_of_service", "director", "iro", "dpo"):
        body = _search(client, getattr(personas, who), name="Quillon")
        assert NOTICE in body, who
        assert f'href="/accounts/children/{secret.pk}/break-glass/"' in body, who
        assert "Hester" not in body, who  # the notice names nobody
    # The notice is not a search hit on the record: nothing about the child was shown.
    assert not AccessEvent.objects.filter(child_id=secret.pk).exists()


def test_others_learn_nothing_of_a_restricted_match(client, personas) -> None:
    secret = make_child(given_name="Hester", family_name="Quillon", restricted=True)
    allocate(secret, personas.social_worker)
    for who in ("social_worker", "colleague", "business_support", "analyst", "partner", "inspector", "admin"):
        body = _search(client, getattr(personas, who), name="Quillon")
        assert NOTICE not in body and "restricted-matches" not in body, who
        assert f"/children/{secret.pk}/" not in body and "Hester" not in body, who
        assert "No children you can see match your search." in body, who


def test_unrestricted_and_non_matching_records_give_no_notice(client, personas) -> None:
    open_child = make_child(given_name="Ada", family_name="Quillon")
    make_child(given_name="Hester", family_name="Otherway", restricted=True)
    body = _search(client, personas.head_of_service, name="Quillon")
    assert "Ada Quillon" in body and f'href="/children/{open_child.pk}/"' in body
    assert NOTICE not in body and "restricted-matches" not in body


def test_a_restricted_record_on_the_access_list_is_a_result_not_a_notice(client, personas) -> None:
    from safehold.accounts.services import access_grant_create
    from safehold.core import clock

    secret = make_child(given_name="Hester", family_name="Quillon", restricted=True)
    access_grant_create(
        actor=None, child=secret, user=personas.director, reason="Named access list",
        expires_at=clock.now() + dt.timedelta(days=5),
    )  # fmt: skip
    body = _search(client, personas.director, name="Quillon")
    assert "Hester Quillon" in body
    assert NOTICE not in body


def test_several_restricted_matches_are_counted(client, personas) -> None:
    for given in ("Hester", "Iona"):
        make_child(given_name=given, family_name="Quillon", restricted=True)
    body = _search(client, personas.dpo, name="Quillon")
    assert "2 restricted records match" in body
    assert body.count('href="/accounts/children/') == 2


def test_recording_refusal_is_a_clear_403_for_a_visible_child_and_404_otherwise(client, personas) -> None:
    seen = make_child()
    allocate(seen, personas.social_worker)
    hidden = make_child(restricted=True)
    allocate(hidden, personas.social_worker)
    client.force_login(personas.head_of_service)
    refused = client.get(f"/children/{seen.pk}/notes/new/")
    assert refused.status_code == 403
    assert "Your role cannot record casework" in refused.content.decode()
    assert client.get(f"/children/{hidden.pk}/notes/new/").status_code == 404
    assert client.get("/children/999999/notes/new/").status_code == 404
    # Lead members never see a named child: 404 whatever the child.
    client.force_login(personas.councillor)
    assert client.get(f"/children/{seen.pk}/notes/new/").status_code == 404
