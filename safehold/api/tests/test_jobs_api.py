"""API v1 background jobs: request a return or Annex A (202 + Location), follow it, download it (logged), with
problem details for every error, and responses that match the OpenAPI document."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from safehold.api.models import Scope
from safehold.api.openapi import openapi_document
from safehold.api.services import api_client_create
from safehold.api.tests.test_api import assert_problem
from safehold.audit.models import AccessEvent
from safehold.core.jobs import run_queued_tasks
from safehold.core.testing import Personas
from safehold.inspection.models import AnnexAExport
from safehold.returns.models import ReturnJob
from safehold.returns.tests.test_jobs import cin_record

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


class Analyst:
    def __init__(self, personas: Personas) -> None:
        self.p = personas
        self.token = api_client_create(
            actor=None, name="Performance system", owner=personas.analyst, scopes=[Scope.RETURNS_JOBS]
        ).token
        self.no_scope = api_client_create(
            actor=None, name="Reader", owner=personas.analyst, scopes=[Scope.CHILDREN_READ]
        ).token
        self.worker_token = api_client_create(
            actor=None, name="Case system", owner=personas.social_worker, scopes=list(Scope.values)
        ).token

    def get(self, url: str, token: str | None = None) -> Any:
        return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token or self.token}")

    def post(self, url: str, body: Any, token: str | None = None, content_type: str = "application/json") -> Any:
        data = json.dumps(body) if content_type == "application/json" and not isinstance(body, str) else body
        return Client(enforce_csrf_checks=True).post(
            url, data, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token or self.token}"
        )


@pytest.fixture
def analyst(personas: Personas) -> Analyst:
    return Analyst(personas)


# A small checker for the JSON Schema the OpenAPI document uses (type, enum, required, properties, items,
# additionalProperties, $ref): every job response must match its documented schema.
DOC = openapi_document()


def _check(value: Any, schema: dict[str, Any], where: str = "$") -> None:
    if "$ref" in schema:
        _check(value, DOC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], where)
        return
    types = schema.get("type")
    if types is not None:
        allowed = types if isinstance(types, list) else [types]
        kinds = {
            "null": value is None,
            "string": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "object": isinstance(value, dict),
            "array": isinstance(value, list),
            "boolean": isinstance(value, bool),
        }
        assert any(kinds[t] for t in allowed), f"{where}: {value!r} is not {allowed}"
    if value is None:
        return
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: {key} missing"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                _check(value[key], sub, f"{where}.{key}")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key, item in value.items():
                if key not in schema.get("properties", {}):
                    _check(item, extra, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(item, schema["items"], f"{where}[{i}]")


def _matches(response: Any, path: str, method: str = "get") -> dict[str, Any]:
    op = DOC["paths"][path][method]
    documented = op["responses"][str(response.status_code)]
    schema = documented["content"]["application/json"]["schema"]
    body = response.json()
    _check(body, schema)
    return body


def test_a_return_job_from_request_to_download(analyst: Analyst) -> None:
    cin_record()
    created = analyst.post("/api/v1/returns/jobs", {"return": "cin", "year": 2026})
    assert created.status_code == 202, created.content
    job = ReturnJob.objects.get()
    assert created["Location"] == f"http://testserver/api/v1/returns/jobs/{job.pk}"
    body = _matches(created, "/api/v1/returns/jobs", "post")
    assert body["status"] == "queued" and body["links"]["download"] is None and body["progress"]["total"] == 3
    assert job.requested_by == analyst.p.analyst

    early = analyst.get(f"/api/v1/returns/jobs/{job.pk}/download")
    assert assert_problem(early, 409)["job_status"] == "queued"
    assert_problem(analyst.get(f"/api/v1/returns/jobs/{job.pk}/failures"), 409)

    run_queued_tasks()
    status = analyst.get(created["Location"])
    body = _matches(status, "/api/v1/returns/jobs/{job_id}")
    assert body["status"] == "ready" and (body["errors"], body["queries"], body["children"]) == (1, 4, 5)
    download = analyst.get(body["links"]["download"])
    job.refresh_from_db()
    assert download.status_code == 200 and download.content == bytes(job.file or b"")
    assert download["Content-Type"] == "application/xml"
    logged = AccessEvent.objects.filter(kind="export", actor_id=analyst.p.analyst.pk)
    assert set(logged.values_list("child_id", flat=True)) == set(job.child_ids) and logged.count() == 5

    failures = analyst.get(body["links"]["failures"] + "?limit=2")
    page = _matches(failures, "/api/v1/returns/jobs/{job_id}/failures")
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    assert page["results"][0] == {
        "rule": "2887Q", "child": None, "child_id": None, "message": page["results"][0]["message"],
        "fields": page["results"][0]["fields"], "severity": "query",
    }  # fmt: skip
    only = analyst.get(body["links"]["failures"] + "?rule=8540").json()["results"]
    assert [(f["rule"], f["child"], f["severity"]) for f in only] == [("8540", "G1", "error")]
    assert only[0]["child_id"] is not None
    listing = analyst.get("/api/v1/returns/jobs")
    assert _matches(listing, "/api/v1/returns/jobs")["count"] == 1


def test_an_annex_a_job_from_request_to_download(analyst: Analyst) -> None:
    created = analyst.post("/api/v1/annex-a/jobs", {"as_of": "2026-03-31"})
    assert created.status_code == 202, created.content
    export = AnnexAExport.objects.get()
    assert created["Location"].endswith(f"/api/v1/annex-a/jobs/{export.pk}")
    assert _matches(created, "/api/v1/annex-a/jobs", "post")["status"] == "queued"
    assert_problem(analyst.get(f"/api/v1/annex-a/jobs/{export.pk}/download"), 409)
    run_queued_tasks()
    body = _matches(analyst.get(created["Location"]), "/api/v1/annex-a/jobs/{job_id}")
    assert body["status"] == "ready" and set(body["rows"]) == {str(n) for n in range(1, 12)}
    workbook = analyst.get(body["links"]["workbook"])
    csvs = analyst.get(body["links"]["csv"])
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert csvs.status_code == 200 and csvs["Content-Type"] == "application/zip"
    assert_problem(analyst.get(f"/api/v1/annex-a/jobs/{export.pk}/download?format=pdf"), 400)
    assert _matches(analyst.get("/api/v1/annex-a/jobs"), "/api/v1/annex-a/jobs")["count"] == 1


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/returns/jobs", {"year": 2026}, "return"),
        ("/api/v1/returns/jobs", {"return": "cin", "year": "2026"}, "year"),
        ("/api/v1/returns/jobs", {"return": "cin", "year": True}, "year"),
        ("/api/v1/returns/jobs", {"return": "cin", "year": 2019}, "year"),
        ("/api/v1/returns/jobs", {"return": "csv", "year": 2026}, "return"),
        ("/api/v1/annex-a/jobs", {"as_of": "31/03/2026"}, "as_of"),
        ("/api/v1/annex-a/jobs", {"as_of": 20260331}, "as_of"),
        ("/api/v1/annex-a/jobs", {"as_of": "2026-13-01"}, "as_of"),
        ("/api/v1/annex-a/jobs", {"as_of": "2027-01-01"}, "as_of"),
    ],
)
def test_invalid_requests_are_422_and_queue_nothing(analyst: Analyst, url: str, body: Any, field: str) -> None:
    problem = assert_problem(analyst.post(url, body), 422)
    assert field in problem["errors"]
    assert not ReturnJob.objects.exists() and not AnnexAExport.objects.exists()


def test_scope_role_and_unknown_jobs(analyst: Analyst) -> None:
    body = {"return": "cin", "year": 2026}
    assert assert_problem(analyst.post("/api/v1/returns/jobs", body, token=analyst.no_scope), 403)["scope"] == (
        "returns:jobs"
    )
    # A social worker's client has the scope but its owner may not produce returns.
    assert_problem(analyst.post("/api/v1/returns/jobs", body, token=analyst.worker_token), 403)
    assert_problem(analyst.get("/api/v1/annex-a/jobs", token=analyst.worker_token), 403)
    assert not ReturnJob.objects.exists()
    for url in ("/api/v1/returns/jobs/999", "/api/v1/returns/jobs/999/download", "/api/v1/annex-a/jobs/999"):
        assert_problem(analyst.get(url), 404)
    assert_problem(analyst.post("/api/v1/returns/jobs", "return=cin", content_type="text/plain"), 415)
    assert_problem(analyst.post("/api/v1/returns/jobs/1", body), 405)
    assert_problem(Client().get("/api/v1/returns/jobs"), 401)
