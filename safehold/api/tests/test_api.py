from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from safehold.api.models import ApiClient, ApiRateWindow
from safehold.api.openapi import openapi_document
from safehold.api.services import api_client_create
from safehold.audit.models import AccessEvent
from safehold.casework.models import Contact
from safehold.core.testing import allocate, make_child

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert PROBLEM_KEYS <= set(body)
    assert body["status"] == status
    return body


def test_token_is_stored_hashed(api: Any) -> None:
    client = ApiClient.objects.get(pk=api.client_obj.pk)
    assert api.token not in (client.token_hash, client.token_prefix)
    assert len(client.token_hash) == 64


def test_child_summary_logs_api_access(api: Any) -> None:
    r = api.get(f"/api/v1/children/{api.mine.pk}")
    assert r.status_code == 200
    assert r.json()["id"] == api.mine.pk
    assert AccessEvent.objects.filter(kind="api", child_id=api.mine.pk, actor_id=api.p.social_worker.pk).count() == 1


def test_other_teams_child_is_a_404_problem(api: Any) -> None:
    for url in (f"/api/v1/children/{api.theirs.pk}", f"/api/v1/children/{api.theirs.pk}/deadlines"):
        assert_problem(api.get(url), 404)
    assert not AccessEvent.objects.filter(child_id=api.theirs.pk).exists()


def test_missing_and_bad_tokens_are_401(api: Any) -> None:
    url = f"/api/v1/children/{api.mine.pk}"
    assert_problem(Client().get(url), 401)
    assert_problem(api.get(url, token="shk_nope_nope"), 401)
    assert_problem(api.get(url, token=api.token + "x"), 401)


def test_session_does_not_authenticate_the_api(api: Any) -> None:
    c = Client()
    c.force_login(api.p.social_worker)
    assert_problem(c.get(f"/api/v1/children/{api.mine.pk}"), 401)


def test_revoked_client_is_401(api: Any) -> None:
    from safehold.api.services import api_client_revoke

    api_client_revoke(actor=None, client=api.client_obj)
    assert_problem(api.get(f"/api/v1/children/{api.mine.pk}"), 401)


def test_missing_scope_is_403(api: Any) -> None:
    body = assert_problem(api.get("/api/v1/caseload", token=api.read_only), 403)
    assert body["scope"] == "caseload:read"
    r = api.post(f"/api/v1/children/{api.mine.pk}/contacts", {"summary": "x"}, token=api.read_only)
    assert_problem(r, 403)
    assert Contact.objects.count() == 0


def test_method_not_allowed_and_unknown_route(api: Any) -> None:
    body = assert_problem(api.post(f"/api/v1/children/{api.mine.pk}", {}), 405)
    assert "GET" in body["detail"]
    assert_problem(api.get("/api/v1/nothing-here"), 404)
    assert_problem(Client().get("/api/whatever/else"), 404)


def test_caseload_paginates_and_logs(api: Any) -> None:
    for _ in range(3):
        allocate(make_child(), api.p.social_worker)
    first = api.get("/api/v1/caseload?limit=2")
    assert first.status_code == 200
    data = first.json()
    assert data["count"] == 4 and len(data["results"]) == 2 and data["previous"] is None
    assert "offset=2" in data["next"]
    second = api.get(data["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    ids = {c["id"] for c in data["results"] + second["results"]}
    assert api.theirs.pk not in ids and api.mine.pk in ids
    assert AccessEvent.objects.filter(kind="api", path="/api/v1/caseload").count() == 4


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "limit=101", "offset=-1"])
def test_bad_pagination_is_400(api: Any, query: str) -> None:
    assert_problem(api.get(f"/api/v1/caseload?{query}"), 400)


def test_deadlines_list(api: Any) -> None:
    r = api.get(f"/api/v1/children/{api.mine.pk}/deadlines?limit=5")
    assert r.status_code == 200
    assert set(r.json()) >= {"count", "next", "previous", "results"}


