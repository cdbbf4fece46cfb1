"""The managers' deadlines page: named_children policy, visibility, filters, links to the child.
Clients sign in with a verified second factor (``safehold.accounts.testing.sign_in``)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.accounts.testing import sign_in
from safehold.casework import services as cw
from safehold.core.testing import allocate, make_child

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def children(personas):
    mine = make_child(given_name="Ada", family_name="Ayres")
    allocate(mine, personas.social_worker)
    # Referral Mon 5 Jan 2026, undecided: overdue (due 6 Jan) and drifting (39 WD).
    cw.referral_create(actor=None, child=mine, referral_date=D(2026, 1, 5), source="2A", primary_need="N1")
    theirs = make_child(given_name="Cal", family_name="Cole")
    allocate(theirs, personas.other_worker)
    cw.referral_create(actor=None, child=theirs, referral_date=D(2026, 1, 5), source="2A", primary_need="N1")
    return mine, theirs


def test_team_manager_sees_their_teams_overdue_deadlines_linked_to_the_child(client, personas, children):
    mine, theirs = children
    sign_in(client, personas.team_manager)
    response = client.get("/deadlines/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/children/{mine.pk}/"' in html
    assert "Ada Ayres" in html
    assert "Cal Cole" not in html and f"/children/{theirs.pk}/" not in html
    assert 'class="govuk-table"' in html


@pytest.mark.parametrize("view", ["overdue", "due", "drift", "all"])
def test_every_view_renders(client, personas, children, view):
    sign_in(client, personas.director)
    response = client.get("/deadlines/", {"view": view, "sort": "child", "state": "overdue"})
    assert response.status_code == 200
    if view in {"overdue", "drift", "all"}:
        assert "Ada Ayres" in response.content.decode()
        assert "Cal Cole" in response.content.decode()


def test_filters_by_team_worker_and_rule(client, personas, children):
    sign_in(client, personas.director)
    html = client.get("/deadlines/", {"team": personas.other_team.pk}).content.decode()
    assert "Cal Cole" in html and "Ada Ayres" not in html
    html = client.get("/deadlines/", {"worker": personas.social_worker.staff.pk}).content.decode()
    assert "Ada Ayres" in html and "Cal Cole" not in html
    html = client.get("/deadlines/", {"rule": "icpc"}).content.decode()
    assert "Ada Ayres" not in html and "No deadlines match." in html
    html = client.get("/deadlines/", {"view": "drift", "margin": "40"}).content.decode()
    assert "No children are drifting." in html


def test_nonsense_filters_are_ignored(client, personas, children):
    sign_in(client, personas.director)
    response = client.get("/deadlines/", {"view": "x", "team": "abc", "worker": "-1", "rule": "zzz", "sort": "?"})
    assert response.status_code == 200
    assert "Ada Ayres" in response.content.decode()


def test_aggregate_only_roles_and_anonymous_users_are_refused(client, personas, children):
    response = client.get("/deadlines/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    sign_in(client, personas.councillor)
    assert client.get("/deadlines/").status_code == 404


def test_a_user_with_no_children_sees_an_empty_list(client, personas, children):
    sign_in(client, personas.nobody)
    response = client.get("/deadlines/", {"team": personas.team.pk})
    assert response.status_code == 200
    assert "Ada Ayres" not in response.content.decode()


def test_the_drift_list_is_shown_a_page_at_a_time_with_the_total(client, personas, children, monkeypatch):
    from safehold.timescales import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    sign_in(client, personas.director)
    first = client.get("/deadlines/", {"view": "drift", "sort": "child"}).content.decode()
    assert "2 children drifting" in first
    assert "Page 1 of 2" in first
    assert "Ada Ayres" in first and "Cal Cole" not in first
    second = client.get("/deadlines/", {"view": "drift", "sort": "child", "page": "2"}).content.decode()
    assert "Page 2 of 2" in second
    assert "Cal Cole" in second and "Ada Ayres" not in second