def _contact(**over: Any) -> dict[str, Any]:
    return {"received_at": "2024-03-01T10:00:00+00:00", "source": "6", "summary": "Police concern", **over}


def test_create_contact(api: Any) -> None:
    r = api.post(f"/api/v1/children/{api.mine.pk}/contacts", _contact(referrer_name="PC Smith"))
    assert r.status_code == 201, r.content
    contact = Contact.objects.get()
    assert contact.child_id == api.mine.pk and contact.source == "6"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ("source=6", "application/x-www-form-urlencoded", 415),
        (json.dumps(_contact(source="ZZ")), "application/json", 422),
        (json.dumps(_contact(received_at="yesterday")), "application/json", 422),
        (json.dumps(_contact(received_at="2024-03-01T10:00:00")), "application/json", 422),
        # ISO-shaped but impossible: Django's parse_datetime raises ValueError (found by schemathesis as a 500)
        (json.dumps(_contact(received_at="2024-03-01T10:61:00+00:00")), "application/json", 422),
        (json.dumps(_contact(summary="")), "application/json", 422),
        (json.dumps(_contact(summary=7)), "application/json", 422),
        (json.dumps(_contact(received_at="2999-01-01T10:00:00+00:00")), "application/json", 422),
    ],
)
def test_invalid_contact_changes_nothing(api: Any, body: str, content_type: str, status: int) -> None:
    r = api.post(f"/api/v1/children/{api.mine.pk}/contacts", body, content_type=content_type)
    assert_problem(r, status)
    assert Contact.objects.count() == 0


def test_contact_on_invisible_child_is_404(api: Any) -> None:
    assert_problem(api.post(f"/api/v1/children/{api.theirs.pk}/contacts", _contact()), 404)
    assert Contact.objects.count() == 0


def test_rate_limit(api: Any) -> None:
    token = api_client_create(
        actor=None, name="Tiny", owner=api.p.social_worker, scopes=["children:read"], rate_limit_per_minute=2
    ).token
    url = f"/api/v1/children/{api.mine.pk}"
    assert api.get(url, token=token).status_code == 200
    assert api.get(url, token=token).status_code == 200
    r = api.get(url, token=token)
    assert_problem(r, 429)
    assert int(r["Retry-After"]) >= 1
    assert ApiRateWindow.objects.filter(client__name="Tiny").count() == 1


def _v1_routes(patterns: Any, prefix: str = "") -> list[str]:
    found: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _v1_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if route.startswith("api/v1/"):
                found.append(route)
    return found


def test_openapi_lists_every_v1_route(api: Any) -> None:
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = json.loads(r.content)
    assert doc["openapi"].startswith("3.1")
    routes = _v1_routes(get_resolver().url_patterns)
    assert len(routes) >= 5
    for route in routes:
        as_openapi = "/" + route.replace("<int:", "{").replace(">", "}")
        assert as_openapi in doc["paths"], f"{route} missing from the OpenAPI document"
    assert set(doc["paths"]) == {"/" + r.replace("<int:", "{").replace(">", "}") for r in routes}


def test_openapi_refs_resolve() -> None:
    doc = openapi_document()
    text = json.dumps(doc)
    import re

    for ref in set(re.findall(r'"#/components/(\w+)/(\w+)"', text)):
        assert ref[1] in doc["components"][ref[0]], ref


def test_unknown_query_parameter_is_a_400_problem(api: Any) -> None:
    body = assert_problem(api.get("/api/v1/caseload?limt=5"), 400)
    assert body["parameter"] == "limt" and "limit" in body["detail"]
    assert_problem(api.get(f"/api/v1/children/{api.mine.pk}?verbose=1"), 400)
    assert api.get("/api/v1/caseload?limit=5&offset=0").status_code == 200
    assert_problem(Client().get("/api/v1/openapi.json?x=1"), 400)

